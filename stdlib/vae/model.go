package vae

import (
	"fmt"
	"math"

	"github.com/gonbml/gonbml/stdlib/nn"
	"gonum.org/v1/gonum/mat"
)

// Model is a trained variational autoencoder. Its methods are not safe for
// concurrent use: they share the network's buffers.
type Model struct {
	// History holds one row per finished epoch.
	History []Epoch

	net *network
	cfg Config // with defaults; Validation and Progress cleared
}

// Config returns the configuration the model was trained with (defaults
// filled in; Validation and Progress are not kept).
func (m *Model) Config() Config { return m.cfg }

// Latent returns the size of the latent code.
func (m *Model) Latent() int { return m.net.arch.Latent }

// Input returns the number of columns the model expects.
func (m *Model) Input() int { return m.net.arch.Input }

// Encode returns the mean μ and the standard deviation σ of q(z|x) for
// every row of X (both rows×Latent).
func (m *Model) Encode(X mat.Matrix) (mu, sigma *mat.Dense, err error) {
	x, err := toMatrix32("X", X, m.net.arch.Input, m.net.arch.Likelihood)
	if err != nil {
		return nil, nil, err
	}
	mu32, sd32 := encodeAll(m.net, x)
	if mu, err = toDense("μ", mu32); err != nil {
		return nil, nil, err
	}
	if sigma, err = toDense("σ", sd32); err != nil {
		return nil, nil, err
	}
	return mu, sigma, nil
}

func encodeAll(net *network, x *nn.Matrix) (mu, sd *nn.Matrix) {
	L := net.arch.Latent
	mu, sd = nn.NewMatrix(x.Rows, L), nn.NewMatrix(x.Rows, L)
	for lo := 0; lo < x.Rows; lo += evalBatch {
		hi := min(lo+evalBatch, x.Rows)
		w := net.encode(rowsOf(x, lo, hi))
		copy(mu.Data[lo*L:hi*L], w.mu.Data)
		copy(sd.Data[lo*L:hi*L], w.std.Data)
	}
	return mu, sd
}

// decodeAll returns the decoder's mean output for every row of z: Bernoulli
// probabilities σ(logits), or Gaussian means.
func decodeAll(net *network, z *nn.Matrix) *nn.Matrix {
	D := net.arch.Input
	out := nn.NewMatrix(z.Rows, D)
	for lo := 0; lo < z.Rows; lo += evalBatch {
		hi := min(lo+evalBatch, z.Rows)
		w := net.prepare(hi - lo)
		copy(w.z.Data, z.Data[lo*z.Cols:hi*z.Cols])
		net.decode(w)
		dst := out.Data[lo*D : hi*D]
		if net.arch.Likelihood == Bernoulli {
			nn.Sigmoid.Forward(dst, w.out.Data)
		} else {
			copy(dst, w.out.Data)
		}
	}
	return out
}

// Decode maps latent codes (rows×Latent) to the decoder's mean output: pixel
// probabilities for Bernoulli, means for the Gaussian likelihoods.
func (m *Model) Decode(Z mat.Matrix) (*mat.Dense, error) {
	z, err := toMatrix32("Z", Z, m.net.arch.Latent, GaussianFixed)
	if err != nil {
		return nil, err
	}
	return toDense("decoded output", decodeAll(m.net, z))
}

// Reconstruct encodes every row of X and decodes its mean code μ.
func (m *Model) Reconstruct(X mat.Matrix) (*mat.Dense, error) {
	x, err := toMatrix32("X", X, m.net.arch.Input, m.net.arch.Likelihood)
	if err != nil {
		return nil, err
	}
	mu, _ := encodeAll(m.net, x)
	return toDense("reconstruction", decodeAll(m.net, mu))
}

// Sample draws n codes from the prior N(0, I) with a source seeded by seed
// and returns their decoded means (n×Input).
func (m *Model) Sample(n int, seed uint64) (*mat.Dense, error) {
	if n <= 0 {
		return nil, fmt.Errorf("%w: Sample count %d must be positive", ErrBadInput, n)
	}
	rng := newRand(seed, streamSample)
	z := nn.NewMatrix(n, m.net.arch.Latent)
	for i := range z.Data {
		z.Data[i] = float32(rng.NormFloat64())
	}
	return toDense("sample", decodeAll(m.net, z))
}

// Interpolate encodes the inputs a and b, walks in a straight line from
// μ(a) to μ(b) in steps ≥ 2 equal steps (both ends included) and returns the
// decoded means, one row per step.
func (m *Model) Interpolate(a, b []float64, steps int) (*mat.Dense, error) {
	return interpolate(m.net, a, b, steps)
}

func interpolate(net *network, a, b []float64, steps int) (*mat.Dense, error) {
	if steps < 2 {
		return nil, fmt.Errorf("%w: Interpolate needs at least 2 steps, got %d", ErrBadInput, steps)
	}
	D := net.arch.Input
	if len(a) != D || len(b) != D {
		return nil, fmt.Errorf("%w: Interpolate inputs have %d and %d values, the model expects %d", ErrBadInput, len(a), len(b), D)
	}
	x, err := toMatrix32("Interpolate input", mat.NewDense(2, D, append(append([]float64(nil), a...), b...)), D, net.arch.Likelihood)
	if err != nil {
		return nil, err
	}
	mu, _ := encodeAll(net, x)
	L := net.arch.Latent
	z := nn.NewMatrix(steps, L)
	for s := 0; s < steps; s++ {
		t := float32(s) / float32(steps-1)
		for j := 0; j < L; j++ {
			z.Data[s*L+j] = (1-t)*mu.Data[j] + t*mu.Data[L+j]
		}
	}
	return toDense("interpolation", decodeAll(net, z))
}

