// Package setup knows where gonbml's pieces live on this machine and builds
// the environment the GoNB kernel runs in: the local module proxy with the
// current stdlib snapshot, the Go toolchain and GoNB's helper binaries on
// PATH, and the kernelspec Jupyter uses to start it.
package setup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/gonbml/gonbml/kernel/modproxy"
)

// ModulePath is the module whose stdlib the kernel preloads.
const ModulePath = "github.com/gonbml/gonbml"

// Layout is where things are for one checkout.
type Layout struct {
	Root    string // module root (holds go.mod)
	BinDir  string // gonbml, gonb, goimports, gopls
	DataDir string // $GONBML_DATA or the user cache dir + /gonbml
}

// ProxyDir is the local file-based module proxy of this checkout. Each
// checkout has its own (keyed by its path), so two checkouts sharing a data
// dir never serve each other's stdlib as @latest.
func (l Layout) ProxyDir() string {
	sum := sha256.Sum256([]byte(l.Root))
	return filepath.Join(l.DataDir, "goproxy", hex.EncodeToString(sum[:6]))
}

// DataDir returns $GONBML_DATA, else os.UserCacheDir()/gonbml.
func DataDir() (string, error) {
	if d := os.Getenv("GONBML_DATA"); d != "" {
		return filepath.Abs(d)
	}
	c, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("setup: no cache directory (set GONBML_DATA): %w", err)
	}
	return filepath.Join(c, "gonbml"), nil
}

// FindLayout locates the checkout: root if given, else $GONBML_ROOT, else the
// parent of the directory holding the running executable (bin/gonbml), else
// the nearest directory above the working directory with gonbml's go.mod.
func FindLayout(root string) (Layout, error) {
	var candidates []string
	if root != "" {
		candidates = append(candidates, root)
	} else {
		if r := os.Getenv("GONBML_ROOT"); r != "" {
			candidates = append(candidates, r)
		}
		if exe, err := os.Executable(); err == nil {
			if exe, err = filepath.EvalSymlinks(exe); err == nil {
				candidates = append(candidates, filepath.Dir(filepath.Dir(exe)))
			}
		}
		if wd, err := os.Getwd(); err == nil {
			for d := wd; ; d = filepath.Dir(d) {
				candidates = append(candidates, d)
				if filepath.Dir(d) == d {
					break
				}
			}
		}
	}
	for _, c := range candidates {
		data, err := os.ReadFile(filepath.Join(c, "go.mod"))
		if err != nil || !strings.Contains(string(data), "module "+ModulePath+"\n") {
			continue
		}
		abs, err := filepath.Abs(c)
		if err != nil {
			return Layout{}, err
		}
		dd, err := DataDir()
		if err != nil {
			return Layout{}, err
		}
		bin := filepath.Join(abs, "bin")
		if b := os.Getenv("GONBML_BIN"); b != "" {
			bin = b // tests install a freshly built gonbml elsewhere
		}
		return Layout{Root: abs, BinDir: bin, DataDir: dd}, nil
	}
	return Layout{}, errors.New("setup: cannot find the gonbml checkout (run from inside it or set GONBML_ROOT)")
}

// GoEnv returns `go env NAME` for each name, failing with a clear message
// when Go is missing. It reads `go env -json`, which keeps empty values (the
// plain form prints one line per name, and an unset last name vanishes in the
// trailing newline).
func GoEnv(names ...string) (map[string]string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return nil, errors.New("setup: Go is not installed or not on PATH: install Go 1.26 (https://go.dev/doc/install) and retry")
	}
	var stderr strings.Builder
	cmd := exec.Command(goBin, append([]string{"env", "-json"}, names...)...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("setup: go env: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var got map[string]string
	if err := json.Unmarshal(out, &got); err != nil {
		return nil, fmt.Errorf("setup: go env -json printed something that is not a JSON object: %w", err)
	}
	env := make(map[string]string, len(names))
	for _, n := range names {
		v, ok := got[n]
		if !ok {
			return nil, fmt.Errorf("setup: go env -json did not print %s", n)
		}
		env[n] = v
	}
	return env, nil
}

// Online reports whether the first network proxy in goproxy answers a TCP
// connection within timeout. GONBML_OFFLINE=1 forces false.
func Online(goproxy string, timeout time.Duration) bool {
	if os.Getenv("GONBML_OFFLINE") == "1" {
		return false
	}
	for _, p := range strings.FieldsFunc(goproxy, func(r rune) bool { return r == ',' || r == '|' }) {
		u, err := url.Parse(p)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
			continue
		}
		port := u.Port()
		if port == "" {
			port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", net.JoinHostPort(u.Hostname(), port))
		if err != nil {
			return false
		}
		conn.Close()
		return true
	}
	return false
}

// KernelEnv publishes the current snapshot and returns the environment
// variables (to add to the inherited ones) under which GoNB resolves the
// stdlib from the local proxy: offline from the proxy and the module cache
// only, online with the local proxy in front of the usual GOPROXY.
func KernelEnv(l Layout, online func(goproxy string) bool) (map[string]string, modproxy.Snapshot, error) {
	snap, err := modproxy.Publish(l.Root, l.ProxyDir(), time.Now())
	if err != nil {
		return nil, snap, err
	}
	goenv, err := GoEnv("GOPROXY", "GOMODCACHE", "GONOSUMDB", "GOROOT", "GOFLAGS")
	if err != nil {
		return nil, snap, err
	}
	proxies := []string{fileURL(l.ProxyDir()), fileURL(filepath.Join(goenv["GOMODCACHE"], "cache", "download"))}
	if online(goenv["GOPROXY"]) && goenv["GOPROXY"] != "off" {
		proxies = append(proxies, goenv["GOPROXY"])
	}
	nosum := ModulePath
	if goenv["GONOSUMDB"] != "" {
		nosum += "," + goenv["GONOSUMDB"]
	}
	goflags := goenv["GOFLAGS"]
	if !strings.Contains(goflags, "-ldflags") {
		// Every cell is linked anew; without DWARF the link takes about a
		// third less time. Stack traces keep their file:line (pclntab).
		goflags = strings.TrimSpace(goflags + " -ldflags=-w")
	}
	env := map[string]string{
		"GOFLAGS":     goflags,
		"GOPROXY":     strings.Join(proxies, ","),
		"GONOSUMDB":   nosum,
		"GOTOOLCHAIN": "local", // a cell must never try to download a toolchain
		"PATH":        strings.Join([]string{l.BinDir, filepath.Join(goenv["GOROOT"], "bin"), os.Getenv("PATH")}, string(os.PathListSeparator)),
		"GONBML_ROOT": l.Root,
		"GONBML_DATA": l.DataDir,
		"GONBML_BIN":  l.BinDir,
	}
	return env, snap, nil
}

func fileURL(dir string) string { return "file://" + filepath.ToSlash(dir) }

// Environ merges extra into os.Environ(), extra winning.
func Environ(extra map[string]string) []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := extra[k]; !ok {
			out = append(out, kv)
		}
	}
	for k, v := range extra {
		out = append(out, k+"="+v)
	}
	return out
}
