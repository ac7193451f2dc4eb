package kern

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// randRow returns n sorted distinct indices below rows and their values.
func randRow(rng *rand.Rand, n, rows int) ([]int, []float64) {
	perm := rng.Perm(rows)[:n]
	idx := make([]int, n)
	val := make([]float64, n)
	for p := range idx {
		idx[p], val[p] = perm[p], rng.NormFloat64()
	}
	return idx, val
}

func near(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-12 {
			return false
		}
	}
	return true
}

// TestKernelsAgainstReference checks the (assembly, where the CPU has it)
// kernels against the plain loops for widths that hit every path: scalar
// tail (1, 3), 4-wide (4, 5), 16-wide (16), 16+4 (20, the NMF case) and
// 16+4+tail (23), with a stride wider than the width, and empty rows.
func TestKernelsAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const rows = 40
	for _, asm := range []bool{true, false} {
		old := UseAsm(asm)
		for _, k := range []int{1, 3, 4, 5, 16, 20, 23} {
			for _, n := range []int{0, 1, 7, 40} {
				ld := k + 3
				b := make([]float64, rows*ld)
				for i := range b {
					b[i] = rng.NormFloat64()
				}
				idx, val := randRow(rng, n, rows)
				got, want := make([]float64, k), make([]float64, k)
				got[0] = 42 // a gather overwrites dst
				GatherAxpy(got, idx, val, b, ld)
				gatherGo(want, idx, val, b, ld)
				if !near(got, want) {
					t.Errorf("asm=%v k=%d n=%d: gather %v, want %v", asm, k, n, got, want)
				}
				x := b[:k]
				gotS, wantS := make([]float64, rows*ld), make([]float64, rows*ld)
				gotS[1], wantS[1] = 5, 5 // a scatter adds to dst
				ScatterAxpy(gotS, ld, idx, val, x)
				scatterGo(wantS, ld, idx, val, x)
				if !near(gotS, wantS) {
					t.Errorf("asm=%v k=%d n=%d: scatter differs from the reference", asm, k, n)
				}
			}
		}
		UseAsm(old)
	}
}

func TestIndexChecksPanic(t *testing.T) {
	for name, f := range map[string]func(){
		"gather past b":     func() { GatherAxpy(make([]float64, 4), []int{0, 3}, []float64{1, 1}, make([]float64, 12), 4) },
		"gather negative":   func() { GatherAxpy(make([]float64, 4), []int{-1}, []float64{1}, make([]float64, 12), 4) },
		"gather few values": func() { GatherAxpy(make([]float64, 4), []int{0, 1}, []float64{1}, make([]float64, 12), 4) },
		"scatter past dst":  func() { ScatterAxpy(make([]float64, 8), 4, []int{2}, []float64{1}, make([]float64, 4)) },
		"scatter narrow ld": func() { ScatterAxpy(make([]float64, 8), 2, []int{0}, []float64{1}, make([]float64, 4)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestRowBlocksCoverAllRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 0))
	indptr := []int{0}
	for i := 0; i < 50; i++ {
		indptr = append(indptr, indptr[i]+rng.IntN(5))
	}
	for _, n := range []int{1, 2, 3, 7, 50, 80} {
		b := RowBlocks(indptr, n)
		if b[0] != 0 || b[len(b)-1] != 50 || len(b)-1 > n {
			t.Fatalf("RowBlocks(%d) = %v", n, b)
		}
		for i := 1; i < len(b); i++ {
			if b[i] <= b[i-1] {
				t.Fatalf("RowBlocks(%d) has an empty block: %v", n, b)
			}
		}
	}
	if b := RowBlocks([]int{0}, 4); len(b) != 2 || b[0] != 0 || b[1] != 0 {
		t.Fatalf("RowBlocks of no rows = %v, want [0 0]", b)
	}
	if b := EvenBounds(10, 3); fmt.Sprint(b) != "[0 3 6 10]" {
		t.Fatalf("EvenBounds(10, 3) = %v", b)
	}
}

func ExampleGatherAxpy() {
	b := []float64{1, 2, 3, 4, 5, 6} // 3×2, row-major
	dst := make([]float64, 2)
	GatherAxpy(dst, []int{0, 2}, []float64{1, 10}, b, 2)
	fmt.Println(dst)
	// Output: [51 62]
}

func ExampleScatterAxpy() {
	dst := make([]float64, 6) // 3×2, row-major
	ScatterAxpy(dst, 2, []int{0, 2}, []float64{1, 10}, []float64{1, 2})
	fmt.Println(dst)
	// Output: [1 2 0 0 10 20]
}

func ExampleRowBlocks() {
	// Row 0 holds three values, rows 1 and 2 none, row 3 one.
	fmt.Println(RowBlocks([]int{0, 3, 3, 3, 4}, 2))
	// Output: [0 1 4]
}

func ExampleParallelBlocks() {
	sums := make([]int, 2)
	ParallelBlocks([]int{0, 3, 5}, func(b, lo, hi int) {
		for i := lo; i < hi; i++ {
			sums[b] += i // each block writes only its own slot
		}
	})
	fmt.Println(sums)
	// Output: [3 7]
}
