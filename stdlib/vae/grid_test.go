package vae

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
)

func TestLatentGridOrder(t *testing.T) {
	z, err := LatentGrid(3, []float64{-1, 10}, []float64{1, 20})
	if err != nil {
		t.Fatal(err)
	}
	// Reading order: top row z₂ = 20, z₁ from −1 to 1; bottom row z₂ = 10.
	want := []float64{-1, 20, 0, 20, 1, 20, -1, 15, 0, 15, 1, 15, -1, 10, 0, 10, 1, 10}
	if !mat.Equal(z, mat.NewDense(9, 2, want)) {
		t.Errorf("LatentGrid =\n%v\nwant %v", mat.Formatted(z), want)
	}
	for _, c := range []struct {
		n      int
		lo, hi []float64
	}{
		{1, []float64{0, 0}, []float64{1, 1}},
		{3, []float64{1, 0}, []float64{1, 1}},
		{3, []float64{0, 2}, []float64{1, 1}},
		{3, []float64{math.NaN(), 0}, []float64{1, 1}},
		{3, []float64{0, 0}, []float64{1, math.Inf(1)}},
		{3, []float64{0}, []float64{1, 1}},
	} {
		if _, err := LatentGrid(c.n, c.lo, c.hi); !errors.Is(err, ErrBadInput) {
			t.Errorf("LatentGrid(%d, %v, %v): err %v, want ErrBadInput", c.n, c.lo, c.hi, err)
		}
	}
}

