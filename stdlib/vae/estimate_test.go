package vae

import (
	"bytes"
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/internal/persist"

	"gonum.org/v1/gonum/mat"
)

func TestGradientEstimatorsOnSquare(t *testing.T) {
	// f(z) = z²: E[f] = μ² + σ², so ∂/∂μ = 2μ and ∂/∂σ = 2σ exactly.
	f := func(z float64) float64 { return z * z }
	df := func(z float64) float64 { return 2 * z }
	const mu, sigma, n = 1.5, 0.7, 20000
	re, err := ReparamGradient(df, mu, sigma, n, 3)
	if err != nil {
		t.Fatal(err)
	}
	sf, err := ScoreGradient(f, mu, sigma, n, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		got  Estimate
		want float64
		vari float64 // the estimator's per-sample variance in closed form
	}{
		// 2z = 2μ + 2σε: variance 4σ².
		{"reparam ∂μ", re.Mu, 2 * mu, 4 * sigma * sigma},
		// 2zε = 2με + 2σε²: variance 4μ² + 8σ² (Var ε² = 2, Cov(ε, ε²) = 0).
		{"reparam ∂σ", re.Sigma, 2 * sigma, 4*mu*mu + 8*sigma*sigma},
		// z²ε/σ with z = μ + σε: E[(μ+σε)⁴ε²]/σ² − (2μ)², expanded with the
		// normal moments E ε² = 1, E ε⁴ = 3, E ε⁶ = 15.
		{"score ∂μ", sf.Mu, 2 * mu, (mu*mu*mu*mu+18*mu*mu*sigma*sigma+15*sigma*sigma*sigma*sigma)/(sigma*sigma) - 4*mu*mu},
	} {
		// Within 4 standard errors (a 1-in-15,000 miss for a normal error).
		if math.Abs(c.got.Value-c.want) > 4*c.got.StdErr {
			t.Errorf("%s = %.4f ± %.4f, want %.4f", c.name, c.got.Value, c.got.StdErr, c.want)
		}
		// The sample variance of 20,000 draws is within 10 % of the true
		// one (its relative error is about √(κ/n) < 3 % for these tails).
		if math.Abs(c.got.Variance/c.vari-1) > 0.1 {
			t.Errorf("%s: variance %.4f, closed form %.4f", c.name, c.got.Variance, c.vari)
		}
		if c.got.N != n || math.Abs(c.got.StdErr-math.Sqrt(c.got.Variance/n)) > 1e-12 {
			t.Errorf("%s: N %d, StdErr %v inconsistent with Variance %v", c.name, c.got.N, c.got.StdErr, c.got.Variance)
		}
	}
	if math.Abs(sf.Sigma.Value-2*sigma) > 4*sf.Sigma.StdErr {
		t.Errorf("score ∂σ = %.4f ± %.4f, want %.4f", sf.Sigma.Value, sf.Sigma.StdErr, 2*sigma)
	}
	// The trick's variance is lower for both parameters.
	if re.Mu.Variance >= sf.Mu.Variance || re.Sigma.Variance >= sf.Sigma.Variance {
		t.Errorf("variances: reparam %v/%v, score %v/%v", re.Mu.Variance, re.Sigma.Variance, sf.Mu.Variance, sf.Sigma.Variance)
	}
	// Same seed, same estimate.
	again, _ := ReparamGradient(df, mu, sigma, n, 3)
	if again != re {
		t.Errorf("same seed gave %+v then %+v", re, again)
	}
}

