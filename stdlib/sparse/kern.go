package sparse

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// gatherGo is the portable reference for gatherUnchecked.
func gatherGo(dst []float64, idx []int, val []float64, b []float64, ldb int) {
	clear(dst)
	for p, j := range idx {
		v := val[p]
		row := b[j*ldb : j*ldb+len(dst)]
		for c, x := range row {
			dst[c] += v * x
		}
	}
}

// scatterGo is the portable reference for scatterUnchecked.
func scatterGo(dst []float64, ldd int, idx []int, val []float64, x []float64) {
	for p, j := range idx {
		v := val[p]
		row := dst[j*ldd : j*ldd+len(x)]
		for c, xc := range x {
			row[c] += v * xc
		}
	}
}

// checkIdx panics unless every index i satisfies i ≥ 0 and i·ld+width ≤ n.
func checkIdx(idx []int, ld, width, n int, who string) {
	if ld < width {
		panic(fmt.Sprintf("sparse: %s: leading dimension %d < width %d", who, ld, width))
	}
	hi := -1
	for _, i := range idx {
		if i < 0 {
			panic(fmt.Sprintf("sparse: %s: negative index %d", who, i))
		}
		hi = max(hi, i)
	}
	if hi >= 0 && hi*ld+width > n {
		panic(fmt.Sprintf("sparse: %s: index %d out of range for %d values with stride %d", who, hi, n, ld))
	}
}

// GatherAxpy sets dst to Σ_p val[p]·b[idx[p]·ldb : idx[p]·ldb+len(dst)]:
// one row of a sparse row times a row-major dense matrix b with row stride
// ldb. It is the inner kernel of MulDenseTo, exported for fused loops such
// as NMF's updates. It panics if an index is out of range (a programmer
// error) or len(val) < len(idx).
func GatherAxpy(dst []float64, idx []int, val []float64, b []float64, ldb int) {
	if len(val) < len(idx) {
		panic("sparse: GatherAxpy: fewer values than indices")
	}
	checkIdx(idx, ldb, len(dst), len(b), "GatherAxpy")
	gatherUnchecked(dst, idx, val[:len(idx)], b, ldb)
}

// ScatterAxpy adds val[p]·x to dst[idx[p]·ldd : idx[p]·ldd+len(x)] for
// every p: the inner kernel of MulTDenseTo (a sparse row's contribution to
// Aᵀ·B). It panics if an index is out of range or len(val) < len(idx).
func ScatterAxpy(dst []float64, ldd int, idx []int, val []float64, x []float64) {
	if len(val) < len(idx) {
		panic("sparse: ScatterAxpy: fewer values than indices")
	}
	checkIdx(idx, ldd, len(x), len(dst), "ScatterAxpy")
	scatterUnchecked(dst, ldd, idx, val[:len(idx)], x)
}

// Workers returns the worker count to use for a setting: n itself when
// n > 0, else runtime.GOMAXPROCS(0).
func Workers(n int) int {
	if n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// RowBlocks splits the rows into at most n contiguous blocks with about the
// same number of stored values (plus one per row, so empty rows still
// count) and returns the boundaries: block b spans rows [bounds[b],
// bounds[b+1]).
func (m *CSR) RowBlocks(n int) []int {
	n = max(1, min(n, m.rows))
	total := len(m.Data) + m.rows
	bounds := make([]int, 1, n+1)
	r := 0
	for b := 1; b < n; b++ {
		target := total * b / n
		for r < m.rows && m.Indptr[r]+r < target {
			r++
		}
		if r > bounds[len(bounds)-1] {
			bounds = append(bounds, r)
		}
	}
	if m.rows > bounds[len(bounds)-1] || len(bounds) == 1 {
		bounds = append(bounds, m.rows)
	}
	return bounds
}

// ParallelBlocks calls f(b, lo, hi) for each block [bounds[b], bounds[b+1])
// concurrently, one goroutine per block after the first (run on the caller's
// goroutine), and waits for all of them.
func ParallelBlocks(bounds []int, f func(b, lo, hi int)) {
	nb := len(bounds) - 1
	if nb <= 0 {
		return
	}
	if nb == 1 {
		f(0, bounds[0], bounds[1])
		return
	}
	var wg sync.WaitGroup
	for b := 1; b < nb; b++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(b, bounds[b], bounds[b+1])
		}()
	}
	f(0, bounds[0], bounds[1])
	wg.Wait()
}

