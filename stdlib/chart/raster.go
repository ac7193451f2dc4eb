package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// defaultPalette is ECharts 5's default series palette, so the PNG and the
// interactive chart use the same colours.
var defaultPalette = []string{"#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc"}

// pngDPI makes one gonum/plot point map to the CSS pixel size the
// interactive chart has (CSS pixels are 1/96 inch).
const pngDPI = 96

// rasterize draws an ECharts option (decoded JSON) with gonum/plot into a
// w×h image. Unsupported options produce a placeholder naming the chart.
func rasterize(opt map[string]any, w, h int) (image.Image, error) {
	p := newPlot()
	p.Title.Text = optionTitle(opt)
	ok := opt != nil && drawOption(p, opt)
	if !ok {
		p = newPlot()
		p.HideAxes()
		t := optionTitle(opt)
		if t == "" {
			t = "chart"
		}
		p.Title.Text = t + " (interactive chart: open it where JavaScript runs)"
	}
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(w)*vg.Inch/pngDPI, vg.Length(h)*vg.Inch/pngDPI), vgimg.UseDPI(pngDPI), vgimg.UseBackgroundColor(color.White))
	dc := vgdraw.New(c)
	dc = vgdraw.Crop(dc, 8, -8, 4, -8) // margins like ECharts' grid
	p.Draw(dc)
	return c.Image(), nil
}

// newPlot returns a plot styled like an ECharts chart: sans-serif text,
// bold title, white background.
func newPlot() *plot.Plot {
	p := plot.New()
	p.BackgroundColor = color.White
	sans := font.Font{Typeface: "Liberation", Variant: "Sans"}
	set := func(f *font.Font, size vg.Length) {
		*f = sans
		f.Size = size
	}
	set(&p.Title.TextStyle.Font, 15)
	p.Title.TextStyle.Font.Weight = xfont.WeightBold
	set(&p.X.Label.TextStyle.Font, 12)
	set(&p.Y.Label.TextStyle.Font, 12)
	set(&p.X.Tick.Label.Font, 11)
	set(&p.Y.Tick.Label.Font, 11)
	set(&p.Legend.TextStyle.Font, 12)
	return p
}

func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("chart: encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// stackPNGs joins PNGs vertically (the charts of a page); one PNG is
// returned as is.
func stackPNGs(pngs [][]byte) ([]byte, error) {
	if len(pngs) == 1 {
		return pngs[0], nil
	}
	imgs := make([]image.Image, len(pngs))
	w, h := 0, 0
	for i, b := range pngs {
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("chart: %w", err)
		}
		imgs[i] = img
		w = max(w, img.Bounds().Dx())
		h += img.Bounds().Dy()
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	y := 0
	for _, img := range imgs {
		r := image.Rect(0, y, img.Bounds().Dx(), y+img.Bounds().Dy())
		draw.Draw(out, r, img, img.Bounds().Min, draw.Src)
		y += img.Bounds().Dy()
	}
	return encodePNG(out)
}

// optionTitle returns option.title.text.
func optionTitle(opt map[string]any) string {
	t, _ := opt["title"].(map[string]any)
	s, _ := t["text"].(string)
	return s
}

// axisInfo is the part of an ECharts axis the rasteriser uses.
type axisInfo struct {
	name       string
	categories []string
	inverse    bool
	min, max   *float64
}

func firstAxis(opt map[string]any, key string) axisInfo {
	var a map[string]any
	switch v := opt[key].(type) {
	case []any:
		if len(v) > 0 {
			a, _ = v[0].(map[string]any)
		}
	case map[string]any:
		a = v
	}
	var ai axisInfo
	ai.name, _ = a["name"].(string)
	ai.inverse, _ = a["inverse"].(bool)
	if data, ok := a["data"].([]any); ok {
		for _, d := range data {
			if m, ok := d.(map[string]any); ok {
				d = m["value"]
			}
			ai.categories = append(ai.categories, fmt.Sprint(d))
		}
	}
	if v, ok := toFloat(a["min"]); ok {
		ai.min = &v
	}
	if v, ok := toFloat(a["max"]); ok {
		ai.max = &v
	}
	return ai
}

// toFloat reads a JSON number (or numeric string).
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	return 0, false
}

