package browsertest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gonbml/gonbml/internal/testenv"

	"github.com/chromedp/cdproto"
	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Chromium returns the browser to drive: $CHROMIUM, else Debian's
// /usr/bin/chromium. When there is none the test is skipped, or fails under
// CI=true where a missing component is an error.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, c := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if c == "" {
			continue
		}
		if _, err := exec.LookPath(c); err == nil {
			return c
		}
	}
	testenv.Require(t, "chromium", errors.New("not installed (apt-get install -y chromium)"))
	return ""
}

// Options for New. The zero value is a 1280×1000 window.
type Options struct {
	Width, Height int
}

// Browser is a headless Chromium started for one test. It stops, with every
// process it started, when the test ends, also when the test fails.
type Browser struct {
	ctx     context.Context
	version string // e.g. "148.0.7778.167"
	profile string // user data directory, on every process's command line
}

// New starts a fresh headless Chromium with its own profile and the flags
// this machine needs (no background networking, no sandbox as root). The
// browser runs in a process group of its own; when the test ends the group
// is killed and the test fails if any Chromium process of this profile is
// left.
func New(t testing.TB, o Options) *Browser {
	t.Helper()
	if o.Width == 0 {
		o.Width, o.Height = 1280, 1000
	}
	profile := t.TempDir()
	var (
		mu  sync.Mutex
		cmd *exec.Cmd
	)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Chromium(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// The second layer of the network cut (see the package doc).
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.ProxyServer("127.0.0.1:9"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(o.Width, o.Height),
		chromedp.ModifyCmdFunc(func(c *exec.Cmd) {
			// Own process group, so the cleanup reaches the zygote and
			// renderers; killed with the test binary if it dies.
			c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
			mu.Lock()
			cmd = c
			mu.Unlock()
		}),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		mu.Lock()
		c := cmd
		mu.Unlock()
		pgid := 0
		if c != nil && c.Process != nil {
			pgid = c.Process.Pid
			syscall.Kill(-pgid, syscall.SIGKILL)
		}
		if left := stopLeftovers(pgid, profile); len(left) > 0 {
			t.Errorf("browsertest: chromium processes outlived the test and were killed: %s", strings.Join(left, "; "))
		}
	})
	b := &Browser{ctx: ctx, version: "(version unknown)", profile: profile}
	v, err := chromedp.CallBrowser(ctx, cdpbrowser.GetVersion, cdp.Empty{})
	if err != nil {
		t.Fatalf("browsertest: starting chromium: %v", err)
	}
	b.version = versionOf(v)
	return b
}

// versionOf turns Browser.getVersion's product ("HeadlessChrome/148.0.…")
// into the version number.
func versionOf(v cdpbrowser.GetVersionResult) string {
	if _, after, ok := strings.Cut(v.Product, "/"); ok && after != "" {
		return after
	}
	if v.Product != "" {
		return v.Product
	}
	return "(version unknown)"
}

// Version returns the version Chromium reported, e.g. "148.0.7778.167".
func (b *Browser) Version() string { return b.version }

// explain names the browser version and the call in err. A refusal by the
// browser (a protocol error such as "Invalid parameters (-32602)") reads
// "chromium V refused CALL: ...".
func (b *Browser) explain(call string, err error) error {
	var perr *cdproto.Error
	if errors.As(err, &perr) {
		return fmt.Errorf("chromium %s refused %s: %w", b.version, call, err)
	}
	return fmt.Errorf("chromium %s: %s: %w", b.version, call, err)
}

// Tab is one page of a Browser with the network cut off, recording the
// page's errors and the requests that tried to leave the machine.
type Tab struct {
	b   *Browser
	t   testing.TB
	ctx context.Context

	mu       sync.Mutex
	errors   []string
	requests []string        // URLs of non-local requests, in order
	seen     map[string]bool // network request ids already in requests
	paused   []*fetch.EventRequestPaused
	wake     chan struct{}
}

// NewTab opens a tab, starts recording and cuts its network before anything
// loads. The tab closes when the test ends.
func (b *Browser) NewTab(t testing.TB) *Tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	tab := &Tab{b: b, t: t, ctx: ctx, seen: map[string]bool{}, wake: make(chan struct{}, 1)}
	if err := chromedp.Listen(ctx, tab.event); err != nil {
		t.Fatal(b.explain("opening a tab", err))
	}
	go tab.serve()
	Call(tab, cdplog.Enable, cdp.Empty{})
	Call(tab, network.Enable, network.EnableParams{})
	Call(tab, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}})
	return tab
}

// Context returns the chromedp context of the tab, for chromedp calls the
// helpers do not cover.
func (tab *Tab) Context() context.Context { return tab.ctx }

// Browser returns the browser the tab belongs to.
func (tab *Tab) Browser() *Browser { return tab.b }

