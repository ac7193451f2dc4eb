package setup

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func repoRoot(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}

// A machine whose Go env file is empty and whose GOFLAGS is unset: `go env`
// prints an empty last line, which the plain form lost.
func TestGoEnvEmptyValues(t *testing.T) {
	t.Setenv("GOENV", filepath.Join(t.TempDir(), "empty-env")) // no such file: an empty Go env file
	t.Setenv("GOFLAGS", "")
	os.Unsetenv("GOFLAGS")
	got, err := GoEnv("GOPROXY", "GOMODCACHE", "GONOSUMDB", "GOROOT", "GOFLAGS")
	if err != nil {
		t.Fatalf("GoEnv with GOFLAGS unset: %v", err)
	}
	if got["GOFLAGS"] != "" || got["GONOSUMDB"] != "" {
		t.Errorf("GOFLAGS=%q GONOSUMDB=%q, want both empty", got["GOFLAGS"], got["GONOSUMDB"])
	}
	if got["GOROOT"] == "" || got["GOMODCACHE"] == "" {
		t.Errorf("GOROOT=%q GOMODCACHE=%q, want both set", got["GOROOT"], got["GOMODCACHE"])
	}
	t.Setenv("GOENV", "/dev/null")
	t.Setenv("GOFLAGS", "-mod=mod")
	got, err = GoEnv("GOFLAGS")
	if err != nil || got["GOFLAGS"] != "-mod=mod" {
		t.Errorf("GoEnv(GOFLAGS) = %q, %v; want -mod=mod", got["GOFLAGS"], err)
	}
}

func TestKernelEnvWithoutGoflags(t *testing.T) {
	t.Setenv("GOENV", "/dev/null")
	os.Unsetenv("GOFLAGS")
	t.Setenv("GONBML_DATA", t.TempDir())
	l, err := FindLayout(repoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	env, _, err := KernelEnv(l, func(string) bool { return false })
	if err != nil {
		t.Fatalf("KernelEnv with GOFLAGS unset: %v", err)
	}
	if env["GOFLAGS"] != "-ldflags=-w" {
		t.Errorf("GOFLAGS = %q, want -ldflags=-w", env["GOFLAGS"])
	}
	// Offline: only the two file proxies, checksum verification untouched.
	if p := strings.Split(env["GOPROXY"], ","); len(p) != 2 || !strings.HasPrefix(p[0], "file://") || !strings.HasPrefix(p[1], "file://") {
		t.Errorf("offline GOPROXY = %q, want two file proxies", env["GOPROXY"])
	}
	env, _, err = KernelEnv(l, func(string) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	goproxy, _ := GoEnv("GOPROXY")
	if !strings.HasSuffix(env["GOPROXY"], ","+goproxy["GOPROXY"]) {
		t.Errorf("online GOPROXY = %q, want the user's %q after the file proxies", env["GOPROXY"], goproxy["GOPROXY"])
	}
	for _, k := range []string{"GOSUMDB", "GOINSECURE", "GOPRIVATE"} {
		if _, ok := env[k]; ok {
			t.Errorf("KernelEnv sets %s; checksum verification must stay as the user has it", k)
		}
	}
	if env["GONOSUMDB"] != ModulePath {
		t.Errorf("GONOSUMDB = %q, want only %s", env["GONOSUMDB"], ModulePath)
	}
}

func TestOfflineProblem(t *testing.T) {
	t.Setenv("GOENV", "/dev/null")
	for _, k := range []string{"GOSUMDB", "GONOSUMDB", "GOPRIVATE", "GOFLAGS"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	modcache := t.TempDir()
	t.Setenv("GOMODCACHE", modcache)
	l := Layout{Root: t.TempDir(), DataDir: t.TempDir()}

	// Never pre-warmed.
	p := OfflineProblem(l)
	if !strings.Contains(p, "make install") || strings.Contains(p, "\n") {
		t.Fatalf("without a pre-warm: %q, want one line naming 'make install'", p)
	}

	// Pre-warmed elsewhere (no lookups in this module cache).
	sum := "github.com/go-echarts/go-echarts/v2 v2.6.7 h1:x\n" +
		"github.com/go-echarts/go-echarts/v2 v2.6.7/go.mod h1:y\n" +
		"github.com/gonbml/gonbml v0.0.0-20260101000000-abcdef h1:z\n" +
		"github.com/Foo/bar v1.0.0/go.mod h1:w\n"
	os.MkdirAll(filepath.Dir(l.PrewarmSumFile()), 0o755)
	if err := os.WriteFile(l.PrewarmSumFile(), []byte(sum), 0o644); err != nil {
		t.Fatal(err)
	}
	p = OfflineProblem(l)
	if !strings.Contains(p, "github.com/Foo/bar@v1.0.0 and 1 more") || !strings.Contains(p, "make install") {
		t.Fatalf("without lookups: %q, want it to name github.com/Foo/bar@v1.0.0 and 1 more", p)
	}

	// The lookups Go caches (module paths case-escaped); the snapshot itself
	// is exempt (GONOSUMDB) and needs none.
	lookups := filepath.Join(modcache, "cache", "download", "sumdb", "sum.golang.org", "lookup")
	os.MkdirAll(lookups, 0o755)
	write := func(name, data string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(lookups, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(lookups, "github.com", "go-echarts", "go-echarts"), 0o755)
	os.MkdirAll(filepath.Join(lookups, "github.com", "!foo"), 0o755)
	write("github.com/go-echarts/go-echarts/v2@v2.6.7", "record")
	p = OfflineProblem(l)
	if !strings.Contains(p, "github.com/Foo/bar@v1.0.0") || strings.Contains(p, "more") {
		t.Fatalf("one lookup missing: %q, want it to name only github.com/Foo/bar@v1.0.0", p)
	}
	write("github.com/!foo/bar@v1.0.0", "")
	if p = OfflineProblem(l); !strings.Contains(p, "github.com/Foo/bar@v1.0.0") {
		t.Fatalf("an empty lookup file (Go treats it as missing): %q, want it named", p)
	}
	write("github.com/!foo/bar@v1.0.0", "record")
	if p = OfflineProblem(l); p != "" {
		t.Fatalf("every lookup cached: %q, want no problem", p)
	}

	// Verification that does not apply needs no lookups.
	os.RemoveAll(lookups)
	t.Setenv("GONOSUMDB", "github.com/go-echarts,github.com/Foo")
	if p = OfflineProblem(l); p != "" {
		t.Errorf("GONOSUMDB covering every module: %q, want no problem", p)
	}
	t.Setenv("GONOSUMDB", "")
	t.Setenv("GOSUMDB", "off")
	if p = OfflineProblem(l); p != "" {
		t.Errorf("GOSUMDB=off: %q, want no problem", p)
	}
	// Another database keeps its own cache.
	t.Setenv("GOSUMDB", "sum.example.org+abc https://sum.example.org")
	if p = OfflineProblem(l); !strings.Contains(p, "github.com/Foo/bar@v1.0.0") {
		t.Errorf("GOSUMDB=sum.example.org with no lookups: %q, want github.com/Foo/bar named", p)
	}
}
