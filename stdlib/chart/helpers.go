package chart

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"gonum.org/v1/gonum/mat"
)

// Series is one named line of a Line chart.
type Series struct {
	// Name is shown in the legend.
	Name string
	// X holds the x coordinates; nil means 0, 1, 2, ... (epochs,
	// iterations). When set it must have the length of Y.
	X []float64
	// Y holds the values.
	Y []float64
}

// frame is what a helper chart's layout depends on.
type frame struct {
	xCats, yCats []string // category labels along x / y, if any
	thinX        bool     // thin x labels rather than rotate them (numbers)
	yLo, yHi     float64  // value range of a value y axis
	names        []string // legend entries
	heat         bool     // a colour scale sits right of the plot
	xLo, xHi     float64  // value range of a value x axis (horizontal bars)
}

// resolveLegend turns LegendAuto into a placement for these entries.
func (o Options) resolveLegend(names []string, width int) Legend {
	if o.Legend == LegendNone || len(names) == 0 {
		return LegendNone
	}
	if o.Legend != LegendAuto {
		return o.Legend
	}
	if len(names) < 2 {
		return LegendNone
	}
	if legendWidth(names) <= float64(width)/4 {
		return LegendRight
	}
	return LegendBottom
}

// legendWidth is the width in px of a vertical legend: icon (25), gap
// (5), name, and room for the page buttons ECharts adds to a scrolling
// legend whose entries do not fit the height (measured: 10 one-digit
// entries take 77 px in Chromium).
func legendWidth(names []string) float64 {
	return 25 + 5 + widest(names, labelPx) + 40
}

// valueLabelWidth estimates the width of the tick labels of a value axis
// over [lo, hi].
func valueLabelWidth(lo, hi float64) float64 {
	if lo > 0 {
		lo = 0 // bars start at zero; a scaled axis only narrows the labels
	}
	ts := niceTicks(lo, hi, 5)
	return widest(formatTicks(ts), labelPx)
}

// globalOptions lays the chart out: title, legend outside the plot area,
// named axes with room for their labels, category labels that do not
// overlap.
func (o Options) globalOptions(f frame) (global []charts.GlobalOpts, x opts.XAxis, y opts.YAxis) {
	w, h := o.size()
	legend := o.resolveLegend(f.names, w)
	top := 14.0
	if o.Title != "" {
		top = 44
	}
	if legend == LegendTop {
		top += 28
	}
	right := 28.0
	switch {
	case f.heat:
		right = 110
	case legend == LegendRight:
		right = legendWidth(f.names) + 16
	}
	yLabelW := valueLabelWidth(f.yLo, f.yHi)
	if f.yCats != nil {
		yLabelW = widest(f.yCats, labelPx)
	}
	left := 14.0
	if o.Y.Label() != "" {
		left += namePx + 8
	}
	plotW := float64(w) - left - right - yLabelW - 8
	xl := categoryLayout{every: 1, height: labelPx + 4}
	if f.xCats != nil {
		xl = layoutCategories(f.xCats, plotW, f.thinX)
	}
	bottom := 16.0
	if o.X.Label() != "" {
		bottom += namePx + 10
	}
	if legend == LegendBottom {
		bottom += 30
	}
	px := func(v float64) string { return strconv.Itoa(int(math.Round(v))) }

	xAxis := opts.XAxis{Name: o.X.Label(), NameLocation: "middle", NameGap: int(8 + xl.height + 6)}
	if f.xCats != nil {
		al := &opts.AxisLabel{Rotate: xl.rotate, HideOverlap: opts.Bool(true)}
		if xl.every == 1 && !f.thinX {
			al.Interval = "0" // every label: they fit
		}
		xAxis.AxisLabel = al
	}
	// Axes along the plot area's edges, not through zero: data never
	// hides under them and their labels stay in the margins.
	xAxis.AxisLine = &opts.AxisLine{Show: opts.Bool(true), OnZero: opts.Bool(false)}
	yAxis := opts.YAxis{Name: o.Y.Label(), NameLocation: "middle", NameGap: int(8 + yLabelW + 8),
		AxisLine: &opts.AxisLine{Show: opts.Bool(true), OnZero: opts.Bool(false)}}
	if f.yCats != nil {
		yAxis.AxisLabel = &opts.AxisLabel{HideOverlap: opts.Bool(true)}
	}
	lg := opts.Legend{Show: opts.Bool(legend != LegendNone), Type: "scroll"}
	switch legend {
	case LegendRight:
		lg.Orient, lg.Right, lg.Top = "vertical", "8", px(top)
	case LegendBottom:
		lg.Orient, lg.Left, lg.Bottom = "horizontal", "center", "6"
	case LegendTop:
		lg.Orient, lg.Left, lg.Top = "horizontal", "center", px(top-28)
	}
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{Width: strconv.Itoa(w) + "px", Height: strconv.Itoa(h) + "px"}),
		charts.WithTitleOpts(opts.Title{Title: o.Title, Left: "center", Top: "6"}),
		charts.WithLegendOpts(lg),
		charts.WithGridOpts(opts.Grid{ContainLabel: opts.Bool(true), Left: px(left), Right: px(right), Top: px(top), Bottom: px(bottom)}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithColorsOpts(opts.Colors(paletteFor(len(f.names)))),
	}, xAxis, yAxis
}

