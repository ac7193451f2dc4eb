//go:build !amd64 || purego

package sparse

func gatherUnchecked(dst []float64, idx []int, val []float64, b []float64, ldb int) {
	gatherGo(dst, idx, val, b, ldb)
}

func scatterUnchecked(dst []float64, ldd int, idx []int, val []float64, x []float64) {
	scatterGo(dst, ldd, idx, val, x)
}

func useAsmOverride(v bool) bool { return false }