func TestGridCounts(t *testing.T) {
	// Grid points at −1, 0, 1 on both axes; cells reach half a step (0.5)
	// beyond them.
	codes := mat.NewDense(6, 2, []float64{
		-1, 1, // top-left point
		-0.6, 0.6, // still nearest the top-left point
		0.1, -0.2, // centre
		1.4, -1.4, // bottom-right, inside the half-step margin
		1.6, 0, // beyond the right margin: not counted
		0.49, 0.51, // nearest (0, 1): top-middle
	})
	got, err := GridCounts(codes, 3, []float64{-1, -1}, []float64{1, 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []int{2, 1, 0, 0, 1, 0, 0, 0, 1}
	if !slices.Equal(got, want) {
		t.Errorf("GridCounts = %v, want %v", got, want)
	}
	if _, err := GridCounts(mat.NewDense(1, 3, nil), 3, []float64{-1, -1}, []float64{1, 1}); !errors.Is(err, ErrBadInput) {
		t.Errorf("3-D codes: err %v, want ErrBadInput", err)
	}
	if _, err := GridCounts(mat.NewDense(1, 2, []float64{math.NaN(), 0}), 3, []float64{-1, -1}, []float64{1, 1}); !errors.Is(err, ErrBadInput) {
		t.Errorf("NaN code: err %v, want ErrBadInput", err)
	}
	if _, err := GridCounts(codes, 1, []float64{-1, -1}, []float64{1, 1}); !errors.Is(err, ErrBadInput) {
		t.Errorf("n = 1: err %v, want ErrBadInput", err)
	}
}

// linearGaussian trains a VAE whose decoder is linear with a fixed
// variance, p(x|z) = N(zW + b, v·I): its evidence p(x) = N(b, WᵀW + v·I)
// and posterior p(z|x) are known in closed form.
func linearGaussian(t *testing.T) (*Model, *mat.Dense) {
	t.Helper()
	const n, d = 400, 4
	rng := rand.New(rand.NewPCG(11, 1))
	a := mat.NewDense(2, d, []float64{1, -0.5, 0.3, 0.8, 0.2, 0.9, -0.7, 0.4})
	x := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		z := []float64{rng.NormFloat64(), rng.NormFloat64()}
		for j := 0; j < d; j++ {
			x.Set(i, j, z[0]*a.At(0, j)+z[1]*a.At(1, j)+0.3*rng.NormFloat64())
		}
	}
	m, err := Config{Hidden: []int{}, Latent: 2, Likelihood: GaussianFixed, Variance: 0.1,
		Epochs: 40, BatchSize: 50, LearningRate: 1e-2, Seed: 2, Workers: 1}.Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	return m, x
}

// exactPosterior returns log p(x) and the mean and covariance of p(z|x) of
// the linear-Gaussian model for input x.
func exactPosterior(m *Model, x []float64) (logPX float64, mean []float64, cov *mat.SymDense) {
	d := len(x)
	w := mat.NewDense(2, d, nil)
	b := make([]float64, d)
	for i := range 2 {
		for j := range d {
			w.Set(i, j, float64(m.net.out.W.At(i, j)))
		}
	}
	for j := range d {
		b[j] = float64(m.net.out.B[j])
	}
	v := m.cfg.Variance
	c := mat.NewSymDense(d, nil)
	c.SymOuterK(1, w.T())
	for j := range d {
		c.SetSym(j, j, c.At(j, j)+v)
	}
	evidence, ok := distmv.NewNormal(b, c, nil)
	if !ok {
		panic("covariance not positive definite")
	}
	// Posterior precision I + W Wᵀ/v, mean Σ W (x − b)/v.
	prec := mat.NewSymDense(2, nil)
	prec.SymOuterK(1/v, w)
	prec.SetSym(0, 0, prec.At(0, 0)+1)
	prec.SetSym(1, 1, prec.At(1, 1)+1)
	var ch mat.Cholesky
	ch.Factorize(prec)
	cov = mat.NewSymDense(2, nil)
	if err := ch.InverseTo(cov); err != nil {
		panic(err)
	}
	r := mat.NewVecDense(d, nil)
	r.SubVec(mat.NewVecDense(d, append([]float64(nil), x...)), mat.NewVecDense(d, b))
	var wr, mu mat.VecDense
	wr.MulVec(w, r)
	wr.ScaleVec(1/v, &wr)
	mu.MulVec(cov, &wr)
	return evidence.LogProb(x), []float64{mu.AtVec(0), mu.AtVec(1)}, cov
}

// klDiagToFull is KL(N(μq, diag σq²) ‖ N(μp, Σp)) in 2-D.
func klDiagToFull(muQ, sdQ, muP []float64, covP *mat.SymDense) float64 {
	var inv mat.Dense
	if err := inv.Inverse(covP); err != nil {
		panic(err)
	}
	tr := inv.At(0, 0)*sdQ[0]*sdQ[0] + inv.At(1, 1)*sdQ[1]*sdQ[1]
	dm := []float64{muP[0] - muQ[0], muP[1] - muQ[1]}
	quad := dm[0]*(inv.At(0, 0)*dm[0]+inv.At(0, 1)*dm[1]) + dm[1]*(inv.At(1, 0)*dm[0]+inv.At(1, 1)*dm[1])
	logDetP := math.Log(mat.Det(covP))
	logDetQ := 2 * (math.Log(sdQ[0]) + math.Log(sdQ[1]))
	return 0.5 * (tr + quad - 2 + logDetP - logDetQ)
}

func TestPosteriorMatchesClosedForm(t *testing.T) {
	m, x := linearGaussian(t)
	rows := x.Slice(0, 5, 0, 4).(*mat.Dense)
	post, err := m.Posterior(rows, GridConfig{})
	if err != nil {
		t.Fatal(err)
	}
	fine, err := m.Posterior(rows, GridConfig{Step: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	mu, sd, err := m.Encode(rows)
	if err != nil {
		t.Fatal(err)
	}
	elbo, err := m.SampledELBO(rows, 4000, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range post {
		logPX, pm, pc := exactPosterior(m, rows.RawRowView(i))
		kl := klDiagToFull(mu.RawRowView(i), sd.RawRowView(i), pm, pc)
		// The decoder computes in float32: log p(x|z) of 4 values near
		// −5 carries errors near 1e-6; 1e-3 leaves room for the quadrature
		// of a near-Gaussian on a grid of step σ/2, whose error is far
		// smaller.
		if math.Abs(p.LogPX-logPX) > 1e-3 {
			t.Errorf("row %d: grid log p(x) %.6f, closed form %.6f", i, p.LogPX, logPX)
		}
		if math.Abs(p.KL-kl) > 1e-3 {
			t.Errorf("row %d: grid KL(q‖p(z|x)) %.6f, closed form %.6f", i, p.KL, kl)
		}
		if p.KL < 0 || math.Abs(p.QMass-1) > 1e-6 {
			t.Errorf("row %d: KL %v must be ≥ 0 and q's mass %v on the grid 1", i, p.KL, p.QMass)
		}
		// Halving the step keeps log p(x).
		if math.Abs(fine[i].LogPX-p.LogPX) > 1e-4 {
			t.Errorf("row %d: log p(x) %.6f with step σ/2, %.6f with σ/4", i, p.LogPX, fine[i].LogPX)
		}
		// log p(x) = ELBO + KL(q‖p(z|x)) up to the ELBO's sampling noise
		// (4 standard errors: a 1-in-15,000 miss for a normal error).
		if res := p.LogPX - elbo[i].Value - p.KL; math.Abs(res) > 4*elbo[i].StdErr {
			t.Errorf("row %d: log p(x) − ELBO − KL = %.4f, ELBO standard error %.4f", i, res, elbo[i].StdErr)
		}
		// Both densities integrate to 1 on the grid, and the grid's
		// z₂ runs down from the top.
		if s := mat.Sum(p.Density()) * p.Step[0] * p.Step[1]; math.Abs(s-1) > 1e-9 {
			t.Errorf("row %d: posterior density sums to %v", i, s)
		}
		if s := mat.Sum(p.QDensity()) * p.Step[0] * p.Step[1]; math.Abs(s-p.QMass) > 1e-9 {
			t.Errorf("row %d: q's density sums to %v, QMass %v", i, s, p.QMass)
		}
		if p.Z2[0] <= p.Z2[len(p.Z2)-1] || p.Z1[0] >= p.Z1[len(p.Z1)-1] {
			t.Errorf("row %d: z₁ from %v to %v, z₂ from %v to %v", i, p.Z1[0], p.Z1[len(p.Z1)-1], p.Z2[0], p.Z2[len(p.Z2)-1])
		}
		if p.Mu[0] != mu.At(i, 0) || p.Sigma[1] != sd.At(i, 1) {
			t.Errorf("row %d: Mu %v Sigma %v, Encode gave %v %v", i, p.Mu, p.Sigma, mu.RawRowView(i), sd.RawRowView(i))
		}
	}
}

// The grid is anchored at q's mean: a wider grid holds every point of a
// narrower one, and a halved step every point of the coarser grid within
// its range (each grid reaches at most one step past [lo, hi]), so
// comparing them measures added mass or resolution, not shifted points.
func TestPosteriorGridsNest(t *testing.T) {
	m, x := linearGaussian(t)
	rows := x.Slice(0, 3, 0, 4).(*mat.Dense)
	narrow, err := m.Posterior(rows, GridConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []GridConfig{{Span: 12, Prior: 5}, {Step: 0.25}} {
		other, err := m.Posterior(rows, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i := range narrow {
			for a, axes := range [][2][]float64{{narrow[i].Z1, other[i].Z1}, {narrow[i].Z2, other[i].Z2}} {
				lo, hi := slices.Min(axes[1]), slices.Max(axes[1])
				for _, z := range axes[0] {
					if z < lo || z > hi {
						continue // a coarser grid's one step past the range
					}
					if !slices.ContainsFunc(axes[1], func(w float64) bool { return math.Abs(w-z) <= 1e-9*max(1, math.Abs(z)) }) {
						t.Fatalf("%+v, row %d, axis %d: point %v of the default grid is missing", cfg, i, a+1, z)
					}
				}
			}
			// A wider grid only adds mass: log p(x) cannot fall.
			if cfg.Span > 0 && other[i].LogPX < narrow[i].LogPX-1e-9 {
				t.Errorf("row %d: log p(x) %v on the wider grid, %v on the default", i, other[i].LogPX, narrow[i].LogPX)
			}
		}
	}
}

func TestPosteriorErrors(t *testing.T) {
	x := tinyData(20, 6, 1)
	m3, err := Config{Hidden: []int{4}, Latent: 3, Epochs: 1, Seed: 1}.Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m3.Posterior(x, GridConfig{}); !errors.Is(err, ErrBadInput) {
		t.Errorf("3-D code: err %v, want ErrBadInput", err)
	}
	m2, err := Config{Hidden: []int{4}, Latent: 2, Epochs: 1, Seed: 1}.Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []GridConfig{{Step: -1}, {Step: math.NaN()}, {Span: -1}, {Span: math.Inf(1)}, {Prior: math.NaN()}} {
		if _, err := m2.Posterior(x, g); !errors.Is(err, ErrBadConfig) {
			t.Errorf("%+v: err %v, want ErrBadConfig", g, err)
		}
	}
	if _, err := m2.Posterior(x, GridConfig{Step: 1e-5}); !errors.Is(err, ErrBadInput) {
		t.Errorf("a grid of billions of points: err %v, want ErrBadInput", err)
	}
	if _, err := m2.Posterior(mat.NewDense(1, 5, nil), GridConfig{}); !errors.Is(err, ErrBadInput) {
		t.Errorf("wrong width: err %v, want ErrBadInput", err)
	}
	if _, err := m2.SampledELBO(x, 1, 1); !errors.Is(err, ErrBadInput) {
		t.Errorf("S = 1: err %v, want ErrBadInput", err)
	}
}

func TestSampledELBOAgreesWithELBO(t *testing.T) {
	x := tinyData(50, 6, 3)
	m, err := Config{Hidden: []int{8}, Latent: 2, Epochs: 20, Seed: 1}.Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	few, err := m.SampledELBO(x, 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	many, err := m.SampledELBO(x, 1000, 1)
	if err != nil {
		t.Fatal(err)
	}
	one, err := m.ELBO(x) // one sample per row; its mean over rows is unbiased
	if err != nil {
		t.Fatal(err)
	}
	var mean, se2 float64
	for i := range many {
		mean += many[i].Value / float64(len(many))
		se2 += many[i].StdErr * many[i].StdErr
		// Standard errors shrink like 1/√S: 100× the samples, 10× smaller.
		// The error estimated from 10 samples is itself noisy (√(χ²₉/9)
		// lies in [0.3, 1.9] with probability 0.999), hence [2.5, 40].
		if r := few[i].StdErr / many[i].StdErr; r < 2.5 || r > 40 {
			t.Errorf("row %d: standard error %v with S = 10, %v with S = 1000", i, few[i].StdErr, many[i].StdErr)
		}
	}
	// −ELBO() of one sample per row varies by a few nats per row; over 50
	// rows its mean is within 1 nat of the precise mean (loose: it is noise,
	// not a bias, that this bound has to cover).
	if math.Abs(mean+one.NegELBO) > 1 {
		t.Errorf("mean SampledELBO %.3f, −ELBO() %.3f", mean, one.NegELBO)
	}
}
