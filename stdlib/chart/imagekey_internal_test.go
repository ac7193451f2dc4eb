package chart

import (
	"image/color"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// A narrow grid with a long key (diverging, with its scaling note) keeps
// the whole key inside the figure: ink in the band under the grid starts
// and ends clear of the edges.
func TestImageGridKeyFitsANarrowGrid(t *testing.T) {
	for _, diverging := range []bool{false, true} {
		imgs := mat.NewDense(2, 16, nil)
		for j := range 16 {
			imgs.Set(0, j, float64(j)-8)
			imgs.Set(1, j, float64(j))
		}
		img, err := Options{Image: ImageOptions{Diverging: diverging, Cols: 2}}.ImageGrid(imgs, 4)
		if err != nil {
			t.Fatal(err)
		}
		b := img.Bounds()
		lo, hi := b.Max.X, -1
		for y := b.Max.Y - 40; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if c := img.RGBAAt(x, y); c != (color.RGBA{255, 255, 255, 255}) {
					lo, hi = min(lo, x), max(hi, x)
				}
			}
		}
		if hi < 0 {
			t.Fatalf("diverging=%v: no key drawn under the grid", diverging)
		}
		if lo < 4 || hi > b.Max.X-5 {
			t.Errorf("diverging=%v: the key spans x %d…%d of a %d-pixel-wide figure: cut at an edge",
				diverging, lo, hi, b.Dx())
		}
	}
}
