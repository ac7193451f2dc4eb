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

	"github.com/gonbml/gonbml/stdlib/safefile"

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
	return safefile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := WriteRows(bw, x); err != nil {
			return err
		}
		return bw.Flush()
	})
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