func TestGradientEstimatorErrors(t *testing.T) {
	f := func(z float64) float64 { return z }
	inf := func(z float64) float64 { return math.Inf(1) }
	for _, c := range []struct {
		name      string
		f         func(float64) float64
		mu, sigma float64
		n         int
	}{
		{"n=1", f, 0, 1, 1},
		{"σ=0", f, 0, 0, 10},
		{"σ<0", f, 0, -1, 10},
		{"σ=NaN", f, 0, math.NaN(), 10},
		{"μ=Inf", f, math.Inf(1), 1, 10},
	} {
		if _, err := ReparamGradient(c.f, c.mu, c.sigma, c.n, 1); !errors.Is(err, ErrBadInput) {
			t.Errorf("reparam %s: err %v, want ErrBadInput", c.name, err)
		}
		if _, err := ScoreGradient(c.f, c.mu, c.sigma, c.n, 1); !errors.Is(err, ErrBadInput) {
			t.Errorf("score %s: err %v, want ErrBadInput", c.name, err)
		}
	}
	if _, err := ScoreGradient(inf, 0, 1, 10, 1); err == nil {
		t.Error("an infinite f gave no error")
	}
}

func TestJudge(t *testing.T) {
	// Three labelled clusters on a line: 0 near 0, 1 near 10, 2 near 20.
	ref := mat.NewDense(9, 2, []float64{0, 0, 1, 0, 0, 1, 10, 0, 11, 0, 10, 1, 20, 0, 21, 0, 20, 1})
	labels := []int{0, 0, 0, 1, 1, 1, 2, 2, 2}
	j, err := JudgeConfig{K: 3, Workers: 1}.Fit(context.Background(), ref, labels)
	if err != nil {
		t.Fatal(err)
	}
	x := mat.NewDense(3, 2, []float64{0.5, 0.5, 13, 4, 15.5, 0})
	v, err := j.Judge(x)
	if err != nil {
		t.Fatal(err)
	}
	want := []Verdict{
		{Label: 0, Confidence: 1, Distance: math.Sqrt(0.5)},
		// Nearest three: (10,1) √18, (11,0) √20, (10,0) √25, all label 1.
		{Label: 1, Confidence: 1, Distance: math.Sqrt(18)},
		// Nearest three: (11,0) and (20,0) at 4.5, (20,1) at √21.25 ≈ 4.61
		// (then 5.5 for (10,0), (21,0)): label 2 with 2 votes of 3.
		{Label: 2, Confidence: 2.0 / 3, Distance: 4.5},
	}
	for i := range want {
		if v[i].Label != want[i].Label || math.Abs(v[i].Confidence-want[i].Confidence) > 1e-9 ||
			math.Abs(v[i].Distance-want[i].Distance) > 1e-5 {
			t.Errorf("row %d: %+v, want %+v", i, v[i], want[i])
		}
	}
	for _, c := range []struct {
		name string
		cfg  JudgeConfig
		x    mat.Matrix
		l    []int
		want error
	}{
		{"K<0", JudgeConfig{K: -1}, ref, labels, ErrBadConfig},
		{"Workers<0", JudgeConfig{Workers: -1}, ref, labels, ErrBadConfig},
		{"labels", JudgeConfig{}, ref, labels[:3], ErrBadInput},
		{"negative label", JudgeConfig{}, mat.NewDense(1, 2, nil), []int{-1}, ErrBadInput},
		{"NaN", JudgeConfig{}, mat.NewDense(1, 2, []float64{math.NaN(), 0}), []int{0}, ErrBadInput},
	} {
		if _, err := c.cfg.Fit(context.Background(), c.x, c.l); !errors.Is(err, c.want) {
			t.Errorf("%s: err %v, want %v", c.name, err, c.want)
		}
	}
	// 1e30 fits float32, its square does not: an error, not an infinite distance.
	huge, err := JudgeConfig{K: 1}.Fit(context.Background(), mat.NewDense(1, 2, []float64{1e30, 0}), []int{0})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := huge.Judge(mat.NewDense(1, 2, nil)); !errors.Is(err, fit.ErrNonFinite) {
		t.Errorf("overflowing distance: err %v, want fit.ErrNonFinite", err)
	}
	var buf bytes.Buffer
	if err := j.Save(&buf); err != nil {
		t.Fatal(err)
	}
	saved := buf.String()
	loaded, err := LoadJudge(strings.NewReader(saved))
	if err != nil {
		t.Fatal(err)
	}
	if again, err := loaded.Judge(x); err != nil || !slices.Equal(again, v) {
		t.Errorf("loaded judge: %+v, %v; want %+v", again, err, v)
	}
	path := filepath.Join(t.TempDir(), "judge")
	if err := j.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadJudgeFile(path); err != nil {
		t.Errorf("LoadJudgeFile: %v", err)
	}
	// A file whose labels and images disagree does not load.
	bad := j.file()
	bad.Labels = bad.Labels[:2]
	buf.Reset()
	if err := persist.Save(&buf, "vae.Judge", 1, bad); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadJudge(&buf); !errors.Is(err, ErrBadInput) {
		t.Errorf("inconsistent file: err %v, want ErrBadInput", err)
	}
	if _, err := LoadJudge(strings.NewReader(strings.Replace(saved, "v1", "v2", 1))); err == nil {
		t.Error("a file of another version loaded")
	}
	if _, err := j.Judge(mat.NewDense(1, 3, nil)); !errors.Is(err, ErrBadInput) {
		t.Errorf("wrong width: err %v, want ErrBadInput", err)
	}
}

