package chart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// lookCharts builds one chart per helper from data shaped like the
// notebooks' (a training curve, topic weights, a 10-class latent space, a
// word map, a similarity matrix, a histogram of ink), with every axis
// named.
func lookCharts(t *testing.T) map[string]Renderer {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2)) // any fixed seed: the data only need a shape
	must := func(c Renderer, err error) Renderer {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	var train, val Series
	train.Name, val.Name = "train", "validation"
	for e := 1; e <= 30; e++ {
		train.X, train.Y = append(train.X, float64(e)), append(train.Y, 90+200/float64(e))
		val.X, val.Y = append(val.X, float64(e)), append(val.Y, 95+210/float64(e)+0.2*float64(e))
	}
	parts := make([]string, 12)
	weights := make([]float64, 12)
	for i := range parts {
		parts[i] = fmt.Sprintf("part %d", i+1)
		weights[i] = rng.Float64()
	}
	var zx, zy []float64
	var digits []string
	for i := 0; i < 600; i++ {
		d := i % 10
		a := float64(d) / 10 * 2 * math.Pi
		zx = append(zx, 2*math.Cos(a)+rng.NormFloat64()*0.45)
		zy = append(zy, 2*math.Sin(a)+rng.NormFloat64()*0.45)
		digits = append(digits, fmt.Sprint(d))
	}
	words := []string{"king", "queen", "man", "woman", "paris", "france", "berlin", "germany", "ship", "whale", "sea", "captain", "harpoon", "boat", "oil", "dollar", "bank", "money", "tax", "war"}
	groups := []string{"people", "people", "people", "people", "places", "places", "places", "places", "sea", "sea", "sea", "sea", "sea", "sea", "money", "money", "money", "money", "money", "politics"}
	var wx, wy []float64
	for i := range words {
		g := float64(i / 4)
		wx = append(wx, g+rng.NormFloat64()*0.4)
		wy = append(wy, math.Sin(g)+rng.NormFloat64()*0.4)
	}
	sim := mat.NewDense(10, 10, nil)
	for i := 0; i < 10; i++ {
		for j := 0; j < 10; j++ {
			sim.Set(i, j, math.Exp(-math.Abs(float64(i-j))/3))
		}
	}
	signed := mat.NewDense(6, 8, nil)
	for i := 0; i < 6; i++ {
		for j := 0; j < 8; j++ {
			signed.Set(i, j, math.Sin(float64(i*8+j))*0.004)
		}
	}
	ink := make([]float64, 5000)
	for i := range ink {
		ink[i] = 100 + 30*rng.NormFloat64()
	}
	topics := make([]string, 24)
	shares := make([]float64, 24)
	for i := range topics {
		topics[i] = fmt.Sprintf("%d: %s", i+1, []string{"ship whale sea", "god jesus", "ram vga bus", "tax budget"}[i%4])
		shares[i] = rng.Float64() / 10
	}
	terms := []Series{{Name: "reconstruction −E_q[log p(x|z)], train"}, {Name: "reconstruction, validation"}, {Name: "KL(q(z|x) ‖ p(z)), train"}, {Name: "KL, validation"}}
	for e := 1; e <= 20; e++ {
		for k := range terms {
			terms[k].Y = append(terms[k].Y, float64(60+40*k)/float64(e)+float64(10*k))
		}
	}
	return map[string]Renderer{
		"bar-topics":      must(Options{Title: "share of topic weight", X: Axis{Name: "topic"}, Y: Axis{Name: "share"}}.Bar(topics, shares)),
		"line-long-names": must(Options{Title: "the two terms", X: Axis{Name: "epoch"}, Y: Axis{Name: "nats per image"}}.Line(terms...)),
		"line":            must(Options{Title: "−ELBO per epoch", X: Axis{Name: "epoch"}, Y: Axis{Name: "−ELBO", Unit: "nats per image"}}.Line(train, val)),
		"bar":             must(Options{Title: "weight of each part in this digit", X: Axis{Name: "NMF part"}, Y: Axis{Name: "weight"}}.Bar(parts, weights)),
		"bar-horizontal": must(Options{Title: "top words of topic 3", Horizontal: true, X: Axis{Name: "weight in topic"}}.Bar(
			[]string{"ship", "whale", "sea", "captain", "harpoon"}, []float64{0.09, 0.07, 0.05, 0.02, 0.01})),
		"scatter":        must(Options{Title: "VAE means μ of the test digits", X: Axis{Name: "μ₁"}, Y: Axis{Name: "μ₂"}}.Scatter(zx, zy, digits)),
		"scatter-labels": must(Options{Title: "word vectors, first two principal components", X: Axis{Name: "PC 1"}, Y: Axis{Name: "PC 2"}, PointLabels: words}.Scatter(wx, wy, groups)),
		"heatmap":        must(Options{Title: "cosine similarity of the mean digits", X: Axis{Name: "digit"}, Y: Axis{Name: "digit"}}.HeatMap(sim, nil, nil)),
		"heatmap-signed": must(Options{Title: "PCA loadings", X: Axis{Name: "pixel block"}, Y: Axis{Name: "component"}}.HeatMap(signed, nil, nil)),
		"histogram":      must(Options{Title: "ink per image", Bins: 40, X: Axis{Name: "ink", Unit: "sum of pixel values"}}.Histogram(ink)),
	}
}

