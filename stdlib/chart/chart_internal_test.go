package chart

import (
	"bytes"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/components"
	"github.com/go-echarts/go-echarts/v2/opts"
	"gonum.org/v1/gonum/mat"
)

func mustLine(t *testing.T) *charts.Line {
	t.Helper()
	c, err := Line("loss", Series{Name: "train", Y: []float64{3, 2, 1.5, 1.2}}, Series{Name: "test", X: []float64{0, 2}, Y: []float64{3.2, 1.9}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func decodePNG(t *testing.T, b []byte) (w, h int, count func(color.RGBA, int) int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	bd := img.Bounds()
	count = func(want color.RGBA, tol int) int {
		n := 0
		for y := bd.Min.Y; y < bd.Max.Y; y++ {
			for x := bd.Min.X; x < bd.Max.X; x++ {
				r, g, b, _ := img.At(x, y).RGBA()
				if abs(int(r>>8)-int(want.R)) <= tol && abs(int(g>>8)-int(want.G)) <= tol && abs(int(b>>8)-int(want.B)) <= tol {
					n++
				}
			}
		}
		return n
	}
	return bd.Dx(), bd.Dy(), count
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestShowInNotebookSendsBundleOncePerSession(t *testing.T) {
	rec := inNotebook(t)
	if err := Show(mustLine(t)); err != nil {
		t.Fatal(err)
	}
	if err := Show(mustLine(t)); err != nil {
		t.Fatal(err)
	}
	// Bundle, chart, chart.
	if len(rec.outs) != 3 || !isBundle(rec.outs[0]) || isBundle(rec.outs[1]) || isBundle(rec.outs[2]) {
		t.Fatalf("got %d outputs, want bundle then two charts", len(rec.outs))
	}
	bundle := rec.outs[0].data["text/html"].(string)
	if !strings.Contains(bundle, fakeBundle) || !strings.Contains(bundle, ".call(window, undefined, undefined, undefined)") {
		t.Errorf("bundle output does not wrap the bundle in the define/module/exports shadow:\n%.300s", bundle)
	}
	chart := rec.outs[1].data
	if _, ok := chart["text/html"].(string); !ok {
		t.Error("chart output has no text/html")
	}
	if b, ok := chart["image/png"].([]byte); !ok {
		t.Error("chart output has no image/png")
	} else if w, h, _ := decodePNG(t, b); w != 900 || h != 420 {
		// 900×420 px: the helpers' chart size.
		t.Errorf("PNG is %d×%d, want 900×420", w, h)
	}
	if rec.syncs != 2 {
		t.Errorf("gonbui.Sync called %d times, want once per Show", rec.syncs)
	}

	// The next cell is a new process in the same kernel session: no bundle.
	newProcess()
	if err := Show(mustLine(t)); err != nil {
		t.Fatal(err)
	}
	if len(rec.outs) != 4 || isBundle(rec.outs[3]) {
		t.Fatal("bundle sent again in the same kernel session")
	}
	// A new kernel session (new $GONB_TMP_DIR) gets the bundle again.
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	newProcess()
	if err := Show(mustLine(t)); err != nil {
		t.Fatal(err)
	}
	if len(rec.outs) != 6 || !isBundle(rec.outs[4]) {
		t.Fatal("new kernel session did not get the bundle")
	}
}

func TestHTMLFragmentIsOfflineAndSelfContained(t *testing.T) {
	c := mustLine(t)
	h, err := ChartHTML(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script src", "go-echarts-assets", ".container"} {
		// Nothing may need the network, and no global CSS may leak into
		// the notebook (Notebook 6 has its own .container).
		if strings.Contains(h, bad) {
			t.Errorf("fragment contains %q", bad)
		}
	}
	ids := regexp.MustCompile(`id="(` + c.ChartID + `_[0-9a-z]+)"`).FindStringSubmatch(h)
	if ids == nil {
		t.Fatalf("fragment has no container with an id derived from the chart id %s", c.ChartID)
	}
	// Showing the same chart again must not reuse the element id, or the
	// second output would never be drawn.
	again, err := ChartHTML(c)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(again, `id="`+ids[1]+`"`) {
		t.Errorf("the same chart shown twice reuses the element id %s", ids[1])
	}
	if !strings.Contains(h, "window.gonbmlWhenECharts(function () {") || !strings.Contains(h, ".setOption(option_"+c.ChartID) {
		t.Error("fragment does not queue the chart's script until ECharts is loaded")
	}
	// One copy of each picture: the PNG is the output's image/png, not
	// inlined into the HTML again.
	if strings.Contains(h, "data:image/png") || !strings.Contains(h, InteractiveMarker) {
		t.Error("fragment inlines a PNG or lacks the InteractiveMarker")
	}
}

func TestPNGIsDeterministicAndDrawsTheData(t *testing.T) {
	a, err := PNG(mustLine(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := PNG(mustLine(t))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("same data gave different PNGs")
	}
	_, _, count := decodePNG(t, a)
	// #0072B2 and #E69F00: the palette's first two colours, one per series.
	if n := count(color.RGBA{0x00, 0x72, 0xb2, 255}, 8); n < 200 {
		t.Errorf("first series colour on %d pixels, want a drawn line (>= 200)", n)
	}
	if n := count(color.RGBA{0xe6, 0x9f, 0x00, 255}, 8); n < 100 {
		t.Errorf("second series colour on %d pixels, want a drawn line (>= 100)", n)
	}
}

func TestScatterColoursByLabel(t *testing.T) {
	var x, y []float64
	var labels []string
	for i := 0; i < 90; i++ {
		x = append(x, float64(i%30))
		y = append(y, float64(i/30))
		labels = append(labels, []string{"a", "b", "c"}[i/30])
	}
	c, err := Scatter("latent", x, y, labels)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.MultiSeries) != 3 {
		t.Fatalf("%d series, want one per label (3)", len(c.MultiSeries))
	}
	b, err := PNG(c)
	if err != nil {
		t.Fatal(err)
	}
	_, _, count := decodePNG(t, b)
	for _, col := range []color.RGBA{{0x00, 0x72, 0xb2, 255}, {0xe6, 0x9f, 0x00, 255}, {0x00, 0x9e, 0x73, 255}} {
		if n := count(col, 8); n < 100 {
			t.Errorf("label colour %v on %d pixels, want >= 100 (30 dots)", col, n)
		}
	}
}

func TestHeatMapDivergingWhenNegative(t *testing.T) {
	m := mat.NewDense(2, 2, []float64{-1, 0, 0, 1})
	c, err := HeatMap("w", m, []string{"r0", "r1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := PNG(c)
	if err != nil {
		t.Fatal(err)
	}
	_, _, count := decodePNG(t, b)
	// #2166ac (blue) for -1 and #b2182b (red) for +1: the diverging stops.
	if count(color.RGBA{0x21, 0x66, 0xac, 255}, 4) < 10000 || count(color.RGBA{0xb2, 0x18, 0x2b, 255}, 4) < 10000 {
		t.Error("diverging heat map does not show a large blue and a large red cell")
	}
}

func TestHorizontalBarPutsFirstLabelOnTop(t *testing.T) {
	c, err := Bar("words", []string{"long", "short"}, []float64{10, 1}, true)
	if err != nil {
		t.Fatal(err)
	}
	b, err := PNG(c)
	if err != nil {
		t.Fatal(err)
	}
	img, _ := png.Decode(bytes.NewReader(b))
	barColor := func(x, y int) bool {
		r, g, bb, _ := img.At(x, y).RGBA()
		return abs(int(r>>8)-0x00) < 8 && abs(int(g>>8)-0x72) < 8 && abs(int(bb>>8)-0xb2) < 8
	}
	// At 80% of the width only the long bar reaches; it must be in the
	// upper half of the picture.
	x := img.Bounds().Dx() * 8 / 10
	top, bottom := 0, 0
	for y := 0; y < img.Bounds().Dy(); y++ {
		if barColor(x, y) {
			if y < img.Bounds().Dy()/2 {
				top++
			} else {
				bottom++
			}
		}
	}
	if top == 0 || bottom != 0 {
		t.Errorf("long bar pixels: %d in the top half, %d in the bottom half; want it on top", top, bottom)
	}
}

func TestHistogramCounts(t *testing.T) {
	c, err := Histogram("h", []float64{0, 0.1, 0.2, 0.9, 1}, 2)
	if err != nil {
		t.Fatal(err)
	}
	d0 := c.MultiSeries[0].Data.([]opts.BarData)
	// [0, 0.5): 0, 0.1, 0.2; [0.5, 1]: 0.9, 1 (the maximum goes in the last bin).
	if d0[0].Value != 3 || d0[1].Value != 2 {
		t.Errorf("counts %v %v, want 3 2", d0[0].Value, d0[1].Value)
	}
}

func TestHelpersRejectBadInput(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name string
		err  func() error
		want string
	}{
		{"line none", func() error { _, err := Line("t"); return err }, "at least one series"},
		{"line empty", func() error { _, err := Line("t", Series{Name: "a"}); return err }, "no values"},
		{"line x len", func() error { _, err := Line("t", Series{Name: "a", X: []float64{1}, Y: []float64{1, 2}}); return err }, "1 x values and 2 y values"},
		{"line nan", func() error { _, err := Line("t", Series{Name: "a", Y: []float64{1, nan}}); return err }, "a Y[1] is NaN"},
		{"bar len", func() error { _, err := Bar("t", []string{"a"}, []float64{1, 2}, false); return err }, "1 labels and 2 values"},
		{"bar inf", func() error { _, err := Bar("t", []string{"a"}, []float64{math.Inf(1)}, false); return err }, "values[0] is +Inf"},
		{"scatter len", func() error { _, err := Scatter("t", []float64{1}, []float64{1, 2}, nil); return err }, "1 x values and 2 y values"},
		{"scatter labels", func() error { _, err := Scatter("t", []float64{1}, []float64{1}, []string{"a", "b"}); return err }, "1 points and 2 labels"},
		{"heatmap nil", func() error { _, err := HeatMap("t", nil, nil, nil); return err }, "nil matrix"},
		{"heatmap names", func() error { _, err := HeatMap("t", mat.NewDense(2, 2, nil), []string{"a"}, nil); return err }, "1 row names"},
		{"heatmap nan", func() error { _, err := HeatMap("t", mat.NewDense(1, 2, []float64{0, nan}), nil, nil); return err }, "row 0, column 1 is NaN"},
		{"hist empty", func() error { _, err := Histogram("t", nil, 0); return err }, "no values"},
		{"hist bins", func() error { _, err := Histogram("t", []float64{1}, -1); return err }, "-1 bins"},
		{"images width", func() error { _, err := ImageGrid(mat.NewDense(1, 6, nil), 4, ImageOptions{}); return err }, "not a multiple of width 4"},
		{"images opts", func() error { _, err := ImageGrid(mat.NewDense(1, 4, nil), 2, ImageOptions{Scale: -1}); return err }, "Scale is -1"},
		{"images nan", func() error {
			_, err := ImageGrid(mat.NewDense(1, 4, []float64{0, 0, nan, 0}), 2, ImageOptions{})
			return err
		}, "column 2 is NaN"},
		{"table ragged", func() error { _, err := Table([]string{"a", "b"}, [][]string{{"1"}}); return err }, "row 0 has 1 cells, the header has 2"},
		{"progress total", func() error { _, err := ProgressOptions{}.New("p", -1); return err }, "total is -1"},
		{"live nan", func() error { return NewLiveCurve("t").Add("a", 0, nan) }, "not finite"},
		{"show nil", func() error { return Show(nil) }, "nil chart"},
	}
	for _, c := range cases {
		err := c.err()
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "chart: ") {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestShowRejectsUnencodableOption(t *testing.T) {
	// go-echarts cannot JSON-encode NaN and silently renders an empty
	// option; Show must say so instead of displaying a blank chart.
	c := charts.NewLine()
	c.SetXAxis([]string{"a"}).AddSeries("s", []opts.LineData{{Value: math.NaN()}})
	if err := Show(c); err == nil || !strings.Contains(err.Error(), "NaN or Inf") {
		t.Errorf("error %v, want one about NaN or Inf", err)
	}
}

func TestPageAndUnsupportedSeries(t *testing.T) {
	pie := charts.NewPie()
	pie.SetGlobalOptions(charts.WithTitleOpts(opts.Title{Title: "shares"}))
	pie.AddSeries("s", []opts.PieData{{Name: "a", Value: 1}, {Name: "b", Value: 2}})
	page := components.NewPage()
	page.AddCharts(mustLine(t), pie)
	r, err := parseChart(page)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.parts) != 2 {
		t.Fatalf("%d charts in the page, want 2", len(r.parts))
	}
	b, err := PNG(page)
	if err != nil {
		t.Fatal(err)
	}
	// 420 px line chart above a 500 px pie (go-echarts' default height).
	if w, h, _ := decodePNG(t, b); w != 900 || h != 920 {
		t.Errorf("page PNG %d×%d, want 900×920", w, h)
	}
}

func TestImageGridColours(t *testing.T) {
	// Two 2×1 images: (-2, 1) and (0, 4).
	m := mat.NewDense(2, 2, []float64{-2, 1, 0, 4})
	img, err := ImageGrid(m, 2, ImageOptions{Diverging: true, Scale: 1, Gap: 1})
	if err != nil {
		t.Fatal(err)
	}
	// cols = 2 images, 1 px gaps: 2*2 + 3 = 7 wide, 1 + 2 = 3 high.
	if img.Bounds().Dx() != 7 || img.Bounds().Dy() != 3 {
		t.Fatalf("grid %v, want 7×3", img.Bounds())
	}
	want := map[[2]int]color.RGBA{
		{1, 1}: {255, 0, 0, 255},        // -2 is the image's largest |v|: full red
		{2, 1}: {128, 128, 128, 255},    // 1 of 2: half-way to black
		{4, 1}: {255, 255, 255, 255},    // 0 is white
		{5, 1}: {0, 0, 0, 255},          // 4 is the largest: black
		{0, 0}: {0xdd, 0xdd, 0xdd, 255}, // gap
	}
	for p, c := range want {
		if got := img.RGBAAt(p[0], p[1]); got != c {
			t.Errorf("pixel %v = %v, want %v", p, got, c)
		}
	}
	gray, err := ImageGrid(m, 2, ImageOptions{Scale: 1, Gap: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Ink dark on light: the minimum is white, the maximum black.
	if gray.RGBAAt(1, 1) != (color.RGBA{255, 255, 255, 255}) || gray.RGBAAt(2, 1) != (color.RGBA{0, 0, 0, 255}) {
		t.Error("grayscale does not map the minimum to white and the maximum to black")
	}
}

func TestProgressThrottlesAndKeepsItsID(t *testing.T) {
	rec := inNotebook(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	p, err := ProgressOptions{Clock: clock, Interval: time.Second, Unit: "epoch"}.New("train", 10)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 10; i++ {
		now = now.Add(400 * time.Millisecond)
		p.Update(Step{Done: i, Loss: 1 / float64(i)})
	}
	p.Finish()
	// Drawn at 0.4 s (first), 1.6 s, 2.8 s (>= 1 s apart) and 4.0 s
	// (complete); Finish after completion draws nothing more.
	if len(rec.outs) != 4 {
		t.Fatalf("%d redraws, want 4", len(rec.outs))
	}
	for _, o := range rec.outs {
		if o.id == "" || o.id != rec.outs[0].id {
			t.Fatalf("display ids %q and %q: want one stable non-empty id", rec.outs[0].id, o.id)
		}
	}
	last := rec.outs[3].data
	if h := last["text/html"].(string); !strings.Contains(h, `data-gonbml-progress="100"`) {
		t.Errorf("final HTML not at 100%%: %s", h)
	}
	// 10 epochs in 4 s = 2.50 epoch/s.
	if got, want := last["text/plain"].(string), "train 100% [########################] 10/10  2.50 epoch/s  in 0:04  loss 0.1"; got != want {
		t.Errorf("final line\n%q, want\n%q", got, want)
	}
	mid := rec.outs[1].data["text/plain"].(string)
	// At 1.6 s, 4 done: 2.50 epoch/s, 6 left: ETA 2.4 s, shown rounded 0:02.
	if !strings.Contains(mid, " 40% ") || !strings.Contains(mid, "ETA 0:02") {
		t.Errorf("mid line %q, want 40%% and ETA 0:02", mid)
	}
}

func TestProgressLinesOutsideNotebook(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p, err := ProgressOptions{Writer: &buf, Clock: func() time.Time { return now }}.New("", 0)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Second)
	p.Set(5)
	now = now.Add(time.Second) // within the 2 s default for non-terminals
	p.Set(6)
	p.Finish()
	if got, want := buf.String(), "5  5.00 it/s  in 0:01\n6  3.00 it/s  in 0:02\n"; got != want {
		t.Errorf("lines\n%q, want\n%q", got, want)
	}
}

func TestLiveCurveRedrawsInPlace(t *testing.T) {
	rec := inNotebook(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLiveCurve("elbo")
	l.Clock = func() time.Time { return now }
	for i := 0; i < 5; i++ {
		now = now.Add(600 * time.Millisecond)
		if err := l.Add("train", float64(i), float64(10-i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Flush(); err != nil {
		t.Fatal(err)
	}
	// Bundle; draws at 0.6 s, 1.8 s, 3.0 s (1 s default interval); Flush
	// has nothing new to draw.
	if len(rec.outs) != 4 || !isBundle(rec.outs[0]) {
		t.Fatalf("%d outputs, want the bundle and 3 draws", len(rec.outs))
	}
	id := rec.outs[1].id
	for _, o := range rec.outs[1:] {
		if o.id == "" || o.id != id {
			t.Fatal("live curve draws do not share one display id")
		}
		if _, ok := o.data["image/png"].([]byte); !ok {
			t.Fatal("live curve draw without PNG")
		}
	}
	last := rec.outs[3].data["text/html"].(string)
	if !strings.Contains(last, "[4,6]") {
		t.Error("final draw does not hold the last point (4, 6)")
	}
	// A point after the last draw is drawn by Flush.
	now = now.Add(100 * time.Millisecond)
	if err := l.Add("train", 5, 5); err != nil {
		t.Fatal(err)
	}
	if err := l.Flush(); err != nil {
		t.Fatal(err)
	}
	if len(rec.outs) != 5 || !strings.Contains(rec.outs[4].data["text/html"].(string), "[5,5]") || rec.outs[4].id != id {
		t.Error("Flush did not redraw the pending point in place")
	}
}

func TestShowOutsideNotebookWritesPage(t *testing.T) {
	needRealBundle(t)
	dir := t.TempDir()
	oldDir, oldOut := OutputDir, Stdout
	var out bytes.Buffer
	OutputDir, Stdout = dir, &out
	defer func() { OutputDir, Stdout = oldDir, oldOut }()
	if err := Show(mustLine(t)); err != nil {
		t.Fatal(err)
	}
	path := strings.TrimSpace(strings.TrimPrefix(out.String(), "chart: "))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("printed %q: %v", out.String(), err)
	}
	if !strings.Contains(string(b), "echarts.version") && !strings.Contains(string(b), `version="5.4.3"`) {
		t.Error("page does not inline the ECharts bundle")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || filepath.Join(dir, entries[0].Name()) != path {
		t.Errorf("output dir holds %d entries, want only the page (no temporary files)", len(entries))
	}
}

func TestTableImagesMarkdownInNotebook(t *testing.T) {
	rec := inNotebook(t)
	if err := ShowTable([]string{"word", "n"}, [][]string{{"<whale>", "3"}}); err != nil {
		t.Fatal(err)
	}
	if err := ShowImages(mat.NewDense(1, 4, []float64{0, 1, 1, 0}), 2, ImageOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := ShowMarkdown("**bold**"); err != nil {
		t.Fatal(err)
	}
	if len(rec.outs) != 3 || rec.syncs != 3 {
		t.Fatalf("%d outputs and %d syncs, want 3 and 3", len(rec.outs), rec.syncs)
	}
	if h := rec.outs[0].data["text/html"].(string); !strings.Contains(h, "<td style=\"text-align:left;padding:2px 10px\">&lt;whale&gt;</td>") {
		t.Errorf("table cell not escaped: %s", h)
	}
	if p, ok := rec.outs[1].data["image/png"].([]byte); !ok {
		t.Error("image grid not sent as image/png")
	} else if w, h, _ := decodePNG(t, p); w != 8 || h != 8 {
		// One 2×2 image at the default scale 2 inside default 2 px gaps:
		// 2 + 4 + 2 = 8 each way.
		t.Errorf("grid %d×%d, want 8×8", w, h)
	}
	if rec.outs[2].data["text/markdown"] != "**bold**" {
		t.Error("Markdown not sent as text/markdown")
	}
	for _, o := range rec.outs {
		if isBundle(o) {
			t.Error("the ECharts bundle was sent without a chart")
		}
	}
}
