package chartcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/chart"
)

const notebooksDir = "../../notebooks"

// savedNotebooks lists the notebooks kept in the repository (testdata
// excluded: it is not under notebooks/ directly).
func savedNotebooks(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(notebooksDir, "*.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	// Hidden files are a runner's temporary copies, not notebooks.
	paths = slices.DeleteFunc(paths, func(p string) bool {
		return strings.HasPrefix(filepath.Base(p), ".")
	})
	if len(paths) == 0 {
		t.Fatalf("no notebooks in %s", notebooksDir)
	}
	return paths
}

// report fails t with one line per failing notebook, so the list of
// notebooks still to fix reads at a glance.
func report(t *testing.T, what string, failing map[string][]string) {
	t.Helper()
	if len(failing) == 0 {
		return
	}
	names := make([]string, 0, len(failing))
	for n := range failing {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	fmt.Fprintf(&b, "%d notebooks %s:\n", len(names), what)
	for _, n := range names {
		fmt.Fprintf(&b, "  %s:\n", n)
		for _, p := range failing[n] {
			fmt.Fprintf(&b, "    - %s\n", p)
		}
	}
	t.Error(b.String())
}

// TestSavedNotebooksHoldEachPictureOnce checks the notebooks as the
// repository keeps them (`gonbml run --strip-bundle`): no output carries the
// ECharts bundle, and no chart output carries its interactive text/html next
// to its image/png (code hosts would show the empty box, and the file would
// hold the chart twice).
func TestSavedNotebooksHoldEachPictureOnce(t *testing.T) {
	failing := map[string][]string{}
	for _, path := range savedNotebooks(t) {
		nb, err := Read(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		for i, c := range nb.Cells {
			for _, o := range c.Outputs {
				for _, v := range o.Data {
					if strings.Contains(string(v), chart.BundleMarker) {
						failing[name] = append(failing[name], fmt.Sprintf("cell %d holds the ECharts bundle", i))
					}
				}
				_, png := o.Data["image/png"]
				if html, ok := o.Data["text/html"]; ok && png && IsChart(string(html)) {
					failing[name] = append(failing[name], fmt.Sprintf(
						"cell %d: chart keeps its text/html next to its image/png", i))
				}
			}
		}
	}
	report(t, "must be re-saved with `gonbml run --strip-bundle`", failing)
}

// TestExecutedNotebookCharts reads back every chart of every notebook from
// the executed copies `make notebooks` writes into $(NB_OUT) (outputs not
// stripped, so each chart's ECharts option is there) and checks it: named
// axes, the legend outside the plot area, a visualMap on heat maps. An
// executed copy whose code cells differ from the saved notebook's is stale
// and fails too. The Makefile's browser target sets
// GONBML_NOTEBOOK_OUT_DIR; without it the test is skipped (go test ./...
// runs before the notebooks are executed).
func TestExecutedNotebookCharts(t *testing.T) {
	dir := os.Getenv("GONBML_NOTEBOOK_OUT_DIR")
	if dir == "" {
		t.Skip("GONBML_NOTEBOOK_OUT_DIR not set: run `make notebooks`, then " +
			"GONBML_NOTEBOOK_OUT_DIR=.cache/notebooks-out go test ./kernel/chartcheck")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("executed notebooks missing (run `make notebooks`): %v", err)
	}
	failing := map[string][]string{}
	total := 0
	for _, path := range savedNotebooks(t) {
		name := filepath.Base(path)
		saved, err := Read(path)
		if err != nil {
			t.Fatal(err)
		}
		executed, err := Read(filepath.Join(dir, name))
		if err != nil {
			failing[name] = append(failing[name], fmt.Sprintf("no executed copy: %v", err))
			continue
		}
		if !slices.Equal(saved.Code(), executed.Code()) {
			failing[name] = append(failing[name], "executed copy is stale (its code cells differ): run `make notebooks`")
			continue
		}
		charts, _, err := NotebookCharts(executed)
		if err != nil {
			failing[name] = append(failing[name], err.Error())
			continue
		}
		total += len(charts)
		for _, c := range charts {
			for _, p := range Check(c) {
				failing[name] = append(failing[name], fmt.Sprintf("cell %d %q: %s", c.Cell, c.Title, p))
			}
		}
		t.Logf("%s: %d charts", name, len(charts))
	}
	if total == 0 && len(failing) == 0 {
		t.Error("no chart found in any executed notebook")
	}
	report(t, "have charts that read badly", failing)
}
