package chart

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// ImageGrid draws every row of images as a width-pixel-wide image (rows
// are samples: an MNIST digit, an NMF component) in a grid laid out by
// o.Image, as a figure: o.Title above it, o.Image.ColLabels above the
// columns, o.Image.RowLabels left of the rows, o.X and o.Y naming the
// columns and rows, and a colour key below that states the convention
// every image of the stdlib uses: ink dark on light (white is the minimum
// or zero, black the maximum; red negative with Diverging). The number of
// columns of images must be a multiple of width.
func (o Options) ImageGrid(images mat.Matrix, width int) (*image.RGBA, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	grid, err := imageGrid(images, width, o.Image)
	if err != nil {
		return nil, err
	}
	n, _ := images.Dims()
	cols, rows := o.Image.gridShape(n)
	if o.Image.RowLabels != nil && len(o.Image.RowLabels) != rows {
		return nil, fmt.Errorf("chart: ImageGrid has %d grid rows and %d RowLabels", rows, len(o.Image.RowLabels))
	}
	if o.Image.ColLabels != nil && len(o.Image.ColLabels) != cols {
		return nil, fmt.Errorf("chart: ImageGrid has %d grid columns and %d ColLabels", cols, len(o.Image.ColLabels))
	}
	scale, gap := o.Image.Scale, o.Image.Gap
	if scale == 0 {
		scale = 2
	}
	if gap == 0 {
		gap = 2
	}
	cellW, cellH := width*scale+gap, (grid.Bounds().Dy()-gap)/rows

	// Margins in pixels around the grid.
	top, left, bottom, right := 6.0, 6.0, 44.0, 12.0
	if o.Title != "" {
		top += titlePx + 12
	}
	if o.X.Label() != "" {
		top += namePx + 8
	}
	if o.Image.ColLabels != nil {
		top += labelPx + 6
	}
	if o.Y.Label() != "" {
		left += namePx + 10
	}
	if o.Image.RowLabels != nil {
		left += widest(o.Image.RowLabels, labelPx) + 8
	}
	key := o.Image.keyText()
	gw, gh := grid.Bounds().Dx(), grid.Bounds().Dy()
	W := int(left) + gw + int(right)
	W = max(W, int(o.Image.keyWidth(key))+24, int(textPx(o.Title, titlePx))+24)
	H := int(top) + gh + int(bottom)
	if W*H > 64<<20 {
		return nil, fmt.Errorf("chart: ImageGrid would be %d×%d pixels; use fewer images or a smaller Scale", W, H)
	}
	gx := int(left) + (W-int(left)-int(right)-gw)/2
	gy := int(top)

	c := vgimg.NewWith(vgimg.UseWH(vg.Length(W)*vg.Inch/pngDPI, vg.Length(H)*vg.Inch/pngDPI), vgimg.UseDPI(pngDPI), vgimg.UseBackgroundColor(color.White))
	dc := vgdraw.New(c)
	// at converts a pixel position from the top-left corner to the canvas.
	at := func(x, y float64) vg.Point { return vg.Point{X: px(x), Y: px(float64(H) - y)} }
	y := 6.0
	if o.Title != "" {
		st := textStyle(titlePx, true)
		st.XAlign, st.YAlign = vgdraw.XCenter, vgdraw.YTop
		dc.FillText(st, at(float64(W)/2, y), o.Title)
		y += titlePx + 12
	}
	if name := o.X.Label(); name != "" {
		st := textStyle(namePx, false)
		st.XAlign, st.YAlign = vgdraw.XCenter, vgdraw.YTop
		dc.FillText(st, at(float64(gx)+float64(gw)/2, y), name)
		y += namePx + 8
	}
	if o.Image.ColLabels != nil {
		st := textStyle(labelPx, false)
		st.XAlign, st.YAlign = vgdraw.XCenter, vgdraw.YTop
		for j, l := range o.Image.ColLabels {
			dc.FillText(st, at(float64(gx+gap+j*cellW)+float64(width*scale)/2, y), l)
		}
	}
	if o.Image.RowLabels != nil {
		st := textStyle(labelPx, false)
		st.XAlign, st.YAlign = vgdraw.XRight, vgdraw.YCenter
		for i, l := range o.Image.RowLabels {
			dc.FillText(st, at(float64(gx)-6, float64(gy+gap+i*cellH)+float64(cellH-gap)/2), l)
		}
	}
	if name := o.Y.Label(); name != "" {
		st := textStyle(namePx, false)
		st.XAlign, st.YAlign, st.Rotation = vgdraw.XCenter, vgdraw.YTop, 1.5707963267948966
		dc.FillText(st, at(8, float64(gy)+float64(gh)/2), name)
	}
	// The key sits under the grid's centre, moved in where that would
	// push it past the figure's edge (a narrow grid with a long key).
	kw := o.Image.keyWidth(key)
	kx := min(max(float64(gx)+float64(gw)/2, kw/2+12), float64(W)-kw/2-12)
	o.Image.drawKey(dc, at, kx, float64(gy+gh)+14, key)

	out, ok := c.Image().(*image.RGBA)
	if !ok {
		return nil, errors.New("chart: ImageGrid: the canvas is not RGBA")
	}
	// The images are copied pixel for pixel: no resampling blurs them.
	draw.Draw(out, image.Rect(gx, gy, gx+gw, gy+gh), grid, image.Point{}, draw.Src)
	return out, nil
}