// withAxes appends the axes to the global options.
func withAxes(global []charts.GlobalOpts, x opts.XAxis, y opts.YAxis) []charts.GlobalOpts {
	return append(global, charts.WithXAxisOpts(x), charts.WithYAxisOpts(y))
}

// checkFinite returns an error naming what and index i for NaN or Inf.
func checkFinite(what string, xs []float64) error {
	for i, v := range xs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("chart: %s[%d] is %v", what, i, v)
		}
	}
	return nil
}

func span(xs []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range xs {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi
}

// Line returns a line chart with one line per series, on value axes (so
// series of different lengths line up by their X). Training curves are its
// typical use; name the axes with o.X and o.Y ("epoch", "loss").
func (o Options) Line(series ...Series) (*charts.Line, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if len(series) == 0 {
		return nil, errors.New("chart: Line needs at least one series")
	}
	names := make([]string, len(series))
	yLo, yHi := math.Inf(1), math.Inf(-1)
	for k, s := range series {
		name := s.Name
		if name == "" {
			name = "series " + strconv.Itoa(k+1)
		}
		names[k] = name
		if len(s.Y) == 0 {
			return nil, fmt.Errorf("chart: series %q has no values", name)
		}
		if s.X != nil && len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("chart: series %q has %d x values and %d y values", name, len(s.X), len(s.Y))
		}
		if err := checkFinite(name+" Y", s.Y); err != nil {
			return nil, err
		}
		if err := checkFinite(name+" X", s.X); err != nil {
			return nil, err
		}
		lo, hi := span(s.Y)
		yLo, yHi = math.Min(yLo, lo), math.Max(yHi, hi)
	}
	c := charts.NewLine()
	global, xa, ya := o.globalOptions(frame{yLo: yLo, yHi: yHi, names: names})
	xa.Type, xa.Scale = "value", opts.Bool(true)
	ya.Type, ya.Scale = "value", opts.Bool(true)
	c.SetGlobalOptions(withAxes(global, xa, ya)...)
	c.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}))
	for k, s := range series {
		data := make([]opts.LineData, len(s.Y))
		for i, y := range s.Y {
			x := float64(i)
			if s.X != nil {
				x = s.X[i]
			}
			data[i] = opts.LineData{Value: []float64{x, y}}
		}
		c.AddSeries(names[k], data, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(len(s.Y) <= 50)}))
	}
	return c, nil
}

// Line returns a line chart titled title.
//
// Deprecated: use Options{Title: title, X: …, Y: …}.Line(series...), which
// names the axes.
func Line(title string, series ...Series) (*charts.Line, error) {
	return Options{Title: title}.Line(series...)
}

// Bar returns a bar chart with one bar per label; o.Horizontal runs the
// bars from left to right, first label at the top.
func (o Options) Bar(labels []string, values []float64) (*charts.Bar, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if len(labels) == 0 {
		return nil, errors.New("chart: Bar needs at least one bar")
	}
	if len(labels) != len(values) {
		return nil, fmt.Errorf("chart: Bar has %d labels and %d values", len(labels), len(values))
	}
	if err := checkFinite("values", values); err != nil {
		return nil, err
	}
	lo, hi := span(values)
	f := frame{xCats: labels, yLo: lo, yHi: hi}
	if o.Horizontal {
		f = frame{yCats: labels, xLo: lo, xHi: hi}
	}
	c := charts.NewBar()
	global, xa, ya := o.globalOptions(f)
	if o.Horizontal {
		xa.Type = "value"
		ya.Type, ya.Inverse = "category", opts.Bool(true)
	}
	c.SetGlobalOptions(withAxes(global, xa, ya)...)
	data := make([]opts.BarData, len(values))
	for i, v := range values {
		data[i] = opts.BarData{Value: v}
	}
	name := o.Y.Label()
	if o.Horizontal {
		name = o.X.Label()
	}
	if name == "" {
		name = "value"
	}
	c.SetXAxis(labels).AddSeries(name, data)
	if o.Horizontal {
		c.XYReversal()
	}
	return c, nil
}

// Bar returns a bar chart titled title.
//
// Deprecated: use Options{Title: title, Horizontal: horizontal, X: …,
// Y: …}.Bar(labels, values), which names the axes.
func Bar(title string, labels []string, values []float64, horizontal bool) (*charts.Bar, error) {
	return Options{Title: title, Horizontal: horizontal}.Bar(labels, values)
}