// MulDenseTo sets dst = m·b using up to workers goroutines over row blocks
// (workers ≤ 0 means GOMAXPROCS). m is r×c, b must be c×k and dst r×k;
// other shapes panic, as in gonum. dst must not share memory with b.
func (m *CSR) MulDenseTo(dst, b *mat.Dense, workers int) {
	br, bc := b.Dims()
	dr, dc := dst.Dims()
	if br != m.cols || dr != m.rows || dc != bc {
		panic(mat.ErrShape)
	}
	braw, draw := b.RawMatrix(), dst.RawMatrix()
	if m.rows == 0 || bc == 0 {
		return
	}
	ParallelBlocks(m.RowBlocks(Workers(workers)), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			p, q := m.Indptr[i], m.Indptr[i+1]
			gatherUnchecked(draw.Data[i*draw.Stride:i*draw.Stride+bc], m.Indices[p:q], m.Data[p:q], braw.Data, braw.Stride)
		}
	})
}

// MulDense returns m·b as a new dense matrix (see MulDenseTo).
func (m *CSR) MulDense(b *mat.Dense, workers int) *mat.Dense {
	_, k := b.Dims()
	if m.rows == 0 || k == 0 {
		return &mat.Dense{}
	}
	dst := mat.NewDense(m.rows, k, nil)
	m.MulDenseTo(dst, b, workers)
	return dst
}

// scratch holds per-worker accumulators for MulTDenseTo between calls, so
// repeated products (NMF iterations) do not allocate.
var scratch = sync.Pool{New: func() any { return new([]float64) }}

// MulTDenseTo sets dst = mᵀ·b without forming the transpose: each worker
// scatters the rows of its row block into a private accumulator, and the
// accumulators are summed in block order, so the result is deterministic for
// a given worker count. m is r×c, b must be r×k and dst c×k; other shapes
// panic. dst must not share memory with b.
func (m *CSR) MulTDenseTo(dst, b *mat.Dense, workers int) {
	br, bc := b.Dims()
	dr, dc := dst.Dims()
	if br != m.rows || dr != m.cols || dc != bc {
		panic(mat.ErrShape)
	}
	if m.cols == 0 || bc == 0 {
		return
	}
	braw, draw := b.RawMatrix(), dst.RawMatrix()
	bounds := m.RowBlocks(Workers(workers))
	nb := len(bounds) - 1
	size := m.cols * bc
	bufs := make([]*[]float64, nb)
	for w := range bufs {
		bufs[w] = scratch.Get().(*[]float64)
		if cap(*bufs[w]) < size {
			*bufs[w] = make([]float64, size)
		}
		*bufs[w] = (*bufs[w])[:size]
	}
	ParallelBlocks(bounds, func(w, lo, hi int) {
		acc := *bufs[w]
		clear(acc)
		for i := lo; i < hi; i++ {
			m.RowOuterAddTo(acc, bc, i, braw.Data[i*braw.Stride:i*braw.Stride+bc])
		}
	})
	for j := 0; j < m.cols; j++ {
		row := draw.Data[j*draw.Stride : j*draw.Stride+bc]
		copy(row, (*bufs[0])[j*bc:(j+1)*bc])
		for w := 1; w < nb; w++ {
			src := (*bufs[w])[j*bc : (j+1)*bc]
			for c := range row {
				row[c] += src[c]
			}
		}
	}
	for _, buf := range bufs {
		scratch.Put(buf)
	}
}

// MulTDense returns mᵀ·b as a new dense matrix (see MulTDenseTo).
func (m *CSR) MulTDense(b *mat.Dense, workers int) *mat.Dense {
	_, k := b.Dims()
	if m.cols == 0 || k == 0 {
		return &mat.Dense{}
	}
	dst := mat.NewDense(m.cols, k, nil)
	m.MulTDenseTo(dst, b, workers)
	return dst
}

