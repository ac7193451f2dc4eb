package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

func randMatrix(rng *rand.Rand, r, c int, scale float64) *Matrix {
	m := NewMatrix(r, c)
	for i := range m.Data {
		m.Data[i] = float32(rng.NormFloat64() * scale)
	}
	return m
}

// Tolerance of the float32 gradient checks: central differences with a step
// of 1e-2 on float32 forward passes agree with exact derivatives to a few
// 1e-3 in relative terms on these tiny nets.
const gradTol = 2e-2

func TestDenseActivationGradients(t *testing.T) {
	for _, act := range []Activation{Identity, ReLU, Tanh, Sigmoid, Softplus} {
		t.Run(act.String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			d := NewDense(5, 4, InitXavier, rng)
			x := randMatrix(rng, 3, 5, 1)
			w := randMatrix(rng, 3, 4, 1) // random weights make the loss Σ w⊙f(xW+b)
			pre, y, dy, dx := NewMatrix(3, 4), NewMatrix(3, 4), NewMatrix(3, 4), NewMatrix(3, 5)
			loss := func() float64 {
				d.Forward(pre, x, 1)
				act.Forward(y.Data, pre.Data)
				var s float64
				for i, v := range y.Data {
					s += float64(v * w.Data[i])
				}
				return s
			}
			loss()
			ZeroGrads(d.Params("d"))
			act.Backward(dy.Data, pre.Data, y.Data, w.Data)
			d.Backward(dx, x, dy, 1)
			params := append(d.Params("d"), Param{Name: "x", Value: x.Data, Grad: dx.Data})
			res, err := CheckGradient(loss, params, GradCheckConfig{})
			if err != nil {
				t.Fatal(err)
			}
			if res.MaxRelErr > gradTol {
				t.Fatalf("%v", res)
			}
		})
	}
}

func TestLossGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	logits := randMatrix(rng, 3, 4, 3)
	target := NewMatrix(3, 4)
	for i := range target.Data {
		target.Data[i] = float32(rng.Float64())
	}
	logVar := randMatrix(rng, 3, 4, 0.5)
	grad, grad2 := NewMatrix(3, 4), NewMatrix(3, 4)
	cases := []struct {
		name   string
		loss   func() float64
		params []Param
	}{
		{"bce", func() float64 { return BCEWithLogits(nil, logits, target, 1, nil) },
			[]Param{{"logits", logits.Data, grad.Data}}},
		{"squared", func() float64 { return SquaredError(nil, logits, target, 1, nil) },
			[]Param{{"pred", logits.Data, grad.Data}}},
		{"gaussian", func() float64 { return GaussianNLL(nil, nil, logits, logVar, target, 0, 1, nil) },
			[]Param{{"mean", logits.Data, grad.Data}, {"logVar", logVar.Data, grad2.Data}}},
		{"gaussian-fixed", func() float64 { return GaussianNLL(nil, nil, logits, nil, target, -1, 1, nil) },
			[]Param{{"mean", logits.Data, grad.Data}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			switch c.name {
			case "bce":
				BCEWithLogits(grad, logits, target, 1, nil)
			case "squared":
				SquaredError(grad, logits, target, 1, nil)
			case "gaussian":
				GaussianNLL(grad, grad2, logits, logVar, target, 0, 1, nil)
			case "gaussian-fixed":
				GaussianNLL(grad, nil, logits, nil, target, -1, 1, nil)
			}
			res, err := CheckGradient(c.loss, c.params, GradCheckConfig{Eps: 1e-3})
			if err != nil {
				t.Fatal(err)
			}
			if res.MaxRelErr > gradTol {
				t.Fatalf("%v", res)
			}
		})
	}
}

