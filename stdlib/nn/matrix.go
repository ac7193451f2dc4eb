package nn

import "fmt"

// Matrix is a dense row-major float32 matrix: element (i, j) is
// Data[i*Cols+j]. Rows are samples, columns are features.
type Matrix struct {
	Rows, Cols int
	Data       []float32
}

// NewMatrix returns a zeroed r×c matrix.
func NewMatrix(r, c int) *Matrix {
	if r < 0 || c < 0 {
		panic(fmt.Sprintf("nn: negative matrix size %d×%d", r, c))
	}
	return &Matrix{Rows: r, Cols: c, Data: make([]float32, r*c)}
}

// At returns element (i, j).
func (m *Matrix) At(i, j int) float32 { return m.Data[i*m.Cols+j] }

// Set sets element (i, j) to v.
func (m *Matrix) Set(i, j int, v float32) { m.Data[i*m.Cols+j] = v }

// Row returns row i as a slice that aliases the matrix.
func (m *Matrix) Row(i int) []float32 { return m.Data[i*m.Cols : (i+1)*m.Cols] }

// Reshape resizes m to r×c, reusing its storage when it is large enough, and
// returns m. The contents are unspecified afterwards.
func (m *Matrix) Reshape(r, c int) *Matrix {
	if cap(m.Data) < r*c {
		m.Data = make([]float32, r*c)
	}
	m.Rows, m.Cols, m.Data = r, c, m.Data[:r*c]
	return m
}

// Zero sets every element to 0.
func (m *Matrix) Zero() { clear(m.Data) }

// Clone returns a deep copy.
func (m *Matrix) Clone() *Matrix {
	return &Matrix{Rows: m.Rows, Cols: m.Cols, Data: append([]float32(nil), m.Data...)}
}

// MatMul sets dst = op(a)·op(b) (or adds it when accumulate is true), where
// op transposes when the flag is set. It panics when the shapes disagree.
func MatMul(dst, a *Matrix, transA bool, b *Matrix, transB bool, accumulate bool, workers int) {
	m, k := a.Rows, a.Cols
	if transA {
		m, k = k, m
	}
	kb, n := b.Rows, b.Cols
	if transB {
		kb, n = n, kb
	}
	if k != kb || dst.Rows != m || dst.Cols != n {
		panic(fmt.Sprintf("nn: MatMul shapes %d×%d · %d×%d into %d×%d", m, k, kb, n, dst.Rows, dst.Cols))
	}
	Gemm(transA, transB, m, n, k, a.Data, a.Cols, b.Data, b.Cols, accumulate, dst.Data, dst.Cols, workers)
}
