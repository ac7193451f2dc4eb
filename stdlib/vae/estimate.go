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