func TestLossValues(t *testing.T) {
	// Hand-computed values: BCE(l=0, t=1) = log 2; BCE(l=2, t=0.25) =
	// softplus(2) − 0.5; ½(3−1)² = 2; Gaussian with v=0, t−m=1: ½(log 2π + 1).
	one := func(v float32) *Matrix { return &Matrix{1, 1, []float32{v}} }
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"bce-zero-logit", BCEWithLogits(nil, one(0), one(1), 1, nil), math.Ln2},
		{"bce", BCEWithLogits(nil, one(2), one(0.25), 1, nil), math.Log1p(math.Exp(2)) - 0.5},
		{"bce-large-negative", BCEWithLogits(nil, one(-100), one(1), 1, nil), 100},
		{"squared", SquaredError(nil, one(3), one(1), 1, nil), 2},
		{"gaussian", GaussianNLL(nil, nil, one(0), one(0), one(1), 0, 1, nil), 0.5 * (Log2Pi + 1)},
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > 1e-5*(1+math.Abs(tt.want)) {
			t.Errorf("%s: got %v want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestFastMath(t *testing.T) {
	// Relative error bounds: a few float32 ulps (2^-23 ≈ 1.2e-7).
	for x := -87.0; x <= 0; x += 0.0137 {
		got, want := float64(fastExp(float32(x))), math.Exp(float64(float32(x)))
		if math.Abs(got-want) > 4e-7*want {
			t.Fatalf("fastExp(%v) = %v want %v", x, got, want)
		}
	}
	for l := -90.0; l <= 90; l += 0.0173 {
		sp, sig := softplusNegAbs(float32(l))
		a := math.Abs(float64(float32(l)))
		wantSp, wantSig := math.Log1p(math.Exp(-a)), 1/(1+math.Exp(-a))
		if math.Abs(float64(sp)-wantSp) > 1e-6*wantSp+1e-30 || math.Abs(float64(sig)-wantSig) > 1e-6 {
			t.Fatalf("softplusNegAbs(%v) = %v, %v want %v, %v", l, sp, sig, wantSp, wantSig)
		}
	}
}

func TestGRUGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	g := NewGRU(3, 4, rng)
	for i := range g.B {
		g.B[i] = float32(rng.NormFloat64() * 0.3)
	}
	x := randMatrix(rng, 2, 3, 1)
	h := randMatrix(rng, 2, 4, 0.5)
	w := randMatrix(rng, 2, 4, 1)
	var st GRUStep
	loss := func() float64 {
		hn := g.Forward(&st, x, h, 1)
		var s float64
		for i, v := range hn.Data {
			s += float64(v * w.Data[i])
		}
		return s
	}
	loss()
	dx, dh := NewMatrix(2, 3), NewMatrix(2, 4)
	g.Backward(dx, dh, &st, w, 1)
	params := append(g.Params("gru"), Param{"x", x.Data, dx.Data}, Param{"h", h.Data, dh.Data})
	res, err := CheckGradient(loss, params, GradCheckConfig{Eps: 1e-3})
	if err != nil {
		t.Fatal(err)
	}
	if res.MaxRelErr > gradTol {
		t.Fatalf("%v", res)
	}
}

func TestCheckGradientCatchesWrongGradient(t *testing.T) {
	// f(v) = v², with a deliberately wrong analytic gradient v (should be 2v).
	v := []float32{1.5}
	g := []float32{1.5}
	res, err := CheckGradient(func() float64 { return float64(v[0] * v[0]) }, []Param{{"v", v, g}}, GradCheckConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if res.MaxRelErr < 0.3 { // |1.5 − 3| / 4.5 = 1/3
		t.Fatalf("wrong gradient not detected: %v", res)
	}
}

func TestOptimizersMinimiseQuadratic(t *testing.T) {
	// f(w) = ½ Σ (w − c)², minimum at c; gradient w − c.
	c := []float32{3, -2, 0.5}
	for _, opt := range []Optimizer{&Adam{LR: 0.05}, &SGD{LR: 0.1}, &SGD{LR: 0.05, Momentum: 0.9}} {
		w := make([]float32, 3)
		g := make([]float32, 3)
		params := []Param{{"w", w, g}}
		for it := 0; it < 2000; it++ {
			for i := range w {
				g[i] = w[i] - c[i]
			}
			opt.Step(params)
		}
		for i := range w {
			if math.Abs(float64(w[i]-c[i])) > 1e-2 {
				t.Fatalf("%T: w = %v, want %v", opt, w, c)
			}
		}
	}
}

func TestInitStatistics(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	in, out := 400, 300
	// Target variances: Xavier uniform a²/3 = 2/(in+out); He 2/in;
	// uniform fan-in 1/(3·in).
	want := map[Init]float64{InitXavier: 2.0 / float64(in+out), InitHe: 2.0 / float64(in), InitUniformFanIn: 1.0 / (3 * float64(in))}
	for s, v := range want {
		w := NewMatrix(in, out)
		InitWeights(s, w, nil, rng)
		var ss float64
		for _, x := range w.Data {
			ss += float64(x) * float64(x)
		}
		got := ss / float64(len(w.Data))
		if math.Abs(got-v) > 0.03*v { // 120,000 draws: sampling error ≈ 0.5%
			t.Errorf("%v: variance %v want %v", s, got, v)
		}
	}
}

func TestAdamKernelMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	n := 8*37 + 5 // a vector part and a scalar tail
	mk := func() []float32 { return randSlice(rng, n) }
	w, g, m, v := mk(), mk(), mk(), mk()
	for i := range v {
		v[i] *= v[i] // second moments are non-negative
	}
	w2, m2, v2 := append([]float32(nil), w...), append([]float32(nil), m...), append([]float32(nil), v...)
	adamUpdate(w, g, m, v, 0.9, 0.999, 1e-3, 1e-8)
	adamUpdateGo(w2, g, m2, v2, 0.9, 0.999, 1e-3, 1e-8)
	for i := range w {
		// The vector path fuses multiply-adds: agreement to float32 rounding.
		if d := math.Abs(float64(w[i] - w2[i])); d > 1e-6*(1+math.Abs(float64(w2[i]))) {
			t.Fatalf("w[%d] = %v, Go kernel %v", i, w[i], w2[i])
		}
		if math.Abs(float64(m[i]-m2[i])) > 1e-6 || math.Abs(float64(v[i]-v2[i])) > 1e-6*(1+float64(v2[i])) {
			t.Fatalf("moments differ at %d", i)
		}
	}
}

func TestBCEKernelMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	n := 16*9 + 7
	l := randSlice(rng, n)
	for i := range l {
		l[i] *= 8 // logits from about −30 to 30
	}
	l[0], l[1], l[2] = 0, -100, 100 // the kink, and both saturated ends
	tg := make([]float32, n)
	for i := range tg {
		tg[i] = float32(rng.Float64())
	}
	g1, g2 := make([]float32, n), make([]float32, n)
	s1 := bceRow(l, tg, g1, 0.5)
	s2 := bceRowGo(l, tg, g2, 0.5)
	if math.Abs(float64(s1-s2)) > 1e-5*math.Abs(float64(s2)) {
		t.Fatalf("sum %v, Go %v", s1, s2)
	}
	for i := range g1 {
		if math.Abs(float64(g1[i]-g2[i])) > 1e-6 {
			t.Fatalf("grad[%d] (l=%v) = %v, Go %v", i, l[i], g1[i], g2[i])
		}
	}
	if s3 := bceRow(l, tg, nil, 1); math.Abs(float64(s3-s1)) > 1e-5*math.Abs(float64(s1)) {
		t.Fatalf("no-grad sum %v != %v", s3, s1)
	}
}

func TestBackwardOverwriteMatchesBackward(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	d := NewDense(5, 7, InitHe, rng)
	x, dy := randMatrix(rng, 4, 5, 1), randMatrix(rng, 4, 7, 1)
	dx1, dx2 := NewMatrix(4, 5), randMatrix(rng, 4, 5, 1)
	start := dx2.Clone()
	ZeroGrads(d.Params("d"))
	d.Backward(dx1, x, dy, 1)
	gw, gb := d.GradW.Clone(), append([]float32(nil), d.GradB...)
	// Garbage in the gradients must be overwritten; dx2 must be added to.
	for i := range d.GradW.Data {
		d.GradW.Data[i] = 99
	}
	d.BackwardOverwrite(dx2, x, dy, true, 1)
	for i := range gw.Data {
		if math.Abs(float64(gw.Data[i]-d.GradW.Data[i])) > 1e-5 {
			t.Fatalf("GradW[%d] %v vs %v", i, d.GradW.Data[i], gw.Data[i])
		}
	}
	for i := range gb {
		if gb[i] != d.GradB[i] {
			t.Fatalf("GradB[%d] %v vs %v", i, d.GradB[i], gb[i])
		}
	}
	for i := range dx1.Data {
		if math.Abs(float64(dx2.Data[i]-start.Data[i]-dx1.Data[i])) > 1e-5 {
			t.Fatalf("dx[%d] not accumulated", i)
		}
	}
}
