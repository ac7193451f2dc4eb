//go:build !purego

package nn

import "golang.org/x/sys/cpu"

// Which micro-kernel runs: 2 = AVX-512 (8×32 tile), 1 = AVX2+FMA (6×16),
// 0 = portable Go (6×16).
var asmLevel = detectAsm()

func detectAsm() int {
	switch {
	case cpu.X86.HasAVX512F:
		return 2
	case cpu.X86.HasAVX2 && cpu.X86.HasFMA:
		return 1
	}
	return 0
}

func kernelShape() (mr, nr int) {
	if detectAsm() == 2 {
		return 8, 32
	}
	return 6, 16
}

// sgemmKernel6x16 adds the 6×16 product of a packed A sliver (kc×6) and a
// B sliver (kc×16, rows ldb floats apart) to C, whose rows are ldc floats
// apart.
//
//go:noescape
func sgemmKernel6x16(kc int, a, b, c *float32, ldc, ldb int)

// sgemmKernel8x32 is the AVX-512 counterpart for an 8×32 tile.
//
//go:noescape
func sgemmKernel8x32(kc int, a, b, c *float32, ldc, ldb int)

func microKernel(kc int, ap, bp []float32, ldb int, c []float32, ldc int) {
	if asmLevel == 0 || kc == 0 {
		microKernelGo(kc, ap, bp, ldb, c, ldc)
		return
	}
	// Bounds are checked here once so the assembly can trust them.
	_ = ap[kc*gemmMR-1]
	_ = bp[(kc-1)*ldb+gemmNR-1]
	_ = c[(gemmMR-1)*ldc+gemmNR-1]
	if asmLevel == 2 {
		sgemmKernel8x32(kc, &ap[0], &bp[0], &c[0], ldc, ldb)
		return
	}
	sgemmKernel6x16(kc, &ap[0], &bp[0], &c[0], ldc, ldb)
}

// kernelLevels lists the kernels this CPU can run, for tests.
func kernelLevels() []int {
	out := []int{0}
	for l := 1; l <= detectAsm(); l++ {
		out = append(out, l)
	}
	return out
}

// setKernel switches the micro-kernel (tests only) and returns a restore func.
func setKernel(level int) func() {
	oldL, oldM, oldN := asmLevel, gemmMR, gemmNR
	asmLevel = level
	if level == 2 {
		gemmMR, gemmNR = 8, 32
	} else {
		gemmMR, gemmNR = 6, 16
	}
	return func() { asmLevel, gemmMR, gemmNR = oldL, oldM, oldN }
}

//go:noescape
func adamAVX2(w, grad, m, v *float32, n int, b1, ob1, b2, ob2, step, eps float32)

// adamUpdate applies the Adam step to w from g, updating the moments m, v.
func adamUpdate(w, g, m, v []float32, b1, b2, step, eps float32) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	head := 0
	if asmLevel > 0 {
		head = len(w) &^ 7
		if head > 0 {
			adamAVX2(&w[0], &g[0], &m[0], &v[0], head, b1, 1-b1, b2, 1-b2, step, eps)
		}
	}
	adamUpdateGo(w[head:], g[head:], m[head:], v[head:], b1, b2, step, eps)
}

//go:noescape
func bceAVX512(l, t, grad *float32, n int, scale float32, acc *[16]float32)

// bceRow returns Σ softplus(l) − t·l over one row and, if g is not nil,
// sets g = scale·(σ(l) − t): 16 lanes at a time with AVX-512.
func bceRow(l, t, g []float32, scale float32) float32 {
	t = t[:len(l)]
	head := 0
	var s float32
	if asmLevel == 2 && len(l) >= 16 {
		head = len(l) &^ 15
		var acc [16]float32
		var gp *float32
		if g != nil {
			g = g[:len(l)]
			gp = &g[0]
		}
		bceAVX512(&l[0], &t[0], gp, head, scale, &acc)
		for _, v := range acc {
			s += v
		}
	}
	if g != nil {
		g = g[head:]
	}
	return s + bceRowGo(l[head:], t[head:], g, scale)
}