// Scatter returns a scatter plot of the points (x[i], y[i]) with one colour
// (and legend entry) per distinct class, in order of first appearance;
// classes may be nil for a single colour. o.PointLabels writes a text next
// to each point. Latent spaces and 2-D embeddings coloured by class are
// its typical use.
func (o Options) Scatter(x, y []float64, classes []string) (*charts.Scatter, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if len(x) == 0 {
		return nil, errors.New("chart: Scatter needs at least one point")
	}
	if len(x) != len(y) {
		return nil, fmt.Errorf("chart: Scatter has %d x values and %d y values", len(x), len(y))
	}
	if classes != nil && len(classes) != len(x) {
		return nil, fmt.Errorf("chart: Scatter has %d points and %d labels", len(x), len(classes))
	}
	if o.PointLabels != nil && len(o.PointLabels) != len(x) {
		return nil, fmt.Errorf("chart: Scatter has %d points and %d PointLabels", len(x), len(o.PointLabels))
	}
	if err := checkFinite("x", x); err != nil {
		return nil, err
	}
	if err := checkFinite("y", y); err != nil {
		return nil, err
	}
	var order []string
	groups := map[string][]opts.ScatterData{}
	size := 6
	if len(x) > 2000 {
		size = 4 // many points: smaller dots overlap less
	}
	for i := range x {
		l := ""
		if classes != nil {
			l = classes[i]
		}
		if _, ok := groups[l]; !ok {
			order = append(order, l)
		}
		d := opts.ScatterData{Value: []float64{x[i], y[i]}, SymbolSize: size}
		if o.PointLabels != nil {
			d.Name = o.PointLabels[i]
		}
		groups[l] = append(groups[l], d)
	}
	names := order
	if len(order) == 1 && order[0] == "" {
		names = nil
	}
	yLo, yHi := span(y)
	c := charts.NewScatter()
	global, xa, ya := o.globalOptions(frame{yLo: yLo, yHi: yHi, names: names})
	xa.Type, xa.Scale = "value", opts.Bool(true)
	ya.Type, ya.Scale = "value", opts.Bool(true)
	c.SetGlobalOptions(withAxes(global, xa, ya)...)
	for _, l := range order {
		var so []charts.SeriesOpts
		if o.PointLabels != nil {
			so = append(so,
				charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "{b}", FontSize: labelPx - 1, Color: "#333"}),
				charts.WithLabelLayoutOpts(opts.LabelLayout{HideOverlap: opts.Bool(true)}),
			)
		}
		c.AddSeries(l, groups[l], so...)
	}
	return c, nil
}

// Scatter returns a scatter plot titled title.
//
// Deprecated: use Options{Title: title, X: …, Y: …}.Scatter(x, y,
// labels), which names the axes and can label points.
func Scatter(title string, x, y []float64, labels []string) (*charts.Scatter, error) {
	return Options{Title: title}.Scatter(x, y, labels)
}

// HeatMap returns a heat map of m, row 0 at the top, with the given row
// and column names (nil means 0, 1, 2, ...) and a colour scale right of
// it. Matrices with negative values get a diverging scale (blue negative,
// white zero, red positive) symmetric around zero; non-negative ones a
// white-to-dark-blue scale, darker meaning more. o.X names the columns,
// o.Y the rows. Document-topic weights and similarity matrices are its
// typical use.
func (o Options) HeatMap(m mat.Matrix, rowNames, colNames []string) (*charts.HeatMap, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("chart: HeatMap of a nil matrix")
	}
	r, cols := m.Dims()
	if r == 0 || cols == 0 {
		return nil, errors.New("chart: HeatMap of an empty matrix")
	}
	if rowNames == nil {
		rowNames = indexNames(r)
	}
	if colNames == nil {
		colNames = indexNames(cols)
	}
	if len(rowNames) != r || len(colNames) != cols {
		return nil, fmt.Errorf("chart: HeatMap of a %d×%d matrix with %d row names and %d column names", r, cols, len(rowNames), len(colNames))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	data := make([]opts.HeatMapData, 0, r*cols)
	for i := 0; i < r; i++ {
		for j := 0; j < cols; j++ {
			v := m.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("chart: HeatMap value at row %d, column %d is %v", i, j, v)
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
			data = append(data, opts.HeatMapData{Value: []any{j, i, v}})
		}
	}
	colors := []string{"#f7fbff", "#6baed6", "#08306b"}
	vmin, vmax := 0.0, hi
	if lo < 0 {
		a := math.Max(-lo, hi)
		vmin, vmax = -a, a
		colors = []string{"#2166ac", "#f7f7f7", "#b2182b"}
	}
	if vmax == vmin {
		vmax = vmin + 1
	}
	ends := formatTicks([]float64{vmin, vmax})
	c := charts.NewHeatMap()
	global, xa, ya := o.globalOptions(frame{xCats: colNames, yCats: rowNames, heat: true})
	xa.Type, xa.Data, xa.SplitArea = "category", colNames, &opts.SplitArea{Show: opts.Bool(true)}
	ya.Type, ya.Data, ya.Inverse, ya.SplitArea = "category", rowNames, opts.Bool(true), &opts.SplitArea{Show: opts.Bool(true)}
	c.SetGlobalOptions(withAxes(global, xa, ya)...)
	c.SetGlobalOptions(
		charts.WithVisualMapOpts(opts.VisualMap{
			Type:       "continuous",
			Calculable: opts.Bool(false),
			Min:        float32(vmin),
			Max:        float32(vmax),
			Text:       []string{ends[1], ends[0]},
			Orient:     "vertical",
			Right:      "16",
			Top:        "center",
			InRange:    &opts.VisualMapInRange{Color: colors},
		}),
	)
	name := o.Title
	if name == "" {
		name = "value"
	}
	c.AddSeries(name, data)
	return c, nil
}

