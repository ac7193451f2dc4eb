package chart

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gonbml/gonbml/internal/browsertest"
	"github.com/gonbml/gonbml/internal/testenv"
)

// debianPython is the interpreter Debian's Jupyter and nbconvert run under.
const debianPython = "/usr/bin/python3"

// notebookOf writes the recorded outputs as one code cell of an nbformat 4
// notebook, the way Jupyter saves display_data (PNG as base64 text).
func notebookOf(t *testing.T, outs []output) []byte {
	t.Helper()
	var cells []any
	for _, o := range outs {
		data := map[string]any{}
		for k, v := range o.data {
			if b, ok := v.([]byte); ok {
				v = base64.StdEncoding.EncodeToString(b)
			}
			data[k] = v
		}
		cells = append(cells, map[string]any{"output_type": "display_data", "data": data, "metadata": map[string]any{}})
	}
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{"kernelspec": map[string]string{"name": "gonbml", "display_name": "Go (gonbml)", "language": "go"}},
		"cells":    []any{map[string]any{"cell_type": "code", "metadata": map[string]any{}, "source": "%%\nchart.Show(c)", "execution_count": 1, "outputs": cells}},
	}
	b, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// stripForSave is the rule InteractiveMarker documents for saving a
// notebook without the bundle: drop the bundle's output, and the text/html
// part of every output that carries the marker.
func stripForSave(outs []output) []output {
	var kept []output
	for _, o := range outs {
		h, _ := o.data["text/html"].(string)
		if strings.Contains(h, BundleMarker) {
			continue
		}
		if strings.Contains(h, InteractiveMarker) {
			d := map[string]any{}
			for k, v := range o.data {
				if k != "text/html" {
					d[k] = v
				}
			}
			o = output{data: d, id: o.id}
		}
		kept = append(kept, o)
	}
	return kept
}

// nbconvert exports the notebook at path to HTML with Debian's nbconvert.
func nbconvert(t *testing.T, path string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, debianPython, "-m", "nbconvert", "--to", "html", "--log-level", "ERROR", path)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("nbconvert: %v\n%s", err, stderr.String())
	}
	out := strings.TrimSuffix(path, ".ipynb") + ".html"
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestOneCopyOfEachPicture shows every helper's chart in a (recorded)
// notebook session and checks the two ways it is saved, through the real
// renderers: nbconvert's HTML export (which prefers text/html) and
// Chromium with the network cut.
//
//   - Saved live, with the bundle: the notebook file holds each PNG once
//     (as image/png), the export holds the interactive charts and no
//     picture, and Chromium draws every chart from its script.
//   - Saved stripped (InteractiveMarker's rule): the notebook holds no
//     text/html chart parts, the export shows each PNG exactly once as an
//     <img>, and Chromium displays them at their full size.
func TestOneCopyOfEachPicture(t *testing.T) {
	_, err := exec.Command(debianPython, "-m", "nbconvert", "--version").Output()
	testenv.Require(t, "Debian's nbconvert", err)
	browsertest.Chromium(t)
	js := needRealBundle(t)
	rec := inNotebook(t)
	loadBundle = func() (string, error) { return js, nil }
	charts := lookCharts(t)
	names := make([]string, 0, len(charts))
	for n := range charts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := Show(charts[n]); err != nil {
			t.Fatal(err)
		}
	}
	if len(rec.outs) != len(names)+1 || !isBundle(rec.outs[0]) {
		t.Fatalf("%d outputs, want the bundle and %d charts", len(rec.outs), len(names))
	}
	dir := t.TempDir()
	browser := newBrowser(t)

	// Saved live.
	live := filepath.Join(dir, "live.ipynb")
	nb := notebookOf(t, rec.outs)
	if err := os.WriteFile(live, nb, 0o644); err != nil {
		t.Fatal(err)
	}
	pngBytes := 0
	for _, o := range rec.outs[1:] {
		b := o.data["image/png"].([]byte)
		pngBytes += len(base64.StdEncoding.EncodeToString(b))
		// The PNG's base64 text appears once in the file: as image/png.
		if n := strings.Count(string(nb), base64.StdEncoding.EncodeToString(b)[:200]); n != 1 {
			t.Errorf("a chart's PNG is stored %d times in the live notebook, want once", n)
		}
	}
	t.Logf("live notebook: %d bytes, of which %d the PNGs (once each) and %d the bundle", len(nb), pngBytes, len(js))
	export := nbconvert(t, live)
	if n := strings.Count(export, `src="data:image/png;base64,`); n != 0 {
		t.Errorf("live export shows %d inline PNGs, want the interactive charts only", n)
	}
	pc := browse(t, browser, "file://"+strings.TrimSuffix(live, ".ipynb")+".html", 30*time.Second)
	keepScreenshot(t, "one-copy-live-export.png", pc.screenshot)
	requireDrawn(t, pc, len(names))

	// Saved stripped.
	stripped := filepath.Join(dir, "stripped.ipynb")
	sb := notebookOf(t, stripForSave(rec.outs))
	if err := os.WriteFile(stripped, sb, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("stripped notebook: %d bytes for %d charts", len(sb), len(names))
	if strings.Contains(string(sb), InteractiveMarker) || strings.Contains(string(sb), BundleMarker) {
		t.Error("stripped notebook still holds chart HTML or the bundle")
	}
	export = nbconvert(t, stripped)
	if n := strings.Count(export, `src="data:image/png;base64,`); n != len(names) {
		t.Errorf("stripped export shows %d PNGs, want one per chart (%d)", n, len(names))
	}
	tab := browser.NewTab(t)
	tab.Navigate("file://" + strings.TrimSuffix(stripped, ".ipynb") + ".html")
	widths := browsertest.Evaluate[[]int](tab, "the pictures' sizes", `Array.from(document.querySelectorAll('img')).map(function (i) { return i.naturalWidth; })`)
	if len(widths) != len(names) {
		t.Errorf("%d pictures in the stripped export, want %d", len(widths), len(names))
	}
	for _, w := range widths {
		if w != defaultWidth {
			t.Errorf("picture %d px wide, want the chart's %d", w, defaultWidth)
		}
	}
	for _, r := range tab.Requests() {
		t.Errorf("stripped export tried to load %s", r)
	}
}
