package fresh

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}

// machine is an empty home for one installation.
type machine struct {
	dir    string // everything lives under here
	src    string // the clone
	marker string // GONBML_FRESH_RUN=<id>, in every process this test starts
	env    []string
}

// newMachine clones the checkout's HEAD into a temporary directory and
// prepares an environment with nothing of the user's Go, Jupyter or gonbml
// state: no Go env file (so GOFLAGS and GOTOOLCHAIN are unset), Go's default
// GOPROXY and GOSUMDB, and empty caches.
func newMachine(t *testing.T) *machine {
	t.Helper()
	for _, tool := range []string{"git", "go", "unshare", "ip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the fresh-machine test needs %s: %v", tool, err)
		}
	}
	dir, err := os.MkdirTemp("", "gonbml-fresh-")
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 8)
	rand.Read(id)
	m := &machine{dir: dir, src: filepath.Join(dir, "src"), marker: "GONBML_FRESH_RUN=" + hex.EncodeToString(id)}
	t.Cleanup(func() {
		// Processes first (they hold files open), then the files; Go's
		// module cache is read-only, so make it writable before removing.
		if left := killMarked(m.marker); len(left) > 0 {
			t.Errorf("processes left running after the test (killed): %s", strings.Join(left, "; "))
		}
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
		if err := os.RemoveAll(dir); err != nil {
			t.Errorf("removing %s: %v", dir, err)
		}
	})

	head, err := exec.Command("git", "-C", repoRoot(), "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatalf("git rev-parse HEAD: %v", err)
	}
	for _, args := range [][]string{
		{"clone", "--quiet", "--no-checkout", repoRoot(), m.src},
		{"-C", m.src, "checkout", "--quiet", "--detach", strings.TrimSpace(string(head))},
	} {
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}

	home := filepath.Join(dir, "home")
	for _, d := range []string{home, filepath.Join(dir, "tmp")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	goBin := filepath.Dir(must(exec.LookPath("go")))
	m.env = []string{
		"PATH=" + goBin + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"HOME=" + home,
		"TMPDIR=" + filepath.Join(dir, "tmp"),
		"LANG=C.UTF-8",
		"GOMODCACHE=" + filepath.Join(dir, "gomodcache"),
		"GOCACHE=" + filepath.Join(dir, "gocache"),
		"JUPYTER_DATA_DIR=" + filepath.Join(dir, "jupyter"),
		"GONBML_DATA=" + filepath.Join(dir, "gonbml-data"),
		m.marker,
	}
	// Keep CI (a missing component fails) and the test-run marker of
	// `make test` (so its leftover check sees these processes too).
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "CI=") || strings.HasPrefix(kv, "GONBML_TEST_RUN=") {
			m.env = append(m.env, kv)
		}
	}
	return m
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// run runs a command in the clone, in its own process group, killed with
// its group when it overruns timeout.
func (m *machine) run(t *testing.T, timeout time.Duration, env []string, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = m.src
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if testing.Verbose() {
		// Long steps: show their progress as it happens.
		w := io.MultiWriter(&out, os.Stdout)
		cmd.Stdout, cmd.Stderr = w, w
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // anything it left in its group
		return out.String(), err
	case <-time.After(timeout):
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		return out.String(), fmt.Errorf("%s did not finish within %s", name, timeout)
	}
}

// offline runs a command in a new network namespace with only loopback up:
// the kernel talks to Jupyter over 127.0.0.1, nothing else is reachable.
func (m *machine) offline(t *testing.T, timeout time.Duration, env []string, args ...string) (string, error) {
	return m.run(t, timeout, env, "unshare", append([]string{"-n", "sh", "-c", `ip link set lo up && exec "$@"`, "sh"}, args...)...)
}

