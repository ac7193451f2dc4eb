package chart

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/gonbml/gonbml/internal/browsertest"
	"github.com/gonbml/gonbml/internal/testenv"
)

// explorerNotebook is the test notebook: a slider x, a select colour and a
// text box drive a synthetic picture (a bar at x, in the colour, with one
// dot per letter); the cell after the explorer prints "after the explorer".
const explorerNotebook = "testdata/explorer.ipynb"

// imageShown is true once the explorer test notebook's picture is on the
// page.
const imageShown = `Jupyter.notebook.get_cells()[2].element[0].querySelector(".output_area img")`

// explorerJS installs window.gx, the test's view of the explorer in the
// classic notebook page: its picture (the first image among the explorer
// cell's outputs), the picture's pixels, and the time from an action to
// the next picture.
const explorerJS = `window.gx = {
  root: () => document.querySelector(".gonbml-explorer"),
  cell: () => Jupyter.notebook.get_cells()[2].element[0],
  img: () => { const c = gx.cell(); return c && c.querySelector(".output_area img"); },
  pixels: async () => {
    const img = gx.img();
    if (!img) { return null; }
    await img.decode();
    const cv = document.createElement("canvas");
    cv.width = img.naturalWidth; cv.height = img.naturalHeight;
    const cx = cv.getContext("2d");
    cx.drawImage(img, 0, 0);
    return cx.getImageData(0, 0, cv.width, cv.height).data;
  },
  // mark remembers the current picture; changed counts the pixels that
  // differ from it (-1: a different size, 0: the same picture).
  mark: async () => { gx.baseSrc = gx.img().src; gx.base = await gx.pixels(); return gx.base.length; },
  changed: async () => {
    const img = gx.img();
    if (!img || img.src === gx.baseSrc) { return 0; }
    const p = await gx.pixels();
    if (p.length !== gx.base.length) { return -1; }
    let n = 0;
    for (let i = 0; i < p.length; i += 4) {
      if (p[i] !== gx.base[i] || p[i+1] !== gx.base[i+1] || p[i+2] !== gx.base[i+2]) { n++; }
    }
    return n;
  },
  // latency runs act and resolves to the milliseconds until the picture
  // is another one, or -1 after 10 s.
  latency: (act) => new Promise((resolve) => {
    const src = gx.img().src, t0 = performance.now();
    act();
    (function poll() {
      const img = gx.img();
      if (img && img.src !== src) { resolve(performance.now() - t0); return; }
      if (performance.now() - t0 > 10000) { resolve(-1); return; }
      setTimeout(poll, 2);
    })();
  }),
};
true`

// openExplorer serves the test notebook, runs all its cells in a new tab
// and waits until the explorer is live (its controls wired, its picture
// shown).
func openExplorer(t testing.TB, notebook, picture string) *browsertest.Tab {
	t.Helper()
	browsertest.Chromium(t)
	// The notebook is served from a directory inside the checkout, so the
	// kernel (which runs where the notebook is) uses this checkout's
	// stdlib even where a kernelspec picks the checkout by the kernel's
	// working directory. The directory is hidden and removed afterwards.
	dir, err := os.MkdirTemp(filepath.Dir(explorerNotebook), ".live-")
	if err != nil {
		t.Fatal(err)
	}
	if dir, err = filepath.Abs(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	nb, err := os.ReadFile(notebook)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(notebook)), nb, 0o644); err != nil {
		t.Fatal(err)
	}
	srv := browsertest.StartNotebookServer(t, dir)
	browser := browsertest.New(t, browsertest.Options{Width: 1100, Height: 900})
	tab := browser.NewTab(t)
	tab.Navigate(srv.NotebookURL(filepath.Base(notebook)))
	browsertest.Run(tab, "waiting for the kernel", chromedp.Poll[bool](`!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())`, chromedp.WithPollingTimeout(2*time.Minute)))
	browsertest.Evaluate[bool](tab, "run all cells", `Jupyter.notebook.execute_all_cells(), true`)
	waitLive(t, tab, picture)
	browsertest.Evaluate[bool](tab, "the explorer helpers", explorerJS)
	return tab
}

