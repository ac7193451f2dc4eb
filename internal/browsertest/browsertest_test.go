package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// TestBrowserNetworkCut serves a page on 127.0.0.1 that loads one local
// image and three things from outside the machine (an image, a script and
// a fetch). The local request reaches the server; the others fail in the
// page, are listed by Requests, and are not reported as page errors.
func TestBrowserNetworkCut(t *testing.T) {
	Chromium(t)
	var mu sync.Mutex
	var served []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		served = append(served, r.URL.Path)
		mu.Unlock()
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			// 192.0.2.0/24 is TEST-NET-1 (RFC 5737) and .invalid never
			// resolves (RFC 2606): neither could answer even with a network.
			fmt.Fprint(w, `<!doctype html><html><body>
<img id="local" src="/local.svg">
<img id="far" src="http://192.0.2.1/far.png">
<script src="https://gonbml.invalid/lib.js"></script>
</body></html>`)
		case "/local.svg":
			w.Header().Set("Content-Type", "image/svg+xml")
			fmt.Fprint(w, `<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	tab := New(t, Options{}).NewTab(t)
	tab.Navigate(srv.URL + "/")
	got := Run(tab, "Runtime.evaluate (loading images and a fetch)", chromedp.Evaluate[string](`(async () => {
  const img = id => new Promise(r => { const e = document.getElementById(id);
    if (e.complete) { r(e.naturalWidth > 0 ? "loaded" : "failed"); return; }
    e.onload = () => r("loaded"); e.onerror = () => r("failed"); });
  let f;
  try { await fetch("http://192.0.2.7/data.json"); f = "fetched"; } catch (e) { f = "refused"; }
  return [await img("local"), await img("far"), f, typeof window.libLoaded].join(" ");
})()`, chromedp.EvalAwaitPromise))
	// The local image loads, the far one and the fetch fail, the script
	// never ran.
	if want := "loaded failed refused undefined"; got != want {
		t.Errorf("page saw %q, want %q", got, want)
	}
	want := []string{"http://192.0.2.1/far.png", "http://192.0.2.7/data.json", "https://gonbml.invalid/lib.js"}
	if reqs := tab.Requests(); !slices.Equal(reqs, want) {
		t.Errorf("Requests() = %q, want %q", reqs, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Contains(served, "/") || !slices.Contains(served, "/local.svg") {
		t.Errorf("the local server served %q, want / and /local.svg", served)
	}
	if errs := tab.Errors(); len(errs) > 0 {
		t.Errorf("errors in a page whose only failures are the cut ones: %q", errs)
	}
}

// fatalRecorder is a testing.TB whose Fatal records the message and ends
// the goroutine, so a test can check the message a helper fails with.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Fatal(args ...any) {
	r.msg = fmt.Sprint(args...)
	goruntime.Goexit()
}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	goruntime.Goexit()
}

// TestBrowserRefusalNamesVersion makes the browser refuse a call (a
// Fetch.failRequest with an error reason the protocol does not have) and
// checks that Call fails the test with the version `chromium --version`
// prints and the command's name.
func TestBrowserRefusalNamesVersion(t *testing.T) {
	path := Chromium(t)
	out, err := exec.Command(path, "--version").Output()
	if err != nil {
		t.Fatalf("%s --version: %v", path, err)
	}
	m := regexp.MustCompile(`\b(\d+\.\d+\.\d+\.\d+)\b`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no version in %q", out)
	}
	b := New(t, Options{})
	if b.Version() != string(m[1]) {
		t.Errorf("Version() = %q, chromium --version says %q", b.Version(), m[1])
	}

	rec := &fatalRecorder{TB: t}
	tab := b.NewTab(rec)
	bad := cdp.Command[map[string]string, cdp.Empty]{Method: "Fetch.failRequest"}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Call(tab, bad, map[string]string{"requestId": "none", "errorReason": "NoSuchReason"})
	}()
	<-done
	prefix := "chromium " + b.Version() + " refused Fetch.failRequest: "
	if !strings.HasPrefix(rec.msg, prefix) {
		t.Errorf("failure message %q, want it to start with %q", rec.msg, prefix)
	}
}

// TestBrowserStopsOnFailure runs a test that starts Chromium and then fails
// (in a child process of the test binary) and checks that none of the
// browser's processes outlive it.
func TestBrowserStopsOnFailure(t *testing.T) {
	if os.Getenv("BROWSERTEST_CHILD") == "1" {
		b := New(t, Options{})
		b.NewTab(t).Navigate("about:blank")
		var pids []string
		for _, p := range chromiumOf(0, b.profile) {
			pids = append(pids, strconv.Itoa(p.pid))
		}
		fmt.Printf("PROFILE=%s\nPIDS=%s\n", b.profile, strings.Join(pids, ","))
		t.Fatal("failing on purpose")
	}
	Chromium(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestBrowserStopsOnFailure$", "-test.count=1")
	cmd.Env = append(os.Environ(), "BROWSERTEST_CHILD=1")
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); !ok || !strings.Contains(string(out), "failing on purpose") {
		t.Fatalf("the child test should fail on purpose; err %v, output:\n%s", err, out)
	}
	profile := regexp.MustCompile(`PROFILE=(\S+)`).FindSubmatch(out)
	pids := regexp.MustCompile(`PIDS=(\S+)`).FindSubmatch(out)
	if profile == nil || pids == nil {
		t.Fatalf("the child listed no chromium processes:\n%s", out)
	}
	n := 0
	for _, s := range strings.Split(string(pids[1]), ",") {
		pid, _ := strconv.Atoi(s)
		n++
		if err := syscall.Kill(pid, 0); err == nil && !isZombie(pid) {
			t.Errorf("chromium process %d is still running after the failed test", pid)
		}
	}
	// A browser is a main process, a zygote and at least one renderer.
	if n < 3 {
		t.Errorf("the child saw %d chromium processes, want at least 3", n)
	}
	if left := chromiumOf(0, string(profile[1])); len(left) > 0 {
		t.Errorf("%d processes with the child's profile are still running", len(left))
	}
}

// isZombie reports whether pid has exited and waits for its parent.
func isZombie(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	i := strings.LastIndexByte(string(stat), ')')
	return i >= 0 && strings.HasPrefix(strings.TrimSpace(string(stat[i+1:])), "Z")
}
