package setup

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
)

// Logos draws the kernel's logo at the sizes Jupyter looks for: a Go-blue
// square with a white bar chart (Go, plus the ML it is for).
func Logos() map[int][]byte {
	out := map[int][]byte{}
	for _, size := range []int{32, 64} {
		img := image.NewRGBA(image.Rect(0, 0, size, size))
		blue := color.RGBA{0x00, 0xad, 0xd8, 0xff}
		white := color.RGBA{0xff, 0xff, 0xff, 0xff}
		for y := 0; y < size; y++ {
			for x := 0; x < size; x++ {
				img.Set(x, y, blue)
			}
		}
		// Four bars of rising height.
		bar := size / 9
		for i, h := range []float64{0.3, 0.5, 0.65, 0.8} {
			x0 := bar + i*2*bar
			for y := size - bar - int(h*float64(size-2*bar)); y < size-bar; y++ {
				for x := x0; x < x0+bar+bar/2; x++ {
					img.Set(x, y, white)
				}
			}
		}
		var buf bytes.Buffer
		png.Encode(&buf, img)
		out[size] = buf.Bytes()
	}
	return out
}