// itemValue unwraps ECharts data items: {"value": v} or v.
func itemValue(d any) any {
	if m, ok := d.(map[string]any); ok {
		return m["value"]
	}
	return d
}

// coord reads one coordinate: a number or a category name.
func coord(v any, categories []string) (float64, bool) {
	if f, ok := toFloat(v); ok {
		if s, isStr := v.(string); isStr {
			// A numeric-looking category name still means its index.
			for i, c := range categories {
				if c == s {
					return float64(i), true
				}
			}
		}
		return f, true
	}
	if s, ok := v.(string); ok {
		for i, c := range categories {
			if c == s {
				return float64(i), true
			}
		}
	}
	return 0, false
}

// seriesColor is the series' own colour or the palette's next one.
func seriesColor(s map[string]any, i int, palette []string) color.Color {
	if is, ok := s["itemStyle"].(map[string]any); ok {
		if c, ok := is["color"].(string); ok {
			if col, ok := parseColor(c); ok {
				return col
			}
		}
	}
	col, _ := parseColor(palette[i%len(palette)])
	return col
}

// parseColor reads "#rgb", "#rrggbb" and "rgb(r,g,b)".
func parseColor(s string) (color.RGBA, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	if strings.HasPrefix(s, "#") {
		h := s[1:]
		if len(h) == 3 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		}
		if len(h) != 6 {
			return color.RGBA{}, false
		}
		v, err := strconv.ParseUint(h, 16, 32)
		if err != nil {
			return color.RGBA{}, false
		}
		return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, true
	}
	if strings.HasPrefix(s, "rgb(") && strings.HasSuffix(s, ")") {
		parts := strings.Split(s[4:len(s)-1], ",")
		if len(parts) != 3 {
			return color.RGBA{}, false
		}
		var c [3]uint8
		for i, p := range parts {
			v, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil || v < 0 || v > 255 {
				return color.RGBA{}, false
			}
			c[i] = uint8(v)
		}
		return color.RGBA{c[0], c[1], c[2], 255}, true
	}
	return color.RGBA{}, false
}

