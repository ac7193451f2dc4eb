package sparse

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/gonbml/gonbml/stdlib/safefile"

	"gonum.org/v1/gonum/mat"
)

// Limits of what ReadMatrixMarket and CSR decoding accept, so a file of a
// few bytes whose header claims a huge matrix fails with an error instead of
// exhausting memory: a CSR allocates one int per row (rows+1 row pointers),
// so MaxDim rows cost 512 MiB; MaxNNZ entries cost 32 GiB as triplets. Storage
// for entries grows with what has been read, never with the header's claim.
const (
	MaxDim = 1 << 26 // rows or columns (67,108,864)
	MaxNNZ = 1 << 31 // stored entries (coordinate) or values (array)
)

// ReadMatrixMarket reads a real, integer or pattern matrix in Matrix Market
// format, coordinate (general or symmetric) or array (general), and returns
// it as a CSR holding its non-zero entries. Gzip-compressed input is
// recognised by its magic bytes. Malformed headers, counts, indices out of
// range, non-finite values and sizes above MaxDim or MaxNNZ return an
// error naming the line.
func ReadMatrixMarket(r io.Reader) (*CSR, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("sparse: matrix market: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 1<<16)
	}
	line, err := br.ReadString('\n')
	if err != nil && line == "" {
		return nil, fmt.Errorf("sparse: matrix market: empty input")
	}
	head := strings.Fields(strings.ToLower(line))
	if len(head) != 5 || head[0] != "%%matrixmarket" || head[1] != "matrix" {
		return nil, fmt.Errorf("sparse: matrix market: bad header %q", strings.TrimSpace(line))
	}
	format, field, sym := head[2], head[3], head[4]
	if format != "coordinate" && format != "array" {
		return nil, fmt.Errorf("sparse: matrix market: unsupported format %q", format)
	}
	if field != "real" && field != "integer" && field != "double" && !(field == "pattern" && format == "coordinate") {
		return nil, fmt.Errorf("sparse: matrix market: unsupported field %q", field)
	}
	if sym != "general" && !(sym == "symmetric" && format == "coordinate") {
		return nil, fmt.Errorf("sparse: matrix market: unsupported symmetry %q", sym)
	}
	lineNo := 1
	next := func() ([]string, error) {
		for {
			s, err := br.ReadString('\n')
			if s == "" && err != nil {
				if err == io.EOF {
					return nil, io.ErrUnexpectedEOF
				}
				return nil, err
			}
			lineNo++
			s = strings.TrimSpace(s)
			if s == "" || s[0] == '%' {
				continue
			}
			return strings.Fields(s), nil
		}
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("sparse: matrix market line %d: %s", lineNo, fmt.Sprintf(format, args...))
	}
	size, err := next()
	if err != nil {
		return nil, fmt.Errorf("sparse: matrix market: missing size line: %w", err)
	}
	ints := func(fs []string) ([]int, error) {
		out := make([]int, len(fs))
		for i, f := range fs {
			v, err := strconv.Atoi(f)
			if err != nil || v < 0 {
				return nil, fail("bad integer %q", f)
			}
			out[i] = v
		}
		return out, nil
	}
	value := func(f string) (float64, error) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return 0, fail("bad value %q", f)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fail("non-finite value %q", f)
		}
		return v, nil
	}
	if format == "array" {
		if len(size) != 2 {
			return nil, fail("want 'rows cols', got %q", strings.Join(size, " "))
		}
		dims, err := ints(size)
		if err != nil {
			return nil, err
		}
		rows, cols := dims[0], dims[1]
		if err := checkDims(rows, cols); err != nil {
			return nil, fail("%v", err)
		}
		if rows*cols > MaxNNZ {
			return nil, fail("%d×%d = %d values exceed the limit of %d (sparse.MaxNNZ)", rows, cols, rows*cols, MaxNNZ)
		}
		var ts []Triplet
		for j := 0; j < cols; j++ { // array format is column-major
			for i := 0; i < rows; i++ {
				fs, err := next()
				if err != nil {
					return nil, fail("want %d values, file ends after %d: %v", rows*cols, j*rows+i, err)
				}
				if len(fs) != 1 {
					return nil, fail("want one value, got %q", strings.Join(fs, " "))
				}
				v, err := value(fs[0])
				if err != nil {
					return nil, err
				}
				if v != 0 {
					ts = append(ts, Triplet{i, j, v})
				}
			}
		}
		return FromTriplets(rows, cols, ts)
	}
	if len(size) != 3 {
		return nil, fail("want 'rows cols nnz', got %q", strings.Join(size, " "))
	}
	dims, err := ints(size)
	if err != nil {
		return nil, err
	}
	rows, cols, nnz := dims[0], dims[1], dims[2]
	if err := checkDims(rows, cols); err != nil {
		return nil, fail("%v", err)
	}
	switch {
	case nnz > MaxNNZ:
		return nil, fail("%d entries exceed the limit of %d (sparse.MaxNNZ)", nnz, MaxNNZ)
	case nnz > rows*cols:
		return nil, fail("a %d×%d matrix cannot hold %d entries", rows, cols, nnz)
	}
	// Grow with what is read: the header's count is a claim, not a promise.
	ts := make([]Triplet, 0, min(nnz, 1<<12))
	for k := 0; k < nnz; k++ {
		fs, err := next()
		if err != nil {
			return nil, fail("want %d entries, file ends after %d: %v", nnz, k, err)
		}
		want := 3
		if field == "pattern" {
			want = 2
		}
		if len(fs) != want {
			return nil, fail("want %d fields, got %q", want, strings.Join(fs, " "))
		}
		ij, err := ints(fs[:2])
		if err != nil {
			return nil, err
		}
		i, j := ij[0]-1, ij[1]-1
		if i < 0 || i >= rows || j < 0 || j >= cols {
			return nil, fail("entry (%d, %d) out of range for %d×%d", i+1, j+1, rows, cols)
		}
		v := 1.0
		if field != "pattern" {
			if v, err = value(fs[2]); err != nil {
				return nil, err
			}
		}
		ts = append(ts, Triplet{i, j, v})
		if sym == "symmetric" && i != j {
			ts = append(ts, Triplet{j, i, v})
		}
	}
	return FromTriplets(rows, cols, ts)
}

