package browsertest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gonbml/gonbml/internal/testenv"
)

// NotebookServer is the classic notebook server that `gonbml notebook`
// runs, started for one test.
type NotebookServer struct {
	URL   string // base URL, e.g. http://127.0.0.1:41234/
	Token string
}

// NotebookURL returns the URL that opens path (relative to the served
// directory) with the token.
func (s *NotebookServer) NotebookURL(path string) string {
	return s.URL + "notebooks/" + strings.TrimPrefix(path, "/") + "?token=" + s.Token
}

// StartNotebookServer builds the gonbml command of this checkout and runs
// `gonbml notebook -dir dir -port 0`, as a user would, so that a test
// outside kernel/ needs no kernel package. It waits for the URL the
// command prints, and checks that the server offers the gonbml kernel. A
// missing Jupyter or kernelspec skips the test, or fails it under CI=true.
// The server and its kernels stop when the test ends.
func StartNotebookServer(t testing.TB, dir string) *NotebookServer {
	t.Helper()
	missing := func(format string, args ...any) {
		t.Helper()
		testenv.Require(t, "the notebook server", fmt.Errorf(format, args...))
	}
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "gonbml")
	build := exec.Command("go", "build", "-o", bin, "./kernel/cmd/gonbml")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("browsertest: building gonbml: %v\n%s", err, out)
	}

	cmd := exec.Command(bin, "notebook", "-dir", dir, "-port", "0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("browsertest: starting gonbml notebook: %v", err)
	}
	done := make(chan error, 1)
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); strings.HasPrefix(l, "http://") && strings.Contains(l, "?token=") {
				select {
				case urls <- l:
				default:
				}
			}
		}
		done <- cmd.Wait()
	}()
	// The notebook server runs in a process group of its own, which
	// gonbml stops on SIGTERM; remember the groups of gonbml's children in
	// case gonbml cannot.
	var groups []int
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Errorf("browsertest: gonbml notebook did not stop within 20s of SIGTERM; killing it")
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			for _, g := range groups {
				syscall.Kill(-g, syscall.SIGKILL)
			}
			<-done
		}
	})

	var line string
	select {
	case line = <-urls:
	case err := <-done:
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(msg, "Jupyter is not installed") {
			missing("%s", msg)
		}
		t.Fatalf("browsertest: gonbml notebook exited before serving (%v): %s", err, msg)
	case <-time.After(2 * time.Minute):
		t.Fatalf("browsertest: gonbml notebook printed no URL within 2 minutes: %s", stderr.String())
	}
	for _, p := range processes() {
		if p.ppid == cmd.Process.Pid && p.pgid != cmd.Process.Pid {
			groups = append(groups, p.pgid)
		}
	}
	base, token, ok := strings.Cut(line, "tree?token=")
	if !ok {
		t.Fatalf("browsertest: unexpected URL from gonbml notebook: %q", line)
	}
	s := &NotebookServer{URL: base, Token: token}

	resp, err := http.Get(s.URL + "api/kernelspecs?token=" + s.Token)
	if err != nil {
		t.Fatalf("browsertest: asking the notebook server for kernels: %v", err)
	}
	defer resp.Body.Close()
	var specs struct {
		Kernelspecs map[string]json.RawMessage `json:"kernelspecs"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&specs); err != nil {
		t.Fatalf("browsertest: reading the kernel list: %v", err)
	}
	if _, ok := specs.Kernelspecs["gonbml"]; !ok {
		missing("the gonbml kernel is not installed (run 'make install'); the server offers %d other kernels", len(specs.Kernelspecs))
	}
	return s
}

// moduleRoot returns the directory of the module's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("browsertest: go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("browsertest: not inside the gonbml module")
	}
	return filepath.Dir(gomod), nil
}

// lockedBuffer is a bytes.Buffer the command writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
