package integration

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Every form of failing cell stops 'gonbml run' with a non-zero exit, names
// the code cell by its 1-based number, shows the error as the user wrote
// it (never GoNB's generated main.go) and runs no later cell.
func TestRunStopsOnEachFailureForm(t *testing.T) {
	e := newEnv(t, repoRoot(t), "")
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		cell  string
		wants []string
	}{
		{"panic", "%%\ns := []int{1, 2, 3}\ni := 5\nfmt.Println(s[i])",
			// Go's message for s[5] on a 3-element slice; the cell's 4th line.
			[]string{"panic: runtime error: index out of range [5] with length 3", "cell line 4: fmt.Println(s[i])"}},
		{"os.Exit", "%%\nfmt.Println(\"leaving\")\nos.Exit(3)", []string{"exit status 3"}},
		{"log.Fatal", "%%\nlog.Fatal(\"cannot open data.csv\")", []string{"cannot open data.csv", "exit status 1"}},
		// A failed check exits the cell: the message carries its ✗ line,
		// which is all a CI log shows of why.
		{"failed check", "%%\nfmt.Println(\"some output\")\nnotebook.Check(false, \"error %.1f below %d\", 0.5, 1)",
			[]string{"✗ error 0.5 below 1", "exit status 1"}},
		{"compile error", "%%\nvalue := undefinedThing(3)\nfmt.Println(value)", []string{"undefined: undefinedThing"}},
		{"two syntax errors", "%%\nx := := 1\nfmt.Println(x)\ny := )",
			[]string{"cell line 2:6: expected operand, found ':='", "cell line 4:6: expected operand, found ')'"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nb := notebook(t, dir, strings.ReplaceAll(tc.name, " ", "-")+".ipynb",
				"# A markdown cell first, so cell numbers and cell indexes differ",
				"%%\nfmt.Println(\"before\")", tc.cell, "%%\nfmt.Println(\"never runs\")")
			out, err := e.gonbml("run", "--out", filepath.Join(dir, "out-"+filepath.Base(nb)), nb)
			if err == nil {
				t.Fatalf("run succeeded:\n%s", out)
			}
			if !strings.Contains(out, "cell 2 failed") {
				t.Errorf("the message does not name code cell 2:\n%s", out)
			}
			for _, w := range tc.wants {
				if !strings.Contains(out, w) {
					t.Errorf("the message lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, "more errors") || strings.Contains(out, "/gonb_") {
				t.Errorf("the message shows GoNB's summary or its generated main.go:\n%s", out)
			}
			saved := filepath.Join(dir, "out-"+filepath.Base(nb))
			if got := outputsText(t, saved); strings.Contains(got, "never runs") {
				t.Errorf("a cell after the failing one ran:\n%s", got)
			}
			var meta struct {
				Metadata struct {
					LanguageInfo map[string]any `json:"language_info"`
				} `json:"metadata"`
			}
			data, _ := os.ReadFile(saved)
			json.Unmarshal(data, &meta)
			if li := meta.Metadata.LanguageInfo; li["pygments_lexer"] != "go" || li["codemirror_mode"] != "go" {
				t.Errorf("saved language_info = %v, want pygments_lexer and codemirror_mode go", li)
			}
		})
	}
}

// kernelScript runs a Python script with a kernel started by
// jupyter_client, under the test environment plus a marker variable that
// every process the kernel starts inherits. It returns the output.
func kernelScript(t *testing.T, e *env, marker, script string) string {
	t.Helper()
	cmd := exec.Command(jupyterPython(), "-c", script)
	cmd.Env = append(append([]string{}, e.vars...), "GONBML_TEST_MARKER="+marker)
	cmd.SysProcAttr = newGroup()
	t.Cleanup(func() { killGroup(cmd) })
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("kernel script failed: %v\n%s", err, out)
	}
	return string(out)
}

func jupyterPython() string {
	if p := os.Getenv("JUPYTER_PYTHON"); p != "" {
		return p
	}
	return "/usr/bin/python3"
}

