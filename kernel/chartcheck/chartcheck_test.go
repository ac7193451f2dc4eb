package chartcheck

import (
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/chart"
	"gonum.org/v1/gonum/mat"
)

// parse reads the one chart of c's notebook HTML, as stdlib/chart writes it.
func parse(t *testing.T, c chart.Renderer) Chart {
	t.Helper()
	html, err := chart.ChartHTML(c)
	if err != nil {
		t.Fatal(err)
	}
	if !IsChart(html) {
		t.Fatalf("chart HTML not recognised as a chart:\n%.300s", html)
	}
	cs, err := Charts(html)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 {
		t.Fatalf("got %d charts, want 1", len(cs))
	}
	return cs[0]
}

func series() []chart.Series {
	return []chart.Series{
		{Name: "train", Y: []float64{3, 2, 1.5}},
		{Name: "validation", Y: []float64{3.1, 2.2, 1.8}},
	}
}

// The options' helpers pass every check; the deprecated positional ones,
// which name no axis, fail on exactly that.
func TestStdlibChartsReadBack(t *testing.T) {
	named := chart.Options{Title: "loss", X: chart.Axis{Name: "epoch"},
		Y: chart.Axis{Name: "−ELBO", Unit: "nats"}}
	line, err := named.Line(series()...)
	if err != nil {
		t.Fatal(err)
	}
	c := parse(t, line)
	if c.Title != "loss" || c.Width != 900 || c.Height != 420 {
		t.Errorf("read title %q size %v×%v, want \"loss\" 900×420", c.Title, c.Width, c.Height)
	}
	if p := Check(c); len(p) != 0 {
		t.Errorf("named line chart: %v", p)
	}
	for _, legend := range []chart.Legend{chart.LegendRight, chart.LegendBottom, chart.LegendTop} {
		o := named
		o.Legend = legend
		l, err := o.Line(series()...)
		if err != nil {
			t.Fatal(err)
		}
		if p := Check(parse(t, l)); len(p) != 0 {
			t.Errorf("legend %v: %v", legend, p)
		}
	}
	heat, err := chart.Options{X: chart.Axis{Name: "column"}, Y: chart.Axis{Name: "row"}}.
		HeatMap(mat.NewDense(2, 2, []float64{1, 2, 3, 4}), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p := Check(parse(t, heat)); len(p) != 0 {
		t.Errorf("named heat map: %v", p)
	}

	old, err := chart.Line("loss", series()...) //nolint:staticcheck // the deprecated form is what must fail
	if err != nil {
		t.Fatal(err)
	}
	p := Check(parse(t, old))
	if len(p) != 2 || !strings.Contains(p[0], "xAxis 0 has no name") || !strings.Contains(p[1], "yAxis 0 has no name") {
		t.Errorf("positional Line: got %q, want the x and the y axis without a name", p)
	}
}

func TestLegendOverlap(t *testing.T) {
	twoSeries := []any{
		map[string]any{"type": "line", "name": "train"},
		map[string]any{"type": "line", "name": "validation"},
	}
	axes := map[string]any{"name": "epoch"}
	base := func(legend, grid any) Chart {
		opt := map[string]any{"series": twoSeries, "xAxis": []any{axes}, "yAxis": axes, "legend": legend}
		if grid != nil {
			opt["grid"] = grid
		}
		return Chart{Width: 900, Height: 420, Option: opt}
	}
	for _, tc := range []struct {
		name    string
		legend  any
		grid    any
		overlap bool
	}{
		{"vertical, right, room kept", map[string]any{"orient": "vertical", "right": "8", "top": "44"},
			[]any{map[string]any{"right": "150", "top": "44"}}, false},
		{"vertical, right, no room", map[string]any{"orient": "vertical", "right": "8", "top": "44"},
			[]any{map[string]any{"right": "28", "top": "44"}}, true},
		{"vertical, right, percent grid", map[string]any{"orient": "vertical", "right": 8},
			map[string]any{"right": "20%"}, false},
		{"horizontal on the plot", map[string]any{"top": "60"},
			[]any{map[string]any{"top": "44", "bottom": "40"}}, true},
		{"horizontal below", map[string]any{"bottom": "4"},
			[]any{map[string]any{"top": "44", "bottom": "60"}}, false},
		{"ECharts defaults", map[string]any{}, nil, false},
		{"hidden", map[string]any{"show": false, "top": "200"}, nil, false},
		{"vertical in the middle", map[string]any{"orient": "vertical", "top": "middle"}, nil, true},
	} {
		p := Check(base(tc.legend, tc.grid))
		if got := len(p) > 0; got != tc.overlap {
			t.Errorf("%s: overlap %v, want %v (%q)", tc.name, got, tc.overlap, p)
		}
		if len(p) > 0 && !strings.Contains(p[0], "legend") {
			t.Errorf("%s: %q does not name the legend", tc.name, p)
		}
	}
}

func TestHeatMapNeedsVisualMap(t *testing.T) {
	opt := map[string]any{
		"series": []any{map[string]any{"type": "heatmap", "name": "m"}},
		"xAxis":  map[string]any{"name": "column"},
		"yAxis":  map[string]any{"name": "row"},
	}
	c := Chart{Width: 900, Height: 420, Option: opt}
	if p := Check(c); len(p) != 1 || !strings.Contains(p[0], "visualMap") {
		t.Errorf("heat map without visualMap: %q", p)
	}
	opt["visualMap"] = map[string]any{"show": false}
	if p := Check(c); len(p) != 1 {
		t.Errorf("heat map with a hidden visualMap: %q", p)
	}
	opt["visualMap"] = []any{map[string]any{"type": "continuous"}}
	if p := Check(c); len(p) != 0 {
		t.Errorf("heat map with a visualMap: %q", p)
	}
	// A pie chart has no axes to name.
	pie := Chart{Option: map[string]any{"series": map[string]any{"type": "pie"}}}
	if p := Check(pie); len(p) != 0 {
		t.Errorf("pie: %q", p)
	}
}

func TestBadInput(t *testing.T) {
	if _, err := Charts(`<div data-gonbml-interactive="1"></div>`); err == nil {
		t.Error("chart HTML without an option: no error")
	}
	if _, err := Charts("let option_x = {\"a\": "); err == nil || !strings.Contains(err.Error(), "not JSON") {
		t.Errorf("truncated option: %v", err)
	}
	if _, err := Read("testdata/missing.ipynb"); err == nil {
		t.Error("missing notebook: no error")
	}
}

// Charts and Check read whatever a notebook holds: any text gives a chart
// list or an error, and any option a list of problems, never a panic.
func FuzzCharts(f *testing.F) {
	f.Add(`<div id="a" data-gonbml-interactive="1" style="width:900px;height:420px;"></div>
let option_a = {"series":[{"type":"line","name":"x"}],"legend":{"orient":"vertical","right":"8%"},"grid":{"right":"abc"},"xAxis":{"name":"t"},"yAxis":[3]}`)
	f.Add(`let option_b = {"series":{"type":"heatmap"},"visualMap":[null],"legend":[{"data":["a",{"name":1}],"top":"middle"}]}`)
	f.Add(`style="width:0px;height:0px;" let option_c = {"series":[{"type":"bar","name":"a"},{"type":"bar"}],"legend":{}}`)
	f.Add("let option_d = [1, 2]")
	f.Fuzz(func(t *testing.T, html string) {
		cs, err := Charts(html)
		if err != nil {
			return
		}
		for _, c := range cs {
			_ = Check(c)
		}
	})
}
