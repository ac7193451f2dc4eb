package chart

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gonbml/gonbml/internal/browsertest"
	"gonum.org/v1/gonum/mat"
)

// chartCheck is what the browser shows for one chart container.
type chartCheck struct {
	ID       string `json:"id"`
	Canvases int    `json:"canvases"`
	Ink      int    `json:"ink"` // canvas pixels that are not blank (white or transparent)
	Drawn    bool   `json:"drawn"`
}

// pageCheck is what a page showed in headless Chromium with the network cut.
type pageCheck struct {
	charts     []chartCheck
	progress   []string // data-gonbml-progress values
	errors     []string // console errors, exceptions and error log entries
	requests   []string // requests that tried to leave the machine
	screenshot []byte
}

// countInkJS lists the chart containers with how many canvas pixels are
// drawn (not white, not transparent).
const countInkJS = `Array.from(document.querySelectorAll('.gonbml-chart > div[id]')).map(function (d) {
  var ink = 0, cs = d.querySelectorAll('canvas');
  cs.forEach(function (c) {
    var px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (var i = 0; i < px.length; i += 4) {
      if (px[i + 3] > 0 && (px[i] < 245 || px[i + 1] < 245 || px[i + 2] < 245)) { ink++; }
    }
  });
  return {id: d.id, canvases: cs.length, ink: ink, drawn: d.getAttribute('data-gonbml-drawn') === '1'};
})`

// newBrowser starts a fresh headless Chromium (own profile). Its tabs
// have the network cut off: every request that would leave the machine
// fails and is recorded.
func newBrowser(t *testing.T) *browsertest.Browser {
	return browsertest.New(t, browsertest.Options{Width: 1100, Height: 900})
}

