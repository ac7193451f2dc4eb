// Package browsertest drives Debian's headless Chromium for gonbml's browser
// tests: start a browser (optionally with the network cut), record what a
// person would call an error in the page, and run a notebook in the classic
// notebook UI. It is imported only by tests.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
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
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is required under CI: apt-get install -y chromium")
	}
	t.Skip("chromium not installed (apt-get install -y chromium)")
	return ""
}

// Options for New. The zero value is a 1280×1000 window with the network on.
type Options struct {
	// Offline resolves no host name and sends every request but those to
	// 127.0.0.1 to a closed port, so a page that needs the network shows it.
	Offline       bool
	Width, Height int
}

// New starts a fresh headless Chromium with its own profile and the flags
// this machine needs (no background networking, no sandbox as root). Tabs
// opened from the returned context share the browser; it stops when the
// test ends.
func New(t testing.TB, o Options) context.Context {
	t.Helper()
	if o.Width == 0 {
		o.Width, o.Height = 1280, 1000
	}
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
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(o.Width, o.Height),
	}
	if o.Offline {
		opts = append(opts,
			chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
			chromedp.ProxyServer("127.0.0.1:9"))
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// Console records a tab's console errors, uncaught exceptions, error log
// entries (failed loads), and the requests that tried to leave the machine.
type Console struct {
	mu       sync.Mutex
	errors   []string
	requests []string
}

// Watch starts recording on tab; call it before navigating.
func Watch(t testing.TB, tab context.Context) *Console {
	t.Helper()
	c := &Console{}
	err := chromedp.Listen(tab, func(ev any) {
		c.mu.Lock()
		defer c.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				c.errors = append(c.errors, "console.error: "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			c.errors = append(c.errors, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, msg))
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError {
				c.errors = append(c.errors, "log: "+e.Entry.Text+" "+e.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			u := e.Request.URL
			local := strings.HasPrefix(u, "http://127.0.0.1") || strings.HasPrefix(u, "ws://127.0.0.1")
			if !local && !strings.HasPrefix(u, "file:") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
				c.requests = append(c.requests, u)
			}
		}
	})
	if err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	for _, enable := range []func() error{
		func() error { _, err := chromedp.Call(tab, cdplog.Enable, cdp.Empty{}); return err },
		func() error { _, err := chromedp.Call(tab, network.Enable, network.EnableParams{}); return err },
	} {
		if err := enable(); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// Errors returns what the page reported as errors so far.
func (c *Console) Errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.errors...)
}

// Requests returns the URLs of requests to anywhere but this machine.
func (c *Console) Requests() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.requests...)
}

// RunNotebook opens url (a notebook in the classic notebook server) in tab,
// waits for its kernel, runs all cells and waits until every code cell has
// an execution number.
func RunNotebook(t testing.TB, tab context.Context, url string, timeout time.Duration) {
	t.Helper()
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("browser: %s: %v", what, err)
		}
	}
	step("open the notebook", chromedp.Do(tab, chromedp.Navigate(url)))
	_, err := chromedp.Run(tab, chromedp.Poll[bool](`!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())`, chromedp.WithPollingTimeout(2*time.Minute)))
	step("wait for the kernel", err)
	_, err = chromedp.Run(tab, chromedp.Evaluate[bool](`Jupyter.notebook.execute_all_cells(), true`))
	step("run all cells", err)
	_, err = chromedp.Run(tab, chromedp.Poll[bool](`Jupyter.notebook.get_cells().filter(c => c.cell_type == "code").every(c => typeof c.input_prompt_number == "number")`, chromedp.WithPollingTimeout(timeout)))
	step("wait for all cells", err)
}
