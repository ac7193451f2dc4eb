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

// px converts CSS pixels to gonum/plot lengths at pngDPI.
func px(v float64) vg.Length { return vg.Length(v * 72 / pngDPI) }

// inkColor is the colour of text and axes.
var inkColor = color.RGBA{0x33, 0x33, 0x33, 255}

// textStyle is sans-serif text of size px CSS pixels.
func textStyle(size float64, bold bool) vgdraw.TextStyle {
	f := sansFont
	f.Size = px(size)
	if bold {
		f.Weight = xfont.WeightBold
	}
	return vgdraw.TextStyle{Color: inkColor, Font: f, Handler: plot.DefaultTextHandler}
}

// decor is what is drawn around the plot area: legend and colour bar.
type decor struct {
	legend  Legend
	entries []legendEntry
	bar     *colorBar
	xCats   []string
	yCats   []string
	yInv    bool // y categories run top to bottom
	grid    *plotter.Grid
	// xRotate and xAll are the option's x axisLabel rotate and whether it
	// asks for every label (interval 0); xRotate < 0 when it sets neither.
	xRotate float64
	xAll    bool
}

type legendEntry struct {
	name  string
	thumb plot.Thumbnailer
}

// colorBar is a heat map's colour scale.
type colorBar struct {
	lo, hi float64
	stops  []color.RGBA
}

// rasterize draws an ECharts option (decoded JSON) with gonum/plot into a
// w×h image: title, plot area with named axes, legend outside the plot
// area where the option puts it, and a colour bar beside heat maps.
// Unsupported options produce a placeholder naming the chart.
func rasterize(opt map[string]any, w, h int) (image.Image, error) {
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(w)*vg.Inch/pngDPI, vg.Length(h)*vg.Inch/pngDPI), vgimg.UseDPI(pngDPI), vgimg.UseBackgroundColor(color.White))
	dc := vgdraw.New(c)
	dc = vgdraw.Crop(dc, px(10), -px(10), px(6), -px(8)) // margins like ECharts' grid
	p := newPlot()
	d := &decor{}
	title := optionTitle(opt)
	if opt == nil || !drawOption(p, opt, d) {
		p = newPlot()
		p.HideAxes()
		t := title
		if t == "" {
			t = "chart"
		}
		p.Title.Text = t + " (interactive chart: open it where JavaScript runs)"
		p.Draw(dc)
		return c.Image(), nil
	}
	if title != "" {
		st := textStyle(titlePx, true)
		st.XAlign, st.YAlign = vgdraw.XCenter, vgdraw.YTop
		dc.FillText(st, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: dc.Max.Y}, title)
		dc.Max.Y -= px(titlePx + 14)
	}
	area := dc
	switch d.legend {
	case LegendRight:
		area.Max.X -= px(legendWidth(entryNames(d.entries)) + 8)
	case LegendBottom:
		area.Min.Y += px(30)
	case LegendTop:
		area.Max.Y -= px(28)
	}
	if d.bar != nil {
		area.Max.X -= px(90)
	}
	layoutTicks(p, d, area)
	p.Draw(area)
	data := p.DataCanvas(area)
	switch d.legend {
	case LegendRight:
		drawLegend(dc, d.entries, vg.Point{X: area.Max.X + px(12), Y: data.Max.Y}, true, 0)
	case LegendBottom:
		drawLegend(dc, d.entries, vg.Point{X: dc.Min.X, Y: dc.Min.Y + px(labelPx+4)}, false, dc.Max.X-dc.Min.X)
	case LegendTop:
		drawLegend(dc, d.entries, vg.Point{X: dc.Min.X, Y: area.Max.Y + px(labelPx+12)}, false, dc.Max.X-dc.Min.X)
	}
	if d.bar != nil {
		d.bar.draw(dc, area.Max.X+px(24), data.Min.Y, data.Max.Y)
	}
	return c.Image(), nil
}

func entryNames(es []legendEntry) []string {
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = e.name
	}
	return names
}

