package chart

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/gonbml/gonbml/stdlib/fit"

	"gonum.org/v1/gonum/mat"
)

// ImageOptions configures ImageGrid. The zero value is valid.
type ImageOptions struct {
	// Cols is the number of images per grid row. Default: up to 10, fewer
	// when there are fewer images.
	Cols int
	// Scale is the size in screen pixels of one image pixel. Default 2.
	Scale int
	// Gap is the space in screen pixels between images. Default 2.
	Gap int
	// Diverging draws zero as white, positive values in shades of grey to
	// black and negative values in shades of red, each image scaled by its
	// largest absolute value (the way NMF and PCA components are shown).
	// Default false: grayscale from white (minimum) to black (maximum),
	// so ink is dark on light paper as in every other picture of the
	// stdlib.
	Diverging bool
	// Min and Max fix the grayscale range for every image (values outside
	// are clamped). Default (both zero): each image's own minimum and
	// maximum. Ignored when Diverging is set.
	Min, Max float64
	// RowLabels and ColLabels label the grid's rows (left of them) and
	// columns (above them); each must have one entry per grid row or
	// column. Drawn by Options.ImageGrid only. Default (nil): none.
	RowLabels, ColLabels []string
}

// Validate reports an option that cannot be used, wrapping ErrBadConfig
// and naming the field.
func (o ImageOptions) Validate() error {
	bad := func(field string, v any, want string) error {
		return fit.BadConfig(ErrBadConfig, "ImageOptions."+field, v, want)
	}
	switch {
	case o.Cols < 0:
		return bad("Cols", o.Cols, "at least 0")
	case o.Scale < 0 || o.Scale > 64:
		return bad("Scale", o.Scale, "0 to 64")
	case o.Gap < 0:
		return bad("Gap", o.Gap, "at least 0")
	case math.IsNaN(o.Min) || math.IsInf(o.Min, 0):
		return bad("Min", o.Min, "a finite number")
	case math.IsNaN(o.Max) || math.IsInf(o.Max, 0):
		return bad("Max", o.Max, "a finite number")
	case o.Min > o.Max:
		return bad("Min", o.Min, fmt.Sprintf("at most Max (%g)", o.Max))
	}
	return nil
}

// ImageGrid draws every row of images as a width-pixel-wide image in a
// grid, without title, labels or colour key.
//
// Deprecated: use Options{Title: …, Image: o}.ImageGrid(images, width),
// which adds the title, row and column labels and the colour key.
func ImageGrid(images mat.Matrix, width int, o ImageOptions) (*image.RGBA, error) {
	return imageGrid(images, width, o)
}

// gridShape is the number of grid columns and rows for n images.
func (o ImageOptions) gridShape(n int) (cols, rows int) {
	cols = o.Cols
	if cols == 0 {
		cols = min(n, 10)
	}
	return cols, (n + cols - 1) / cols
}

func imageGrid(images mat.Matrix, width int, o ImageOptions) (*image.RGBA, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if images == nil {
		return nil, errors.New("chart: ImageGrid of a nil matrix")
	}
	n, size := images.Dims()
	if n == 0 || size == 0 {
		return nil, errors.New("chart: ImageGrid of an empty matrix")
	}
	if width <= 0 || size%width != 0 {
		return nil, fmt.Errorf("chart: ImageGrid rows have %d values, not a multiple of width %d", size, width)
	}
	height := size / width
	cols := o.Cols
	if cols == 0 {
		cols = min(n, 10)
	}
	scale := o.Scale
	if scale == 0 {
		scale = 2
	}
	gap := o.Gap
	if gap == 0 {
		gap = 2
	}
	rows := (n + cols - 1) / cols
	W := cols*width*scale + (cols+1)*gap
	H := rows*height*scale + (rows+1)*gap
	if W*H > 64<<20 {
		return nil, fmt.Errorf("chart: ImageGrid would be %d×%d pixels; use fewer images or a smaller Scale", W, H)
	}
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	bg := color.RGBA{0xdd, 0xdd, 0xdd, 0xff} // light grey frames the images
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = bg.R, bg.G, bg.B, bg.A
	}
	vals := make([]float64, size)
	for k := 0; k < n; k++ {
		lo, hi, amax := math.Inf(1), math.Inf(-1), 0.0
		for j := range vals {
			v := images.At(k, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("chart: ImageGrid value at row %d, column %d is %v", k, j, v)
			}
			vals[j] = v
			lo, hi = math.Min(lo, v), math.Max(hi, v)
			amax = math.Max(amax, math.Abs(v))
		}
		if o.Min != o.Max {
			lo, hi = o.Min, o.Max
		}
		x0 := gap + (k%cols)*(width*scale+gap)
		y0 := gap + (k/cols)*(height*scale+gap)
		for j, v := range vals {
			var c color.RGBA
			if o.Diverging {
				c = divergingColor(v, amax)
			} else {
				c = grayColor(v, lo, hi)
			}
			px, py := x0+(j%width)*scale, y0+(j/width)*scale
			for dy := 0; dy < scale; dy++ {
				for dx := 0; dx < scale; dx++ {
					img.SetRGBA(px+dx, py+dy, c)
				}
			}
		}
	}
	return img, nil
}

// grayColor maps lo to white and hi to black: ink dark on light.
func grayColor(v, lo, hi float64) color.RGBA {
	t := 0.0
	if hi > lo {
		t = (v - lo) / (hi - lo)
	}
	t = math.Max(0, math.Min(1, t))
	g := uint8(math.Round(255 * (1 - t)))
	return color.RGBA{g, g, g, 255}
}

// divergingColor maps 0 to white, amax to black and -amax to red.
func divergingColor(v, amax float64) color.RGBA {
	if amax == 0 {
		return color.RGBA{255, 255, 255, 255}
	}
	t := math.Min(1, math.Abs(v)/amax)
	fade := uint8(math.Round(255 * (1 - t)))
	if v < 0 {
		return color.RGBA{255, fade, fade, 255}
	}
	return color.RGBA{fade, fade, fade, 255}
}

// ImageGridPNG is ImageGrid encoded as PNG.
//
// Deprecated: use Options{Image: o}.ImageGridPNG(images, width).
func ImageGridPNG(images mat.Matrix, width int, o ImageOptions) ([]byte, error) {
	img, err := imageGrid(images, width, o)
	if err != nil {
		return nil, err
	}
	return encodePNG(img)
}

// ShowImages displays the bare image grid as a PNG.
//
// Deprecated: use Options{Title: …, Image: o}.ShowImages(images, width),
// which draws the title, labels and colour key.
func ShowImages(images mat.Matrix, width int, o ImageOptions) error {
	b, err := ImageGridPNG(images, width, o)
	if err != nil {
		return err
	}
	return showPNG(images, b)
}

// ShowImages displays o.ImageGrid's picture as a PNG. Outside a notebook
// it writes the PNG into OutputDir and prints its path.
func (o Options) ShowImages(images mat.Matrix, width int) error {
	b, err := o.ImageGridPNG(images, width)
	if err != nil {
		return err
	}
	return showPNG(images, b)
}

func showPNG(images mat.Matrix, b []byte) error {
	fe := current()
	if fe == nil {
		path, err := writeOutputFile("images", ".png", b)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout(), "images:", path)
		return nil
	}
	n, _ := images.Dims()
	fe.display(map[string]any{
		"image/png":  b,
		"text/plain": fmt.Sprintf("grid of %d images (ink dark on light: white is the minimum or zero, black the maximum, red negative)", n),
	}, "")
	fe.sync()
	return nil
}
