package chart

import (
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"
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
	_ = mat.NewDense
}
