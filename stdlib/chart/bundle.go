package chart

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gonbml/gonbml/stdlib/echarts"
	"github.com/gonbml/gonbml/stdlib/internal/npm"
)

// BundleMarker is text found only in the output that carries the inlined
// ECharts bundle (see stdlib/echarts, where it is defined so that the
// linter need not import chart).
const BundleMarker = echarts.BundleMarker

// echartsFile is the bundle's path inside the npm tarball.
const echartsFile = "dist/echarts.min.js"

var (
	bundleOnce sync.Once
	bundleJS   string
	bundleErr  error
)

// loadBundle returns echarts.min.js from the pinned npm tarball (fetched
// into the data cache on first use) and caches it for the process.
var loadBundle = func() (string, error) {
	bundleOnce.Do(func() {
		b, err := npm.ECharts.ReadFile(context.Background(), echartsFile)
		if err != nil {
			bundleErr = fmt.Errorf("chart: loading the ECharts bundle (%s): %w", npm.ECharts, err)
			return
		}
		bundleJS = string(b)
	})
	return bundleJS, bundleErr
}

// queueJS defines window.gonbmlWhenECharts(f): call f now if ECharts is
// loaded, else queue it until the bundle script runs. It is included in
// every chart output (it is small) so charts work whatever order the page
// executes its outputs in.
const queueJS = `window.gonbmlWhenECharts = window.gonbmlWhenECharts || function (f) {
  if (window.echarts) { f(); return; }
  (window.gonbmlEChartsQueue = window.gonbmlEChartsQueue || []).push(f);
};`

// bundleScript wraps the ECharts bundle so it defines window.echarts even
// when require.js is on the page: inside the function, define, module and
// exports are undefined parameters, so the UMD wrapper takes its browser
// global branch. Then it runs the charts queued before it arrived.
func bundleScript(js string) string {
	var b strings.Builder
	b.WriteString("<script type=\"text/javascript\">\n")
	b.WriteString("/* ECharts " + npm.ECharts.Version + " (Apache-2.0), " + BundleMarker + " */\n")
	b.WriteString("if (!window.echarts) { (function (define, module, exports) {\n")
	b.WriteString(escapeScript(js))
	b.WriteString("\n}).call(window, undefined, undefined, undefined); }\n")
	b.WriteString(queueJS)
	b.WriteString("\n(function () { var q = window.gonbmlEChartsQueue || []; window.gonbmlEChartsQueue = []; for (var i = 0; i < q.length; i++) { q[i](); } })();\n")
	b.WriteString("</script>")
	return b.String()
}

// escapeScript keeps a script's text from closing its <script> element
// early. "<\/" means the same as "</" inside JavaScript strings and regular
// expressions, where such text can legally appear.
func escapeScript(js string) string {
	return strings.ReplaceAll(js, "</", "<\\/")
}

var sessionMu sync.Mutex

// needBundle reports whether the bundle still has to be sent to the current
// notebook page, and records that it is being sent. GoNB runs every cell as
// a new process, so the record is a file in the kernel session's temporary
// directory ($GONB_TMP_DIR), which lives exactly as long as the kernel.
// Without that variable the bundle is sent once per process.
var sentInProcess bool

func needBundle() bool {
	sessionMu.Lock()
	defer sessionMu.Unlock()
	if sentInProcess {
		return false
	}
	sentInProcess = true
	dir := os.Getenv("GONB_TMP_DIR")
	if dir == "" {
		return true
	}
	marker := filepath.Join(dir, "gonbml-echarts-"+npm.ECharts.Version+".sent")
	f, err := os.OpenFile(marker, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		// Exists (sent by an earlier cell) or the directory is unusable; in
		// the latter case sending again is the safe choice.
		return !os.IsExist(err)
	}
	f.Close()
	return true
}

// ensureBundle displays the ECharts bundle as its own output if this page
// does not have it yet. It is a separate output so that updating a chart in
// place (LiveCurve) never removes the bundle from the page.
func ensureBundle(fe frontEnd) error {
	js, err := loadBundle()
	if err != nil {
		return err
	}
	if !needBundle() {
		return nil
	}
	fe.display(map[string]any{
		"text/html":  bundleScript(js),
		"text/plain": "(ECharts " + npm.ECharts.Version + " loaded for the charts below)",
	}, "")
	return nil
}