// HeatMap returns a heat map titled title.
//
// Deprecated: use Options{Title: title, X: …, Y: …}.HeatMap(m, rowNames,
// colNames), which names the axes.
func HeatMap(title string, m mat.Matrix, rowNames, colNames []string) (*charts.HeatMap, error) {
	return Options{Title: title}.HeatMap(m, rowNames, colNames)
}

func indexNames(n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = strconv.Itoa(i)
	}
	return s
}

// Histogram returns a bar chart counting values in o.Bins equal-width bins
// between their minimum and maximum. Each bar is labelled with its bin's
// centre, formatted to the bin width; o.Y defaults to "count".
func (o Options) Histogram(values []float64) (*charts.Bar, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if len(values) == 0 {
		return nil, errors.New("chart: Histogram of no values")
	}
	bins := o.Bins
	if bins == 0 {
		bins = 20
	}
	if err := checkFinite("values", values); err != nil {
		return nil, err
	}
	lo, hi := span(values)
	width := (hi - lo) / float64(bins)
	if width == 0 {
		width = 1
	}
	counts := make([]int, bins)
	most := 0
	for _, v := range values {
		k := int((v - lo) / width)
		if k >= bins {
			k = bins - 1 // the maximum falls in the last bin
		}
		counts[k]++
		most = max(most, counts[k])
	}
	centres := make([]float64, bins)
	for k := range centres {
		centres[k] = lo + (float64(k)+0.5)*width
	}
	labels := formatTicks(centres)
	data := make([]opts.BarData, bins)
	for k := range counts {
		data[k] = opts.BarData{Value: counts[k]}
	}
	if o.Y == (Axis{}) {
		o.Y = Axis{Name: "count"}
	}
	c := charts.NewBar()
	global, xa, ya := o.globalOptions(frame{xCats: labels, thinX: true, yLo: 0, yHi: float64(most)})
	ya.MinInterval = 1 // counts are integers
	c.SetGlobalOptions(withAxes(global, xa, ya)...)
	c.SetXAxis(labels).AddSeries("count", data, charts.WithBarChartOpts(opts.BarChart{BarCategoryGap: "5%"}))
	return c, nil
}

// Histogram returns a histogram titled title with bins bins.
//
// Deprecated: use Options{Title: title, Bins: bins, X: …}.Histogram(values),
// which names the axes.
func Histogram(title string, values []float64, bins int) (*charts.Bar, error) {
	if bins < 0 {
		return nil, fmt.Errorf("chart: Histogram with %d bins", bins)
	}
	return Options{Title: title, Bins: bins}.Histogram(values)
}

// huePalette returns n colours with evenly spaced hues.
func huePalette(n int) opts.Colors {
	cs := make(opts.Colors, n)
	for i := range cs {
		h := float64(i) / float64(n) * 6
		// HSV with saturation 0.65 and value 0.85.
		v, s := 0.85, 0.65
		f := h - math.Floor(h)
		p, q, t := v*(1-s), v*(1-s*f), v*(1-s*(1-f))
		var r, g, b float64
		switch int(h) % 6 {
		case 0:
			r, g, b = v, t, p
		case 1:
			r, g, b = q, v, p
		case 2:
			r, g, b = p, v, t
		case 3:
			r, g, b = p, q, v
		case 4:
			r, g, b = t, p, v
		default:
			r, g, b = v, p, q
		}
		cs[i] = fmt.Sprintf("#%02x%02x%02x", int(math.Round(r*255)), int(math.Round(g*255)), int(math.Round(b*255)))
	}
	return cs
}
