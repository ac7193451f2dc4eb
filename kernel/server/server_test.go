package server

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gonbml/gonbml/internal/testenv"

	"github.com/gonbml/gonbml/kernel/setup"
)

// The token opens the server but shows neither in its command line (which
// every user can read in ps) nor in its environment (which kernels inherit),
// and the file that carried it is gone once the server answers.
func TestTokenNotInCommandLine(t *testing.T) {
	_, err := setup.JupyterPython()
	testenv.Require(t, "Jupyter", err)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the token file goes
	t.Setenv("JUPYTER_TOKEN", "inherited-token-must-not-win")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := Start(ctx, Options{Dir: tmp, Env: append(os.Environ(), "JUPYTER_RUNTIME_DIR="+filepath.Join(tmp, "runtime"))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	if len(s.Token) < 32 {
		t.Fatalf("token %q is too short to be a random one", s.Token)
	}

	// The server and everything it started so far.
	pids := []int{s.cmd.Process.Pid}
	if out, err := exec.Command("pgrep", "-g", strconv.Itoa(s.cmd.Process.Pid)).Output(); err == nil {
		for _, f := range strings.Fields(string(out)) {
			if pid, err := strconv.Atoi(f); err == nil && pid != pids[0] {
				pids = append(pids, pid)
			}
		}
	}
	for _, pid := range pids {
		for _, file := range []string{"cmdline", "environ"} {
			data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), file))
			if err != nil {
				t.Fatalf("reading /proc/%d/%s: %v", pid, file, err)
			}
			if strings.Contains(string(data), s.Token) {
				t.Errorf("/proc/%d/%s holds the token", pid, file)
			}
		}
	}
	ps, err := exec.Command("ps", "-eo", "args").Output()
	if err != nil {
		t.Fatalf("ps: %v", err)
	}
	if strings.Contains(string(ps), s.Token) {
		t.Errorf("ps shows the token")
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "gonbml-token-*")); len(left) > 0 {
		t.Errorf("token file left behind: %v", left)
	}

	for _, c := range []struct {
		token string
		want  int
	}{
		{s.Token, http.StatusOK},
		{"inherited-token-must-not-win", http.StatusForbidden},
		{"wrong", http.StatusForbidden},
	} {
		resp, err := http.Get(s.URL + "api/status?token=" + c.token)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("api/status with token %q: %d, want %d", c.token, resp.StatusCode, c.want)
		}
	}
}