// ImageGridPNG is o.ImageGrid encoded as PNG.
func (o Options) ImageGridPNG(images mat.Matrix, width int) ([]byte, error) {
	img, err := o.ImageGrid(images, width)
	if err != nil {
		return nil, err
	}
	return encodePNG(img)
}

// keyText states the colour convention of the grid.
func (o ImageOptions) keyText() string {
	switch {
	case o.Diverging:
		return "each image scaled by its largest |value|"
	case o.Min != o.Max:
		return ""
	}
	return "each image from its minimum to its maximum"
}

// keyRampW and keyRampH are the size of the colour key's ramp in pixels.
const keyRampW, keyRampH = 120.0, 10.0

// keyEnds are the texts at the ends of the key's ramp.
func (o ImageOptions) keyEnds() (lo, hi string) {
	switch {
	case o.Diverging:
		return "−max", "+max"
	case o.Min != o.Max:
		f := formatTicks([]float64{o.Min, o.Max})
		return f[0], f[1]
	}
	return "min", "max"
}

// keyWidth is the width in pixels of the key drawKey draws with note.
func (o ImageOptions) keyWidth(note string) float64 {
	lo, hi := o.keyEnds()
	w := textPx(lo, labelPx) + 6 + keyRampW + 6 + textPx(hi, labelPx)
	if note != "" {
		w += textPx(note, labelPx) + 16
	}
	return w
}

// drawKey draws the colour key centred at (cx, y): a ramp with its end
// values, and the scaling rule.
func (o ImageOptions) drawKey(dc vgdraw.Canvas, at func(x, y float64) vg.Point, cx, y float64, note string) {
	const rampW, rampH = keyRampW, keyRampH
	stops := []color.RGBA{{255, 255, 255, 255}, {0, 0, 0, 255}}
	if o.Diverging {
		stops = []color.RGBA{{255, 0, 0, 255}, {255, 255, 255, 255}, {0, 0, 0, 255}}
	}
	lo, hi := o.keyEnds()
	loW := textPx(lo, labelPx)
	x0 := cx - o.keyWidth(note)/2
	rx := x0 + loW + 6
	const steps = 64
	for i := 0; i < steps; i++ {
		a := rx + rampW*float64(i)/steps
		b := rx + rampW*float64(i+1)/steps + 0.5
		dc.FillPolygon(ramp(stops, (float64(i)+0.5)/steps), []vg.Point{at(a, y), at(b, y), at(b, y+rampH), at(a, y+rampH)})
	}
	dc.StrokeLines(vgdraw.LineStyle{Color: inkColor, Width: px(1)}, []vg.Point{at(rx, y), at(rx+rampW, y), at(rx+rampW, y+rampH), at(rx, y+rampH), at(rx, y)})
	st := textStyle(labelPx, false)
	st.YAlign = vgdraw.YCenter
	dc.FillText(st, at(x0, y+rampH/2), lo)
	dc.FillText(st, at(rx+rampW+6, y+rampH/2), hi)
	if note != "" {
		dc.FillText(st, at(rx+rampW+6+textPx(hi, labelPx)+16, y+rampH/2), note)
	}
}
