package vae

import (
	"fmt"
	"math"

	"github.com/gonbml/gonbml/stdlib/nn"
	"gonum.org/v1/gonum/mat"
)

// Estimate is a Monte-Carlo estimate: the mean of n samples, its standard
// error and the samples' variance.
type Estimate struct {
	Value    float64 // the mean of the samples
	StdErr   float64 // √(Variance / n)
	Variance float64 // the samples' variance (n − 1 in the denominator)
	N        int     // the number of samples
}

// estimate summarises samples (at least 2).
func estimate(v []float64) Estimate {
	n := float64(len(v))
	var mean float64
	for _, x := range v {
		mean += x / n
	}
	var ss float64
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	variance := ss / (n - 1)
	return Estimate{Value: mean, StdErr: math.Sqrt(variance / n), Variance: variance, N: len(v)}
}

// SampledELBO returns, for every row x of X, the ELBO E_q[log p(x|z)] −
// KL(q(z|x) ‖ N(0, I)) with the expectation estimated from S samples z ~
// q(z|x) (a source seeded by seed) and the KL in closed form; StdErr is the
// standard error of the sampled term, the only noisy one. S must be at
// least 2.
func (m *Model) SampledELBO(X mat.Matrix, S int, seed uint64) ([]Estimate, error) {
	if S < 2 {
		return nil, fmt.Errorf("%w: SampledELBO needs S ≥ 2 samples, got %d", ErrBadInput, S)
	}
	x, err := toMatrix32("X", X, m.net.arch.Input, m.net.arch.Likelihood)
	if err != nil {
		return nil, err
	}
	L := m.net.arch.Latent
	mu, sd := encodeAll(m.net, x)
	rng := newRand(seed, streamSample+2)
	out := make([]Estimate, x.Rows)
	codes := nn.NewMatrix(S, L)
	for i := range out {
		var kl float64
		for j := 0; j < L; j++ {
			m, s := float64(mu.Data[i*L+j]), float64(sd.Data[i*L+j])
			kl += 0.5 * (m*m + s*s - 1 - 2*math.Log(s))
		}
		for k := 0; k < S; k++ {
			for j := 0; j < L; j++ {
				codes.Data[k*L+j] = mu.Data[i*L+j] + sd.Data[i*L+j]*float32(rng.NormFloat64())
			}
		}
		e := estimate(logPXGivenCodes(m.net, x.Row(i), codes))
		e.Value -= kl
		if !finite(e.Value) || !finite(e.StdErr) {
			return nil, nonFinite(fmt.Sprintf("ELBO of row %d", i), e.Value+e.StdErr)
		}
		out[i] = e
	}
	return out, nil
}

// Gradient estimates ∂/∂μ and ∂/∂σ of E[f(z)] for z ~ N(μ, σ²).
type Gradient struct {
	Mu, Sigma Estimate
}

// ReparamGradient estimates the gradient of E[f(z)], z ~ N(μ, σ²), with the
// reparameterisation trick: z = μ + σε with ε ~ N(0, 1), so that
// ∂f(z)/∂μ = f′(z) and ∂f(z)/∂σ = f′(z)·ε, averaged over n draws of ε from
// a source seeded by seed. It needs the derivative df of f. With the same
// seed and n, ScoreGradient uses the same ε.
func ReparamGradient(df func(z float64) float64, mu, sigma float64, n int, seed uint64) (Gradient, error) {
	return gradient(func(z, eps float64) (float64, float64) {
		d := df(z)
		return d, d * eps
	}, mu, sigma, n, seed)
}

// ScoreGradient estimates the gradient of E[f(z)], z ~ N(μ, σ²), with the
// score-function (REINFORCE) estimator, which needs only values of f:
// f(z)·∂log N(z; μ, σ²)/∂θ, that is f(z)·(z − μ)/σ² for μ and
// f(z)·((z − μ)²/σ³ − 1/σ) for σ, averaged over n draws.
func ScoreGradient(f func(z float64) float64, mu, sigma float64, n int, seed uint64) (Gradient, error) {
	return gradient(func(z, eps float64) (float64, float64) {
		v := f(z)
		return v * eps / sigma, v * (eps*eps - 1) / sigma
	}, mu, sigma, n, seed)
}

func gradient(term func(z, eps float64) (dmu, dsigma float64), mu, sigma float64, n int, seed uint64) (Gradient, error) {
	switch {
	case n < 2:
		return Gradient{}, fmt.Errorf("%w: a gradient estimate needs n ≥ 2 samples, got %d", ErrBadInput, n)
	case !finite(mu):
		return Gradient{}, fmt.Errorf("%w: μ is %v", ErrBadInput, mu)
	case !(sigma > 0) || !finite(sigma):
		return Gradient{}, fmt.Errorf("%w: σ is %v, want a positive number", ErrBadInput, sigma)
	}
	rng := newRand(seed, streamSample+3)
	dmu, dsigma := make([]float64, n), make([]float64, n)
	for i := range dmu {
		eps := rng.NormFloat64()
		dmu[i], dsigma[i] = term(mu+sigma*eps, eps)
		if !finite(dmu[i]) || !finite(dsigma[i]) {
			return Gradient{}, nonFinite(fmt.Sprintf("gradient sample %d at z = %v", i, mu+sigma*eps), dmu[i]+dsigma[i])
		}
	}
	return Gradient{Mu: estimate(dmu), Sigma: estimate(dsigma)}, nil
}