// markedProcesses lists the live processes whose environment holds
// GONBML_TEST_MARKER=marker, as "pid comm".
func markedProcesses(marker string) []string {
	want := []byte("GONBML_TEST_MARKER=" + marker + "\x00")
	ents, _ := os.ReadDir("/proc")
	var out []string
	for _, d := range ents {
		if _, err := strconv.Atoi(d.Name()); err != nil {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", d.Name(), "environ"))
		if err != nil || !strings.Contains(string(env), string(want)) {
			continue
		}
		stat, _ := os.ReadFile(filepath.Join("/proc", d.Name(), "stat"))
		if f := strings.Fields(string(stat)); len(f) > 2 && f[2] == "Z" {
			continue // a zombie holds no memory; its parent reaps it
		}
		comm, _ := os.ReadFile(filepath.Join("/proc", d.Name(), "comm"))
		out = append(out, d.Name()+" "+strings.TrimSpace(string(comm)))
	}
	return out
}

// waitNoMarked waits up to 10 s for every marked process to be gone.
func waitNoMarked(t *testing.T, marker string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		left := markedProcesses(marker)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("processes the kernel started outlived it: %v", left)
			for _, p := range left {
				pid, _ := strconv.Atoi(strings.Fields(p)[0])
				_ = killPid(pid)
			}
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func newMarker(t *testing.T) string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// The relay's protocol work in one kernel: stdin reaches the client,
// queued cells after a failing one are aborted (stop_on_error),
// history_request is answered, and on
// shutdown_request no process the kernel started (gonb, gopls, the cell
// programs) remains.
func TestKernelAbortsAnswersAndStopsEverything(t *testing.T) {
	e := newEnv(t, repoRoot(t), "")
	marker := newMarker(t)
	script := `
import json, os, time
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="gonbml", startup_timeout=120)
try:
    # stdin: GoNB's input_request reaches this client through the relay.
    # (GoNB's %with_inputs applies to the next shell command.)
    msg_id = kc.execute('%with_inputs\n!read x && echo "got $x"', allow_stdin=True)
    req = kc.get_stdin_msg(timeout=180)
    kc.input("hello")
    out = []
    while True:
        m = kc.get_iopub_msg(timeout=60)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "stream":
            out.append(m["content"]["text"])
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    print("STDIN " + json.dumps([req["msg_type"], "".join(out)]))
    ids = [kc.execute(c) for c in ['%%\nfmt.Println("one")', '%%\nos.Exit(3)', '%%\nfmt.Println("three")']]
    replies = {}
    while not all(i in replies for i in ids):
        m = kc.get_shell_msg(timeout=180)
        replies[m["parent_header"]["msg_id"]] = m["content"]
    print("STATUSES " + json.dumps([replies[i]["status"] for i in ids]))
    print("EXIT_ERROR " + json.dumps({k: replies[ids[1]].get(k) for k in ("ename", "evalue")}))
    hist_id = kc.history(hist_access_type="tail", n=5, output=False, raw=True)
    print("HISTORY " + json.dumps(kc.get_shell_msg(timeout=30)["content"]["history"]))
    # Like every shell request, the relay's own answers come between busy
    # and idle (JupyterLab waits for the idle).
    states = []
    while "idle" not in states:
        m = kc.get_iopub_msg(timeout=30)
        if m["parent_header"].get("msg_id") == hist_id and m["msg_type"] == "status":
            states.append(m["content"]["execution_state"])
    print("HISTORY_STATUS " + json.dumps(states))
    kc.kernel_info()
    li = kc.get_shell_msg(timeout=30)["content"]["language_info"]
    print("LEXER " + json.dumps([li.get("pygments_lexer"), li.get("codemirror_mode")]))
    # A completion needs gopls: GoNB (re)starts it if it is not running.
    kc.complete('import "fmt"\n%%\nfmt.Printl')
    kc.get_shell_msg(timeout=120)
    want = ("GONBML_TEST_MARKER=%s\0" % os.environ["GONBML_TEST_MARKER"]).encode()
    comms = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if want in open("/proc/%s/environ" % pid, "rb").read() and int(pid) != os.getpid():
                comms.add(open("/proc/%s/comm" % pid).read().strip())
        except OSError:
            pass
    print("BEFORE " + json.dumps(sorted(comms)), flush=True)
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
`
	out := kernelScript(t, e, marker, script)
	line := func(key string) string {
		for _, l := range strings.Split(out, "\n") {
			if v, ok := strings.CutPrefix(l, key+" "); ok {
				return v
			}
		}
		t.Fatalf("no %s line in:\n%s", key, out)
		return ""
	}
	if got := line("STDIN"); !strings.Contains(got, `"input_request"`) || !strings.Contains(got, "got hello") {
		t.Errorf("stdin through the relay: %s, want an input_request and the command printing got hello", got)
	}
	if got := line("STATUSES"); got != `["ok", "error", "aborted"]` {
		t.Errorf("replies = %s, want ok, error, aborted (stop_on_error)", got)
	}
	var exitErr map[string]string
	json.Unmarshal([]byte(line("EXIT_ERROR")), &exitErr)
	if exitErr["ename"] != "exit status 3" {
		t.Errorf("os.Exit(3) reply = %v", exitErr)
	}
	var hist [][]any
	if err := json.Unmarshal([]byte(line("HISTORY")), &hist); err != nil || len(hist) != 3 || hist[2][2] != "%%\nos.Exit(3)" {
		t.Errorf("history = %s, want the three cells that ran (the aborted one did not)", line("HISTORY"))
	}
	if got := line("HISTORY_STATUS"); got != `["busy", "idle"]` {
		t.Errorf("statuses around the history_reply = %s, want busy, idle", got)
	}
	if got := line("LEXER"); got != `["go", "go"]` {
		t.Errorf("language_info pygments_lexer, codemirror_mode = %s, want go, go", got)
	}
	// The relay, GoNB and gopls run while the kernel does, so the check
	// after shutdown has something to find if the kernel leaks.
	for _, p := range []string{`"gonbml"`, `"gonb"`, `"gopls"`} {
		if !strings.Contains(line("BEFORE"), p) {
			t.Errorf("no %s process while the kernel ran (marked: %s)", p, line("BEFORE"))
		}
	}
	waitNoMarked(t, marker)
}

// SIGTERM to the relay (what Jupyter sends when a kernel does not stop by
// itself) stops GoNB and everything it started, and the relay exits. The
// relay cannot outlive SIGKILL (shutdown_kernel(now=True)); GoNB then gets
// SIGTERM from the kernel as its parent dies, and stops its gopls itself.
func TestKernelSignalStopsEverything(t *testing.T) {
	for _, sig := range []string{"SIGTERM", "SIGKILL"} {
		t.Run(sig, func(t *testing.T) { testKernelSignal(t, sig) })
	}
}

func testKernelSignal(t *testing.T, sig string) {
	e := newEnv(t, repoRoot(t), "")
	marker := newMarker(t)
	script := strings.ReplaceAll(`
import os, signal, time
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="gonbml", startup_timeout=120)
try:
    msg_id = kc.execute('%%\nfmt.Println("ran")')
    kc.get_shell_msg(timeout=180)
    p = km.provisioner.process
    os.kill(p.pid, signal.SIG)
    deadline = time.time() + 20
    while p.poll() is None and time.time() < deadline:
        time.sleep(0.1)
    print("RELAY_EXITED %s" % (p.poll() is not None), flush=True)
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
`, "signal.SIG", "signal."+sig)
	out := kernelScript(t, e, marker, script)
	if !strings.Contains(out, "RELAY_EXITED True") {
		t.Errorf("the relay did not exit on %s:\n%s", sig, out)
	}
	waitNoMarked(t, marker)
}

// When GoNB itself dies without stopping its gopls — here the relay and
// GoNB are SIGKILLed together, so neither the relay's subreaper nor GoNB's
// own clean-up runs — gopls still ends: it was started through the kernel's
// guard, which asks Linux to kill it when GoNB dies.
func TestGoplsDiesWithGonb(t *testing.T) {
	e := newEnv(t, repoRoot(t), "")
	marker := newMarker(t)
	out := kernelScript(t, e, marker, `
import os, signal, time
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="gonbml", startup_timeout=120)
def children(pid):
    out = []
    for d in os.listdir("/proc"):
        try:
            with open("/proc/%s/stat" % d) as f:
                if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(d))
        except (ValueError, OSError, IndexError):
            pass
    return out
def comm(pid):
    with open("/proc/%d/comm" % pid) as f:
        return f.read().strip()
try:
    kc.execute('%%\nfmt.Println("ran")')
    kc.get_shell_msg(timeout=180)
    relay = km.provisioner.process.pid
    gonb = [c for c in children(relay) if comm(c) == "gonb"]
    gopls = [c for g in gonb for c in children(g) if comm(c) == "gopls"]
    print("GOPLS_BEFORE %d" % len(gopls), flush=True)
    for pid in gonb + [relay]:
        os.kill(pid, signal.SIGKILL)
finally:
    kc.stop_channels()
`)
	if !strings.Contains(out, "GOPLS_BEFORE 1") {
		t.Fatalf("no gopls below GoNB while the kernel ran:\n%s", out)
	}
	waitNoMarked(t, marker)
}

// Ctrl-C on 'gonbml run' (or a SIGTERM from a job runner, or a closed
// terminal's SIGHUP) interrupts the client, which shuts its kernel down: no
// kernel, GoNB or gopls outlives the run, no temporary notebook is left
// beside the original, and the message says it was interrupted.
func TestRunInterruptedLeavesNothing(t *testing.T) {
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) { runInterrupted(t, sig) })
	}
}

