//go:build !purego

package kern

import "golang.org/x/sys/cpu"

// useAsm reports whether the AVX2+FMA kernels can run on this CPU.
var (
	hasAsm = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	useAsm = hasAsm
)

//go:noescape
func gather16(dst *float64, idx *int, val *float64, n int, b *float64, ldb int)

//go:noescape
func gather4(dst *float64, idx *int, val *float64, n int, b *float64, ldb int)

//go:noescape
func scatter16(dst *float64, ldd int, idx *int, val *float64, n int, x *float64)

//go:noescape
func scatter4(dst *float64, ldd int, idx *int, val *float64, n int, x *float64)

// GatherUnchecked is GatherAxpy without the index checks; callers guarantee
// every idx[p]·ldb+len(dst) ≤ len(b).
func GatherUnchecked(dst []float64, idx []int, val []float64, b []float64, ldb int) {
	k := len(dst)
	if !useAsm || len(idx) == 0 {
		gatherGo(dst, idx, val, b, ldb)
		return
	}
	c := 0
	for ; c+16 <= k; c += 16 {
		gather16(&dst[c], &idx[0], &val[0], len(idx), &b[c], ldb)
	}
	for ; c+4 <= k; c += 4 {
		gather4(&dst[c], &idx[0], &val[0], len(idx), &b[c], ldb)
	}
	if c < k {
		gatherGo(dst[c:], idx, val, b[c:], ldb)
	}
}

// ScatterUnchecked is ScatterAxpy without the index checks.
func ScatterUnchecked(dst []float64, ldd int, idx []int, val []float64, x []float64) {
	k := len(x)
	if !useAsm || len(idx) == 0 {
		scatterGo(dst, ldd, idx, val, x)
		return
	}
	c := 0
	for ; c+16 <= k; c += 16 {
		scatter16(&dst[c], ldd, &idx[0], &val[0], len(idx), &x[c])
	}
	for ; c+4 <= k; c += 4 {
		scatter4(&dst[c], ldd, &idx[0], &val[0], len(idx), &x[c])
	}
	if c < k {
		scatterGo(dst[c:], ldd, idx, val, x[c:])
	}
}

// UseAsm switches the assembly kernels on (where the CPU has AVX2 and FMA)
// or off, for tests, and returns the old setting.
func UseAsm(v bool) bool { old := useAsm; useAsm = v && hasAsm; return old }
