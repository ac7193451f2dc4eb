package vae

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

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
		Validation: val, Progress: func(p Progress) error {
			calls++
			if !p.HasValidation || p.Epochs != 8 {
				t.Errorf("progress %+v", p)
			}
			return nil
		}}
	m, err := Train(context.Background(), x, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.History) != 8 || calls != 8 {
		t.Fatalf("history %d epochs, %d progress calls; want 8", len(m.History), calls)
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
	a, err := Train(context.Background(), x, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Workers = 2 // the products split columns: sums are unchanged
	b, err := Train(context.Background(), x, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if a.History[1].Train != b.History[1].Train {
		t.Fatalf("runs differ: %+v vs %+v", a.History[1].Train, b.History[1].Train)
	}
}

func TestInferenceMethods(t *testing.T) {
	x := tinyData(120, 10, 5)
	m, err := Train(context.Background(), x, Config{Hidden: []int{16}, Latent: 2, BatchSize: 20, Epochs: 5, LearningRate: 1e-2})
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
	m, err := Train(context.Background(), x, Config{Hidden: []int{4}, Latent: 2, Epochs: 2, Likelihood: Gaussian})
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
	if !mat.Equal(r1, r2) || len(back.History) != 2 || back.Config().Likelihood != Gaussian {
		t.Fatal("loaded model differs")
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadAutoencoder(&buf); err == nil || !strings.Contains(err.Error(), "not a autoencoder") {
		t.Fatalf("loading a VAE as an autoencoder: %v", err)
	}
	if _, err := Load(strings.NewReader("garbage")); err == nil {
		t.Fatal("garbage loaded")
	}
}

func TestAutoencoder(t *testing.T) {
	x := tinyData(100, 8, 7)
	ae, err := TrainAutoencoder(context.Background(), x, Config{Hidden: []int{16}, Latent: 2, BatchSize: 20, Epochs: 6, LearningRate: 1e-2})
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
		{"negative-beta", ok, Config{Beta: -1}, "Config.Beta"},
		{"bad-hidden", ok, Config{Hidden: []int{0}}, "Config.Hidden[0]"},
		{"bad-likelihood", ok, Config{Likelihood: 7}, "Config.Likelihood"},
		{"validation-columns", ok, Config{Validation: mat.NewDense(2, 3, nil)}, "Validation has 3 columns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Train(context.Background(), tt.x, tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	// Gaussian likelihoods accept values outside [0, 1].
	if _, err := Train(context.Background(), big, Config{Likelihood: GaussianFixed, Hidden: []int{3}, Latent: 1, Epochs: 1}); err != nil {
		t.Fatal(err)
	}
	m, err := Train(context.Background(), ok, Config{Hidden: []int{3}, Latent: 2, Epochs: 1})
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
	// A learning rate of 1e12 sends the weights to ±1e12 in one Adam step;
	// the logits then overflow float32 and the loss turns infinite or NaN.
	m, err := Train(context.Background(), x, Config{Hidden: []int{8}, Latent: 2, BatchSize: 16, Epochs: 3, LearningRate: 1e12})
	if !errors.Is(err, ErrDiverged) || !strings.Contains(err.Error(), "epoch 1") {
		t.Fatalf("got %v, want ErrDiverged at epoch 1", err)
	}
	if m == nil {
		t.Fatal("no partial model returned")
	}
	for _, p := range m.net.params {
		for _, v := range p.Value {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatal("returned model holds non-finite weights")
			}
		}
	}
}

func TestCancelAndProgressStop(t *testing.T) {
	x := tinyData(64, 8, 10)
	ctx, cancel := context.WithCancel(context.Background())
	stop := errors.New("enough")
	m, err := Train(ctx, x, Config{Hidden: []int{8}, Latent: 2, Epochs: 5, Progress: func(p Progress) error {
		if p.Epoch == 2 {
			cancel()
		}
		return nil
	}})
	if !errors.Is(err, context.Canceled) || m == nil || len(m.History) != 2 {
		t.Fatalf("cancel: err %v, history %d", err, len(m.History))
	}
	m, err = Train(context.Background(), x, Config{Hidden: []int{8}, Latent: 2, Epochs: 5, Progress: func(p Progress) error {
		if p.Epoch == 3 {
			return stop
		}
		return nil
	}})
	if !errors.Is(err, stop) || len(m.History) != 3 {
		t.Fatalf("progress stop: err %v", err)
	}
}

func TestNoKLStillReportsKL(t *testing.T) {
	x := tinyData(64, 8, 11)
	m, err := Train(context.Background(), x, Config{Hidden: []int{8}, Latent: 2, Epochs: 2, NoKL: true})
	if err != nil {
		t.Fatal(err)
	}
	if m.net.arch.Beta != 0 || !(m.History[1].Train.KL > 0) {
		t.Fatalf("β = %v, KL %v", m.net.arch.Beta, m.History[1].Train.KL)
	}
}

func TestLogPXGivenZMatchesELBOTerm(t *testing.T) {
	x := tinyData(30, 6, 12)
	m, err := Train(context.Background(), x, Config{Hidden: []int{8}, Latent: 2, Epochs: 2})
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
