package chart

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gonbml/gonbml/internal/browsertest"
)

// layoutJS reports, for the chart drawn in the page, ECharts' own layout:
// the plot area (grid), the legend's box and whether a visualMap
// component is drawn. getViewOfComponentModel and coordinateSystem are
// ECharts 5 instance internals; a change there fails the test loudly.
const layoutJS = `(function () {
  var el = document.querySelector('.gonbml-chart > div[id]');
  var inst = echarts.getInstanceByDom(el);
  var model = inst.getModel();
  var grid = model.getComponent('grid').coordinateSystem.getRect();
  var out = {grid: [grid.x, grid.y, grid.width, grid.height], legend: null, visualMaps: (inst.getOption().visualMap || []).length};
  var lg = model.getComponent('legend');
  if (lg && lg.get('show')) {
    var g = inst.getViewOfComponentModel(lg).group;
    var r = g.getBoundingRect().clone();
    r.applyTransform(g.getLocalTransform());
    out.legend = [r.x, r.y, r.width, r.height];
  }
  return out;
})()`

type echartsLayout struct {
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
	dir := t.TempDir()
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			h, err := HTML(charts[name])
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, name+".html")
			var page strings.Builder
			if err := writePage(&page, name, js, h); err != nil {
				t.Fatal(err)
			}
			if err := writeFileAtomic(path, []byte(page.String())); err != nil {
				t.Fatal(err)
			}
			pc := browse(t, browser, "file://"+path, 20*time.Second)
			keepScreenshot(t, "helper-"+name+".png", pc.screenshot)
			requireDrawn(t, pc, 1)
			tab := browser.NewTab(t)
			tab.Navigate("file://" + path)
			l := browsertest.Evaluate[echartsLayout](tab, "ECharts' layout", layoutJS)
			if len(l.Grid) != 4 {
				t.Fatalf("no grid in ECharts' layout: %+v", l)
			}
			opt := optionOf(t, charts[name])
			if lg := first(opt, "legend"); lg["show"] == true {
				if len(l.Legend) != 4 {
					t.Fatalf("legend not drawn: %+v", l)
				}
				g, b := l.Grid, l.Legend
				if b[0] < g[0]+g[2] && g[0] < b[0]+b[2] && b[1] < g[1]+g[3] && g[1] < b[1]+b[3] {
					t.Errorf("legend box %v overlaps the plot area %v", b, g)
				}
			}
			if (first(opt, "visualMap") != nil) != (l.VisualMaps == 1) {
				t.Errorf("%d visualMaps drawn, want one exactly for heat maps", l.VisualMaps)
			}
		})
	}
}
