package sparse

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gonbml/gonbml/stdlib/internal/kern"
	"gonum.org/v1/gonum/mat"
)

// randCSR returns an r×c matrix with about density·r·c non-negative entries
// and a few empty rows, seeded so failures reproduce.
func randCSR(t testing.TB, r, c int, density float64, seed uint64) *CSR {
	rng := rand.New(rand.NewPCG(seed, 1))
	var ts []Triplet
	for i := 0; i < r; i++ {
		if i%7 == 3 { // empty rows exercise the n == 0 path of the kernels
			continue
		}
		for j := 0; j < c; j++ {
			if rng.Float64() < density {
				ts = append(ts, Triplet{i, j, rng.Float64()})
			}
		}
	}
	m, err := FromTriplets(r, c, ts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func randDense(r, c int, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 2))
	d := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			d.Set(i, j, rng.NormFloat64())
		}
	}
	return d
}

// TestMulAgainstGonum checks both products against gonum's dense product for
// widths that hit every kernel path: scalar tail (1, 3), 4-wide (4, 5),
// 16-wide (16), 16+4 (20, the NMF case) and 16+4+tail (23); worker counts
// 1, 2 and 3 (more blocks than cores), with and without the assembly.
func TestMulAgainstGonum(t *testing.T) {
	const r, c = 37, 29
	m := randCSR(t, r, c, 0.2, 1)
	dm := m.ToDense()
	for _, asm := range []bool{true, false} {
		old := kern.UseAsm(asm)
		for _, k := range []int{1, 3, 4, 5, 16, 20, 23} {
			for _, workers := range []int{1, 2, 3} {
				b := randDense(c, k, uint64(k))
				var want mat.Dense
				want.Mul(dm, b)
				got := mat.NewDense(r, k, nil)
				m.MulDenseTo(got, b, workers)
				if !mat.EqualApprox(got, &want, 1e-12) {
					t.Errorf("asm=%v k=%d workers=%d: MulDenseTo differs from gonum", asm, k, workers)
				}
				bt := randDense(r, k, uint64(k)+100)
				var wantT mat.Dense
				wantT.Mul(dm.T(), bt)
				gotT := mat.NewDense(c, k, nil)
				gotT.Set(0, 0, 42) // the product must overwrite, not add to, dst
				m.MulTDenseTo(gotT, bt, workers)
				if !mat.EqualApprox(gotT, &wantT, 1e-12) {
					t.Errorf("asm=%v k=%d workers=%d: MulTDenseTo differs from gonum", asm, k, workers)
				}
			}
		}
		kern.UseAsm(old)
	}
}

func TestMulWithStridedViews(t *testing.T) {
	m := randCSR(t, 10, 8, 0.4, 3)
	big := randDense(8, 30, 4)
	b := big.Slice(0, 8, 5, 25).(*mat.Dense) // stride 30, width 20
	dstBig := mat.NewDense(10, 40, nil)
	dst := dstBig.Slice(0, 10, 10, 30).(*mat.Dense)
	m.MulDenseTo(dst, b, 2)
	var want mat.Dense
	want.Mul(m.ToDense(), b)
	if !mat.EqualApprox(dst, &want, 1e-12) {
		t.Error("MulDenseTo on strided views differs from gonum")
	}
	if dstBig.At(0, 9) != 0 || dstBig.At(0, 30) != 0 {
		t.Error("MulDenseTo wrote outside the destination view")
	}
}

func TestMulShapePanics(t *testing.T) {
	m := randCSR(t, 4, 3, 0.5, 5)
	defer func() {
		if recover() == nil {
			t.Error("no panic for a wrong-sized destination")
		}
	}()
	m.MulDenseTo(mat.NewDense(4, 2, nil), mat.NewDense(3, 3, nil), 1)
}

func TestNormsAndSums(t *testing.T) {
	m, err := FromTriplets(3, 2, []Triplet{{0, 0, 3}, {0, 1, 4}, {2, 1, 1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		got, want []float64
	}{
		{"RowNorms", m.RowNorms(), []float64{5, 0, 1}}, // 3-4-5 triangle
		{"ColNorms", m.ColNorms(), []float64{3, math.Sqrt(17)}},
		{"RowSums", m.RowSums(), []float64{7, 0, 1}},
		{"ColSums", m.ColSums(), []float64{3, 5}},
	} {
		for i := range tc.want {
			if math.Abs(tc.got[i]-tc.want[i]) > 1e-15 {
				t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
				break
			}
		}
	}
	if m.Sum() != 8 || m.SquaredNorm() != 26 {
		t.Errorf("Sum, SquaredNorm = %v, %v, want 8, 26", m.Sum(), m.SquaredNorm())
	}
}

// benchMatrix is a TF-IDF-like matrix: 6,000×2,000 with 455k stored values,
// the size and density of the SpamAssassin matrix in issue 5.
func benchMatrix(b *testing.B) *CSR {
	return randCSR(b, 6000, 2000, 455000.0/(6000*2000)/(6.0/7), 7)
}

func BenchmarkMulDense(b *testing.B) {
	m := benchMatrix(b)
	const k = 20
	h := randDense(2000, k, 8)
	dst := mat.NewDense(6000, k, nil)
	for _, workers := range []int{1, 2} {
		b.Run(map[int]string{1: "workers=1", 2: "workers=2"}[workers], func(b *testing.B) {
			for b.Loop() {
				m.MulDenseTo(dst, h, workers)
			}
			b.ReportMetric(2*float64(m.NNZ()*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

func BenchmarkMulTDense(b *testing.B) {
	m := benchMatrix(b)
	const k = 20
	w := randDense(6000, k, 9)
	dst := mat.NewDense(2000, k, nil)
	for _, workers := range []int{1, 2} {
		b.Run(map[int]string{1: "workers=1", 2: "workers=2"}[workers], func(b *testing.B) {
			for b.Loop() {
				m.MulTDenseTo(dst, w, workers)
			}
			b.ReportMetric(2*float64(m.NNZ()*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

func TestTranspose(t *testing.T) {
	m := randCSR(t, 13, 9, 0.3, 13)
	mt := m.Transpose()
	if r, c := mt.Dims(); r != 9 || c != 13 || mt.NNZ() != m.NNZ() {
		t.Fatalf("Transpose is %d×%d with %d values", r, c, mt.NNZ())
	}
	if !mat.Equal(mt, m.T()) {
		t.Error("Transpose differs from the implicit transpose")
	}
	// Rows of the transpose must satisfy the CSR invariants (sorted columns).
	if _, err := NewCSR(9, 13, mt.Indptr, mt.Indices, mt.Data); err != nil {
		t.Error(err)
	}
}
