package chart_test

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/gonbml/gonbml/stdlib/chart"
	"github.com/gonbml/gonbml/stdlib/fit"
	"gonum.org/v1/gonum/mat"
)

// tempOutput sends the files Show* write outside a notebook to a fresh
// directory and their printed paths to a buffer.
func tempOutput() (dir string, printed *bytes.Buffer, restore func()) {
	dir, err := os.MkdirTemp("", "chart-example-")
	if err != nil {
		panic(err)
	}
	printed = &bytes.Buffer{}
	chart.OutputDir, chart.Stdout = dir, printed
	return dir, printed, func() {
		chart.OutputDir, chart.Stdout = "", nil
		os.RemoveAll(dir)
	}
}

func ExampleShow() {
	dir, printed, restore := tempOutput()
	defer restore()

	// Any go-echarts chart works; outside a notebook Show writes a
	// standalone page (ECharts inlined) and prints its path.
	c := charts.NewBar()
	c.SetXAxis([]string{"a", "b"}).AddSeries("count", []opts.BarData{{Value: 3}, {Value: 5}})
	if err := chart.Show(c); err != nil {
		fmt.Println(err)
		return
	}
	path := strings.TrimPrefix(strings.TrimSpace(printed.String()), "chart: ")
	fmt.Println(filepath.Dir(path) == dir, filepath.Ext(path))
	// Output: true .html
}

func ExampleChartHTML() {
	c, _ := chart.Options{Title: "loss"}.Line(chart.Series{Name: "train", Y: []float64{3, 2, 1}})
	h, err := chart.ChartHTML(c)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The interactive chart only: its picture is the output's image/png.
	fmt.Println(strings.Contains(h, chart.InteractiveMarker), strings.Contains(h, "data:image/png"), strings.Contains(h, "setOption"))
	// Output: true false true
}

func ExamplePNG() {
	c, _ := chart.Options{Title: "values", Bins: 3}.Histogram([]float64{1, 2, 2, 3})
	b, err := chart.PNG(c)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg, _ := png.DecodeConfig(bytes.NewReader(b))
	fmt.Printf("%d×%d\n", cfg.Width, cfg.Height)
	// Output: 900×420
}

func ExampleWritePage() {
	a, _ := chart.Options{Title: "a"}.Bar([]string{"x", "y"}, []float64{1, 2})
	b, _ := chart.Options{Title: "b"}.Bar([]string{"x", "y"}, []float64{2, 1})
	var page bytes.Buffer
	if err := chart.WritePage(&page, "two charts", a, b); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Count(page.String(), `class="gonbml-chart"`), strings.Contains(page.String(), "define, module, exports"))
	// Output: 2 true
}

func ExampleOptions_Line() {
	c, err := chart.Options{
		Title: "loss per epoch",
		X:     chart.Axis{Name: "epoch"},
		Y:     chart.Axis{Name: "cross-entropy", Unit: "nats"},
	}.Line(
		chart.Series{Name: "train", Y: []float64{0.9, 0.5, 0.3}},
		chart.Series{Name: "validation", X: []float64{0, 2}, Y: []float64{1.0, 0.45}},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range c.MultiSeries {
		fmt.Println(s.Name, s.Data.([]opts.LineData)[1].Value)
	}
	// Two series: the legend goes right of the plot, outside it.
	fmt.Println(c.XAxisList[0].Name, "|", c.YAxisList[0].Name, "|", c.Legend.Orient)
	// Output:
	// train [1 0.5]
	// validation [2 0.45]
	// epoch | cross-entropy (nats) | vertical
}

func ExampleOptions_Bar() {
	o := chart.Options{Title: "topic 3", Horizontal: true, X: chart.Axis{Name: "weight"}}
	c, err := o.Bar([]string{"ram", "vga", "bus"}, []float64{0.9, 0.7, 0.5})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(c.MultiSeries[0].Data.([]opts.BarData)))
	_, err = o.Bar([]string{"ram"}, []float64{0.9, 0.7})
	fmt.Println(err)
	// Output:
	// 3
	// chart: Bar has 1 labels and 2 values
}

