package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Each bad input gets one clear error line saying what to do, and leaves
// nothing half-installed.
func TestBadInputGetsOneClearLine(t *testing.T) {
	e := newEnv(t, repoRoot(t), "")
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.ipynb")
	os.WriteFile(garbage, []byte("{this is not json"), 0o644)
	good := notebook(t, dir, "good.ipynb", "%%\nfmt.Println(1)")
	noGoPath := filepath.Join(dir, "nogo")
	os.MkdirAll(noGoPath, 0o755)
	unwritable := "/proc/gonbml-cannot-exist/jupyter"

	for _, tc := range []struct {
		name  string
		args  []string
		env   []string
		wants []string // all must appear in the one line
	}{
		{"notebook that does not parse", []string{"run", garbage}, nil,
			[]string{"garbage.ipynb does not parse"}},
		{"unknown kernel", []string{"run", "--kernel", "no-such-kernel", good}, nil,
			[]string{"no Jupyter kernel named 'no-such-kernel'", "make install"}},
		{"missing notebook", []string{"run", filepath.Join(dir, "absent.ipynb")}, nil,
			[]string{"absent.ipynb"}},
		{"missing Go", []string{"install", "--no-prewarm"}, []string{"PATH=" + noGoPath},
			[]string{"Go is not installed", "install Go"}},
		{"missing Jupyter", []string{"install", "--no-prewarm"}, []string{"JUPYTER_PYTHON=/bin/false"},
			[]string{"JUPYTER_PYTHON", "pip install"}},
		{"unwritable data dir", []string{"install", "--no-prewarm"}, []string{"JUPYTER_DATA_DIR=" + unwritable},
			[]string{"JUPYTER_DATA_DIR", unwritable}},
		{"unknown command", []string{"frobnicate"}, nil,
			[]string{"unknown command", "gonbml help"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(filepath.Join(e.bin, "gonbml"), tc.args...)
			cmd.Env = append(append([]string{}, e.vars...), tc.env...)
			cmd.Dir = e.root
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			if err == nil {
				t.Fatalf("gonbml %v succeeded", tc.args)
			}
			msg := stderr.String()
			if lines := strings.Count(strings.TrimRight(msg, "\n"), "\n") + 1; lines != 1 {
				t.Errorf("want one error line, got %d:\n%s", lines, msg)
			}
			for _, w := range tc.wants {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
		})
	}
	if _, err := os.Stat(unwritable); err == nil {
		t.Errorf("an install into an unwritable data dir left %s behind", unwritable)
	}
	// The kernelspec from newEnv is still whole after the failed installs.
	data, err := os.ReadFile(filepath.Join(e.jupyter, "kernels", "gonbml", "kernel.json"))
	if err != nil || !strings.Contains(string(data), `"display_name": "Go (gonbml)"`) {
		t.Errorf("kernelspec damaged after failed installs: %v\n%s", err, data)
	}
}