// drawOption adds the option's series to p. It returns false when the
// option holds something the rasteriser does not draw.
func drawOption(p *plot.Plot, opt map[string]any) bool {
	series, _ := opt["series"].([]any)
	if len(series) == 0 {
		return false
	}
	palette := defaultPalette
	if cs, ok := opt["color"].([]any); ok && len(cs) > 0 {
		palette = palette[:0:0]
		for _, c := range cs {
			if s, ok := c.(string); ok {
				palette = append(palette, s)
			}
		}
		if len(palette) == 0 {
			palette = defaultPalette
		}
	}
	if !hasHeatmap(series) {
		p.Add(plotter.NewGrid()) // first, so the data is drawn over it
	}
	xa, ya := firstAxis(opt, "xAxis"), firstAxis(opt, "yAxis")
	p.X.Label.Text, p.Y.Label.Text = xa.name, ya.name
	horizontal := len(ya.categories) > 0 && len(xa.categories) == 0
	var bars []map[string]any
	var barColors []color.Color
	named := 0
	for i, s := range series {
		sm, ok := s.(map[string]any)
		if !ok {
			return false
		}
		typ, _ := sm["type"].(string)
		data, _ := sm["data"].([]any)
		col := seriesColor(sm, i, palette)
		name, _ := sm["name"].(string)
		var thumb plot.Thumbnailer
		switch typ {
		case "line":
			xs, ys := points(data, xa.categories, ya.categories)
			if len(xs) == 0 {
				continue
			}
			xy := make(plotter.XYs, len(xs))
			for j := range xs {
				xy[j].X, xy[j].Y = xs[j], ys[j]
			}
			l, err := plotter.NewLine(xy)
			if err != nil {
				return false
			}
			l.Color = col
			l.Width = vg.Points(2)
			p.Add(l)
			thumb = l
		case "scatter":
			xs, ys := points(data, xa.categories, ya.categories)
			if len(xs) == 0 {
				continue
			}
			xy := make(plotter.XYs, len(xs))
			for j := range xs {
				xy[j].X, xy[j].Y = xs[j], ys[j]
			}
			sc, err := plotter.NewScatter(xy)
			if err != nil {
				return false
			}
			sc.GlyphStyle = vgdraw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: vgdraw.CircleGlyph{}}
			p.Add(sc)
			thumb = sc
		case "bar":
			bars = append(bars, sm)
			barColors = append(barColors, col)
			thumb = swatch{col}
		case "heatmap":
			if !drawHeatMap(p, opt, data, xa, ya) {
				return false
			}
		default:
			return false
		}
		if thumb != nil && name != "" {
			p.Legend.Add(name, thumb)
			named++
		}
	}
	if len(bars) > 0 {
		cats := xa.categories
		if horizontal {
			cats = ya.categories
		}
		r := &rects{}
		n := float64(len(bars))
		width := 0.8 / n
		if stacked(bars) {
			width, n = 0.8, 1
		}
		for i, sm := range bars {
			data, _ := sm["data"].([]any)
			for j, d := range data {
				v, ok := toFloat(itemValue(d))
				if !ok {
					continue
				}
				pos := float64(j)
				if horizontal && ya.inverse {
					pos = float64(len(data) - 1 - j)
				}
				c0 := pos - 0.4 + width*float64(i%int(n))
				if horizontal {
					r.add(0, c0, v, c0+width, barColors[i])
				} else {
					r.add(c0, 0, c0+width, v, barColors[i])
				}
			}
		}
		p.Add(r)
		if horizontal {
			p.Y.Tick.Marker = categoryTicks(cats, ya.inverse)
		} else {
			p.X.Tick.Marker = categoryTicks(cats, false)
		}
	} else {
		if len(xa.categories) > 0 && !hasHeatmap(series) {
			p.X.Tick.Marker = categoryTicks(xa.categories, false)
		}
	}
	if xa.min != nil {
		p.X.Min = *xa.min
	}
	if xa.max != nil {
		p.X.Max = *xa.max
	}
	if ya.min != nil {
		p.Y.Min = *ya.min
	}
	if ya.max != nil {
		p.Y.Max = *ya.max
	}
	legendShown := true
	if lg, ok := opt["legend"].(map[string]any); ok {
		if show, ok := lg["show"].(bool); ok {
			legendShown = show
		}
	}
	if named > 1 && legendShown {
		p.Legend.Top = true
		p.Legend.Left = false
	} else {
		p.Legend = plot.NewLegend()
	}
	return true
}

func hasHeatmap(series []any) bool {
	for _, s := range series {
		if sm, ok := s.(map[string]any); ok && sm["type"] == "heatmap" {
			return true
		}
	}
	return false
}

// stacked reports whether bar series share a stack (drawn on top of each
// other is approximated by overlapping full-width bars).
func stacked(bars []map[string]any) bool {
	for _, b := range bars {
		if s, _ := b["stack"].(string); s == "" {
			return false
		}
	}
	return len(bars) > 1
}

// points reads (x, y) pairs from line or scatter data: [x, y] items, or
// plain values placed at their category index.
func points(data []any, xcats, ycats []string) (xs, ys []float64) {
	for j, d := range data {
		v := itemValue(d)
		if arr, ok := v.([]any); ok {
			if len(arr) < 2 {
				continue
			}
			x, okx := coord(arr[0], xcats)
			y, oky := coord(arr[1], ycats)
			if okx && oky {
				xs, ys = append(xs, x), append(ys, y)
			}
			continue
		}
		if y, ok := toFloat(v); ok {
			xs, ys = append(xs, float64(j)), append(ys, y)
		}
	}
	return xs, ys
}

// categoryTicks labels the integer positions with category names, thinning
// them so they do not overlap.
func categoryTicks(names []string, inverse bool) plot.Ticker {
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		step := 1
		if len(names) > 20 {
			step = (len(names) + 19) / 20
		}
		var ts []plot.Tick
		for i := 0; i < len(names); i++ {
			label := ""
			if i%step == 0 {
				label = names[i]
			}
			pos := float64(i)
			if inverse {
				pos = float64(len(names) - 1 - i)
			}
			if pos < min-0.5 || pos > max+0.5 {
				continue
			}
			ts = append(ts, plot.Tick{Value: pos, Label: label})
		}
		return ts
	})
}

