package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// naiveGemm is the textbook triple loop in float64, the reference for gemm.
func naiveGemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c0 []float32, accumulate bool) []float64 {
	out := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			if accumulate {
				s = float64(c0[i*n+j])
			}
			for p := 0; p < k; p++ {
				var av, bv float32
				if transA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if transB {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				s += float64(av) * float64(bv)
			}
			out[i*n+j] = s
		}
	}
	return out
}

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64())
	}
	return s
}

func TestMatMulMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	// Sizes straddle the register tile (6×16) and the k block (256) so that
	// edge tiles, multi-block k and multi-block m are all exercised.
	sizes := [][3]int{{1, 1, 1}, {6, 16, 3}, {7, 17, 5}, {13, 33, 300}, {100, 50, 20}, {5, 3, 0}, {97, 40, 257}, {130, 70, 9}}
	for _, direct := range []bool{true, false} {
		gemmDirectB = direct
		for _, level := range kernelLevels() {
			for _, sz := range sizes {
				m, n, k := sz[0], sz[1], sz[2]
				for _, tA := range []bool{false, true} {
					for _, tB := range []bool{false, true} {
						for _, acc := range []bool{false, true} {
							for _, workers := range []int{1, 3} {
								lda, ldb := k, n
								if tA {
									lda = m
								}
								if tB {
									ldb = k
								}
								a := randSlice(rng, max(m*k, 1))
								b := randSlice(rng, max(k*n, 1))
								c := randSlice(rng, m*n)
								want := naiveGemm(tA, tB, m, n, k, a, lda, b, ldb, c, acc)
								am := &Matrix{Rows: m, Cols: k, Data: a}
								if tA {
									am.Rows, am.Cols = k, m
								}
								bm := &Matrix{Rows: k, Cols: n, Data: b}
								if tB {
									bm.Rows, bm.Cols = n, k
								}
								restore := setKernel(level)
								MatMul(&Matrix{Rows: m, Cols: n, Data: c}, am, bm,
									MatMulOptions{TransA: tA, TransB: tB, Add: acc, Workers: workers})
								restore()
								for i, w := range want {
									// float32 sums of k products of unit normals: the
									// rounding error grows like sqrt(k)·2^-24·|terms|.
									tol := 1e-5 * (1 + math.Sqrt(float64(k))) * 4
									if d := math.Abs(float64(c[i]) - w); d > tol*(1+math.Abs(w)) {
										t.Fatalf("direct=%v kernel=%d m=%d n=%d k=%d tA=%v tB=%v acc=%v w=%d: c[%d]=%v want %v", direct, level, m, n, k, tA, tB, acc, workers, i, c[i], w)
									}
								}
							}
						}
					}
				}
			}
		}
	}
	gemmDirectB = true
}

func BenchmarkGemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	// The shapes of the 784-400-20 VAE's largest layer with a batch of 128.
	cases := []struct {
		name    string
		tA, tB  bool
		m, n, k int
	}{
		{"forward_128x400x784", false, false, 128, 400, 784},
		{"gradW_784x400x128", true, false, 784, 400, 128},
		{"gradX_128x784x400", false, true, 128, 784, 400},
	}
	for _, cs := range cases {
		b.Run(cs.name, func(b *testing.B) {
			a := randSlice(rng, cs.m*cs.k)
			bb := randSlice(rng, cs.k*cs.n)
			c := make([]float32, cs.m*cs.n)
			lda, ldb := cs.k, cs.n
			if cs.tA {
				lda = cs.m
			}
			if cs.tB {
				ldb = cs.k
			}
			op := gemmOp{transA: cs.tA, transB: cs.tB, m: cs.m, n: cs.n, k: cs.k,
				a: a, lda: lda, b: bb, ldb: ldb, c: c, ldc: cs.n, workers: 1}
			for b.Loop() {
				gemm(op)
			}
			flops := 2 * float64(cs.m) * float64(cs.n) * float64(cs.k) * float64(b.N)
			b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// TestGemmStrided checks row strides longer than the rows (the packing
// reads only the first n values of each), which MatMul never passes.
func TestGemmStrided(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const m, n, k, pad = 13, 35, 20, 3
	for _, tA := range []bool{false, true} {
		for _, tB := range []bool{false, true} {
			lda, ldb := k+pad, n+pad
			if tA {
				lda = m + pad
			}
			if tB {
				ldb = k + pad
			}
			a, b := randSlice(rng, max(m, k)*lda), randSlice(rng, max(n, k)*ldb)
			c := randSlice(rng, m*(n+pad))
			want := naiveGemm(tA, tB, m, n, k, a, lda, b, ldb, nil, false)
			gemm(gemmOp{transA: tA, transB: tB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: n + pad})
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					// Same tolerance as TestMatMulMatchesNaive for k = 20.
					tol := 1e-5 * (1 + math.Sqrt(k)) * 4
					if w := want[i*n+j]; math.Abs(float64(c[i*(n+pad)+j])-w) > tol*(1+math.Abs(w)) {
						t.Fatalf("tA=%v tB=%v: c[%d,%d] = %v, want %v", tA, tB, i, j, c[i*(n+pad)+j], w)
					}
				}
			}
		}
	}
}