// A clone of this checkout, installed from nothing by install/install.sh,
// runs a notebook whose first cell imports the stdlib with the network cut
// off; and the same machine, its checksum cache emptied, refuses an offline
// install with one line saying what to do.
func TestFreshMachine(t *testing.T) {
	if os.Getenv("GONBML_FRESH") != "1" {
		t.Skip("the fresh-machine test downloads and builds everything anew (about 10 minutes): run it with 'make fresh' (GONBML_FRESH=1)")
	}
	if err := exec.Command("unshare", "-n", "true").Run(); err != nil {
		t.Fatalf("the fresh-machine test needs a network namespace (unshare -n): %v", err)
	}
	m := newMachine(t)

	start := time.Now()
	out, err := m.run(t, 75*time.Minute, m.env, "install/install.sh")
	if err != nil {
		t.Fatalf("install/install.sh on a fresh machine: %v\n%s", err, out)
	}
	t.Logf("install/install.sh from nothing: %.0fs", time.Since(start).Seconds())
	if !strings.Contains(out, "compiled into the Go build cache") {
		t.Errorf("install did not pre-warm the stdlib:\n%s", out)
	}
	// The kernel is registered in this machine's Jupyter data dir, pointing
	// at the clone.
	spec, err := os.ReadFile(filepath.Join(m.dir, "jupyter", "kernels", "gonbml", "kernel.json"))
	if err != nil {
		t.Fatalf("no kernelspec in the fresh JUPYTER_DATA_DIR: %v", err)
	}
	var ks struct{ Argv []string }
	if err := json.Unmarshal(spec, &ks); err != nil || len(ks.Argv) == 0 || ks.Argv[0] != filepath.Join(m.src, "bin", "gonbml") {
		t.Fatalf("kernelspec argv = %v (%v), want %s first", ks.Argv, err, filepath.Join(m.src, "bin", "gonbml"))
	}

	// The first cell of a new notebook, offline.
	nb := filepath.Join(m.dir, "first.ipynb")
	writeNotebook(t, nb, `import (
	"github.com/gonbml/gonbml/stdlib/nmf"
	"github.com/gonbml/gonbml/stdlib/sparse"
	"gonum.org/v1/gonum/mat"
	"github.com/go-echarts/go-echarts/v2/charts"
)

%%
m, err := sparse.FromTriplets(2, 2, []sparse.Triplet{{0, 0, 1.5}, {1, 1, 2}})
if err != nil {
	panic(err)
}
fmt.Printf("sum=%.1f chart=%T config=%T\n", mat.Sum(m), charts.NewBar(), nmf.Config{})`)
	start = time.Now()
	out, err = m.offline(t, 10*time.Minute, m.env, filepath.Join(m.src, "bin", "gonbml"), "run", "--timeout", "5m", nb)
	if err != nil {
		t.Fatalf("the first cell, offline, on the fresh machine: %v\n%s", err, out)
	}
	t.Logf("first notebook offline: %.1fs", time.Since(start).Seconds())
	// 1.5 + 2 = 3.5: the sum of the two stored values.
	if got := notebookText(t, nb); !strings.Contains(got, "sum=3.5 chart=*charts.Bar config=nmf.Config") {
		t.Errorf("first cell printed %q, want sum=3.5 chart=*charts.Bar config=nmf.Config", got)
	}

	// The same machine without the checksum lookups install cached: an
	// offline install says in one line to install online once.
	sumdb := filepath.Join(m.dir, "gomodcache", "cache", "download", "sumdb")
	if _, err := os.Stat(sumdb); err != nil {
		t.Fatalf("install cached no checksum lookups in the module cache: %v", err)
	}
	filepath.WalkDir(sumdb, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o755)
		}
		return nil
	})
	if err := os.RemoveAll(sumdb); err != nil {
		t.Fatal(err)
	}
	out, err = m.offline(t, 5*time.Minute, m.env, filepath.Join(m.src, "bin", "gonbml"), "install")
	if err == nil {
		t.Fatalf("offline install without checksum lookups succeeded:\n%s", out)
	}
	last := lastLine(out)
	if !strings.HasPrefix(last, "gonbml install: setup: offline") || !strings.Contains(last, "run 'make install' once while the Go module proxy is reachable") {
		t.Errorf("offline install without checksum lookups said %q, want one line saying to run 'make install' online once; all output:\n%s", last, out)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// writeNotebook writes a one-cell Go notebook for the gonbml kernel.
func writeNotebook(t *testing.T, path, src string) {
	t.Helper()
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{"kernelspec": map[string]string{"name": "gonbml", "display_name": "Go (gonbml)", "language": "go"}},
		"cells":    []any{map[string]any{"cell_type": "code", "metadata": map[string]any{}, "source": src, "outputs": []any{}, "execution_count": nil}},
	}
	data, _ := json.MarshalIndent(nb, "", " ")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// notebookText returns the text and data outputs of an executed notebook.
func notebookText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			Outputs []map[string]any `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(data, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var b strings.Builder
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			js, _ := json.Marshal(o)
			b.Write(js)
		}
	}
	return b.String()
}

// killMarked kills every process whose environment holds marker (the
// exact NAME=VALUE) and returns what it found, as "PID command".
func killMarked(marker string) []string {
	var found []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil || !bytes.Contains(append(append([]byte{0}, env...), 0), []byte("\x00"+marker+"\x00")) {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		found = append(found, fmt.Sprintf("%d %s", pid, strings.TrimSpace(strings.ReplaceAll(string(cmdline), "\x00", " "))))
		syscall.Kill(pid, syscall.SIGKILL)
	}
	return found
}
