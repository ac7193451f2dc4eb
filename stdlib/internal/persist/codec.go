package persist

import (
	"fmt"
	"io"
	"os"
)

// Codec saves and loads one kind of model with the package's error prefix
// and its consistency check, so a package's Save, SaveFile, Load and
// LoadFile are one line each.
type Codec[T any] struct {
	Pkg     string         // error prefix, e.g. "nmf"
	Kind    string         // header kind, e.g. "nmf.Model"
	Version int            // format version written and accepted
	Check   func(*T) error // rejects an inconsistent value before saving and after loading; nil: none
}

func (c Codec[T]) check(v *T) error {
	if c.Check == nil {
		return nil
	}
	return c.Check(v)
}

// Save writes v after checking it.
func (c Codec[T]) Save(w io.Writer, v *T) error {
	if err := c.check(v); err != nil {
		return err
	}
	if err := Save(w, c.Kind, c.Version, v); err != nil {
		return fmt.Errorf("%s: save: %w", c.Pkg, err)
	}
	return nil
}

// SaveFile writes v to path atomically after checking it.
func (c Codec[T]) SaveFile(path string, v *T) error {
	if err := c.check(v); err != nil {
		return err
	}
	if err := SaveFile(path, c.Kind, c.Version, v); err != nil {
		return fmt.Errorf("%s: save %s: %w", c.Pkg, path, err)
	}
	return nil
}

// Load reads a value written by Save and checks it.
func (c Codec[T]) Load(r io.Reader) (*T, error) {
	var v T
	if err := Load(r, c.Kind, c.Version, &v); err != nil {
		return nil, fmt.Errorf("%s: load: %w", c.Pkg, err)
	}
	if err := c.check(&v); err != nil {
		return nil, fmt.Errorf("%s: load: %w", c.Pkg, err)
	}
	return &v, nil
}

// LoadFile reads a value written by SaveFile; errors name the file.
func (c Codec[T]) LoadFile(path string) (*T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: load: %w", c.Pkg, err)
	}
	defer f.Close()
	v, err := c.Load(f)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return v, nil
}