// SampledKL estimates KL(q(z|x) ‖ N(0, I)) for every row x of X by its
// definition, the mean of log q(z|x) − log p(z) over S samples z ~ q(z|x)
// (a source seeded by seed), with its standard error. ELBORows gives the
// same KL in closed form (Terms.KL); the two agree within the error.
func (m *Model) SampledKL(X mat.Matrix, S int, seed uint64) ([]Estimate, error) {
	if S < 2 {
		return nil, fmt.Errorf("%w: SampledKL needs S ≥ 2 samples, got %d", ErrBadInput, S)
	}
	x, err := toMatrix32("X", X, m.net.arch.Input, m.net.arch.Likelihood)
	if err != nil {
		return nil, err
	}
	L := m.net.arch.Latent
	mu, sd := encodeAll(m.net, x)
	rng := newRand(seed, streamSample+4)
	out := make([]Estimate, x.Rows)
	v := make([]float64, S)
	for i := range out {
		for k := range v {
			var r float64
			for j := 0; j < L; j++ {
				eps := rng.NormFloat64()
				s := float64(sd.Data[i*L+j])
				z := float64(mu.Data[i*L+j]) + s*eps
				// log N(z; μ, σ²) − log N(z; 0, 1): the 2π terms cancel.
				r += -0.5*eps*eps - math.Log(s) + 0.5*z*z
			}
			v[k] = r
		}
		out[i] = estimate(v)
	}
	return out, nil
}

// Proposal is where LogWeights draws its codes from.
type Proposal int

const (
	// FromEncoder draws z from q(z|x), the encoder's distribution (the
	// zero value).
	FromEncoder Proposal = iota
	// FromPrior draws z from p(z) = N(0, I).
	FromPrior
)

// LogWeights draws K codes z for every row x of X from the proposal r (the
// encoder's q(z|x) or the prior p(z)), with a source seeded by seed, and
// returns their log importance weights log p(x|z) + log p(z) − log r(z),
// one slice of K per row. log p(x) ≈ log (1/K) Σ exp(weight), with either
// proposal; EffectiveSampleSize says how many of the K samples that
// estimate really rests on.
func (m *Model) LogWeights(X mat.Matrix, K int, r Proposal, seed uint64) ([][]float64, error) {
	if K < 1 {
		return nil, fmt.Errorf("%w: LogWeights needs K ≥ 1 samples, got %d", ErrBadInput, K)
	}
	if r != FromEncoder && r != FromPrior {
		return nil, fmt.Errorf("%w: unknown Proposal %d", ErrBadInput, int(r))
	}
	x, err := toMatrix32("X", X, m.net.arch.Input, m.net.arch.Likelihood)
	if err != nil {
		return nil, err
	}
	L := m.net.arch.Latent
	mu, sd := encodeAll(m.net, x)
	rng := newRand(seed, streamSample+5)
	codes := nn.NewMatrix(K, L)
	out := make([][]float64, x.Rows)
	for i := range out {
		correction := make([]float64, K) // log p(z) − log r(z)
		for k := 0; k < K; k++ {
			for j := 0; j < L; j++ {
				eps := rng.NormFloat64()
				if r == FromPrior {
					codes.Data[k*L+j] = float32(eps)
					continue
				}
				s := float64(sd.Data[i*L+j])
				z := float64(mu.Data[i*L+j]) + s*eps
				codes.Data[k*L+j] = float32(z)
				correction[k] += -0.5*z*z + 0.5*eps*eps + math.Log(s)
			}
		}
		w := logPXGivenCodes(m.net, x.Row(i), codes)
		for k := range w {
			w[k] += correction[k]
		}
		if _, err := finiteRows(fmt.Sprintf("log weight of row %d, sample", i), w); err != nil {
			return nil, err
		}
		out[i] = w
	}
	return out, nil
}

// EffectiveSampleSize is (Σ wₖ)² / Σ wₖ² for the weights wₖ = exp(logW[k]):
// K when all weights are equal (every sample counts), 1 when one sample
// carries all the weight. It is computed in log space, so weights like
// e^−300 are fine. Empty input gives 0.
func EffectiveSampleSize(logW []float64) float64 {
	if len(logW) == 0 {
		return 0
	}
	twice := make([]float64, len(logW))
	for i, v := range logW {
		twice[i] = 2 * v
	}
	return math.Exp(2*logSumExp(logW) - logSumExp(twice))
}

// LogMeanExp is log (1/K) Σ exp(v[k]), computed stably: the importance
// sampling estimate of log p(x) from LogWeights.
func LogMeanExp(v []float64) float64 {
	return logSumExp(v) - math.Log(float64(len(v)))
}