// drawLegend draws the entries from top-left point at, one per line when
// vertical, else in rows centred in width.
func drawLegend(c vgdraw.Canvas, es []legendEntry, at vg.Point, vertical bool, width vg.Length) {
	st := textStyle(labelPx, false)
	st.YAlign = vgdraw.YCenter
	icon, gap, lineH := px(25), px(5), px(labelPx+8)
	entryW := func(e legendEntry) vg.Length { return icon + gap + st.Width(e.name) + px(14) }
	draw1 := func(e legendEntry, x, y vg.Length) {
		tc := c
		tc.Rectangle = vg.Rectangle{Min: vg.Point{X: x, Y: y - px(6)}, Max: vg.Point{X: x + icon, Y: y + px(6)}}
		e.thumb.Thumbnail(&tc)
		c.FillText(st, vg.Point{X: x + icon + gap, Y: y}, e.name)
	}
	if vertical {
		y := at.Y - lineH/2
		for _, e := range es {
			if y < c.Min.Y {
				break
			}
			draw1(e, at.X, y)
			y -= lineH
		}
		return
	}
	// Rows of entries, each row centred.
	var rows [][]legendEntry
	var cur []legendEntry
	var curW vg.Length
	for _, e := range es {
		if len(cur) > 0 && curW+entryW(e) > width {
			rows = append(rows, cur)
			cur, curW = nil, 0
		}
		cur = append(cur, e)
		curW += entryW(e)
	}
	rows = append(rows, cur)
	y := at.Y
	for _, r := range rows[:min(len(rows), 2)] {
		var rw vg.Length
		for _, e := range r {
			rw += entryW(e)
		}
		x := at.X + (width-rw)/2
		for _, e := range r {
			draw1(e, x, y)
			x += entryW(e)
		}
		y -= lineH
	}
}

// draw paints the colour bar between y0 and y1 at x, with tick labels on
// its right.
func (b *colorBar) draw(c vgdraw.Canvas, x, y0, y1 vg.Length) {
	barW := px(14)
	const steps = 128
	for i := 0; i < steps; i++ {
		ya := y0 + (y1-y0)*vg.Length(i)/steps
		yb := y0 + (y1-y0)*vg.Length(i+1)/steps
		yb += (y1 - y0) / steps / 2 // overlap the next step: no seams
		c.FillPolygon(ramp(b.stops, (float64(i)+0.5)/steps), []vg.Point{{X: x, Y: ya}, {X: x + barW, Y: ya}, {X: x + barW, Y: yb}, {X: x, Y: yb}})
	}
	ls := vgdraw.LineStyle{Color: inkColor, Width: px(1)}
	c.StrokeLines(ls, []vg.Point{{X: x, Y: y0}, {X: x + barW, Y: y0}, {X: x + barW, Y: y1}, {X: x, Y: y1}, {X: x, Y: y0}})
	st := textStyle(labelPx, false)
	st.YAlign = vgdraw.YCenter
	ts := niceTicks(b.lo, b.hi, 5)
	labels := formatTicks(ts)
	for i, t := range ts {
		if b.hi <= b.lo {
			break
		}
		y := y0 + (y1-y0)*vg.Length((t-b.lo)/(b.hi-b.lo))
		c.StrokeLine2(ls, x+barW, y, x+barW+px(4), y)
		c.FillText(st, vg.Point{X: x + barW + px(7), Y: y}, labels[i])
	}
}

// valueTicks labels a value axis with round numbers formatted for their
// range (integers as integers, scientific notation for tiny or huge
// values).
type valueTicks struct{ target int }

// Ticks implements plot.Ticker.
func (v valueTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := niceTicks(lo, hi, v.target)
	labels := formatTicks(ts)
	out := make([]plot.Tick, len(ts))
	for i, t := range ts {
		out[i] = plot.Tick{Value: t, Label: labels[i]}
	}
	return out
}

// niceRange widens [lo, hi] to the round ticks around it, as ECharts'
// value axes do.
func niceRange(lo, hi float64, target int) (float64, float64) {
	if !(hi > lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return lo, hi
	}
	// The step, not the ticks inside [lo, hi]: a range with one round
	// number inside (−4.5 to 1.6 at step 5 holds only 0) still widens to
	// the ticks around it (−5 to 5).
	mult, exp := niceStep(lo, hi, target)
	step := mult * math.Pow(10, exp)
	return math.Floor(lo/step+1e-9) * step, math.Ceil(hi/step-1e-9) * step
}

