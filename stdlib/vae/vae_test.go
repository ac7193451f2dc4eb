package vae

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/internal/persist"
	"github.com/gonbml/gonbml/stdlib/nn"
	"gonum.org/v1/gonum/mat"
)

// tinyData returns n rows of d values in [0, 1] built from two latent
// factors, so that a small VAE has structure to learn.
func tinyData(n, d int, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 2))
	x := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		for j := 0; j < d; j++ {
			v := 1 / (1 + math.Exp(-(a*math.Sin(float64(j)) + b*math.Cos(float64(2*j)))))
			x.Set(i, j, v)
		}
	}
	return x
}

func TestGradientThroughWholeLoss(t *testing.T) {
	// Tiny nets keep the float32 finite differences meaningful and fast.
	cases := []struct {
		name        string
		lik         Likelihood
		variational bool
		beta        float64
		hidden      []int
	}{
		{"bernoulli-vae", Bernoulli, true, 1, []int{5}},
		{"bernoulli-vae-beta", Bernoulli, true, 2.5, []int{5, 4}},
		{"gaussian-vae", Gaussian, true, 1, []int{5}},
		{"gaussian-fixed-vae", GaussianFixed, true, 1, []int{5}},
		{"no-hidden-vae", Bernoulli, true, 1, []int{}},
		{"autoencoder", Bernoulli, false, 0, []int{5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			const d, latent, rows = 6, 3, 4
			xd := tinyData(rows, d, 1)
			x, err := toMatrix32("X", xd, d, c.lik)
			if err != nil {
				t.Fatal(err)
			}
			dec := make([]int, len(c.hidden))
			copy(dec, c.hidden)
			a := arch{Input: d, Hidden: c.hidden, DecoderHidden: dec, Latent: latent, Likelihood: c.lik,
				LogVar: float32(math.Log(0.5)), Variational: c.variational, Beta: c.beta}
			net := newNetwork(a, 7)
			// Non-zero biases so that ReLUs are not all at their kink.
			rng := rand.New(rand.NewPCG(3, 3))
			for _, p := range net.params {
				for i := range p.Value {
					p.Value[i] += float32(rng.NormFloat64() * 0.3)
				}
			}
			var eps *nn.Matrix
			if c.variational {
				eps = nn.NewMatrix(rows, latent)
				for i := range eps.Data {
					eps.Data[i] = float32(rng.NormFloat64())
				}
			}
			loss := func() float64 {
				rec, kl := net.lossAndGrad(x, eps, false)
				return (rec + c.beta*kl) / rows
			}
			net.lossAndGrad(x, eps, true)
			grads := make([][]float32, len(net.params))
			for i, p := range net.params {
				grads[i] = append([]float32(nil), p.Grad...)
			}
			params := make([]nn.Param, len(net.params))
			for i, p := range net.params {
				params[i] = nn.Param{Name: p.Name, Value: p.Value, Grad: grads[i]}
			}
			res, err := nn.CheckGradient(loss, params, nn.GradCheckConfig{Eps: 1e-3, Floor: 1e-2})
			if err != nil {
				t.Fatal(err)
			}
			// float32 forward passes: a few percent of relative error at worst.
			if res.MaxRelErr > 3e-2 {
				t.Fatalf("%v", res)
			}
		})
	}
}

func TestTrainLowersLossAndRecordsHistory(t *testing.T) {
	x := tinyData(200, 12, 2)
	val := tinyData(50, 12, 3)
	var calls int
	cfg := Config{Hidden: []int{16}, Latent: 2, BatchSize: 32, Epochs: 8, LearningRate: 1e-2, Seed: 1,
		Validation: val, ProgressInterval: fit.Off, Progress: func(p fit.Progress) error {
			calls++
			_, hasVal := p.Metrics[MetricValidation]
			if p.Total != 8 || p.Unit != "epoch" || (!p.Done && !hasVal) {
				t.Errorf("progress %+v", p)
			}
			if p.Done && p.Status != "finished 8 epochs" {
				t.Errorf("final status %q", p.Status)
			}
			return nil
		}}
	m, err := cfg.Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.History) != 8 || calls != 9 {
		t.Fatalf("history %d epochs, %d progress calls; want 8 and 8+1 (the final event)", len(m.History), calls)
	}
	first, last := m.History[0], m.History[7]
	if !(last.Train.NegELBO < first.Train.NegELBO) || !(last.Validation.NegELBO < first.Validation.NegELBO) {
		t.Fatalf("loss did not fall: first %+v last %+v", first, last)
	}
	for _, e := range m.History {
		tr := e.Train
		if math.Abs(tr.NegELBO-(tr.Reconstruction+tr.KL)) > 1e-9 || tr.KL < 0 {
			t.Fatalf("terms inconsistent: %+v", tr)
		}
	}
}