// RowSums returns the sum of each row.
func (m *CSR) RowSums() []float64 {
	s := make([]float64, m.rows)
	for i := range s {
		for _, v := range m.Data[m.Indptr[i]:m.Indptr[i+1]] {
			s[i] += v
		}
	}
	return s
}

// ColSums returns the sum of each column.
func (m *CSR) ColSums() []float64 {
	s := make([]float64, m.cols)
	for p, j := range m.Indices {
		s[j] += m.Data[p]
	}
	return s
}

// RowNorms returns the Euclidean norm of each row.
func (m *CSR) RowNorms() []float64 {
	s := make([]float64, m.rows)
	for i := range s {
		var ss float64
		for _, v := range m.Data[m.Indptr[i]:m.Indptr[i+1]] {
			ss += v * v
		}
		s[i] = math.Sqrt(ss)
	}
	return s
}

// ColNorms returns the Euclidean norm of each column.
func (m *CSR) ColNorms() []float64 {
	s := make([]float64, m.cols)
	for p, j := range m.Indices {
		s[j] += m.Data[p] * m.Data[p]
	}
	for j := range s {
		s[j] = math.Sqrt(s[j])
	}
	return s
}

// Sum returns the sum of all stored values.
func (m *CSR) Sum() float64 {
	var s float64
	for _, v := range m.Data {
		s += v
	}
	return s
}

// SquaredNorm returns the squared Frobenius norm Σ v².
func (m *CSR) SquaredNorm() float64 {
	var s float64
	for _, v := range m.Data {
		s += v * v
	}
	return s
}

// FromDense returns the CSR holding the non-zero entries of a. It returns an
// error if a holds NaN or Inf.
func FromDense(a mat.Matrix) (*CSR, error) {
	r, c := a.Dims()
	indptr := make([]int, r+1)
	var indices []int
	var data []float64
	at := a.At
	if d, ok := a.(*mat.Dense); ok {
		raw := d.RawMatrix()
		at = func(i, j int) float64 { return raw.Data[i*raw.Stride+j] }
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			v := at(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("sparse: non-finite value %v at row %d, column %d", v, i, j)
			}
			if v != 0 {
				indices = append(indices, j)
				data = append(data, v)
			}
		}
		indptr[i+1] = len(data)
	}
	return &CSR{rows: r, cols: c, Indptr: indptr, Indices: indices, Data: data}, nil
}

// ToDense returns m as a new dense matrix (for small matrices and tests).
func (m *CSR) ToDense() *mat.Dense {
	if m.rows == 0 || m.cols == 0 {
		return &mat.Dense{}
	}
	d := mat.NewDense(m.rows, m.cols, nil)
	for i := 0; i < m.rows; i++ {
		for p := m.Indptr[i]; p < m.Indptr[i+1]; p++ {
			d.Set(i, m.Indices[p], m.Data[p])
		}
	}
	return d
}

// RowMulTo sets dst to row i of m times the row-major matrix b (m.cols
// rows, row stride ldb, at least len(dst) columns): dst = m[i,:]·b[:, :len(dst)].
// It is MulDenseTo for one row, for loops that fuse the product with an
// update; the CSR invariants make it check only the size of b.
func (m *CSR) RowMulTo(dst []float64, i int, b []float64, ldb int) {
	if ldb < len(dst) || (m.cols > 0 && len(b) < (m.cols-1)*ldb+len(dst)) {
		panic(mat.ErrShape)
	}
	lo, hi := m.Indptr[i], m.Indptr[i+1]
	gatherUnchecked(dst, m.Indices[lo:hi], m.Data[lo:hi], b, ldb)
}

// RowOuterAddTo adds the outer product of row i of m with x to dst, a
// row-major m.cols×len(x) matrix with row stride ldd: dst[j,:] += m[i,j]·x.
// Summed over all rows it is MulTDenseTo (mᵀ·X); it checks only the size
// of dst.
func (m *CSR) RowOuterAddTo(dst []float64, ldd int, i int, x []float64) {
	if ldd < len(x) || (m.cols > 0 && len(dst) < (m.cols-1)*ldd+len(x)) {
		panic(mat.ErrShape)
	}
	lo, hi := m.Indptr[i], m.Indptr[i+1]
	scatterUnchecked(dst, ldd, m.Indices[lo:hi], m.Data[lo:hi], x)
}
