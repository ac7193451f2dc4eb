package chart

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLookPNG writes every helper's PNG into $GONBML_LOOK_DIR for a person
// to look at.
func TestLookPNG(t *testing.T) {
	dir := os.Getenv("GONBML_LOOK_DIR")
	if dir == "" {
		t.Skip("GONBML_LOOK_DIR not set")
	}
	for name, c := range lookCharts(t) {
		b, err := PNG(c)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pixels, signed := lookImages()
	for name, o := range map[string]Options{
		"images":           {Title: "rings", Image: ImageOptions{Min: 0, Max: 1, RowLabels: []string{"input", "output"}, ColLabels: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}}},
		"images-diverging": {Title: "components", X: Axis{Name: "component"}, Image: ImageOptions{Diverging: true, Cols: 10}},
	} {
		m := pixels
		if o.Image.Diverging {
			m = signed
		}
		b, err := o.ImageGridPNG(m, 28)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
