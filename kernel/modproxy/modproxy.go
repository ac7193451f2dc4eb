// Package modproxy publishes snapshots of the gonbml module into a local,
// file-based Go module proxy, so that GoNB's per-cell `go get` resolves
// github.com/gonbml/gonbml offline and always sees the current source.
//
// # Why a proxy
//
// GoNB runs `go mod init` in a fresh temporary directory, then goimports,
// `go get` and `go build` for every cell. The environment is the only hook
// that needs no setup cell: a GOPROXY entry pointing at a directory in the
// proxy layout (module/@v/VERSION.{info,mod,zip}, module/@latest) makes the
// module resolvable like any published one. A go.work file cannot list
// GoNB's random directory and a bare replace still queries the network.
//
// # Versions
//
// Each snapshot is a pseudo-version v0.0.0-YYYYMMDDhhmmss-<hash>, where the
// time is the publication time (so newer snapshots sort higher) and the hash
// is the first 12 hex digits of a SHA-256 over the published files. A snapshot
// is only written when the content changed; otherwise the existing version is
// reused and becomes @latest again.
package modproxy

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gonbml/gonbml/stdlib/safefile"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

// Snapshot describes one published version of the module.
type Snapshot struct {
	Module  string // module path, from go.mod
	Version string // pseudo-version, e.g. v0.0.0-20261129030000-0123456789ab
	Hash    string // full hex SHA-256 of the published files
	Created bool   // true when this call wrote a new version
}

// Included reports whether a module-relative, slash-separated path is part
// of a snapshot: go.mod, go.sum, LICENSE and the non-test files of stdlib/.
// Tests, testdata, benchmarks, the kernel and notebooks are left out: cells
// only import stdlib, and a small zip keeps `go get` fast.
func Included(rel string) bool {
	switch rel {
	case "go.mod", "go.sum", "LICENSE":
		return true
	}
	if !strings.HasPrefix(rel, "stdlib/") {
		return false
	}
	for _, part := range strings.Split(rel, "/") {
		if part == "testdata" || strings.HasPrefix(part, ".") || strings.HasPrefix(part, "_") {
			return false
		}
	}
	return !strings.HasSuffix(rel, "_test.go")
}

// Publish snapshots the module rooted at root into the proxy directory
// proxyDir (created if needed) and returns the snapshot now served as
// @latest. now is the publication time of a new snapshot.
func Publish(root, proxyDir string, now time.Time) (Snapshot, error) {
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return Snapshot{}, fmt.Errorf("modproxy: %w", err)
	}
	modPath := modfile.ModulePath(gomod)
	if modPath == "" {
		return Snapshot{}, fmt.Errorf("modproxy: no module line in %s", filepath.Join(root, "go.mod"))
	}
	files, err := collect(root)
	if err != nil {
		return Snapshot{}, err
	}
	hash := hashFiles(root, files)
	escaped, err := module.EscapePath(modPath)
	if err != nil {
		return Snapshot{}, fmt.Errorf("modproxy: %w", err)
	}
	vdir := filepath.Join(proxyDir, filepath.FromSlash(escaped), "@v")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return Snapshot{}, fmt.Errorf("modproxy: %w", err)
	}
	snap := Snapshot{Module: modPath, Hash: hash}
	// The hash→version index lets an unchanged tree reuse its version.
	indexPath := filepath.Join(vdir, "gonbml-"+hash[:32])
	if v, err := os.ReadFile(indexPath); err == nil {
		snap.Version = strings.TrimSpace(string(v))
		if _, err := os.Stat(filepath.Join(vdir, snap.Version+".zip")); err == nil {
			return snap, writeLatest(proxyDir, escaped, snap.Version, vdir)
		}
	}
	snap.Version = module.PseudoVersion("v0", "", now.UTC(), hash[:12])
	snap.Created = true
	mv := module.Version{Path: modPath, Version: snap.Version}

	var zbuf bytes.Buffer
	zfiles := make([]modzip.File, len(files))
	for i, rel := range files {
		zfiles[i] = diskFile{root: root, rel: rel}
	}
	if err := modzip.Create(&zbuf, mv, zfiles); err != nil {
		return Snapshot{}, fmt.Errorf("modproxy: zip %s: %w", mv, err)
	}
	info, _ := json.Marshal(map[string]string{"Version": snap.Version, "Time": now.UTC().Format(time.RFC3339)})
	// The .zip goes last among the version files: go reads .info/.mod first,
	// and a version is only advertised once all three exist.
	for _, f := range []struct {
		name string
		data []byte
	}{
		{snap.Version + ".info", info},
		{snap.Version + ".mod", gomod},
		{snap.Version + ".zip", zbuf.Bytes()},
		{filepath.Base(indexPath), []byte(snap.Version + "\n")},
	} {
		if err := WriteFileAtomic(filepath.Join(vdir, f.name), f.data, 0o644); err != nil {
			return Snapshot{}, err
		}
	}
	return snap, writeLatest(proxyDir, escaped, snap.Version, vdir)
}

// writeLatest makes version the module's @latest. The @v/list stays empty:
// it lists tagged versions only, and the go command then asks @latest.
func writeLatest(proxyDir, escaped, version, vdir string) error {
	info, err := os.ReadFile(filepath.Join(vdir, version+".info"))
	if err != nil {
		return fmt.Errorf("modproxy: %w", err)
	}
	if err := WriteFileAtomic(filepath.Join(vdir, "list"), nil, 0o644); err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(proxyDir, filepath.FromSlash(escaped), "@latest"), info, 0o644)
}

// collect lists the included regular files under root, sorted.
func collect(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && rel != "stdlib" && !strings.HasPrefix(rel, "stdlib/") {
				return fs.SkipDir
			}
			if rel != "." && path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return fs.SkipDir // a nested module is not part of this one
				}
			}
			return nil
		}
		if d.Type().IsRegular() && Included(rel) {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("modproxy: %w", err)
	}
	slices.Sort(files)
	return files, nil
}

func hashFiles(root string, files []string) string {
	h := sha256.New()
	for _, rel := range files {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			data = []byte("unreadable: " + err.Error())
		}
		fmt.Fprintf(h, "%s\x00%d\x00", rel, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

type diskFile struct{ root, rel string }

func (f diskFile) Path() string { return f.rel }
func (f diskFile) Lstat() (os.FileInfo, error) {
	return os.Lstat(filepath.Join(f.root, filepath.FromSlash(f.rel)))
}
func (f diskFile) Open() (io.ReadCloser, error) {
	return os.Open(filepath.Join(f.root, filepath.FromSlash(f.rel)))
}

// WriteFileAtomic writes data to a temporary file beside path and renames it
// into place, so readers never see a half-written file.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	err := safefile.WriteMode(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("modproxy: write %s: %w", path, err)
	}
	return nil
}
