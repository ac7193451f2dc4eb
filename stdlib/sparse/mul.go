package sparse

import (
	"fmt"
	"math"
	"sync"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/internal/kern"
	"gonum.org/v1/gonum/mat"
)

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
	kern.ParallelBlocks(kern.RowBlocks(m.Indptr, fit.Workers(workers)), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			p, q := m.Indptr[i], m.Indptr[i+1]
			kern.GatherUnchecked(draw.Data[i*draw.Stride:i*draw.Stride+bc], m.Indices[p:q], m.Data[p:q], braw.Data, braw.Stride)
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
	bounds := kern.RowBlocks(m.Indptr, fit.Workers(workers))
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
	kern.ParallelBlocks(bounds, func(w, lo, hi int) {
		acc := *bufs[w]
		clear(acc)
		for i := lo; i < hi; i++ {
			p, q := m.Indptr[i], m.Indptr[i+1]
			kern.ScatterUnchecked(acc, bc, m.Indices[p:q], m.Data[p:q], braw.Data[i*braw.Stride:i*braw.Stride+bc])
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

// RowsDense returns rows lo to hi−1 of m as a new dense matrix (a sample
// of documents to hand to a dense algorithm). It panics when the range is
// outside m, like mat.Dense.Slice.
func (m *CSR) RowsDense(lo, hi int) *mat.Dense {
	if lo < 0 || hi > m.rows || lo >= hi || m.cols == 0 {
		panic(fmt.Sprintf("sparse: rows %d to %d of a %d×%d matrix", lo, hi, m.rows, m.cols))
	}
	d := mat.NewDense(hi-lo, m.cols, nil)
	for i := lo; i < hi; i++ {
		row := d.RawRowView(i - lo)
		for p := m.Indptr[i]; p < m.Indptr[i+1]; p++ {
			row[m.Indices[p]] = m.Data[p]
		}
	}
	return d
}
