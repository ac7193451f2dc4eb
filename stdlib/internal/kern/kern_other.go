//go:build !amd64 || purego

package kern

// GatherUnchecked is GatherAxpy without the index checks (pure Go here).
func GatherUnchecked(dst []float64, idx []int, val []float64, b []float64, ldb int) {
	gatherGo(dst, idx, val, b, ldb)
}

// ScatterUnchecked is ScatterAxpy without the index checks (pure Go here).
func ScatterUnchecked(dst []float64, ldd int, idx []int, val []float64, x []float64) {
	scatterGo(dst, ldd, idx, val, x)
}

// UseAsm reports false: there is no assembly in this build.
func UseAsm(v bool) bool { return false }