// drawHeatMap draws [x, y, value] cells coloured like the option's first
// visualMap.
func drawHeatMap(p *plot.Plot, opt map[string]any, data []any, xa, ya axisInfo) bool {
	type cell struct{ x, y, v float64 }
	var cells []cell
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, d := range data {
		arr, ok := itemValue(d).([]any)
		if !ok || len(arr) < 3 {
			continue
		}
		x, okx := coord(arr[0], xa.categories)
		y, oky := coord(arr[1], ya.categories)
		v, okv := toFloat(arr[2])
		if !okx || !oky || !okv {
			continue
		}
		if ya.inverse && len(ya.categories) > 0 {
			y = float64(len(ya.categories)-1) - y
		}
		cells = append(cells, cell{x, y, v})
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if len(cells) == 0 {
		return false
	}
	stops := []color.RGBA{{0xf7, 0xfb, 0xff, 255}, {0x08, 0x30, 0x6b, 255}}
	if vms, ok := opt["visualMap"].([]any); ok && len(vms) > 0 {
		if vm, ok := vms[0].(map[string]any); ok {
			// ECharts' defaults for a continuous visualMap.
			lo, hi = 0, 200
			if v, ok := toFloat(vm["min"]); ok {
				lo = v
			}
			if v, ok := toFloat(vm["max"]); ok {
				hi = v
			}
			if ir, ok := vm["inRange"].(map[string]any); ok {
				if cs, ok := ir["color"].([]any); ok {
					var parsed []color.RGBA
					for _, c := range cs {
						if s, ok := c.(string); ok {
							if col, ok := parseColor(s); ok {
								parsed = append(parsed, col)
							}
						}
					}
					if len(parsed) >= 2 {
						stops = parsed
					}
				}
			}
		}
	}
	r := &rects{}
	for _, c := range cells {
		t := 0.5
		if hi > lo {
			t = (c.v - lo) / (hi - lo)
		}
		r.add(c.x-0.5, c.y-0.5, c.x+0.5, c.y+0.5, ramp(stops, t))
	}
	p.Add(r)
	if len(xa.categories) > 0 {
		p.X.Tick.Marker = categoryTicks(xa.categories, false)
	}
	if len(ya.categories) > 0 {
		p.Y.Tick.Marker = categoryTicks(ya.categories, ya.inverse)
	}
	return true
}

// ramp interpolates linearly between colour stops; t in [0, 1].
func ramp(stops []color.RGBA, t float64) color.RGBA {
	if math.IsNaN(t) {
		t = 0
	}
	t = math.Max(0, math.Min(1, t))
	f := t * float64(len(stops)-1)
	i := int(f)
	if i >= len(stops)-1 {
		return stops[len(stops)-1]
	}
	u := f - float64(i)
	a, b := stops[i], stops[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-u) + float64(y)*u)) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
}

// rects is a plotter of filled rectangles in data coordinates (bars and
// heat-map cells).
type rects struct {
	r []rect
}

type rect struct {
	x0, y0, x1, y1 float64
	c              color.Color
}

func (r *rects) add(x0, y0, x1, y1 float64, c color.Color) {
	r.r = append(r.r, rect{math.Min(x0, x1), math.Min(y0, y1), math.Max(x0, x1), math.Max(y0, y1), c})
}

// Plot implements plot.Plotter.
func (r *rects) Plot(c vgdraw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, q := range r.r {
		x0, x1 := trX(q.x0), trX(q.x1)
		y0, y1 := trY(q.y0), trY(q.y1)
		pts := c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		c.FillPolygon(q.c, pts)
	}
}

// DataRange implements plot.DataRanger.
func (r *rects) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, q := range r.r {
		xmin, xmax = math.Min(xmin, q.x0), math.Max(xmax, q.x1)
		ymin, ymax = math.Min(ymin, q.y0), math.Max(ymax, q.y1)
	}
	return
}

// swatch is a legend thumbnail filled with one colour.
type swatch struct{ c color.Color }

// Thumbnail implements plot.Thumbnailer.
func (s swatch) Thumbnail(c *vgdraw.Canvas) {
	c.FillPolygon(s.c, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}