// layoutTicks sets the tick markers: category labels flat, rotated or
// thinned so they do not overlap; value axes with round, readable numbers.
func layoutTicks(p *plot.Plot, d *decor, area vgdraw.Canvas) {
	wPx := float64(area.Max.X-area.Min.X) * pngDPI / 72
	hPx := float64(area.Max.Y-area.Min.Y) * pngDPI / 72
	p.X.Tick.Marker = valueTicks{target: max(3, int(wPx/110))}
	p.Y.Tick.Marker = valueTicks{target: max(3, int(hPx/70))}
	yLabelW := 40.0
	if d.yCats != nil {
		yLabelW = widest(d.yCats, labelPx)
		every := max(1, int(math.Ceil(float64(len(d.yCats))*(labelPx+2)/(hPx-60))))
		p.Y.Tick.Marker = categoryTicks(d.yCats, d.yInv, every)
	}
	if d.grid != nil && d.xCats != nil {
		d.grid.Vertical.Color = nil // category axes get no grid lines, as in ECharts
	}
	if d.grid != nil && d.yCats != nil {
		d.grid.Horizontal.Color = nil
	}
	if d.xCats == nil {
		p.X.Min, p.X.Max = niceRange(p.X.Min, p.X.Max, max(3, int(wPx/110)))
	}
	if d.yCats == nil {
		p.Y.Min, p.Y.Max = niceRange(p.Y.Min, p.Y.Max, max(3, int(hPx/70)))
	}
	if d.xCats != nil {
		axisPx := wPx - yLabelW - 40
		l := layoutCategories(d.xCats, axisPx, false)
		if d.xRotate >= 0 {
			// The option decided; thin only where it lets ECharts thin.
			l = layoutCategories(d.xCats, axisPx, d.xRotate == 0 && !d.xAll)
			l.rotate = d.xRotate
			if d.xAll {
				l.every = 1
			}
		}
		p.X.Tick.Marker = categoryTicks(d.xCats, false, l.every)
		if l.rotate != 0 {
			p.X.Tick.Label.Rotation = l.rotate * math.Pi / 180
			p.X.Tick.Label.XAlign = vgdraw.XRight
			p.X.Tick.Label.YAlign = vgdraw.YCenter
		}
	}
}

