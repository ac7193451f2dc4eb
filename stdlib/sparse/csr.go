package sparse

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// CSR is a compressed sparse row matrix. The zero value is an empty 0×0
// matrix. Fields are exported read-only views for fast kernels; use NewCSR
// or FromTriplets to build one so the invariants in the package doc hold.
type CSR struct {
	rows, cols int
	// Indptr has rows+1 entries; row i spans Indices/Data[Indptr[i]:Indptr[i+1]].
	Indptr []int
	// Indices holds the column of each stored value, increasing within a row.
	Indices []int
	// Data holds the stored values.
	Data []float64
}

var _ mat.Matrix = (*CSR)(nil)

// NewCSR returns a rows×cols CSR matrix over the given slices (not copied)
// after checking them.
func NewCSR(rows, cols int, indptr, indices []int, data []float64) (*CSR, error) {
	if rows < 0 || cols < 0 {
		return nil, fmt.Errorf("sparse: negative dimensions %d×%d", rows, cols)
	}
	if len(indptr) != rows+1 {
		return nil, fmt.Errorf("sparse: indptr has %d entries, want rows+1 = %d", len(indptr), rows+1)
	}
	if indptr[0] != 0 || indptr[rows] != len(indices) || len(indices) != len(data) {
		return nil, fmt.Errorf("sparse: indptr spans [%d, %d] but there are %d indices and %d values",
			indptr[0], indptr[rows], len(indices), len(data))
	}
	for i := 0; i < rows; i++ {
		if indptr[i] > indptr[i+1] {
			return nil, fmt.Errorf("sparse: indptr decreases at row %d", i)
		}
	}
	for i := 0; i < rows; i++ {
		lo, hi := indptr[i], indptr[i+1]
		for p := lo; p < hi; p++ {
			j := indices[p]
			if j < 0 || j >= cols {
				return nil, fmt.Errorf("sparse: column %d out of range [0, %d) at row %d", j, cols, i)
			}
			if p > lo && j <= indices[p-1] {
				return nil, fmt.Errorf("sparse: columns not strictly increasing at row %d", i)
			}
			if v := data[p]; math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("sparse: non-finite value %v at row %d, column %d", v, i, j)
			}
		}
	}
	return &CSR{rows: rows, cols: cols, Indptr: indptr, Indices: indices, Data: data}, nil
}

// Triplet is one stored entry (Row, Col, Val) for FromTriplets.
type Triplet struct {
	Row, Col int
	Val      float64
}

// FromTriplets builds a rows×cols CSR from entries in any order; entries at
// the same position are summed, as scipy's coo→csr conversion does.
func FromTriplets(rows, cols int, ts []Triplet) (*CSR, error) {
	if rows < 0 || cols < 0 {
		return nil, fmt.Errorf("sparse: negative dimensions %d×%d", rows, cols)
	}
	sorted := slices.Clone(ts)
	for _, t := range sorted {
		if t.Row < 0 || t.Row >= rows || t.Col < 0 || t.Col >= cols {
			return nil, fmt.Errorf("sparse: entry (%d, %d) out of range for %d×%d", t.Row, t.Col, rows, cols)
		}
		if math.IsNaN(t.Val) || math.IsInf(t.Val, 0) {
			return nil, fmt.Errorf("sparse: non-finite value %v at row %d, column %d", t.Val, t.Row, t.Col)
		}
	}
	slices.SortFunc(sorted, func(a, b Triplet) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return a.Col - b.Col
	})
	indptr := make([]int, rows+1)
	indices := make([]int, 0, len(sorted))
	data := make([]float64, 0, len(sorted))
	for k, t := range sorted {
		if k > 0 && t.Row == sorted[k-1].Row && t.Col == sorted[k-1].Col {
			data[len(data)-1] += t.Val
			continue
		}
		indices = append(indices, t.Col)
		data = append(data, t.Val)
		indptr[t.Row+1]++
	}
	for i := 0; i < rows; i++ {
		indptr[i+1] += indptr[i]
	}
	return &CSR{rows: rows, cols: cols, Indptr: indptr, Indices: indices, Data: data}, nil
}

// Dims returns the number of rows and columns.
func (m *CSR) Dims() (r, c int) { return m.rows, m.cols }

// NNZ returns the number of stored values.
func (m *CSR) NNZ() int { return len(m.Data) }

// At returns the value at row i, column j (zero when not stored).
func (m *CSR) At(i, j int) float64 {
	if i < 0 || i >= m.rows || j < 0 || j >= m.cols {
		panic(mat.ErrIndexOutOfRange)
	}
	row := m.Indices[m.Indptr[i]:m.Indptr[i+1]]
	if p, ok := slices.BinarySearch(row, j); ok {
		return m.Data[m.Indptr[i]+p]
	}
	return 0
}

// T returns the implicit transpose (no copy).
func (m *CSR) T() mat.Matrix { return mat.Transpose{Matrix: m} }

// Row returns the column indices and values stored in row i (views, not copies).
func (m *CSR) Row(i int) (indices []int, values []float64) {
	lo, hi := m.Indptr[i], m.Indptr[i+1]
	return m.Indices[lo:hi], m.Data[lo:hi]
}
