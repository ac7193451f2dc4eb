package integration

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/gonbml/gonbml/kernel/server"
)

// chromium finds Debian's Chromium (CHROMIUM overrides).
func chromium(t *testing.T) string {
	for _, c := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if c == "" {
			continue
		}
		if _, err := exec.LookPath(c); err == nil {
			return c
		}
	}
	require(t, "Chromium (apt-get install chromium)", os.ErrNotExist)
	return ""
}

// The getting-started notebook, opened in the real notebook server with a
// token and run in headless Chromium, shows its outputs without console
// errors; the API refuses requests without the token.
func TestGettingStartedInBrowser(t *testing.T) {
	browser := chromium(t)
	e := newEnv(t, repoRoot(t), "")
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "notebooks", "00-getting-started.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "00-getting-started.ipynb"), src, 0o644)

	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	srv, err := server.Start(ctx, server.Options{Dir: dir, Env: e.vars})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()

	// Without the token the API is refused; with it the kernel is listed.
	resp, err := http.Get(srv.URL + "api/kernelspecs")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /api/kernelspecs without token: status %d, want 401 or 403", resp.StatusCode)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1400),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	var mu sync.Mutex
	var consoleErrors []string
	err = chromedp.Listen(bctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				consoleErrors = append(consoleErrors, strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			consoleErrors = append(consoleErrors, msg)
		}
	})
	if err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("browser: %s: %v", what, err)
		}
	}
	_, err = chromedp.Run(bctx, chromedp.Navigate(srv.NotebookURL("00-getting-started.ipynb")))
	step("open the notebook", err)
	_, err = chromedp.Run(bctx, chromedp.Poll[bool](`!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())`, chromedp.WithPollingTimeout(2*time.Minute)))
	step("wait for the kernel", err)
	kernelName, err := chromedp.Run(bctx, chromedp.Evaluate[string](`Jupyter.notebook.kernel.name`))
	step("kernel name", err)
	_, err = chromedp.Run(bctx, chromedp.Evaluate[bool](`Jupyter.notebook.execute_all_cells(), true`))
	step("run all cells", err)
	// Every code cell has a number (not "*") once all have run.
	_, err = chromedp.Run(bctx, chromedp.Poll[bool](`Jupyter.notebook.get_cells().filter(c => c.cell_type == "code").every(c => typeof c.input_prompt_number == "number")`, chromedp.WithPollingTimeout(5*time.Minute)))
	step("wait for all cells", err)
	outputText, err := chromedp.Run(bctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll(".output_area")).map(e => e.innerText).join("\n")`))
	step("read outputs", err)
	images, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll(".output_area img").length`))
	step("count images", err)
	screenshot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	step("screenshot", err)
	shot := filepath.Join(t.TempDir(), "getting-started.png")
	if err := os.WriteFile(shot, screenshot, 0o644); err == nil {
		t.Logf("screenshot: %s", shot)
	}
	if dst := os.Getenv("GONBML_SCREENSHOT"); dst != "" {
		os.WriteFile(dst, screenshot, 0o644)
	}
	if kernelName != "gonbml" {
		t.Errorf("kernel name in the browser = %q, want gonbml", kernelName)
	}
	if !strings.Contains(outputText, "sparse matrix") || !strings.Contains(outputText, "Hello from Go") {
		t.Errorf("outputs missing text or HTML:\n%s", outputText)
	}
	if images < 1 {
		t.Errorf("no image output shown (found %d <img> in outputs)", images)
	}
	if strings.Contains(outputText, "Error") || strings.Contains(outputText, "panic") {
		t.Errorf("an output shows an error:\n%s", outputText)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(consoleErrors) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(consoleErrors, "\n"))
	}
}