// newPlot returns a plot styled like an ECharts chart: sans-serif text,
// white background, sizes in the CSS pixels the option uses.
func newPlot() *plot.Plot {
	p := plot.New()
	p.BackgroundColor = color.White
	set := func(st *vgdraw.TextStyle, size float64, bold bool) {
		s := textStyle(size, bold)
		st.Font, st.Color = s.Font, s.Color
	}
	set(&p.Title.TextStyle, titlePx, true)
	set(&p.X.Label.TextStyle, namePx, false)
	set(&p.Y.Label.TextStyle, namePx, false)
	set(&p.X.Tick.Label, labelPx, false)
	set(&p.Y.Tick.Label, labelPx, false)
	set(&p.Legend.TextStyle, labelPx, false)
	p.X.Label.Padding, p.Y.Label.Padding = px(8), px(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Color = inkColor
		a.Tick.Color = inkColor
		a.Padding = 0
	}
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
	rotate     float64 // axisLabel.rotate; -1 when the option has no axisLabel
	all        bool    // axisLabel.interval is 0: every label
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
	ai.rotate = -1
	if al, ok := a["axisLabel"].(map[string]any); ok {
		ai.rotate, _ = toFloat(al["rotate"])
		ai.all = fmt.Sprint(al["interval"]) == "0"
	}
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
func drawOption(p *plot.Plot, opt map[string]any, d *decor) bool {
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
		d.grid = plotter.NewGrid()
		d.grid.Vertical.Color = color.Gray{0xe0}
		d.grid.Horizontal.Color = color.Gray{0xe0}
		p.Add(d.grid) // first, so the data is drawn over it
	}
	xa, ya := firstAxis(opt, "xAxis"), firstAxis(opt, "yAxis")
	d.xRotate, d.xAll = xa.rotate, xa.all
	p.X.Label.Text, p.Y.Label.Text = xa.name, ya.name
	horizontal := len(ya.categories) > 0 && len(xa.categories) == 0
	var bars []map[string]any
	var barColors []color.Color
	var texts []pointText
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
			radius := 3.0
			if n := toInt(sm["data"]); n > 2000 {
				radius = 2 // as the option's smaller symbols for many points
			}
			sc.GlyphStyle = vgdraw.GlyphStyle{Color: col, Radius: px(radius), Shape: vgdraw.CircleGlyph{}}
			p.Add(sc)
			thumb = sc
			if lb, ok := sm["label"].(map[string]any); ok && lb["show"] == true {
				texts = append(texts, pointTexts(data, xa.categories, ya.categories)...)
			}
		case "bar":
			bars = append(bars, sm)
			barColors = append(barColors, col)
			thumb = swatch{col}
		case "heatmap":
			if !drawHeatMap(p, opt, data, xa, ya, d) {
				return false
			}
		default:
			return false
		}
		if thumb != nil && name != "" {
			d.entries = append(d.entries, legendEntry{name, thumb})
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
			d.yCats, d.yInv = cats, ya.inverse
		} else {
			d.xCats = cats
		}
	} else if len(xa.categories) > 0 && !hasHeatmap(series) {
		d.xCats = xa.categories
	}
	if len(texts) > 0 {
		p.Add(&pointLabels{texts})
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
	d.legend = optionLegend(opt, len(d.entries))
	p.Legend = plot.NewLegend() // drawn outside the plot by rasterize
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

// categoryTicks labels the integer positions with category names, every
// n-th one, so they do not overlap.
func categoryTicks(names []string, inverse bool, every int) plot.Ticker {
	every = max(every, 1)
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		var ts []plot.Tick
		for i := 0; i < len(names); i++ {
			label := ""
			if i%every == 0 {
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

// optionLegend reads where the option puts its legend: right when it is
// vertical, top or bottom when horizontal, none when hidden or with fewer
// than two entries.
func optionLegend(opt map[string]any, entries int) Legend {
	lg, _ := opt["legend"].(map[string]any)
	if show, ok := lg["show"].(bool); (ok && !show) || entries < 2 {
		return LegendNone
	}
	if lg["orient"] == "vertical" {
		return LegendRight
	}
	if _, ok := lg["bottom"]; ok {
		return LegendBottom
	}
	return LegendTop
}

func toInt(v any) int {
	if a, ok := v.([]any); ok {
		return len(a)
	}
	return 0
}

// pointText is a text label at a data point.
type pointText struct {
	x, y float64
	text string
}

// pointTexts reads the names of [x, y] data items.
func pointTexts(data []any, xcats, ycats []string) []pointText {
	var out []pointText
	for _, d := range data {
		m, ok := d.(map[string]any)
		if !ok {
			continue
		}
		name, _ := m["name"].(string)
		if name == "" {
			continue
		}
		xs, ys := points([]any{m}, xcats, ycats)
		if len(xs) == 1 {
			out = append(out, pointText{xs[0], ys[0], name})
		}
	}
	return out
}

// pointLabels draws each text beside its point: right of it, or where that
// clashes with a text already drawn, left of it, above or below it; only a
// text that fits in none of the four places is left out (as ECharts'
// labelLayout.hideOverlap does with the one place it tries).
type pointLabels struct{ texts []pointText }

// Plot implements plot.Plotter.
func (l *pointLabels) Plot(c vgdraw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	st := textStyle(labelPx-1, false)
	st.YAlign = vgdraw.YCenter
	var placed []vg.Rectangle
	h, gap := px(labelPx), px(5)
	free := func(r vg.Rectangle) bool {
		if r.Min.X < c.Min.X || r.Max.X > c.Max.X || r.Min.Y < c.Min.Y || r.Max.Y > c.Max.Y {
			return false
		}
		for _, q := range placed {
			if r.Min.X < q.Max.X && q.Min.X < r.Max.X && r.Min.Y < q.Max.Y && q.Min.Y < r.Max.Y {
				return false
			}
		}
		return true
	}
	for _, t := range l.texts {
		px0, py0, w := trX(t.x), trY(t.y), st.Width(t.text)
		// Left edge and vertical centre of the text in each place, in order.
		places := [][2]vg.Length{
			{px0 + gap, py0},     // right
			{px0 - gap - w, py0}, // left
			{px0 - w/2, py0 + h}, // above (y grows upwards)
			{px0 - w/2, py0 - h}, // below
		}
		for _, at := range places {
			r := vg.Rectangle{Min: vg.Point{X: at[0], Y: at[1] - h/2}, Max: vg.Point{X: at[0] + w, Y: at[1] + h/2}}
			if free(r) {
				placed = append(placed, r)
				c.FillText(st, vg.Point{X: at[0], Y: at[1]}, t.text)
				break
			}
		}
	}
}

// drawHeatMap draws [x, y, value] cells coloured like the option's first
// visualMap.
func drawHeatMap(p *plot.Plot, opt map[string]any, data []any, xa, ya axisInfo, d *decor) bool {
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
	hasVM := false
	if vms, ok := opt["visualMap"].([]any); ok && len(vms) > 0 {
		if vm, ok := vms[0].(map[string]any); ok {
			hasVM = vm["show"] != false
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
		d.xCats = xa.categories
	}
	if len(ya.categories) > 0 {
		d.yCats, d.yInv = ya.categories, ya.inverse
	}
	if hasVM {
		d.bar = &colorBar{lo: lo, hi: hi, stops: stops}
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
