package npm

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tarball writes a gzipped tar of the given headers (contents filled with
// 'x' up to limit bytes each) into a fresh GONBML_DATA and returns a
// Package pinned to it.
func tarball(t *testing.T, headers []*tar.Header, limit int64) Package {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, h := range headers {
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		// A header may claim more than is written: the reader must
		// refuse it before reading on.
		tw.Write(bytes.Repeat([]byte("x"), int(min(h.Size, limit))))
	}
	tw.Flush()
	zw.Close()
	sum := sha512.Sum512(buf.Bytes())
	p := Package{Name: "test-pkg", Version: "1.0.0", Integrity: "sha512-" + base64.StdEncoding.EncodeToString(sum[:])}
	dir := t.TempDir()
	t.Setenv("GONBML_DATA", dir)
	if err := os.WriteFile(filepath.Join(dir, p.FileName()), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWalk(t *testing.T) {
	cases := []struct {
		name    string
		headers []*tar.Header
		want    []string // files walked
		err     string   // in the error; "" for none
	}{
		{"files under package/", []*tar.Header{
			{Name: "package/a.txt", Size: 3, Mode: 0o644, Typeflag: tar.TypeReg},
			{Name: "package/dist/", Mode: 0o755, Typeflag: tar.TypeDir},
			{Name: "package/dist/b.js", Size: 5, Mode: 0o644, Typeflag: tar.TypeReg},
		}, []string{"a.txt", "dist/b.js"}, ""},
		{"header over MaxFileSize", []*tar.Header{
			{Name: "package/ok.txt", Size: 1, Mode: 0o644, Typeflag: tar.TypeReg},
			{Name: "package/huge.bin", Size: MaxFileSize + 1, Mode: 0o644, Typeflag: tar.TypeReg},
		}, []string{"ok.txt"}, "tar header of package/huge.bin says 268435457 bytes, over the 268435456-byte limit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := tarball(t, c.headers, 16)
			var got []string
			err := p.Walk(context.Background(), func(name string, r io.Reader) error {
				got = append(got, name)
				return nil
			})
			if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
				t.Fatalf("err = %v, want %q", err, c.err)
			}
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Fatalf("walked %v, want %v", got, c.want)
			}
		})
	}
}

func TestFetchRefusesWrongPin(t *testing.T) {
	p := tarball(t, []*tar.Header{{Name: "package/a", Size: 1, Mode: 0o644, Typeflag: tar.TypeReg}}, 1)
	p.Integrity = "sha512-" + base64.StdEncoding.EncodeToString(make([]byte, 64))
	t.Setenv("PATH", "") // no npm: the file cannot be replaced
	_, err := p.Fetch(context.Background())
	if !errors.Is(err, ErrIntegrity) || !strings.Contains(err.Error(), p.FileName()) {
		t.Fatalf("err = %v, want ErrIntegrity naming the file", err)
	}
}