// evalAsync evaluates expression in the page, awaiting the promise it
// returns.
func evalAsync[T any](tab *browsertest.Tab, what, expression string) T {
	return browsertest.Run(tab, "Runtime.evaluate ("+what+")", chromedp.Evaluate[T](expression, chromedp.EvalAwaitPromise))
}

// waitLive waits until the explorer's controls are wired and its picture
// is shown (the JavaScript expression picture is true); compiling the cells takes seconds on a quiet machine, a minute
// or more on a loaded one.
func waitLive(t testing.TB, tab *browsertest.Tab, picture string) {
	t.Helper()
	deadline := time.Now().Add(4 * time.Minute)
	for !browsertest.Evaluate[bool](tab, "looking for the live explorer", `!!(document.querySelector(".gonbml-explorer[data-gonbml-wired]") && document.querySelector("[data-gonbml-draws]") && (`+picture+`))`) {
		if time.Now().After(deadline) {
			outs := browsertest.Evaluate[string](tab, "the outputs", `Jupyter.notebook.get_cells().map((c, i) => i + ": " + (c.output_area ? c.output_area.element[0].innerText.slice(0, 1500) : "")).join("\n")`)
			t.Fatalf("no live explorer within 4 minutes; console: %q; outputs:\n%s", tab.Errors(), outs)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// awaitChange waits up to 10 s for the picture to differ from the marked
// one and returns the number of changed pixels (0 if it never changed).
func awaitChange(t testing.TB, tab *browsertest.Tab, what string) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := evalAsync[int](tab, "comparing the picture after "+what, `gx.changed()`)
		if n != 0 || time.Now().After(deadline) {
			return n
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestBrowserExplorer runs the explorer test notebook in the real notebook
// server in headless Chromium: moving the slider with the keyboard,
// choosing another colour and typing into the text box each change the
// picture (pixel difference) within 10 s; Stop ends the cell, the next
// cell runs, the last picture stays, and the console stays clean. The
// update latency of slider moves is logged (a measurement, not asserted).
// It starts a server and compiles cells, so it runs only with
// GONBML_LIVE_BROWSER_TEST=1, as `make browser` sets.
func TestBrowserExplorer(t *testing.T) {
	if os.Getenv("GONBML_LIVE_BROWSER_TEST") != "1" {
		t.Skip("set GONBML_LIVE_BROWSER_TEST=1 to run the notebook server test")
	}
	tab := openExplorer(t, explorerNotebook, imageShown)
	ctx := tab.Context()
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	const slider = `.gonbml-explorer input[type="range"]`
	const selectEl = `.gonbml-explorer select`
	const text = `.gonbml-explorer input[type="text"]`

	// The slider: two steps right with the keyboard (2.0 → 3.0).
	evalAsync[int](tab, "marking the picture", `gx.mark()`)
	run("moving the slider", chromedp.Focus(chromedp.CSS(slider)), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight))
	if n := awaitChange(t, tab, "the slider moved"); n <= 0 {
		t.Fatalf("the picture did not change within 10 s of moving the slider (%d pixels)", n)
	} else {
		t.Logf("slider: %d pixels changed", n)
	}
	shown := browsertest.Evaluate[string](tab, "the slider's value", `document.querySelector('.gonbml-explorer output').textContent`)
	if shown != "3.0" {
		t.Errorf("the slider shows %q after two steps of 0.5 from 2, want 3.0", shown)
	}

	// The select.
	evalAsync[int](tab, "marking the picture", `gx.mark()`)
	browsertest.Evaluate[bool](tab, "choosing blue", `(() => { const s = document.querySelector('`+selectEl+`'); s.value = "1"; s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	if n := awaitChange(t, tab, "choosing blue"); n <= 0 {
		t.Fatalf("the picture did not change within 10 s of choosing another colour (%d pixels)", n)
	} else {
		t.Logf("select: %d pixels changed", n)
	}

	// The text box: typing adds one dot per letter.
	evalAsync[int](tab, "marking the picture", `gx.mark()`)
	run("typing", chromedp.Click(chromedp.CSS(text)), chromedp.SendKeys(chromedp.CSS(text), " there"))
	if n := awaitChange(t, tab, "typing"); n <= 0 {
		t.Fatalf("the picture did not change within 10 s of typing (%d pixels)", n)
	} else {
		t.Logf("text box: %d pixels changed", n)
	}
	// Typing into the box must not reach the notebook's shortcuts (in
	// command mode "t", "h", "e", "r" would otherwise act on cells).
	if cells := browsertest.Evaluate[int](tab, "counting cells", `Jupyter.notebook.get_cells().length`); cells != 4 {
		t.Errorf("the notebook has %d cells after typing into the explorer, want 4", cells)
	}

	// Latency of slider moves, one at a time.
	var ms []float64
	for i := 0; i < 8; i++ {
		step := "1"
		if i%2 == 0 {
			step = "-1"
		}
		v := evalAsync[float64](tab, "timing a slider move", `gx.latency(() => {
			const s = document.querySelector('`+slider+`');
			s.value = String(+s.value + `+step+`);
			s.dispatchEvent(new Event("input", {bubbles: true}));
		})`)
		if v < 0 {
			t.Fatalf("move %d: the picture did not change within 10 s", i+1)
		}
		ms = append(ms, v)
	}
	slices.Sort(ms)
	t.Logf("update latency over %d slider moves: median %.0f ms, max %.0f ms (page event to new picture, through GoNB and the relay)", len(ms), ms[len(ms)/2], ms[len(ms)-1])

	// Stop: the cell ends, the next one runs, the picture stays.
	evalAsync[int](tab, "marking the picture", `gx.mark()`)
	run("pressing Stop", chromedp.Click(chromedp.CSS(`.gonbml-explorer button[data-gonbml-stop]`)))
	browsertest.Run(tab, "waiting for the next cell", chromedp.Poll[bool](`(() => {
		const cells = Jupyter.notebook.get_cells().filter(c => c.cell_type == "code");
		return cells.every(c => typeof c.input_prompt_number == "number") && cells[2].output_area.element[0].innerText.includes("after the explorer");
	})()`, chromedp.WithPollingTimeout(2*time.Minute)))
	after := browsertest.Evaluate[string](tab, "the explorer cell's text", `Jupyter.notebook.get_cells()[2].output_area.element[0].innerText`)
	if !strings.Contains(after, "explorer stopped") || strings.Contains(after, "Stop\n") {
		t.Errorf("after Stop the explorer cell reads %q; want the stopped line instead of the controls", after)
	}
	if n := browsertest.Evaluate[int](tab, "the last picture", `gx.img() ? 1 : 0`); n != 1 {
		t.Error("the last picture is gone after Stop")
	}
	if errs := browsertest.Evaluate[int](tab, "error outputs", `document.querySelectorAll(".output_error, .output_stderr").length`); errs != 0 {
		t.Errorf("%d error outputs in the notebook", errs)
	}
	shot := browsertest.Run(tab, "Page.captureScreenshot", chromedp.CaptureScreenshot())
	keepScreenshot(t, "explorer-live.png", shot)

	// The kernel's interrupt ends a running explorer the same way, without
	// an error.
	browsertest.Evaluate[bool](tab, "running the explorer again", `Jupyter.notebook.get_cells()[2].execute(), true`)
	waitLive(t, tab, imageShown)
	browsertest.Evaluate[bool](tab, "interrupting the kernel", `Jupyter.notebook.kernel.interrupt(), true`)
	browsertest.Run(tab, "waiting for the interrupted cell", chromedp.Poll[bool](`(() => {
		const c = Jupyter.notebook.get_cells()[2];
		return typeof c.input_prompt_number == "number" && c.output_area.element[0].innerText.includes("explorer interrupted");
	})()`, chromedp.WithPollingTimeout(2*time.Minute)))
	if n := browsertest.Evaluate[int](tab, "the last picture", `gx.img() ? 1 : 0`); n != 1 {
		t.Error("the last picture is gone after the interrupt")
	}
	if errs := browsertest.Evaluate[string](tab, "error outputs", `Array.from(document.querySelectorAll(".output_error, .output_stderr")).map(e => e.innerText).join("\n")`); errs != "" {
		t.Errorf("error outputs after the interrupt: %s", errs)
	}
	for _, e := range tab.Errors() {
		t.Errorf("console error: %s", e)
	}
	for _, r := range tab.Requests() {
		t.Errorf("page tried to load %s from outside the machine", r)
	}
}

// TestBrowserExplorerHeadless runs the explorer test notebook with
// `gonbml run` (nbclient, no page): the explorer cell ends by itself with
// the static picture and its one line, the next cell runs, and the saved
// notebook keeps no script of GoNB's.
func TestBrowserExplorerHeadless(t *testing.T) {
	if os.Getenv("GONBML_LIVE_BROWSER_TEST") != "1" {
		t.Skip("set GONBML_LIVE_BROWSER_TEST=1 to run the notebook server test")
	}
	_, err := exec.LookPath("/usr/bin/python3")
	testenv.Require(t, "Debian's Jupyter (/usr/bin/python3)", err)
	root, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "gonbml")
	build := exec.Command("go", "build", "-o", bin, "./kernel/cmd/gonbml")
	build.Dir = filepath.Dir(strings.TrimSpace(string(root)))
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building gonbml: %v\n%s", err, out)
	}
	src, _ := filepath.Abs(explorerNotebook)
	out := filepath.Join(tmp, "explorer.ipynb")
	// The per-cell timeout makes a blocked explorer a failure, not a hang.
	cmd := exec.Command(bin, "run", "-timeout", "3m", "-out", out, src)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	})
	select {
	case err = <-done:
	case <-time.After(8 * time.Minute):
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		<-done
		t.Fatalf("gonbml run did not finish within 8 minutes:\n%s", log.String())
	}
	if err != nil {
		t.Fatalf("gonbml run: %v\n%s", err, log.String())
	}
	t.Logf("gonbml run:\n%s", log.String())
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			CellType string `json:"cell_type"`
			Outputs  []struct {
				OutputType string                     `json:"output_type"`
				Data       map[string]json.RawMessage `json:"data"`
				Text       any                        `json:"text"`
			} `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatal(err)
	}
	if len(nb.Cells) != 4 {
		t.Fatalf("%d cells", len(nb.Cells))
	}
	pictures, static := 0, 0
	for _, o := range nb.Cells[2].Outputs {
		if _, ok := o.Data["image/png"]; ok {
			pictures++
		}
		if h, ok := o.Data["text/html"]; ok && strings.Contains(string(h), "<script") {
			t.Errorf("the saved explorer cell keeps a script: %.200s", h)
		}
		if s := textOf(o.Text); strings.Contains(s, "is static here") {
			static++
		}
	}
	if pictures != 1 || static != 1 {
		t.Errorf("explorer cell: %d pictures and %d static lines, want 1 and 1", pictures, static)
	}
	last := ""
	for _, o := range nb.Cells[3].Outputs {
		last += textOf(o.Text)
	}
	if !strings.Contains(last, "after the explorer") {
		t.Errorf("the cell after the explorer printed %q", last)
	}
}

func textOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		var b strings.Builder
		for _, s := range x {
			if str, ok := s.(string); ok {
				b.WriteString(str)
			}
		}
		return b.String()
	}
	return ""
}

// BenchmarkBrowserExplorerUpdate measures an explorer's update latency in
// the real notebook server: from a slider's input event in the page to
// the new picture on the page, through gonb_comm, the relay, GoNB, the
// cell's program (draw and PNG encoding of a 320×160 picture) and back.
// Needs GONBML_LIVE_BROWSER_TEST=1; run with -benchtime=30x.
func BenchmarkBrowserExplorerUpdate(b *testing.B) {
	if os.Getenv("GONBML_LIVE_BROWSER_TEST") != "1" {
		b.Skip("set GONBML_LIVE_BROWSER_TEST=1 to run the notebook server benchmark")
	}
	tab := openExplorer(b, explorerNotebook, imageShown)
	var ms []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step := "1"
		if i%2 == 1 {
			step = "-1"
		}
		v := evalAsync[float64](tab, "timing a slider move", `gx.latency(() => {
			const s = document.querySelector('.gonbml-explorer input[type="range"]');
			s.value = String(+s.value + `+step+`);
			s.dispatchEvent(new Event("input", {bubbles: true}));
		})`)
		if v < 0 {
			b.Fatalf("move %d: the picture did not change within 10 s", i+1)
		}
		ms = append(ms, v)
	}
	b.StopTimer()
	slices.Sort(ms)
	b.ReportMetric(ms[len(ms)/2], "median-ms/update")
	b.ReportMetric(ms[len(ms)*9/10], "p90-ms/update")
}