// checkDims refuses dimensions above MaxDim.
func checkDims(rows, cols int) error {
	if rows > MaxDim || cols > MaxDim {
		return fmt.Errorf("%d×%d exceeds the limit of %d rows or columns (sparse.MaxDim)", rows, cols, MaxDim)
	}
	return nil
}

// ReadMatrixMarketFile reads a Matrix Market file (plain or gzip, see
// ReadMatrixMarket).
func ReadMatrixMarketFile(path string) (*CSR, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sparse: %w", err)
	}
	defer f.Close()
	m, err := ReadMatrixMarket(f)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return m, nil
}

// WriteMatrixMarket writes a in Matrix Market format: a *CSR as
// "coordinate real general" with its stored entries, any other matrix as
// "array real general" (column-major, as the format requires). Values are
// written with the shortest representation that reads back exactly.
func WriteMatrixMarket(w io.Writer, a mat.Matrix) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	r, c := a.Dims()
	buf := make([]byte, 0, 64)
	if m, ok := a.(*CSR); ok {
		fmt.Fprintf(bw, "%%%%MatrixMarket matrix coordinate real general\n%d %d %d\n", r, c, m.NNZ())
		for i := 0; i < r; i++ {
			for p := m.Indptr[i]; p < m.Indptr[i+1]; p++ {
				buf = strconv.AppendInt(buf[:0], int64(i+1), 10)
				buf = append(buf, ' ')
				buf = strconv.AppendInt(buf, int64(m.Indices[p]+1), 10)
				buf = append(buf, ' ')
				buf = strconv.AppendFloat(buf, m.Data[p], 'g', -1, 64)
				buf = append(buf, '\n')
				bw.Write(buf)
			}
		}
	} else {
		fmt.Fprintf(bw, "%%%%MatrixMarket matrix array real general\n%d %d\n", r, c)
		for j := 0; j < c; j++ {
			for i := 0; i < r; i++ {
				buf = strconv.AppendFloat(buf[:0], a.At(i, j), 'g', -1, 64)
				buf = append(buf, '\n')
				bw.Write(buf)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("sparse: matrix market: %w", err)
	}
	return nil
}

// WriteMatrixMarketFile writes a to path atomically (temporary file in the
// same directory, then rename), gzip-compressed when path ends in ".gz".
func WriteMatrixMarketFile(path string, a mat.Matrix) error {
	return safefile.Write(path, func(w io.Writer) error {
		if !strings.HasSuffix(path, ".gz") {
			return WriteMatrixMarket(w, a)
		}
		zw := gzip.NewWriter(w)
		if err := WriteMatrixMarket(zw, a); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return fmt.Errorf("sparse: %w", err)
		}
		return nil
	})
}