func TestSameSeedSameModel(t *testing.T) {
	x := tinyData(64, 8, 4)
	cfg := Config{Hidden: []int{8}, Latent: 2, BatchSize: 16, Epochs: 2, Seed: 9}
	a, err := cfg.Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Config().Workers; got != runtime.GOMAXPROCS(0) || cfg.Workers != 0 {
		t.Fatalf("Workers default %d, want GOMAXPROCS %d; the config changed to %d", got, runtime.GOMAXPROCS(0), cfg.Workers)
	}
	for _, workers := range []int{1, 3} { // the products split columns: sums are unchanged
		cfg.Workers = workers
		b, err := cfg.Fit(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		if a.History[1].Train != b.History[1].Train {
			t.Fatalf("workers %d: runs differ: %+v vs %+v", workers, a.History[1].Train, b.History[1].Train)
		}
		for i, p := range a.net.params {
			if !slices.Equal(p.Value, b.net.params[i].Value) {
				t.Fatalf("workers %d: weights %s differ", workers, p.Name)
			}
		}
	}
}

func TestInferenceMethods(t *testing.T) {
	x := tinyData(120, 10, 5)
	m, err := Config{Hidden: []int{16}, Latent: 2, BatchSize: 20, Epochs: 5, LearningRate: 1e-2}.Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	mu, sd, err := m.Encode(x)
	if err != nil {
		t.Fatal(err)
	}
	if r, c := mu.Dims(); r != 120 || c != 2 {
		t.Fatalf("mu is %d×%d", r, c)
	}
	for _, v := range sd.RawMatrix().Data {
		if !(v > 0) {
			t.Fatalf("σ = %v must be positive", v)
		}
	}
	rec, err := m.Reconstruct(x)
	if err != nil {
		t.Fatal(err)
	}
	samples, err := m.Sample(7, 1)
	if err != nil {
		t.Fatal(err)
	}
	path, err := m.Interpolate(x.RawRowView(0), x.RawRowView(1), 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []*mat.Dense{rec, samples, path} {
		for _, v := range out.RawMatrix().Data {
			if v < 0 || v > 1 {
				t.Fatalf("Bernoulli mean %v outside [0, 1]", v)
			}
		}
	}
	if r, _ := path.Dims(); r != 5 {
		t.Fatalf("Interpolate gave %d rows", r)
	}
	elbo, err := m.ELBO(x)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := m.ELBORows(x)
	if err != nil {
		t.Fatal(err)
	}
	var s float64
	for _, r := range rows {
		s += r.NegELBO
	}
	if math.Abs(s/120-elbo.NegELBO) > 1e-9 {
		t.Fatalf("ELBORows mean %v != ELBO %v", s/120, elbo.NegELBO)
	}
	// IWAE with K = 200 is a tighter bound than the one-sample ELBO: on
	// average over rows, log p̂(x) ≥ ELBO (up to Monte-Carlo noise).
	ll, err := m.LogLikelihood(x, 200, 3)
	if err != nil {
		t.Fatal(err)
	}
	var meanLL float64
	for _, v := range ll {
		meanLL += v / 120
	}
	if !(meanLL >= -elbo.NegELBO-0.05) {
		t.Fatalf("IWAE mean log p(x) %v below ELBO %v", meanLL, -elbo.NegELBO)
	}
	// K = 1 is an unbiased one-sample ELBO: close to the ELBO on average.
	ll1, _ := m.LogLikelihood(x, 1, 4)
	var mean1 float64
	for _, v := range ll1 {
		mean1 += v / 120
	}
	if math.Abs(mean1+elbo.NegELBO) > 0.1*math.Abs(elbo.NegELBO)+0.5 {
		t.Fatalf("IWAE K=1 %v far from ELBO %v", mean1, -elbo.NegELBO)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	x := tinyData(40, 6, 6)
	m, err := Config{Hidden: []int{4}, Latent: 2, Epochs: 2, Likelihood: Gaussian}.Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.gob")
	if err := m.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r1, _ := m.Reconstruct(x)
	r2, _ := back.Reconstruct(x)
	if !mat.Equal(r1, r2) || len(back.History) != 2 || back.Config().Likelihood != Gaussian ||
		!reflect.DeepEqual(back.History, m.History) || !reflect.DeepEqual(back.Config(), m.Config()) {
		t.Fatalf("loaded model differs: config %+v, want %+v", back.Config(), m.Config())
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadAutoencoder(&buf); err == nil || !strings.Contains(err.Error(), "holds a vae.Model, not a vae.Autoencoder") {
		t.Fatalf("loading a VAE as an autoencoder: %v", err)
	}
	if _, err := Load(strings.NewReader("garbage")); err == nil {
		t.Fatal("garbage loaded")
	}
	// A file of another format version names its version.
	buf.Reset()
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	other := strings.Replace(buf.String(), "gonbml vae.Model v1\n", "gonbml vae.Model v7\n", 1)
	if _, err := Load(strings.NewReader(other)); !errors.Is(err, persist.ErrFormat) || !strings.Contains(err.Error(), "version 7") {
		t.Fatalf("version 7 file: %v", err)
	}
}

func TestAutoencoder(t *testing.T) {
	x := tinyData(100, 8, 7)
	ae, err := Config{Hidden: []int{16}, Latent: 2, BatchSize: 20, Epochs: 6, LearningRate: 1e-2}.FitAutoencoder(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ae.History {
		if e.Train.KL != 0 {
			t.Fatalf("autoencoder KL %v", e.Train.KL)
		}
	}
	if !(ae.History[5].Train.Reconstruction < ae.History[0].Train.Reconstruction) {
		t.Fatal("autoencoder loss did not fall")
	}
	z, err := ae.Encode(x)
	if err != nil {
		t.Fatal(err)
	}
	dz, err := ae.Decode(z)
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := ae.Reconstruct(x)
	if !mat.EqualApprox(dz, rec, 1e-6) {
		t.Fatal("Decode(Encode(x)) != Reconstruct(x)")
	}
	var buf bytes.Buffer
	if err := ae.Save(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := LoadAutoencoder(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rec2, _ := back.Reconstruct(x)
	if !mat.Equal(rec, rec2) {
		t.Fatal("loaded autoencoder differs")
	}
}

func TestBadInput(t *testing.T) {
	ok := tinyData(10, 4, 8)
	nan := mat.DenseCopyOf(ok)
	nan.Set(3, 2, math.NaN())
	big := mat.DenseCopyOf(ok)
	big.Set(1, 1, 1.5)
	tests := []struct {
		name string
		x    mat.Matrix
		cfg  Config
		want string
	}{
		{"nan", nan, Config{}, "row 3, column 2"},
		{"outside-unit", big, Config{}, "outside [0, 1]"},
		{"wrong-columns", ok, Config{Input: 5}, "4 columns, the model expects 5"},
		{"empty", &mat.Dense{}, Config{}, "empty"},
		{"nan-beta", ok, Config{Beta: math.NaN()}, "vae: bad config: Beta is NaN"},
		{"bad-hidden", ok, Config{Hidden: []int{0}}, "vae: bad config: Hidden[0] is 0, want at least 1"},
		{"bad-likelihood", ok, Config{Likelihood: 7}, "vae: bad config: Likelihood is Likelihood(7)"},
		{"negative-epochs", ok, Config{Epochs: -2}, "vae: bad config: Epochs is -2"},
		{"validation-columns", ok, Config{Validation: mat.NewDense(2, 3, nil)}, "Validation has 3 columns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.cfg.Fit(context.Background(), tt.x)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if !errors.Is(err, ErrBadConfig) && !errors.Is(err, ErrBadInput) {
				t.Fatalf("%v wraps neither ErrBadConfig nor ErrBadInput", err)
			}
		})
	}
	// Gaussian likelihoods accept values outside [0, 1].
	gauss := Config{Likelihood: GaussianFixed, Hidden: []int{3}, Latent: 1, Epochs: 1}
	if _, err := gauss.Fit(context.Background(), big); err != nil {
		t.Fatal(err)
	}
	m, err := Config{Hidden: []int{3}, Latent: 2, Epochs: 1}.Fit(context.Background(), ok)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.Encode(mat.NewDense(2, 5, nil)); err == nil {
		t.Fatal("Encode accepted 5 columns")
	}
	if _, err := m.Decode(mat.NewDense(2, 3, nil)); err == nil {
		t.Fatal("Decode accepted 3 latent columns")
	}
	if _, err := m.LogLikelihood(ok, 0, 1); err == nil {
		t.Fatal("LogLikelihood accepted K = 0")
	}
	if _, err := m.Interpolate([]float64{0}, []float64{0}, 3); err == nil {
		t.Fatal("Interpolate accepted short inputs")
	}
}

func TestDivergenceNamesEpoch(t *testing.T) {
	x := tinyData(64, 8, 9)
	for _, tc := range []struct {
		name, want string
		lr         float64
	}{
		// 1e12 sends the weights to ±1e12 in one Adam step; the logits then
		// overflow float32 and the loss turns infinite or NaN.
		{"non-finite", "loss NaN", 1e12},
		// On this data a rate of 1 makes the loss explode while it stays
		// finite (5.8 → 3.4e5 per sample at the second batch), as 1e6 did
		// on MNIST (550 → 6.5e32): fit.Diverged catches it.
		{"finite-explosion", "loss 3.", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var final fit.Progress
			m, err := Config{Hidden: []int{8}, Latent: 2, BatchSize: 16, Epochs: 3, LearningRate: tc.lr,
				Progress: func(p fit.Progress) error { final = p; return nil }}.Fit(context.Background(), x)
			if !errors.Is(err, ErrDiverged) || !strings.Contains(err.Error(), "epoch 1") ||
				!strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want ErrDiverged at epoch 1 with %q", err, tc.want)
			}
			if !final.Done || !strings.HasPrefix(final.Status, "stopped: vae: loss diverged") {
				t.Fatalf("final progress %+v", final)
			}
			if m == nil {
				t.Fatal("no partial model returned")
			}
			if !paramsFinite(m.net.params) {
				t.Fatal("returned model holds non-finite weights")
			}
			// The model holds the last good weights: its results are finite
			// (or an error, never a NaN with a nil error).
			if e, err := m.ELBO(x); err != nil || !finite(e.NegELBO) {
				t.Fatalf("ELBO of the returned model: %+v, %v", e, err)
			}
		})
	}
}

// TestNonFiniteResultsAreErrors blows the weights up until float32
// overflows and checks that no method returns NaN or Inf with a nil error.
func TestNonFiniteResultsAreErrors(t *testing.T) {
	x := tinyData(20, 6, 13)
	// GaussianFixed: its decoded means overflow too (Bernoulli outputs
	// σ(±Inf) = 0 or 1, which are finite and correct).
	m, err := Config{Hidden: []int{8}, Latent: 2, Epochs: 1, Likelihood: GaussianFixed}.Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	ae, err := Config{Hidden: []int{8}, Latent: 2, Epochs: 1}.FitAutoencoder(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	// 1e30 per weight: two layers of products exceed float32's 3.4e38.
	for _, net := range []*network{m.net, ae.net} {
		for _, p := range net.params {
			for i := range p.Value {
				p.Value[i] = 1e30
			}
		}
	}
	z := mat.NewDense(20, 2, nil)
	z.Apply(func(i, j int, _ float64) float64 { return 1 }, z)
	row := mat.Row(nil, 0, x)
	for _, c := range []struct {
		name string
		call func() (any, error)
	}{
		{"ELBO", func() (any, error) { return m.ELBO(x) }},
		{"ELBORows", func() (any, error) { return m.ELBORows(x) }},
		{"LogLikelihood", func() (any, error) { return m.LogLikelihood(x, 3, 1) }},
		{"LogPXGivenZ", func() (any, error) { return m.LogPXGivenZ(x, z) }},
		{"Encode", func() (any, error) { mu, _, err := m.Encode(x); return mu, err }},
		{"Decode", func() (any, error) { return m.Decode(z) }},
		{"Reconstruct", func() (any, error) { return m.Reconstruct(x) }},
		{"Sample", func() (any, error) { return m.Sample(4, 1) }},
		{"Interpolate", func() (any, error) { return m.Interpolate(row, row, 3) }},
		{"Autoencoder.Encode", func() (any, error) { return ae.Encode(x) }},
		{"Autoencoder.Loss", func() (any, error) { return ae.Loss(x) }},
	} {
		v, err := c.call()
		if !errors.Is(err, fit.ErrNonFinite) {
			t.Errorf("%s: got %v, %v; want an error wrapping fit.ErrNonFinite", c.name, v, err)
		}
	}
}

func TestCancelAndProgressStop(t *testing.T) {
	x := tinyData(64, 8, 10)
	ctx, cancel := context.WithCancel(context.Background())
	stop := errors.New("enough")
	var final fit.Progress
	m, err := Config{Hidden: []int{8}, Latent: 2, Epochs: 5, ProgressInterval: fit.Off, Progress: func(p fit.Progress) error {
		if p.Step == 2 {
			cancel()
		}
		final = p
		return nil
	}}.Fit(ctx, x)
	if !errors.Is(err, context.Canceled) || m == nil || len(m.History) != 2 {
		t.Fatalf("cancel: err %v, history %d", err, len(m.History))
	}
	if !final.Done || final.Step != 2 || final.Status != "stopped: context canceled" {
		t.Fatalf("final event after cancel: %+v", final)
	}
	m, err = Config{Hidden: []int{8}, Latent: 2, Epochs: 5, ProgressInterval: fit.Off, Progress: func(p fit.Progress) error {
		if p.Step == 3 && !p.Done {
			return stop
		}
		return nil
	}}.Fit(context.Background(), x)
	if !errors.Is(err, stop) || len(m.History) != 3 {
		t.Fatalf("progress stop: err %v", err)
	}
}

func TestBetaOffStillReportsKL(t *testing.T) {
	x := tinyData(64, 8, 11)
	for _, tc := range []struct {
		beta, want float64
	}{{0, 1}, {fit.Off, 0}, {-5, 0}, {4, 4}} { // Default (0): 1; any negative: Off
		m, err := Config{Hidden: []int{8}, Latent: 2, Epochs: 2, Beta: tc.beta}.Fit(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		if m.net.arch.Beta != tc.want || !(m.History[1].Train.KL > 0) {
			t.Fatalf("Beta %v: β = %v (want %v), KL %v", tc.beta, m.net.arch.Beta, tc.want, m.History[1].Train.KL)
		}
	}
}

func TestLogPXGivenZMatchesELBOTerm(t *testing.T) {
	x := tinyData(30, 6, 12)
	m, err := Config{Hidden: []int{8}, Latent: 2, Epochs: 2}.Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	mu, _, err := m.Encode(x)
	if err != nil {
		t.Fatal(err)
	}
	lp, err := m.LogPXGivenZ(x, mu)
	if err != nil {
		t.Fatal(err)
	}
	// Decoding μ directly must give the same likelihood as the
	// deterministic (ε = 0) pass of the network.
	x32, _ := toMatrix32("X", x, 6, Bernoulli)
	rec, _ := m.net.lossAndGrad(x32, nil, false)
	var s float64
	for _, v := range lp {
		s -= v
	}
	if math.Abs(s-rec) > 1e-4*math.Abs(rec) {
		t.Fatalf("Σ −log p(x|μ) = %v, network says %v", s, rec)
	}
	if _, err := m.LogPXGivenZ(x, mat.NewDense(3, 2, nil)); err == nil {
		t.Fatal("row mismatch accepted")
	}
}
