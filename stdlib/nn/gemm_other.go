//go:build !amd64 || purego

package nn

func kernelShape() (mr, nr int) { return 6, 16 }

func microKernel(kc int, ap, bp []float32, ldb int, c []float32, ldc int) {
	microKernelGo(kc, ap, bp, ldb, c, ldc)
}

func kernelLevels() []int { return []int{0} }

func setKernel(int) func() { return func() {} }

func adamUpdate(w, g, m, v []float32, b1, b2, step, eps float32) {
	adamUpdateGo(w, g, m, v, b1, b2, step, eps)
}

func bceRow(l, t, g []float32, scale float32) float32 { return bceRowGo(l, t, g, scale) }
