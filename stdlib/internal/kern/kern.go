// Package kern holds the sparse-times-dense inner kernels that stdlib/sparse
// and stdlib/nmf share: a gather (one CSR row times a dense row-major
// matrix) and a scatter (one CSR row's outer product added into a dense
// matrix), in AVX2+FMA assembly on amd64 with a pure-Go fallback (build tag
// purego, or a CPU without AVX2/FMA), plus the row blocking and the
// goroutine fan-out the parallel products use.
//
// It is internal: these are building blocks for fused loops, not an API;
// users multiply with sparse.CSR's methods.
package kern

import (
	"fmt"
	"sync"
)

// gatherGo is the portable reference for GatherUnchecked.
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

// scatterGo is the portable reference for ScatterUnchecked.
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
		panic(fmt.Sprintf("kern: %s: leading dimension %d < width %d", who, ld, width))
	}
	hi := -1
	for _, i := range idx {
		if i < 0 {
			panic(fmt.Sprintf("kern: %s: negative index %d", who, i))
		}
		hi = max(hi, i)
	}
	if hi >= 0 && hi*ld+width > n {
		panic(fmt.Sprintf("kern: %s: index %d out of range for %d values with stride %d", who, hi, n, ld))
	}
}

// GatherAxpy sets dst to Σ_p val[p]·b[idx[p]·ldb : idx[p]·ldb+len(dst)]:
// one sparse row times a row-major dense matrix b with row stride ldb. It
// panics if an index is out of range (a programmer error) or
// len(val) < len(idx).
func GatherAxpy(dst []float64, idx []int, val []float64, b []float64, ldb int) {
	if len(val) < len(idx) {
		panic("kern: GatherAxpy: fewer values than indices")
	}
	checkIdx(idx, ldb, len(dst), len(b), "GatherAxpy")
	GatherUnchecked(dst, idx, val[:len(idx)], b, ldb)
}

// ScatterAxpy adds val[p]·x to dst[idx[p]·ldd : idx[p]·ldd+len(x)] for
// every p: a sparse row's contribution to Aᵀ·B. It panics if an index is
// out of range or len(val) < len(idx).
func ScatterAxpy(dst []float64, ldd int, idx []int, val []float64, x []float64) {
	if len(val) < len(idx) {
		panic("kern: ScatterAxpy: fewer values than indices")
	}
	checkIdx(idx, ldd, len(x), len(dst), "ScatterAxpy")
	ScatterUnchecked(dst, ldd, idx, val[:len(idx)], x)
}

// RowBlocks splits the rows of a CSR matrix with row pointers indptr
// (len rows+1) into at most n contiguous blocks with about the same number
// of stored values (plus one per row, so empty rows still count) and
// returns the boundaries: block b spans rows [bounds[b], bounds[b+1]).
func RowBlocks(indptr []int, n int) []int {
	rows := len(indptr) - 1
	n = max(1, min(n, rows))
	total := indptr[rows] + rows
	bounds := make([]int, 1, n+1)
	r := 0
	for b := 1; b < n; b++ {
		target := total * b / n
		for r < rows && indptr[r]+r < target {
			r++
		}
		if r > bounds[len(bounds)-1] {
			bounds = append(bounds, r)
		}
	}
	if rows > bounds[len(bounds)-1] || len(bounds) == 1 {
		bounds = append(bounds, rows)
	}
	return bounds
}

// EvenBounds splits [0, n) into at most nb blocks of about equal length.
func EvenBounds(n, nb int) []int {
	nb = max(1, min(nb, n))
	b := make([]int, nb+1)
	for i := range b {
		b[i] = i * n / nb
	}
	return b
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
