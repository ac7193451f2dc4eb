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

// MatMulOptions says how MatMul reads its operands and writes its result.
// The zero value computes dst = a·b on the calling goroutine.
type MatMulOptions struct {
	TransA bool // use aᵀ in place of a (no copy is made)
	TransB bool // use bᵀ in place of b
	// Add adds the product to dst instead of overwriting it.
	Add bool
	// Workers is the number of goroutines that split dst's columns (each
	// column's sums are computed whole by one goroutine, so the result does
	// not depend on it). Default (0): 1, the calling goroutine.
	Workers int
}

// MatMul sets dst = op(a)·op(b), or adds it to dst with o.Add, where op(a)
// is aᵀ when o.TransA is set (likewise b). It panics when the shapes
// disagree: that is a programmer error, not a data error.
//
//	nn.MatMul(y, x, w, nn.MatMulOptions{})                         // y = x·W
//	nn.MatMul(gw, x, dy, nn.MatMulOptions{TransA: true, Add: true}) // gw += xᵀ·dy
func MatMul(dst, a, b *Matrix, o MatMulOptions) {
	m, k := a.Rows, a.Cols
	if o.TransA {
		m, k = k, m
	}
	kb, n := b.Rows, b.Cols
	if o.TransB {
		kb, n = n, kb
	}
	if k != kb || dst.Rows != m || dst.Cols != n {
		panic(fmt.Sprintf("nn: MatMul shapes %d×%d · %d×%d into %d×%d", m, k, kb, n, dst.Rows, dst.Cols))
	}
	gemm(gemmOp{
		transA: o.TransA, transB: o.TransB, m: m, n: n, k: k,
		a: a.Data, lda: a.Cols, b: b.Data, ldb: b.Cols, c: dst.Data, ldc: dst.Cols,
		accumulate: o.Add, workers: o.Workers,
	})
}