// lookImages builds 20 synthetic 28×28 "strokes" (rings of growing radius)
// for the image-grid figures: values in [0, 1], and a signed version.
func lookImages() (pixels, signed *mat.Dense) {
	pixels = mat.NewDense(20, 28*28, nil)
	signed = mat.NewDense(20, 28*28, nil)
	for k := 0; k < 20; k++ {
		r := 4 + float64(k%10)
		for y := 0; y < 28; y++ {
			for x := 0; x < 28; x++ {
				d := math.Hypot(float64(x)-13.5, float64(y)-13.5)
				v := math.Exp(-(d - r) * (d - r) / 4)
				pixels.Set(k, y*28+x, v)
				signed.Set(k, y*28+x, v-0.5*math.Exp(-d*d/20))
			}
		}
	}
	return pixels, signed
}

// optionOf reads a helper chart's option the way go-echarts renders it:
// through its JSON().
func optionOf(t *testing.T, c Renderer) map[string]any {
	t.Helper()
	j, ok := c.(interface {
		Validate()
		JSON() map[string]any
	})
	if !ok {
		t.Fatalf("%T has no JSON()", c)
	}
	j.Validate()
	b, err := json.Marshal(j.JSON())
	if err != nil {
		t.Fatal(err)
	}
	var opt map[string]any
	if err := json.Unmarshal(b, &opt); err != nil {
		t.Fatal(err)
	}
	return opt
}

func first(opt map[string]any, key string) map[string]any {
	switch v := opt[key].(type) {
	case []any:
		if len(v) > 0 {
			m, _ := v[0].(map[string]any)
			return m
		}
	case map[string]any:
		return v
	}
	return nil
}

func num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case string:
		f, _ := strconv.ParseFloat(x, 64)
		return f
	}
	return math.NaN()
}

