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

// Chart sizes the helpers use; the PNG fallback has the same size.
const (
	helperWidth  = "900px"
	helperHeight = "420px"
)

func baseOptions(title string, legend bool) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(legend), Left: "center", Top: "28"}),
		charts.WithInitializationOpts(opts.Initialization{Width: helperWidth, Height: helperHeight}),
		charts.WithTitleOpts(opts.Title{Title: title}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
	}
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

// Line returns a line chart with one line per series, on value axes (so
// series of different lengths line up by their X). Training curves are its
// typical use.
func Line(title string, series ...Series) (*charts.Line, error) {
	if len(series) == 0 {
		return nil, errors.New("chart: Line needs at least one series")
	}
	c := charts.NewLine()
	c.SetGlobalOptions(baseOptions(title, len(series) > 1)...)
	c.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Scale: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Scale: opts.Bool(true)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
	)
	for k, s := range series {
		name := s.Name
		if name == "" {
			name = "series " + strconv.Itoa(k+1)
		}
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
		data := make([]opts.LineData, len(s.Y))
		for i, y := range s.Y {
			x := float64(i)
			if s.X != nil {
				x = s.X[i]
			}
			data[i] = opts.LineData{Value: []float64{x, y}}
		}
		c.AddSeries(name, data, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(len(s.Y) <= 50)}))
	}
	return c, nil
}

// Bar returns a bar chart with one bar per label. Bars run horizontally,
// first label at the top, when horizontal is true (top words of a topic
// read best that way).
func Bar(title string, labels []string, values []float64, horizontal bool) (*charts.Bar, error) {
	if len(labels) == 0 {
		return nil, errors.New("chart: Bar needs at least one bar")
	}
	if len(labels) != len(values) {
		return nil, fmt.Errorf("chart: Bar has %d labels and %d values", len(labels), len(values))
	}
	if err := checkFinite("values", values); err != nil {
		return nil, err
	}
	c := charts.NewBar()
	c.SetGlobalOptions(baseOptions(title, false)...)
	data := make([]opts.BarData, len(values))
	for i, v := range values {
		data[i] = opts.BarData{Value: v}
	}
	c.SetXAxis(labels).AddSeries(title, data)
	if horizontal {
		c.XYReversal()
		c.SetGlobalOptions(
			charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
			charts.WithXAxisOpts(opts.XAxis{Type: "value"}),
			charts.WithGridOpts(opts.Grid{ContainLabel: opts.Bool(true), Left: "3%", Right: "4%"}),
		)
	}
	return c, nil
}

// Scatter returns a scatter plot of the points (x[i], y[i]) with one colour
// (and legend entry) per distinct label, in order of first appearance.
// labels may be nil for a single colour. Latent spaces and 2-D embeddings
// coloured by class are its typical use.
func Scatter(title string, x, y []float64, labels []string) (*charts.Scatter, error) {
	if len(x) == 0 {
		return nil, errors.New("chart: Scatter needs at least one point")
	}
	if len(x) != len(y) {
		return nil, fmt.Errorf("chart: Scatter has %d x values and %d y values", len(x), len(y))
	}
	if labels != nil && len(labels) != len(x) {
		return nil, fmt.Errorf("chart: Scatter has %d points and %d labels", len(x), len(labels))
	}
	if err := checkFinite("x", x); err != nil {
		return nil, err
	}
	if err := checkFinite("y", y); err != nil {
		return nil, err
	}
	c := charts.NewScatter()
	c.SetGlobalOptions(baseOptions(title, false)...)
	c.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Scale: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Scale: opts.Bool(true)}),
	)
	var order []string
	groups := map[string][]opts.ScatterData{}
	for i := range x {
		l := ""
		if labels != nil {
			l = labels[i]
		}
		if _, ok := groups[l]; !ok {
			order = append(order, l)
		}
		groups[l] = append(groups[l], opts.ScatterData{Value: []float64{x[i], y[i]}, SymbolSize: 6})
	}
	c.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(order) > 1), Left: "center", Top: "28"}))
	if len(order) > len(defaultPalette) {
		// More labels than ECharts' palette has colours: spread hues
		// evenly so no two labels share a colour.
		c.SetGlobalOptions(charts.WithColorsOpts(huePalette(len(order))))
	}
	for _, l := range order {
		c.AddSeries(l, groups[l])
	}
	return c, nil
}

// HeatMap returns a heat map of m, row 0 at the top, with the given row
// and column names (nil means 0, 1, 2, ...). Matrices with negative
// values get a diverging colour scale (blue negative, white zero, red
// positive) symmetric around zero; non-negative ones a white-to-blue scale.
// Document-topic weights and similarity matrices are its typical use.
func HeatMap(title string, m mat.Matrix, rowNames, colNames []string) (*charts.HeatMap, error) {
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
	c := charts.NewHeatMap()
	c.SetGlobalOptions(baseOptions(title, false)...)
	c.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: colNames, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: rowNames, Inverse: opts.Bool(true), SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithVisualMapOpts(opts.VisualMap{
			Calculable: opts.Bool(true),
			Min:        float32(vmin),
			Max:        float32(vmax),
			Orient:     "vertical",
			Right:      "0",
			Top:        "center",
			InRange:    &opts.VisualMapInRange{Color: colors},
		}),
		charts.WithGridOpts(opts.Grid{ContainLabel: opts.Bool(true), Right: "90"}),
	)
	c.AddSeries(title, data)
	return c, nil
}

func indexNames(n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = strconv.Itoa(i)
	}
	return s
}

// Histogram returns a bar chart counting values in bins equal-width bins
// between their minimum and maximum (bins 0 means 20). Each bar is
// labelled with its bin's centre.
func Histogram(title string, values []float64, bins int) (*charts.Bar, error) {
	if len(values) == 0 {
		return nil, errors.New("chart: Histogram of no values")
	}
	if bins < 0 {
		return nil, fmt.Errorf("chart: Histogram with %d bins", bins)
	}
	if bins == 0 {
		bins = 20
	}
	if err := checkFinite("values", values); err != nil {
		return nil, err
	}
	lo, hi := values[0], values[0]
	for _, v := range values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	width := (hi - lo) / float64(bins)
	if width == 0 {
		width = 1
	}
	counts := make([]int, bins)
	for _, v := range values {
		k := int((v - lo) / width)
		if k >= bins {
			k = bins - 1 // the maximum falls in the last bin
		}
		counts[k]++
	}
	labels := make([]string, bins)
	data := make([]opts.BarData, bins)
	for k := range counts {
		labels[k] = strconv.FormatFloat(lo+(float64(k)+0.5)*width, 'g', 3, 64)
		data[k] = opts.BarData{Value: counts[k]}
	}
	c := charts.NewBar()
	c.SetGlobalOptions(baseOptions(title, false)...)
	c.SetXAxis(labels).AddSeries("count", data, charts.WithBarChartOpts(opts.BarChart{BarCategoryGap: "5%"}))
	return c, nil
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