func runInterrupted(t *testing.T, sig os.Signal) {
	e := newEnv(t, repoRoot(t), "")
	dir := t.TempDir()
	nb := notebook(t, dir, "slow.ipynb", "import \"time\"\n\n%%\ntime.Sleep(2 * time.Minute)")
	marker := newMarker(t)
	cmd := exec.Command(filepath.Join(e.bin, "gonbml"), "run", nb)
	cmd.Env = append(e.vars, "GONBML_TEST_MARKER="+marker)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = newGroup()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killGroup(cmd) })
	// Wait for the cell to run: the kernel and GoNB are up when more than
	// the run and its client carry the marker.
	deadline := time.Now().Add(3 * time.Minute)
	for len(markedProcesses(marker)) < 4 {
		if time.Now().After(deadline) {
			t.Fatalf("the kernel did not start: %v\n%s", markedProcesses(marker), out.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(5 * time.Second) // into the cell's sleep
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if err == nil || !strings.Contains(out.String(), "interrupted") {
		t.Errorf("run after %v: err=%v, output:\n%s\nwant a failure saying it was interrupted", sig, err, out.String())
	}
	waitNoMarked(t, marker)
	if left, _ := filepath.Glob(filepath.Join(dir, ".gonbml-run-*")); len(left) != 0 {
		t.Errorf("temporary notebooks left behind: %v", left)
	}
}