func TestHelperOptionsNameAxesAndPlaceLegendOutside(t *testing.T) {
	charts := lookCharts(t)
	cases := []struct {
		chart        string
		x, y         string
		legend       string // "right", "none"
		legendWidth  float64
		visualMap    bool
		rotatedXCats bool
	}{
		{chart: "line", x: "epoch", y: "−ELBO (nats per image)", legend: "right", legendWidth: legendWidth([]string{"train", "validation"})},
		{chart: "bar", x: "NMF part", y: "weight", legend: "none"},
		{chart: "bar-horizontal", x: "weight in topic", y: "", legend: "none"},
		{chart: "scatter", x: "μ₁", y: "μ₂", legend: "right", legendWidth: legendWidth([]string{"0"})},
		{chart: "scatter-labels", x: "PC 1", y: "PC 2", legend: "right", legendWidth: legendWidth([]string{"politics"})},
		{chart: "heatmap", x: "digit", y: "digit", legend: "none", visualMap: true},
		{chart: "heatmap-signed", x: "pixel block", y: "component", legend: "none", visualMap: true},
		{chart: "histogram", x: "ink (sum of pixel values)", y: "count", legend: "none"},
		{chart: "bar-topics", x: "topic", y: "share", legend: "none", rotatedXCats: true},
		{chart: "line-long-names", x: "epoch", y: "nats per image", legend: "bottom"},
	}
	for _, c := range cases {
		t.Run(c.chart, func(t *testing.T) {
			opt := optionOf(t, charts[c.chart])
			xa, ya := first(opt, "xAxis"), first(opt, "yAxis")
			if xa["name"] != nilIfEmpty(c.x) || ya["name"] != nilIfEmpty(c.y) {
				t.Errorf("axis names %q and %q, want %q and %q", xa["name"], ya["name"], c.x, c.y)
			}
			if c.x != "" && (xa["nameLocation"] != "middle" || num(xa["nameGap"]) < 20) {
				// 20 px: below the 12 px tick labels and their 8 px margin.
				t.Errorf("x name at %v with gap %v, want in the middle below the labels", xa["nameLocation"], xa["nameGap"])
			}
			lg, grid := first(opt, "legend"), first(opt, "grid")
			switch c.legend {
			case "right":
				if lg["show"] != true || lg["orient"] != "vertical" || lg["right"] == nil {
					t.Errorf("legend %v, want shown, vertical, on the right", lg)
				}
				// Outside the plot area: the grid leaves the legend's width free.
				if r := num(grid["right"]); !(r >= c.legendWidth) {
					t.Errorf("grid.right %v, want at least the legend's width %.0f", grid["right"], c.legendWidth)
				}
			case "bottom":
				// Names too long for the right: below the x axis name, with
				// the grid's bottom margin leaving it room (30 px).
				if lg["show"] != true || lg["orient"] != "horizontal" || lg["bottom"] == nil || num(grid["bottom"]) < 30+namePx {
					t.Errorf("legend %v with grid.bottom %v, want shown horizontally below the plot", lg, grid["bottom"])
				}
			case "none":
				if lg["show"] == true {
					t.Errorf("legend shown for a single series: %v", lg)
				}
			}
			if al, _ := xa["axisLabel"].(map[string]any); c.rotatedXCats != (num(al["rotate"]) > 0) {
				t.Errorf("x labels rotated %v°, want rotated: %v", al["rotate"], c.rotatedXCats)
			}
			vm := first(opt, "visualMap")
			if c.visualMap {
				ir, _ := vm["inRange"].(map[string]any)
				cols, _ := ir["color"].([]any)
				if vm == nil || len(cols) < 2 || vm["orient"] != "vertical" || vm["text"] == nil {
					t.Errorf("visualMap %v, want a vertical colour scale with end labels", vm)
				}
				// 110 px: the colour scale (20 px bar, 16 px from the edge, labels) beside the grid.
				if r := num(grid["right"]); !(r >= 100) {
					t.Errorf("grid.right %v leaves no room for the colour scale", grid["right"])
				}
			} else if vm != nil {
				t.Errorf("visualMap on a chart without a colour scale: %v", vm)
			}
			if cs, _ := opt["color"].([]any); len(cs) < 10 || cs[0] != Palette[0] {
				t.Errorf("palette %v, want the stdlib's ten colours", cs)
			}
		})
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func TestCategoryLabelsNeverOverlap(t *testing.T) {
	many := make([]string, 40)
	for i := range many {
		many[i] = fmt.Sprintf("topic %d: ship whale", i)
	}
	cases := []struct {
		name   string
		labels []string
		thin   bool
		rotate float64
	}{
		{"few short labels stay flat", []string{"a", "b", "c"}, false, 0},
		{"12 parts fit flat", []string{"part 1", "part 2", "part 3", "part 4", "part 5", "part 6", "part 7", "part 8", "part 9", "part 10", "part 11", "part 12"}, false, 0},
		{"40 long labels turn upright", many, false, 90},
		{"histogram numbers thin instead", many, true, 0},
	}
	for _, c := range cases {
		// 800 px: the plot width of a default 900 px chart.
		l := layoutCategories(c.labels, 800, c.thin)
		if l.rotate != c.rotate {
			t.Errorf("%s: rotated %v°, want %v°", c.name, l.rotate, c.rotate)
		}
		slot := 800 / float64(len(c.labels)) * float64(l.every)
		// The footprint along the axis of every drawn label must fit in its slot.
		foot := widest(c.labels, labelPx) + 8
		if l.rotate == 45 {
			foot = (labelPx + 4) * math.Sqrt2
		} else if l.rotate == 90 {
			foot = labelPx + 4
		}
		if foot > slot+1e-9 {
			t.Errorf("%s: labels %.0f px wide in %.0f px slots: they overlap", c.name, foot, slot)
		}
	}
	opt := optionOf(t, mustChart(t)(Options{X: Axis{Name: "topic"}}.Bar(many, make([]float64, 40))))
	al, _ := first(opt, "xAxis")["axisLabel"].(map[string]any)
	if num(al["rotate"]) != 90 || al["hideOverlap"] != true {
		t.Errorf("axisLabel %v, want rotated 90° with hideOverlap", al)
	}
}

func mustChart(t *testing.T) func(Renderer, error) Renderer {
	return func(c Renderer, err error) Renderer {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
}

func TestFormatTicks(t *testing.T) {
	cases := []struct {
		ticks []float64
		want  string
	}{
		{[]float64{0, 250, 500, 750}, "0 250 500 750"}, // histogram counts: no "750.00"
		{[]float64{0, 0.5, 1, 1.5}, "0.0 0.5 1.0 1.5"}, // one precision per axis
		{[]float64{-0.002, 0, 0.002}, "-0.002 0.000 0.002"},
		{[]float64{0, 2e-5, 4e-5}, "0 2e-5 4e-5"},
		{[]float64{0, 1.5e6, 3e6}, "0 1.5e6 3.0e6"},
		{[]float64{100, 101, 102}, "100 101 102"},
		{[]float64{-36.157, -30.196, -24.235}, "-36 -30 -24"}, // bin centres 5.96 apart
	}
	for _, c := range cases {
		if got := strings.Join(formatTicks(c.ticks), " "); got != c.want {
			t.Errorf("formatTicks(%v) = %q, want %q", c.ticks, got, c.want)
		}
	}
	// Steps of 1, 2 or 5 × 10^k: 200 is the first at least (747-3)/5.
	if got := fmt.Sprint(niceTicks(3, 747, 5)); got != "[200 400 600]" {
		t.Errorf("niceTicks(3, 747, 5) = %s, want [200 400 600]", got)
	}
	// A step that is exactly 1, 2 or 5 × 10^k up to rounding is taken:
	// (0.05 − (−0.1))/3 is 0.05000000000000001, and the step 0.1 would
	// leave a signed bar chart's axis with two ticks, none above zero.
	if got := fmt.Sprint(niceTicks(-0.1, 0.05, 3)); got != "[-0.1 -0.05 0 0.05]" {
		t.Errorf("niceTicks(-0.1, 0.05, 3) = %s, want [-0.1 -0.05 0 0.05]", got)
	}
	// A range with a single round number inside still widens to the ticks
	// around it (nmf-parts-vs-pca's PCA weights: one tick, 0, and the
	// longest bar cut at the axis).
	if lo, hi := niceRange(-4.49, 1.62, 3); lo != -5 || hi != 5 {
		t.Errorf("niceRange(-4.49, 1.62, 3) = %g, %g, want -5, 5", lo, hi)
	}
	// Whatever the scale, the widened range of signed data has a tick at
	// each end, zero, and at least three ticks.
	for _, scale := range []float64{1e-4, 1e-3, 0.01, 0.1, 1, 3, 10, 100, 1e4} {
		lo, hi := niceRange(-5.5*scale, 2*scale, 3)
		ts := niceTicks(lo, hi, 3)
		if len(ts) < 3 || !slices.Contains(ts, 0) ||
			math.Abs(ts[0]-lo) > 1e-9*(hi-lo) || math.Abs(ts[len(ts)-1]-hi) > 1e-9*(hi-lo) {
			t.Errorf("scale %g: range [%g, %g], ticks %v: want ≥ 3 ticks from end to end through 0",
				scale, lo, hi, ts)
		}
	}
}

// margins counts pixels that are not near-white in a rectangle of img.
func inkIn(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr>>8 < 200 || cg>>8 < 200 || cb>>8 < 200 {
				n++
			}
		}
	}
	return n
}

func TestPNGHasAxisTextLegendAndColourBar(t *testing.T) {
	charts := lookCharts(t)
	for name, c := range charts {
		t.Run(name, func(t *testing.T) {
			b, err := PNG(c)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			w, h := img.Bounds().Dx(), img.Bounds().Dy()
			// The y axis name and tick labels sit in the left 60 px, the x
			// axis name and tick labels in the bottom 50 px (margins of a
			// 900×420 chart); text there is dark ink.
			if n := inkIn(img, image.Rect(0, 60, 60, h-60)); n < 100 {
				t.Errorf("left margin has %d inked pixels, want y axis text (>= 100)", n)
			}
			// 30 pixels: a two-letter name ("μ₁") at 13 px inks about 40.
			if n := inkIn(img, image.Rect(60, h-30, w-120, h)); n < 30 {
				t.Errorf("bottom margin has %d inked pixels, want the x axis name (>= 30)", n)
			}
			opt := optionOf(t, c)
			// Right of the plot area: the width the option's grid leaves free.
			right := image.Rect(w-int(num(first(opt, "grid")["right"])), 30, w, h-30)
			if first(opt, "visualMap") != nil {
				// The colour bar's dark end: #08306b (sequential) or #b2182b (diverging).
				dark := countNear(img, right, color.RGBA{0x08, 0x30, 0x6b, 255}, 40) + countNear(img, right, color.RGBA{0xb2, 0x18, 0x2b, 255}, 40)
				if dark < 50 {
					t.Errorf("no colour bar in the right margin (%d pixels of its dark end)", dark)
				}
			}
			if lg := first(opt, "legend"); lg["show"] == true {
				// Legend outside: the first palette colour appears right of
				// the plot area, or in the bottom 30 px below the x axis name.
				where := right
				if lg["orient"] == "horizontal" {
					where = image.Rect(0, h-30, w, h)
				}
				if n := countNear(img, where, color.RGBA{0x00, 0x72, 0xb2, 255}, 30); n < 10 { // a 6 px dot or a 2 px line 25 px long
					t.Errorf("legend swatch of the first series not in %v outside the plot (%d pixels)", where, n)
				}
			}
		})
	}
}

func countNear(img image.Image, r image.Rectangle, want color.RGBA, tol int) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if abs(int(cr>>8)-int(want.R)) <= tol && abs(int(cg>>8)-int(want.G)) <= tol && abs(int(cb>>8)-int(want.B)) <= tol {
				n++
			}
		}
	}
	return n
}
