package integration

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/chart"
)

// `gonbml run --strip-bundle` saves a notebook as the repository keeps it:
// the output holding the ECharts bundle is gone, a chart keeps only its
// image/png (its interactive text/html part cannot run without the bundle),
// and other HTML outputs (a table) are kept.
func TestStripBundleKeepsEachChartAsOnePNG(t *testing.T) {
	e := newEnv(t, repoRoot(t), "")
	nb := notebook(t, t.TempDir(), "strip.ipynb", `import "github.com/gonbml/gonbml/stdlib/chart"`,
		`%%
c, err := chart.Options{X: chart.Axis{Name: "epoch"}, Y: chart.Axis{Name: "loss"}}.
	Line(chart.Series{Name: "train", Y: []float64{3, 2, 1}})
if err != nil {
	panic(err)
}
if err := chart.Show(c); err != nil {
	panic(err)
}
if err := chart.ShowTable([]string{"epoch", "loss"}, [][]string{{"1", "3"}}); err != nil {
	panic(err)
}`)
	if out, err := e.gonbml("run", "--strip-bundle", nb); err != nil {
		t.Fatalf("gonbml run --strip-bundle: %v\n%s", err, out)
	}
	data, err := os.ReadFile(nb)
	if err != nil {
		t.Fatal(err)
	}
	var saved struct {
		Cells []struct {
			Outputs []struct {
				Data map[string]any `json:"data"`
			} `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(data, &saved); err != nil {
		t.Fatal(err)
	}
	pictures, tables := 0, 0
	for _, c := range saved.Cells {
		for _, o := range c.Outputs {
			for mime, v := range o.Data {
				s := joinText(v)
				if strings.Contains(s, chart.BundleMarker) {
					t.Errorf("saved notebook still holds the ECharts bundle (%s)", mime)
				}
				if mime == "text/html" && strings.Contains(s, chart.InteractiveMarker) {
					t.Error("saved notebook still holds a chart's interactive text/html")
				}
				if mime == "text/html" && strings.Contains(s, "<table") {
					tables++
				}
			}
			if _, ok := o.Data["image/png"]; ok {
				pictures++
			}
		}
	}
	if pictures != 1 || tables != 1 {
		t.Errorf("saved notebook has %d chart pictures and %d tables, want 1 and 1", pictures, tables)
	}
}
