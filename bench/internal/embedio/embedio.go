// Package embedio reads and writes the files the embedding benchmarks share
// (bench/docembed, bench/sentembed): one label per line in, one vector per
// line (tab-separated) out.
package embedio

import (
	"bufio"
	"io"
	"os"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// ReadLabels reads one label per line and numbers them in order of first
// appearance.
func ReadLabels(path string) ([]int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ids := map[string]int{}
	var out []int
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		l = strings.TrimSpace(l)
		if _, ok := ids[l]; !ok {
			ids[l] = len(ids)
		}
		out = append(out, ids[l])
	}
	return out, nil
}

// WriteTSV writes one row of x per line, tab-separated, atomically
// (temporary file, then rename).
func WriteTSV(path string, x *mat.Dense) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	err = WriteRows(w, x)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// WriteRows writes one row of x per line, values tab-separated with six
// significant digits.
func WriteRows(w io.Writer, x *mat.Dense) error {
	r, _ := x.Dims()
	buf := make([]byte, 0, 64)
	for i := 0; i < r; i++ {
		for j, v := range x.RawRowView(i) {
			if j > 0 {
				buf = append(buf, '\t')
			}
			buf = strconv.AppendFloat(buf, v, 'g', 6, 64)
		}
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
		buf = buf[:0]
	}
	return nil
}