func TestEffectiveSampleSize(t *testing.T) {
	for _, c := range []struct {
		name string
		logW []float64
		want float64
	}{
		{"equal", []float64{-300, -300, -300, -300}, 4},
		{"one dominates", []float64{0, -1000, -1000}, 1},
		// Weights 1 and 2: (1+2)²/(1+4) = 9/5.
		{"1 and 2", []float64{0, math.Log(2)}, 1.8},
		{"empty", nil, 0},
	} {
		if got := EffectiveSampleSize(c.logW); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if got := LogMeanExp([]float64{-1000, -1000 + math.Log(3)}); math.Abs(got-(-1000+math.Log(2))) > 1e-9 {
		t.Errorf("LogMeanExp = %v, want −1000 + log 2", got)
	}
}

func TestLogWeightsAndSampledKL(t *testing.T) {
	m, x := linearGaussian(t)
	rows := x.Slice(0, 4, 0, 4).(*mat.Dense)
	post, err := m.Posterior(rows, GridConfig{})
	if err != nil {
		t.Fatal(err)
	}
	exact, err := m.ELBORows(rows)
	if err != nil {
		t.Fatal(err)
	}
	kl, err := m.SampledKL(rows, 20000, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Proposal{FromEncoder, FromPrior} {
		w, err := m.LogWeights(rows, 20000, r, 1)
		if err != nil {
			t.Fatal(err)
		}
		for i := range w {
			// Both proposals are unbiased for p(x); with 20,000 samples
			// on this 2-D model the log estimate is within 0.05 nats of
			// the quadrature (its spread is √(1/ESS) ≲ 0.02 here).
			if got := LogMeanExp(w[i]); math.Abs(got-post[i].LogPX) > 0.05 {
				t.Errorf("proposal %d, row %d: log p(x) ≈ %.4f, grid %.4f (ESS %.0f)", r, i, got, post[i].LogPX, EffectiveSampleSize(w[i]))
			}
		}
	}
	for i := range kl {
		// 4 standard errors: a 1-in-15,000 miss for a normal error.
		if math.Abs(kl[i].Value-exact[i].KL) > 4*kl[i].StdErr {
			t.Errorf("row %d: sampled KL %.4f ± %.4f, closed form %.4f", i, kl[i].Value, kl[i].StdErr, exact[i].KL)
		}
	}
	if _, err := m.LogWeights(rows, 0, FromEncoder, 1); !errors.Is(err, ErrBadInput) {
		t.Errorf("K = 0: err %v, want ErrBadInput", err)
	}
	if _, err := m.LogWeights(rows, 5, Proposal(7), 1); !errors.Is(err, ErrBadInput) {
		t.Errorf("Proposal 7: err %v, want ErrBadInput", err)
	}
	if _, err := m.SampledKL(rows, 1, 1); !errors.Is(err, ErrBadInput) {
		t.Errorf("S = 1: err %v, want ErrBadInput", err)
	}
}
