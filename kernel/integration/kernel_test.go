package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The first cell of a new notebook imports stdlib, gonum and go-echarts
// packages with no setup cell, while the network is cut off: a network
// namespace with only the loopback interface (the kernel talks ZeroMQ over
// 127.0.0.1).
func TestOfflineFirstCellImportsStdlib(t *testing.T) {
	if err := exec.Command("unshare", "-n", "true").Run(); err != nil {
		t.Skipf("this OS cannot make a network namespace here (unshare -n: %v); the offline check needs one", err)
	}
	e := newEnv(t, repoRoot(t), "")
	dir := t.TempDir()
	nb := notebook(t, dir, "offline.ipynb", `import (
	"github.com/gonbml/gonbml/stdlib/sparse"
	"gonum.org/v1/gonum/mat"
	"github.com/go-echarts/go-echarts/v2/charts"
)

%%
m, err := sparse.FromTriplets(2, 2, []sparse.Triplet{{0, 0, 1.5}, {1, 1, 2}})
if err != nil {
	panic(err)
}
fmt.Printf("sum=%.1f chart=%T\n", mat.Sum(m), charts.NewBar())`)
	cmd := exec.Command("unshare", "-n", "sh", "-c", `ip link set lo up && exec "$@"`, "sh",
		filepath.Join(e.bin, "gonbml"), "run", "--timeout", "5m", nb)
	cmd.Env = append(e.vars, "GONBML_OFFLINE=") // let the launcher find out by itself
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("offline run failed: %v\n%s", err, out)
	}
	got := outputsText(t, nb)
	// 1.5 + 2 = 3.5: the sum of the two stored values.
	if !strings.Contains(got, "sum=3.5 chart=*charts.Bar") {
		t.Errorf("first cell output = %q, want it to print sum=3.5 chart=*charts.Bar", got)
	}
}

// A cell that does not compile fails the run, and the message names the error.
func TestCompileErrorFailsRunWithMessage(t *testing.T) {
	e := newEnv(t, repoRoot(t), "")
	nb := notebook(t, t.TempDir(), "broken.ipynb",
		"%%\nfmt.Println(\"before\")",
		"%%\nvalue := undefinedThing(3)\nfmt.Println(value)",
		"%%\nfmt.Println(\"never runs\")")
	before, _ := os.ReadFile(nb)
	out, err := e.gonbml("run", nb)
	if err == nil {
		t.Fatalf("run of a notebook with a compile error succeeded:\n%s", out)
	}
	if !strings.Contains(out, "undefined: undefinedThing") {
		t.Errorf("run output does not name the compile error:\n%s", out)
	}
	if !strings.Contains(out, "cell 2 failed") {
		t.Errorf("run output does not name the failing cell (code cell 2):\n%s", out)
	}
	if after, _ := os.ReadFile(nb); string(after) != string(before) {
		t.Error("a failed run rewrote the source notebook")
	}
}

// The kernel picks up an edit of a stdlib file when it restarts: the
// launcher publishes a new snapshot at start.
func TestRestartPicksUpStdlibEdit(t *testing.T) {
	root := t.TempDir()
	repo := repoRoot(t)
	for _, f := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(repo, f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(root, f), data, 0o644)
	}
	hello := filepath.Join(root, "stdlib", "hello", "hello.go")
	os.MkdirAll(filepath.Dir(hello), 0o755)
	write := func(v string) {
		src := "// Package hello is a test package.\npackage hello\n\n// Version is what the test edits.\nfunc Version() string { return \"" + v + "\" }\n"
		if err := os.WriteFile(hello, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e := newEnv(t, root, t.TempDir()) // own data dir: its own proxy
	nbDir := t.TempDir()
	cell := "%%\nfmt.Println(\"version=\" + hello.Version())"
	imports := "import \"github.com/gonbml/gonbml/stdlib/hello\""
	for _, v := range []string{"one", "two"} {
		write(v)
		nb := notebook(t, nbDir, "hello-"+v+".ipynb", imports, cell)
		if out, err := e.gonbml("run", nb); err != nil {
			t.Fatalf("run with stdlib version %s: %v\n%s", v, err, out)
		}
		if got := outputsText(t, nb); !strings.Contains(got, "version="+v) {
			t.Errorf("after editing stdlib to %q the kernel printed %q", v, got)
		}
	}

	// Without a restart: the README's refresh — publish, then a fresh go.mod.
	nb := notebook(t, nbDir, "refresh.ipynb", imports, cell,
		"!sed -i 's/\"two\"/\"three\"/' \"$GONBML_ROOT/stdlib/hello/hello.go\" && gonbml publish",
		"%reset go.mod",
		cell)
	if out, err := e.gonbml("run", nb); err != nil {
		t.Fatalf("refresh without restart: %v\n%s", err, out)
	}
	got := outputsText(t, nb)
	if !strings.Contains(got, "version=two") || !strings.Contains(got, "version=three") {
		t.Errorf("publish + %%reset go.mod did not switch the running kernel from two to three:\n%s", got)
	}
}

// An interrupt stops a busy cell and the kernel still runs the next cell.
func TestInterruptStopsBusyCell(t *testing.T) {
	e := newEnv(t, repoRoot(t), "")
	py, _ := exec.LookPath("/usr/bin/python3")
	if p := os.Getenv("JUPYTER_PYTHON"); p != "" {
		py = p
	}
	script := `
import sys, time, queue
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="gonbml", startup_timeout=120)
try:
    def run(code, timeout):
        msg_id = kc.execute(code)
        out, status = [], None
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                m = kc.get_iopub_msg(timeout=1)
            except queue.Empty:
                continue
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "stream":
                out.append(m["content"]["text"])
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                return "".join(out)
        raise SystemExit("cell did not finish: " + code)
    kc.execute("%%\nfor i := 0; ; i++ {\n\tif i%1000000 == 0 { time.Sleep(time.Millisecond) }\n}")
    time.sleep(20)  # long enough to compile and start the busy loop
    t0 = time.time()
    km.interrupt_kernel()
    # The busy cell's idle status, then a fresh cell must run.
    out = run("%%\nfmt.Println(\"alive after interrupt\")", 120)
    print("OUT:" + out)
    print("ALIVE:%s" % km.is_alive())
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
`
	cmd := exec.Command(py, "-c", script)
	cmd.Env = e.vars
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("interrupt script failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "OUT:alive after interrupt") {
		t.Errorf("the cell after an interrupt did not run:\n%s", out)
	}
	if !strings.Contains(string(out), "ALIVE:True") {
		t.Errorf("the kernel died on interrupt:\n%s", out)
	}
}

// Offline, with the checksum lookups never cached (no pre-warm for this data
// dir), the first cell shows the one line that says what to do.
func TestOfflineWithoutLookupsSaysRunInstall(t *testing.T) {
	e := newEnv(t, repoRoot(t), t.TempDir())
	nb := notebook(t, t.TempDir(), "notice.ipynb", "%%\nfmt.Println(\"hi\")")
	cmd := exec.Command(filepath.Join(e.bin, "gonbml"), "run", "--timeout", "5m", nb)
	cmd.Env = append(e.vars, "GONBML_OFFLINE=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("run failed: %v\n%s", err, out)
	}
	got := outputsText(t, nb)
	if !strings.Contains(got, "gonbml: ") || !strings.Contains(got, "make install") || !strings.Contains(got, "hi") {
		t.Errorf("first cell output = %q, want the offline notice naming 'make install' and the cell's own output", got)
	}
}