// event records one protocol event. It runs on chromedp's reading
// goroutine, so it only records and hands paused requests to serve.
func (tab *Tab) event(ev any) {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			tab.errors = append(tab.errors, "console.error: "+strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		tab.errors = append(tab.errors, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, msg))
	case *cdplog.EventEntryAdded:
		if e.Entry.Level == cdplog.EntryLevelError && !strings.Contains(e.Entry.Text, "ERR_INTERNET_DISCONNECTED") {
			// A request failed by the cut shows up in Requests; anything
			// else that failed to load is an error of the page.
			tab.errors = append(tab.errors, "log: "+e.Entry.Text+" "+e.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		// Seen by the network layer: catches a request the interception
		// would miss.
		if !Local(e.Request.URL) {
			tab.addRequest(string(e.RequestID), e.Request.URL)
		}
	case *fetch.EventRequestPaused:
		if !Local(e.Request.URL) {
			id := string(e.NetworkID)
			if id == "" {
				id = "fetch:" + string(e.RequestID)
			}
			tab.addRequest(id, e.Request.URL)
		}
		tab.paused = append(tab.paused, e)
		select {
		case tab.wake <- struct{}{}:
		default:
		}
	}
}

// addRequest records url once per request id; tab.mu is held.
func (tab *Tab) addRequest(id, url string) {
	if tab.seen[id] {
		return
	}
	tab.seen[id] = true
	tab.requests = append(tab.requests, url)
}

// serve answers paused requests until the tab closes: local ones continue,
// all others fail as if the machine had no network.
func (tab *Tab) serve() {
	for {
		select {
		case <-tab.ctx.Done():
			return
		case <-tab.wake:
		}
		for {
			tab.mu.Lock()
			if len(tab.paused) == 0 {
				tab.mu.Unlock()
				break
			}
			e := tab.paused[0]
			tab.paused = tab.paused[1:]
			tab.mu.Unlock()

			var err error
			call := fetch.CommandContinueRequest
			if Local(e.Request.URL) {
				_, err = chromedp.Call(tab.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: e.RequestID})
			} else {
				call = fetch.CommandFailRequest
				_, err = chromedp.Call(tab.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonInternetDisconnected})
			}
			if err != nil && tab.ctx.Err() == nil {
				tab.mu.Lock()
				tab.errors = append(tab.errors, fmt.Sprintf("%v (for %s)", tab.b.explain(call, err), e.Request.URL))
				tab.mu.Unlock()
			}
		}
	}
}

// Local reports whether a request for rawURL stays on this machine: a
// loopback host (127.0.0.0/8, ::1, localhost) or a file:, data:, blob: or
// about: URL.
func Local(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "file", "data", "blob", "about":
		return true
	case "http", "https", "ws", "wss":
		h := u.Hostname()
		if h == "localhost" {
			return true
		}
		ip := net.ParseIP(h)
		return ip != nil && ip.IsLoopback()
	}
	return false
}

// Errors returns what the page reported as errors so far: console errors,
// uncaught exceptions, failed loads (other than those the cut failed) and
// interception calls the browser refused.
func (tab *Tab) Errors() []string {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	return append([]string(nil), tab.errors...)
}

// Requests returns the URLs of the requests that tried to leave the
// machine, sorted; each was failed by the cut.
func (tab *Tab) Requests() []string {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	r := append([]string(nil), tab.requests...)
	sort.Strings(r)
	return r
}

// Call runs the protocol command on the tab and returns its result. It
// fails the test with the Chromium version and the command's name when the
// browser refuses it.
func Call[P, R any](tab *Tab, cmd cdp.Command[P, R], params P) R {
	tab.t.Helper()
	r, err := chromedp.Call(tab.ctx, cmd, params)
	if err != nil {
		tab.t.Fatal(tab.b.explain(cmd.Method, err))
	}
	return r
}

// Run runs the chromedp action on the tab and returns its result; what
// names it in the failure message ("Runtime.evaluate of the chart check").
func Run[T any](tab *Tab, what string, a chromedp.Action[T]) T {
	tab.t.Helper()
	v, err := chromedp.Run(tab.ctx, a)
	if err != nil {
		tab.t.Fatal(tab.b.explain(what, err))
	}
	return v
}

// Evaluate runs the JavaScript expression in the page and decodes its value
// into T; what says what the expression is for.
func Evaluate[T any](tab *Tab, what, expression string) T {
	tab.t.Helper()
	return Run(tab, "Runtime.evaluate ("+what+")", chromedp.Evaluate[T](expression))
}

// Navigate opens url in the tab and waits for it to load.
func (tab *Tab) Navigate(url string) {
	tab.t.Helper()
	Run(tab, "Page.navigate to "+url, chromedp.Navigate(url))
}

// RunNotebook opens url (a notebook in the classic notebook server) in the
// tab, waits for its kernel, runs all cells and waits until every code cell
// has an execution number.
func (tab *Tab) RunNotebook(url string, timeout time.Duration) {
	tab.t.Helper()
	tab.Navigate(url)
	Run(tab, "waiting for the kernel", chromedp.Poll[bool](`!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())`, chromedp.WithPollingTimeout(2*time.Minute)))
	Evaluate[bool](tab, "run all cells", `Jupyter.notebook.execute_all_cells(), true`)
	Run(tab, "waiting for all cells", chromedp.Poll[bool](`Jupyter.notebook.get_cells().filter(c => c.cell_type == "code").every(c => typeof c.input_prompt_number == "number")`, chromedp.WithPollingTimeout(timeout)))
}
