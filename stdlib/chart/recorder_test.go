package chart

import (
	"strings"
	"sync"
	"testing"

	"github.com/gonbml/gonbml/internal/testenv"
)

// recorder is a frontEnd that keeps what would be sent to the notebook.
type recorder struct {
	mu    sync.Mutex
	outs  []output
	syncs int
}

type output struct {
	data map[string]any
	id   string
}

func (r *recorder) display(data map[string]any, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outs = append(r.outs, output{data, id})
}

func (r *recorder) sync() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.syncs++
}

// fakeBundle stands in for echarts.min.js in tests of the display logic;
// the real bundle is exercised by the page tests and the browser test.
const fakeBundle = "window.echarts = {fake: true};"

// inNotebook makes the package display into a recorder, as if it ran in a
// fresh GoNB kernel session (empty $GONB_TMP_DIR), for the test's duration.
func inNotebook(t *testing.T) *recorder {
	t.Helper()
	r := &recorder{}
	frontMu.Lock()
	old := front
	front = r
	frontMu.Unlock()
	oldLoad := loadBundle
	loadBundle = func() (string, error) { return fakeBundle, nil }
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	newProcess()
	t.Cleanup(func() {
		frontMu.Lock()
		front = old
		frontMu.Unlock()
		loadBundle = oldLoad
		newProcess()
	})
	return r
}

// newProcess forgets what this process sent, as the next cell's program
// would.
func newProcess() {
	sessionMu.Lock()
	sentInProcess = false
	sessionMu.Unlock()
}

// needRealBundle loads the real ECharts bundle or skips (fails under
// CI=true) when the npm tarball cannot be had.
func needRealBundle(t *testing.T) string {
	t.Helper()
	js, err := loadBundle()
	testenv.Require(t, "the ECharts bundle (run install/install.sh)", err)
	return js
}

func isBundle(o output) bool {
	h, _ := o.data["text/html"].(string)
	return strings.Contains(h, "function (define, module, exports)")
}
