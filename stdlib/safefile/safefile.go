// Package safefile writes files so that a reader never sees half of one: the
// content goes to a temporary file in the same directory, is synced, and is
// renamed over the destination only when everything was written. A failed
// or interrupted write leaves the old file (or none) in place.
//
// It is the one place the stdlib, the kernel and the benchmarks write files
// that way.
package safefile

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write creates or replaces path with what fill writes, atomically. The
// file gets mode 0644 (before the umask); parent directories are created.
func Write(path string, fill func(w io.Writer) error) error {
	return WriteMode(path, 0o644, fill)
}

// WriteMode is Write with the file mode given.
func WriteMode(path string, mode os.FileMode, fill func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("safefile: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("safefile: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = fill(tmp); err != nil {
		return err
	}
	if err = tmp.Chmod(mode); err != nil {
		return fmt.Errorf("safefile: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("safefile: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("safefile: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("safefile: %w", err)
	}
	return nil
}

// WriteBytes creates or replaces path with data, atomically.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := io.Copy(w, bytes.NewReader(data))
		return err
	})
}