func ExampleOptions_Scatter() {
	o := chart.Options{
		Title:       "word map",
		X:           chart.Axis{Name: "PC 1"},
		Y:           chart.Axis{Name: "PC 2"},
		PointLabels: []string{"cat", "dog", "kitten", "puppy"},
	}
	c, err := o.Scatter([]float64{0, 1, 2, 3}, []float64{1, 0, 1, 0}, []string{"cat", "dog", "cat", "dog"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range c.MultiSeries {
		d := s.Data.([]opts.ScatterData)
		fmt.Println(s.Name, len(d), d[1].Name)
	}
	// Output:
	// cat 2 kitten
	// dog 2 puppy
}

func ExampleOptions_HeatMap() {
	weights := mat.NewDense(2, 3, []float64{0.1, 0.5, 0.4, 0.7, 0.2, 0.1})
	o := chart.Options{Title: "document-topic weights", X: chart.Axis{Name: "topic"}, Y: chart.Axis{Name: "document"}}
	c, err := o.HeatMap(weights, []string{"doc 1", "doc 2"}, []string{"t1", "t2", "t3"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(c.MultiSeries[0].Data.([]opts.HeatMapData)))
	// The colour scale, labelled at its ends.
	fmt.Println(c.VisualMapList[0].Text)
	// Output:
	// 6
	// [0.7 0.0]
}

func ExampleOptions_Histogram() {
	c, err := chart.Options{Title: "values", Bins: 4, X: chart.Axis{Name: "value"}}.Histogram([]float64{0, 1, 1, 2, 2, 2, 3, 3, 4})
	if err != nil {
		fmt.Println(err)
		return
	}
	var counts []any
	for _, b := range c.MultiSeries[0].Data.([]opts.BarData) {
		counts = append(counts, b.Value)
	}
	fmt.Println(counts...)
	// Bin centres formatted to the bin width; y is named from the data.
	c.Validate()
	fmt.Println(c.XAxisList[0].Data, c.YAxisList[0].Name)
	// Output:
	// 1 2 3 3
	// [0.5 1.5 2.5 3.5] count
}

func ExampleOptions_ImageGrid() {
	// Two 2×2 images in one grid row, labelled, with the colour key below.
	images := mat.NewDense(2, 4, []float64{0, 1, 1, 0, 1, 0, 0, 1})
	o := chart.Options{Title: "digits", Image: chart.ImageOptions{Scale: 8, Min: 0, Max: 1, ColLabels: []string{"a", "b"}}}
	img, err := o.ImageGrid(images, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(img.Bounds().Dx() > 2*16, img.Bounds().Dy() > 16)
	_, err = chart.Options{Image: chart.ImageOptions{RowLabels: []string{"a", "b"}}}.ImageGrid(images, 2)
	fmt.Println(err)
	// Output:
	// true true
	// chart: ImageGrid has 1 grid rows and 2 RowLabels
}

func ExampleAxis_Label() {
	fmt.Println(chart.Axis{Name: "time", Unit: "s"}.Label())
	fmt.Println(chart.Axis{Name: "epoch"}.Label())
	// Output:
	// time (s)
	// epoch
}

func ExampleOptions_Validate() {
	fmt.Println(chart.Options{}.Validate())
	fmt.Println(chart.Options{Width: 50}.Validate())
	// Output:
	// <nil>
	// chart: bad options: Width is 50, want 0 (900) or 200 to 4000 pixels
}

func ExampleImageGrid() {
	// Three 2×2 images, one per row.
	images := mat.NewDense(3, 4, []float64{
		0, 1, 1, 0,
		-1, 0, 0, 1,
		0.5, 0.5, 0.5, 0.5,
	})
	img, err := chart.ImageGrid(images, 2, chart.ImageOptions{Diverging: true, Scale: 4})
	if err != nil {
		fmt.Println(err)
		return
	}
	// 3 images of 8×8 px side by side with 2 px gaps around them.
	fmt.Println(img.Bounds().Dx(), img.Bounds().Dy())
	fmt.Println(img.RGBAAt(12, 2)) // top-left pixel of the second image: -1, in red
	// Output:
	// 32 12
	// {255 0 0 255}
}

func ExampleImageGridPNG() {
	images := mat.NewDense(20, 9, nil) // twenty blank 3×3 images
	b, err := chart.ImageGridPNG(images, 3, chart.ImageOptions{Cols: 5})
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg, _ := png.DecodeConfig(bytes.NewReader(b))
	// 5 columns × (3 px · scale 2) + 6 gaps of 2 px; 4 rows likewise.
	fmt.Println(cfg.Width, cfg.Height)
	// Output: 42 34
}

func ExampleShowImages() {
	_, printed, restore := tempOutput()
	defer restore()
	if err := chart.ShowImages(mat.NewDense(2, 4, []float64{0, 1, 1, 0, 1, 0, 0, 1}), 2, chart.ImageOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.HasPrefix(printed.String(), "images: "), strings.HasSuffix(strings.TrimSpace(printed.String()), ".png"))
	// Output: true true
}

func ExampleImageOptions_Validate() {
	fmt.Println(chart.ImageOptions{}.Validate())
	fmt.Println(chart.ImageOptions{Min: 1, Max: 0}.Validate())
	// Output:
	// <nil>
	// chart: bad config: ImageOptions.Min is 1, want at most Max (0)
}

func ExampleTable() {
	h, err := chart.Table([]string{"topic", "words"}, [][]string{{"1", "ram, vga & bus"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Contains(h, "<td style=\"text-align:left;padding:2px 10px\">ram, vga &amp; bus</td>"))
	// Output: true
}

func ExampleTextTable() {
	t, _ := chart.TextTable([]string{"topic", "words"}, [][]string{{"1", "ram vga bus"}, {"12", "god jesus"}})
	fmt.Print(t)
	// Output:
	// topic  words
	// -----  -----------
	// 1      ram vga bus
	// 12     god jesus
}

func ExampleShowTable() {
	// Outside a notebook the table is printed as text.
	if err := chart.ShowTable([]string{"digit", "count"}, [][]string{{"0", "1001"}, {"1", "1127"}}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// digit  count
	// -----  -----
	// 0      1001
	// 1      1127
}

func ExampleShowMarkdown() {
	if err := chart.ShowMarkdown("**NMF** converged after 120 iterations"); err != nil {
		fmt.Println(err)
	}
	// Output: **NMF** converged after 120 iterations
}

func ExampleNewProgress() {
	p := chart.NewProgress("epochs", 10)
	fmt.Println(p)
	// Output: epochs   0% [                        ] 0/10
}

func ExampleProgressOptions_New() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p, err := chart.ProgressOptions{
		Writer:   os.Stdout,
		Interval: time.Second,
		Unit:     "epoch",
		Clock:    func() time.Time { return now },
	}.New("training", 4)
	if err != nil {
		fmt.Println(err)
		return
	}
	for epoch := 1; epoch <= 4; epoch++ {
		now = now.Add(500 * time.Millisecond)
		p.Update(chart.Step{Done: epoch, Loss: 1 / float64(epoch)})
	}
	p.Finish()
	// Output:
	// training  25% [######                  ] 1/4  2.00 epoch/s  ETA 0:02  loss 1
	// training  75% [##################      ] 3/4  2.00 epoch/s  ETA 0:01  loss 0.3333
	// training 100% [########################] 4/4  2.00 epoch/s  in 0:02  loss 0.25
}

func ExampleProgressOptions_Track() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	o := chart.ProgressOptions{Writer: os.Stdout, Interval: time.Hour, Clock: func() time.Time { return now }}
	// The fit.Func every Config's Progress field takes (chart.Track in a
	// notebook).
	progress := o.Track("fit")
	for i := int64(1); i <= 3; i++ {
		now = now.Add(time.Second)
		ev := fit.Progress{Step: i, Total: 10, Unit: "iteration", Loss: 10 / float64(i)}
		if err := progress(ev); err != nil {
			fmt.Println(err)
		}
	}
	// The trainer's final event: it converged early.
	_ = progress(fit.Progress{Step: 3, Total: 10, Unit: "iteration", Loss: 3.3, Done: true, Status: "converged at iteration 3"})
	// The first event and the final one are drawn; the rest are throttled.
	// Output:
	// fit  10% [##                      ] 1/10  1.00 iteration/s  ETA 0:09  loss 10
	// fit 100% [########################] 3/3  1.00 iteration/s  in 0:03  loss 3.3  converged at iteration 3 (3 of 10 planned)
}

func ExampleNewLiveCurve() {
	_, printed, restore := tempOutput()
	defer restore()
	curve := chart.NewLiveCurve("ELBO")
	for epoch := 0; epoch < 5; epoch++ {
		if err := curve.Add("train", float64(epoch), -200+float64(epoch*epoch)); err != nil {
			fmt.Println(err)
			return
		}
	}
	line, _ := curve.Line()
	fmt.Println(len(line.MultiSeries[0].Data.([]opts.LineData)))
	// Outside a notebook Flush writes the final chart like Show.
	if err := curve.Flush(); err != nil {
		fmt.Println(err)
	}
	fmt.Println(strings.HasPrefix(printed.String(), "chart: "))
	fmt.Println(curve.Add("train", 5, 0) == nil)
	// Output:
	// 5
	// true
	// true
}

func ExampleInNotebook() {
	fmt.Println(chart.InNotebook())
	// Output: false
}