// TestBrowserExplorerChart runs an explorer whose picture is a Row of an
// interactive chart and HTML: moving the slider redraws the chart in place
// (its canvas changes) and the HTML with it, with a clean console. Needs
// GONBML_LIVE_BROWSER_TEST=1.
func TestBrowserExplorerChart(t *testing.T) {
	if os.Getenv("GONBML_LIVE_BROWSER_TEST") != "1" {
		t.Skip("set GONBML_LIVE_BROWSER_TEST=1 to run the notebook server test")
	}
	const canvasInk = `(() => {
		const c = Jupyter.notebook.get_cells()[1].element[0].querySelector(".gonbml-chart canvas");
		if (!c) { return ""; }
		const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		let ink = 0, sum = 0;
		for (let i = 0; i < px.length; i += 4) {
			if (px[i+3] > 0 && (px[i] < 245 || px[i+1] < 245 || px[i+2] < 245)) { ink++; sum = (sum * 31 + i) % 1000000007; }
		}
		return ink > 1000 ? ink + ":" + sum : "";
	})()`
	tab := openExplorer(t, "testdata/explorer-chart.ipynb", canvasInk+` !== ""`)
	value := func() string {
		return browsertest.Evaluate[string](tab, "the HTML part", `(() => { const p = document.querySelector("p.a-value"); return p ? p.textContent : ""; })()`)
	}
	before, shown := browsertest.Evaluate[string](tab, "the chart's pixels", canvasInk), value()
	if shown != "a = 1.0" {
		t.Errorf("the HTML part reads %q, want a = 1.0", shown)
	}
	browsertest.Evaluate[bool](tab, "moving the slider", `(() => {
		const s = document.querySelector('.gonbml-explorer input[type="range"]');
		s.value = String(+s.value + 2);
		s.dispatchEvent(new Event("input", {bubbles: true}));
		return true;
	})()`)
	deadline := time.Now().Add(10 * time.Second)
	var after string
	for {
		after = browsertest.Evaluate[string](tab, "the chart's pixels", canvasInk)
		if (after != "" && after != before && value() == "a = 2.0") || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if after == "" || after == before {
		t.Errorf("the chart did not change within 10 s of moving the slider (before %q, after %q)", before, after)
	}
	if v := value(); v != "a = 2.0" {
		t.Errorf("the HTML part reads %q after the move, want a = 2.0", v)
	}
	browsertest.Evaluate[bool](tab, "pressing Stop", `document.querySelector('.gonbml-explorer button[data-gonbml-stop]').click(), true`)
	browsertest.Run(tab, "waiting for the next cell", chromedp.Poll[bool](`Jupyter.notebook.get_cells()[2].output_area.element[0].innerText.includes("after the explorer")`, chromedp.WithPollingTimeout(2*time.Minute)))
	shot := browsertest.Run(tab, "Page.captureScreenshot", chromedp.CaptureScreenshot())
	keepScreenshot(t, "explorer-chart-live.png", shot)
	for _, e := range tab.Errors() {
		t.Errorf("console error: %s", e)
	}
	for _, r := range tab.Requests() {
		t.Errorf("page tried to load %s from outside the machine", r)
	}
}
