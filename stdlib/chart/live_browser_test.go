package chart

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gonbml/gonbml/internal/browsertest"
)

// liveCells is a small notebook that shows one chart of each kind, an
// image grid, a table, a progress bar and a live curve.
var liveCells = []string{
	"# Charts in the live notebook server",
	`import (
	"time"

	"github.com/gonbml/gonbml/stdlib/chart"
	"gonum.org/v1/gonum/mat"
)`,
	`%%
line, err := chart.Line("loss", chart.Series{Name: "train", Y: []float64{3, 2, 1.5, 1.2, 1.1}}, chart.Series{Name: "test", Y: []float64{3.2, 2.4, 2, 1.9, 1.9}})
if err != nil {
	panic(err)
}
bar, _ := chart.Bar("top words", []string{"whale", "ship", "sea"}, []float64{3, 2, 1}, true)
scatter, _ := chart.Scatter("latent", []float64{0, 1, 2, 3, 4, 5}, []float64{1, 0, 2, 1, 3, 2}, []string{"a", "b", "a", "b", "a", "b"})
heat, _ := chart.HeatMap("weights", mat.NewDense(2, 3, []float64{1, -1, 0.5, 0, 2, -2}), nil, nil)
hist, _ := chart.Histogram("values", []float64{1, 2, 2, 3, 3, 3, 4, 4, 5}, 5)
for _, c := range []chart.Renderer{line, bar, scatter, heat, hist} {
	if err := chart.Show(c); err != nil {
		panic(err)
	}
}
if err := chart.ShowImages(mat.NewDense(2, 4, []float64{0, 1, 1, 0, -1, 0, 0, 1}), 2, chart.ImageOptions{Diverging: true, Scale: 8}); err != nil {
	panic(err)
}
if err := chart.ShowTable([]string{"word", "weight"}, [][]string{{"whale", "3"}, {"ship", "2"}}); err != nil {
	panic(err)
}`,
	`%%
progress := chart.NewProgress("epochs", 30)
curve := chart.NewLiveCurve("live loss")
curve.Interval = 200 * time.Millisecond
for epoch := 1; epoch <= 30; epoch++ {
	time.Sleep(40 * time.Millisecond)
	progress.Update(chart.Step{Done: epoch, Loss: 1 / float64(epoch)})
	if err := curve.Add("train", float64(epoch), 1/float64(epoch)); err != nil {
		panic(err)
	}
}
progress.Finish()
if err := curve.Flush(); err != nil {
	panic(err)
}`,
}

// kernelName is the name `gonbml install` gives the kernelspec.
const kernelName = "gonbml"

// writeNotebook writes cells (Markdown when they start with "#") as an
// nbformat 4 notebook for the gonbml kernel.
func writeNotebook(t *testing.T, path string, cells []string) {
	t.Helper()
	var cs []map[string]any
	for _, src := range cells {
		if strings.HasPrefix(src, "#") {
			cs = append(cs, map[string]any{"cell_type": "markdown", "metadata": map[string]any{}, "source": src})
			continue
		}
		cs = append(cs, map[string]any{"cell_type": "code", "metadata": map[string]any{}, "source": src, "outputs": []any{}, "execution_count": nil})
	}
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 5, "cells": cs,
		"metadata": map[string]any{"kernelspec": map[string]string{"name": kernelName, "display_name": "Go (gonbml)", "language": "go"}},
	}
	b, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserLiveNotebook runs a notebook with every kind of output in the
// real classic notebook server (require.js on the page) in headless
// Chromium: the charts are drawn on canvases, the progress bar reached
// 100% and the console stays clean. The tab's network is cut, so nothing
// but the local server can be reached, and nothing else was tried. It starts a server and compiles
// cells (minutes on a loaded machine), so it runs only when
// GONBML_LIVE_BROWSER_TEST=1, as the notebook stage of CI sets.
func TestBrowserLiveNotebook(t *testing.T) {
	if os.Getenv("GONBML_LIVE_BROWSER_TEST") != "1" {
		t.Skip("set GONBML_LIVE_BROWSER_TEST=1 to run the notebook server test")
	}
	browsertest.Chromium(t)
	dir := t.TempDir()
	writeNotebook(t, filepath.Join(dir, "live.ipynb"), liveCells)
	// The server runs through the gonbml command, so this stdlib test
	// imports no kernel package; it skips (fails under CI) without
	// Jupyter or the installed kernel.
	srv := browsertest.StartNotebookServer(t, dir)

	browser := newBrowser(t)
	tab := browser.NewTab(t)
	tab.RunNotebook(srv.NotebookURL("live.ipynb"), 5*time.Minute)

	var charts []chartCheck
	deadline := time.Now().Add(30 * time.Second)
	for {
		charts = browsertest.Evaluate[[]chartCheck](tab, "the chart check", countInkJS)
		ready := len(charts) == 6
		for _, c := range charts {
			ready = ready && c.Ink >= 1000
		}
		if ready || time.Now().After(deadline) {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	progress := browsertest.Evaluate[[]string](tab, "the progress bars", progressJS)
	text := browsertest.Evaluate[string](tab, "the output text", `Array.from(document.querySelectorAll(".output_area")).map(e => e.innerText).join("\n")`)
	images := browsertest.Evaluate[int](tab, "counting images", `document.querySelectorAll(".output_area img").length`)
	// The notebook scrolls inside its own panel: show the last cell (the
	// progress bar and the live curve) and capture the viewport.
	browsertest.Evaluate[bool](tab, "scrolling to the last cell", `Jupyter.notebook.get_cells().slice(-1)[0].element[0].scrollIntoView(), true`)
	shot := browsertest.Run(tab, "Page.captureScreenshot", chromedp.CaptureScreenshot())
	keepScreenshot(t, "charts-live.png", shot)

	// Five charts from Show and the live curve.
	requireDrawn(t, pageCheck{charts: charts}, 6)
	if len(progress) != 1 || progress[0] != "100" {
		t.Errorf("progress bars at %v, want one at 100", progress)
	}
	if images < 1 {
		t.Error("the image grid is not shown")
	}
	if !strings.Contains(text, "whale") || strings.Contains(text, "panic") || strings.Contains(text, "Error") {
		t.Errorf("outputs miss the table or show an error:\n%s", text)
	}
	for _, e := range tab.Errors() {
		t.Errorf("console error: %s", e)
	}
	for _, r := range tab.Requests() {
		t.Errorf("page tried to load %s from outside the machine", r)
	}
}
