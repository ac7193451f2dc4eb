package integration

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gonbml/gonbml/internal/browsertest"
	"github.com/gonbml/gonbml/kernel/server"
)

// The getting-started notebook, opened in the real notebook server with a
// token and run in headless Chromium, shows its outputs without console
// errors; the API refuses requests without the token.
func TestGettingStartedInBrowser(t *testing.T) {
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

	// The tab's network is cut: only the local server answers, and any
	// request that tried to leave the machine is listed.
	tab := browsertest.New(t, browsertest.Options{Width: 1280, Height: 1400}).NewTab(t)
	tab.RunNotebook(srv.NotebookURL("00-getting-started.ipynb"), 5*time.Minute)
	kernelName := browsertest.Evaluate[string](tab, "the kernel name", `Jupyter.notebook.kernel.name`)
	outputText := browsertest.Evaluate[string](tab, "the output text", `Array.from(document.querySelectorAll(".output_area")).map(e => e.innerText).join("\n")`)
	images := browsertest.Evaluate[int](tab, "counting images", `document.querySelectorAll(".output_area img").length`)
	screenshot := browsertest.Run(tab, "Page.captureScreenshot (full page)", chromedp.FullScreenshot(100))
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
	if errs := tab.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
	if reqs := tab.Requests(); len(reqs) > 0 {
		t.Errorf("the page tried to load from outside the machine:\n%s", strings.Join(reqs, "\n"))
	}
}
