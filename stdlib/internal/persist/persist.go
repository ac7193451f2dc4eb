// Package persist is the stdlib's one file format for trained models: a
// header line naming the kind and format version, then the model as gob.
//
//	gonbml nmf.Model v1\n<gob>
//
// A file of another kind or version fails with an error that names what the
// file holds and what was expected, never with a gob decoding error or a
// silently wrong model.
package persist

import (
	"bufio"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gonbml/gonbml/stdlib/safefile"
)

// ErrFormat is wrapped by every error about a file's kind or version.
var ErrFormat = errors.New("unexpected file format")

const magic = "gonbml "

// maxHeader bounds the header line, so a file that is not ours is rejected
// after reading a few bytes.
const maxHeader = 128

// Save writes the header for kind and version, then v as gob.
func Save(w io.Writer, kind string, version int, v any) error {
	if _, err := fmt.Fprintf(w, "%s%s v%d\n", magic, kind, version); err != nil {
		return err
	}
	return gob.NewEncoder(w).Encode(v)
}

// SaveFile is Save into path, atomically (see safefile).
func SaveFile(path, kind string, version int, v any) error {
	return safefile.Write(path, func(w io.Writer) error { return Save(w, kind, version, v) })
}

// Load reads a header, checks it names kind at version, and decodes the gob
// that follows into v (a pointer).
func Load(r io.Reader, kind string, version int, v any) error {
	br := bufio.NewReader(r)
	line, err := readHeader(br)
	if err != nil {
		return err
	}
	rest, ok := strings.CutPrefix(line, magic)
	if !ok {
		return fmt.Errorf("%w: not a gonbml model file (want %s v%d)", ErrFormat, kind, version)
	}
	gotKind, ver, _ := strings.Cut(rest, " v")
	if gotKind != kind {
		return fmt.Errorf("%w: the file holds a %s, not a %s", ErrFormat, gotKind, kind)
	}
	n, err := strconv.Atoi(ver)
	if err != nil {
		return fmt.Errorf("%w: bad version %q in header %q", ErrFormat, ver, line)
	}
	if n != version {
		return fmt.Errorf("%w: %s format version %d, this build reads version %d (retrain, or load it with the gonbml version that saved it)", ErrFormat, kind, n, version)
	}
	if err := gob.NewDecoder(br).Decode(v); err != nil {
		return fmt.Errorf("reading %s: %w", kind, err)
	}
	return nil
}

func readHeader(br *bufio.Reader) (string, error) {
	var b strings.Builder
	for b.Len() < maxHeader {
		c, err := br.ReadByte()
		if err == io.EOF {
			return "", fmt.Errorf("%w: file ends before its header", ErrFormat)
		}
		if err != nil {
			return "", err
		}
		if c == '\n' {
			return b.String(), nil
		}
		b.WriteByte(c)
	}
	return "", fmt.Errorf("%w: not a gonbml model file (no header line)", ErrFormat)
}