// browse opens url in a new tab of the browser, waits until every chart
// container has a drawn canvas (or timeout), and reports what it saw.
func browse(t *testing.T, browser *browsertest.Browser, url string, timeout time.Duration) pageCheck {
	t.Helper()
	start := time.Now()
	tab := browser.NewTab(t)
	tab.Navigate(url)
	t.Logf("page loaded after %v", time.Since(start))
	var pc pageCheck
	deadline := time.Now().Add(timeout)
	for {
		charts := browsertest.Evaluate[[]chartCheck](tab, "the chart check", countInkJS)
		pc.charts = charts
		ready := len(charts) > 0
		for _, c := range charts {
			ready = ready && c.Canvases > 0 && c.Ink > 0
		}
		if ready || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	// ECharts animates nothing here (animation is off in the helpers), but
	// give the last frame a moment before the screenshot.
	time.Sleep(300 * time.Millisecond)
	pc.charts = browsertest.Evaluate[[]chartCheck](tab, "the chart check", countInkJS)
	pc.progress = browsertest.Evaluate[[]string](tab, "the progress bars", progressJS)
	pc.screenshot = browsertest.Run(tab, "Page.captureScreenshot (full page)", chromedp.FullScreenshot(100))
	t.Logf("checked after %v", time.Since(start))
	pc.errors, pc.requests = tab.Errors(), tab.Requests()
	return pc
}

// progressJS lists the data-gonbml-progress values of the progress bars.
const progressJS = `Array.from(document.querySelectorAll('.gonbml-progress')).map(function (e) { return e.getAttribute('data-gonbml-progress'); })`

// keepScreenshot writes a screenshot into $GONBML_SCREENSHOT_DIR when set,
// for a person to look at.
func keepScreenshot(t *testing.T, name string, png []byte) {
	dir := os.Getenv("GONBML_SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Error(err)
	}
}

// requireDrawn fails unless want charts were found, each drawn on a canvas
// with visible pixels, with no console errors and no network requests.
func requireDrawn(t *testing.T, pc pageCheck, want int) {
	t.Helper()
	if len(pc.charts) != want {
		t.Errorf("%d chart containers, want %d", len(pc.charts), want)
	}
	for _, c := range pc.charts {
		// A chart with fewer than 1000 inked pixels would be axes at best;
		// every test chart draws data over a much larger area.
		if !c.Drawn || c.Canvases == 0 || c.Ink < 1000 {
			t.Errorf("chart %s: drawn=%v, %d canvases, %d inked pixels", c.ID, c.Drawn, c.Canvases, c.Ink)
		}
	}
	for _, e := range pc.errors {
		t.Errorf("browser error: %s", e)
	}
	for _, r := range pc.requests {
		t.Errorf("page tried to load %s from outside the machine", r)
	}
}

// tourCharts builds one chart of each helper kind.
func tourCharts(t *testing.T) []Renderer {
	t.Helper()
	line := mustLine(t)
	bar, err := Bar("top words", []string{"ship", "whale", "sea", "captain"}, []float64{4, 3, 2, 1}, true)
	if err != nil {
		t.Fatal(err)
	}
	var x, y []float64
	var labels []string
	for i := 0; i < 60; i++ {
		x = append(x, float64(i%10))
		y = append(y, float64(i/10))
		labels = append(labels, fmt.Sprint(i%3))
	}
	scatter, err := Scatter("latent", x, y, labels)
	if err != nil {
		t.Fatal(err)
	}
	heat, err := HeatMap("weights", mat.NewDense(2, 3, []float64{1, -1, 0.5, 0, 2, -2}), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	hist, err := Histogram("values", []float64{1, 2, 2, 3, 3, 3, 4, 4, 5}, 5)
	if err != nil {
		t.Fatal(err)
	}
	return []Renderer{line, bar, scatter, heat, hist}
}

func TestBrowserPageOffline(t *testing.T) {
	browsertest.Chromium(t)
	js := needRealBundle(t)
	browser := newBrowser(t)
	charts := tourCharts(t)
	var body strings.Builder
	for _, c := range charts {
		h, err := ChartHTML(c)
		if err != nil {
			t.Fatal(err)
		}
		body.WriteString(h)
	}
	dir := t.TempDir()
	write := func(name, head string) string {
		var page strings.Builder
		if err := writePage(&page, "tour", js, body.String()); err != nil {
			t.Fatal(err)
		}
		html := strings.Replace(page.String(), "</head>", head+"</head>", 1)
		path := filepath.Join(dir, name)
		if err := writeFileAtomic(path, []byte(html)); err != nil {
			t.Fatal(err)
		}
		return path
	}
	// Notebook 6 and nbconvert pages load require.js; an AMD define on the
	// page must not capture the bundle (JupyterLab has none, and the bundle
	// runs the same code then). This define throws if the bundle's UMD
	// wrapper ever calls it.
	amd := "<script>window.define = function () { throw new Error('bundle escaped its define shadow'); }; window.define.amd = {};</script>\n"
	pc := browse(t, browser, "file://"+write("amd.html", amd), 20*time.Second)
	keepScreenshot(t, "chart-page.png", pc.screenshot)
	requireDrawn(t, pc, len(charts))
}

// TestBrowserNotebookExport opens the nbconvert HTML export of
// notebooks/01-charts-tour.ipynb (made by `gonbml run -html-dir DIR`, which
// executes it through Jupyter) with the network cut off. Executing the
// notebook takes minutes, so the test reads an export made beforehand:
// set GONBML_NOTEBOOK_HTML_DIR to the directory holding
// 01-charts-tour.html.
func TestBrowserNotebookExport(t *testing.T) {
	dir := os.Getenv("GONBML_NOTEBOOK_HTML_DIR")
	if dir == "" {
		t.Skip("GONBML_NOTEBOOK_HTML_DIR not set: run `gonbml run -html-dir DIR notebooks/01-charts-tour.ipynb` first")
	}
	path, err := filepath.Abs(filepath.Join(dir, "01-charts-tour.html"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("export missing: %v", err)
	}
	// The export loads require.js (Debian's local copy): the bundle must
	// still define window.echarts.
	if !strings.Contains(string(b), "require") {
		t.Log("export does not load require.js; the AMD case is covered by TestBrowserPageOffline")
	}
	browser := newBrowser(t)
	pc := browse(t, browser, "file://"+path, 30*time.Second)
	keepScreenshot(t, "charts-tour-export.png", pc.screenshot)
	// The tour shows seven charts: the raw go-echarts bar, Bar, Scatter,
	// HeatMap, Histogram, the live curve and Line.
	requireDrawn(t, pc, 7)
	if len(pc.progress) != 1 || pc.progress[0] != "100" {
		t.Errorf("progress bars at %v, want one at 100", pc.progress)
	}
}
