package chart

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gonbml/gonbml/internal/browsertest"
)

// layoutJS reports, for the chart drawn in the page, ECharts' own layout:
// the plot area (grid), the legend's box and whether a visualMap
// component is drawn. getViewOfComponentModel and coordinateSystem are
// ECharts 5 instance internals; a change there fails the test loudly.
const layoutJS = `Array.from(document.querySelectorAll('.gonbml-chart > div[id]')).map(function (el) {
  var inst = echarts.getInstanceByDom(el);
  var model = inst.getModel();
  var grid = model.getComponent('grid').coordinateSystem.getRect();
  var out = {id: el.id, grid: [grid.x, grid.y, grid.width, grid.height], legend: null, visualMaps: (inst.getOption().visualMap || []).length};
  var lg = model.getComponent('legend');
  if (lg && lg.get('show')) {
    var g = inst.getViewOfComponentModel(lg).group;
    var r = g.getBoundingRect().clone();
    r.applyTransform(g.getLocalTransform());
    out.legend = [r.x, r.y, r.width, r.height];
  }
  return out;
})`

type echartsLayout struct {
	ID         string    `json:"id"`
	Grid       []float64 `json:"grid"`
	Legend     []float64 `json:"legend"`
	VisualMaps int       `json:"visualMaps"`
}

// TestBrowserHelperScreenshots draws every helper's chart in headless
// Chromium with the network cut, checks ECharts' own layout (the legend
// box does not overlap the plot area; heat maps have a visualMap), and
// saves one screenshot per helper into $GONBML_SCREENSHOT_DIR for a person
// to look at.
func TestBrowserHelperScreenshots(t *testing.T) {
	browsertest.Chromium(t)
	js := needRealBundle(t)
	browser := newBrowser(t)
	charts := lookCharts(t)
	names := make([]string, 0, len(charts))
	for n := range charts {
		names = append(names, n)
	}
	sort.Strings(names)
	// One page holding every helper's chart, in name order.
	var body strings.Builder
	for _, name := range names {
		h, err := ChartHTML(charts[name])
		if err != nil {
			t.Fatal(err)
		}
		body.WriteString(h)
	}
	path := filepath.Join(t.TempDir(), "helpers.html")
	var page strings.Builder
	if err := writePage(&page, "helpers", js, body.String()); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(path, []byte(page.String())); err != nil {
		t.Fatal(err)
	}
	pc := browse(t, browser, "file://"+path, 30*time.Second)
	requireDrawn(t, pc, len(names))
	tab := browser.NewTab(t)
	tab.Navigate("file://" + path)
	layouts := browsertest.Evaluate[[]echartsLayout](tab, "ECharts' layout", layoutJS)
	if len(layouts) != len(names) {
		t.Fatalf("%d charts laid out, want %d", len(layouts), len(names))
	}
	for i, name := range names {
		l := layouts[i]
		shot := browsertest.Run(tab, "screenshot of "+name, chromedp.Screenshot("#"+l.ID))
		keepScreenshot(t, "helper-"+name+".png", shot)
		if len(l.Grid) != 4 {
			t.Errorf("%s: no grid in ECharts' layout: %+v", name, l)
			continue
		}
		opt := optionOf(t, charts[name])
		if lg := first(opt, "legend"); lg["show"] == true {
			if len(l.Legend) != 4 {
				t.Errorf("%s: legend not drawn: %+v", name, l)
				continue
			}
			g, b := l.Grid, l.Legend
			if b[0] < g[0]+g[2] && g[0] < b[0]+b[2] && b[1] < g[1]+g[3] && g[1] < b[1]+b[3] {
				t.Errorf("%s: legend box %v overlaps the plot area %v", name, b, g)
			}
		}
		if (first(opt, "visualMap") != nil) != (l.VisualMaps == 1) {
			t.Errorf("%s: %d visualMaps drawn, want one exactly for heat maps", name, l.VisualMaps)
		}
	}
}