// ELBO returns the mean −ELBO of the rows of X split into its terms, with
// one reparameterised sample per row from a source seeded by Config.Seed
// (so repeated calls agree).
func (m *Model) ELBO(X mat.Matrix) (Terms, error) {
	x, err := toMatrix32("X", X, m.net.arch.Input, m.net.arch.Likelihood)
	if err != nil {
		return Terms{}, err
	}
	return finiteTerms("−ELBO", evaluate(m.net, x, m.cfg.Seed))
}

// ELBORows is ELBO for every row separately.
func (m *Model) ELBORows(X mat.Matrix) ([]Terms, error) {
	x, err := toMatrix32("X", X, m.net.arch.Input, m.net.arch.Likelihood)
	if err != nil {
		return nil, err
	}
	rows := evaluateRows(m.net, x, m.cfg.Seed)
	for i, r := range rows {
		if _, err := finiteTerms(fmt.Sprintf("−ELBO of row %d", i), r); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// LogLikelihood estimates log p(x) for every row of X with K importance
// samples from q(z|x) (the IWAE bound of Burda et al. 2016):
//
//	log p(x) ≈ log (1/K) Σₖ p(x|zₖ) p(zₖ) / q(zₖ|x),   zₖ ~ q(z|x).
//
// With K = 1 it is a one-sample ELBO; it increases towards log p(x) as K
// grows, so log p(x) − ELBO ≥ KL(q(z|x) ‖ p(z|x)) can be read off per row.
// The samples come from a source seeded by seed.
func (m *Model) LogLikelihood(X mat.Matrix, K int, seed uint64) ([]float64, error) {
	if K <= 0 {
		return nil, fmt.Errorf("%w: LogLikelihood needs K ≥ 1 samples, got %d", ErrBadInput, K)
	}
	x, err := toMatrix32("X", X, m.net.arch.Input, m.net.arch.Likelihood)
	if err != nil {
		return nil, err
	}
	net := m.net
	L, D := net.arch.Latent, net.arch.Input
	mu, sd := encodeAll(net, x)
	rng := newRand(seed, streamSample+1)
	out := make([]float64, x.Rows)
	// Decode rows×K codes in chunks of about evalBatch samples.
	per := max(1, evalBatch/K)
	logw := make([]float64, K)
	for lo := 0; lo < x.Rows; lo += per {
		hi := min(lo+per, x.Rows)
		n := (hi - lo) * K
		w := net.prepare(n)
		target := nn.NewMatrix(n, D)
		logPzMinusQ := make([]float64, n)
		for i := lo; i < hi; i++ {
			for k := 0; k < K; k++ {
				r := (i-lo)*K + k
				copy(target.Row(r), x.Row(i))
				var lp float64
				for j := 0; j < L; j++ {
					e := rng.NormFloat64()
					s := float64(sd.Data[i*L+j])
					z := float64(mu.Data[i*L+j]) + s*e
					w.z.Data[r*L+j] = float32(z)
					// log N(z; 0, 1) − log N(z; μ, σ²) = −½z² + ½ε² + log σ.
					lp += -0.5*z*z + 0.5*e*e + math.Log(s)
				}
				logPzMinusQ[r] = lp
			}
		}
		net.decode(w)
		net.reconstruction(target, w, false, 1)
		for i := lo; i < hi; i++ {
			for k := 0; k < K; k++ {
				r := (i-lo)*K + k
				logw[k] = -w.recRows[r] + logPzMinusQ[r]
			}
			out[i] = logSumExp(logw) - math.Log(float64(K))
		}
	}
	return finiteRows("log p(x)", out)
}

func logSumExp(v []float64) float64 {
	mx := math.Inf(-1)
	for _, x := range v {
		mx = max(mx, x)
	}
	if math.IsInf(mx, -1) {
		return mx
	}
	var s float64
	for _, x := range v {
		s += math.Exp(x - mx)
	}
	return mx + math.Log(s)
}

// LogPXGivenZ returns log p(xᵢ|zᵢ) for every row pair of X and Z: how well
// the code zᵢ explains the input xᵢ under the decoder. It is the quantity
// behind the article's point that codes drawn from the prior rarely explain
// a given x, while codes drawn from q(z|x) do.
func (m *Model) LogPXGivenZ(X, Z mat.Matrix) ([]float64, error) {
	x, err := toMatrix32("X", X, m.net.arch.Input, m.net.arch.Likelihood)
	if err != nil {
		return nil, err
	}
	z, err := toMatrix32("Z", Z, m.net.arch.Latent, GaussianFixed)
	if err != nil {
		return nil, err
	}
	if x.Rows != z.Rows {
		return nil, fmt.Errorf("%w: LogPXGivenZ has %d rows of X but %d of Z", ErrBadInput, x.Rows, z.Rows)
	}
	out := make([]float64, x.Rows)
	for lo := 0; lo < x.Rows; lo += evalBatch {
		hi := min(lo+evalBatch, x.Rows)
		w := m.net.prepare(hi - lo)
		copy(w.z.Data, z.Data[lo*z.Cols:hi*z.Cols])
		m.net.decode(w)
		m.net.reconstruction(rowsOf(x, lo, hi), w, false, 1)
		for i := lo; i < hi; i++ {
			out[i] = -w.recRows[i-lo]
		}
	}
	return finiteRows("log p(x|z)", out)
}
