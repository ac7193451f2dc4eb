package vae

import (
	"context"

	"gonum.org/v1/gonum/mat"
)

// Autoencoder is a plain deterministic autoencoder with the same layers as
// the VAE: the encoder outputs a single code z (no σ, no KL term) and the
// loss is the reconstruction term alone. It is the Part 1 baseline whose
// codes, unlike a VAE's, follow no known distribution.
type Autoencoder struct {
	// History holds one row per epoch; KL is always 0.
	History []Epoch

	net *network
	cfg Config
}

// FitAutoencoder trains an Autoencoder on the rows of X. c is read as for
// Fit; Beta is ignored. Cancellation, progress and errors behave as in Fit.
func (c Config) FitAutoencoder(ctx context.Context, X mat.Matrix) (*Autoencoder, error) {
	t, err := c.train(ctx, X, false)
	if t == nil {
		return nil, err
	}
	return &Autoencoder{net: t.net, History: t.history, cfg: t.cfg}, err
}

// Config returns the configuration the autoencoder was trained with.
func (a *Autoencoder) Config() Config { return a.cfg }

// Encode returns the code of every row of X (rows×Latent).
func (a *Autoencoder) Encode(X mat.Matrix) (*mat.Dense, error) {
	x, err := toMatrix32("X", X, a.net.arch.Input, a.net.arch.Likelihood)
	if err != nil {
		return nil, err
	}
	mu, _ := encodeAll(a.net, x)
	return toDense("code", mu)
}

// Decode maps codes to the decoder's mean output.
func (a *Autoencoder) Decode(Z mat.Matrix) (*mat.Dense, error) {
	z, err := toMatrix32("Z", Z, a.net.arch.Latent, GaussianFixed)
	if err != nil {
		return nil, err
	}
	return toDense("decoded output", decodeAll(a.net, z))
}

// Reconstruct encodes and decodes every row of X.
func (a *Autoencoder) Reconstruct(X mat.Matrix) (*mat.Dense, error) {
	x, err := toMatrix32("X", X, a.net.arch.Input, a.net.arch.Likelihood)
	if err != nil {
		return nil, err
	}
	mu, _ := encodeAll(a.net, x)
	return toDense("reconstruction", decodeAll(a.net, mu))
}

// Interpolate decodes the straight line between the codes of a and b.
func (a *Autoencoder) Interpolate(x, y []float64, steps int) (*mat.Dense, error) {
	return interpolate(a.net, x, y, steps)
}

// Loss returns the mean reconstruction loss −log p(x|z) of the rows of X
// (in Terms.Reconstruction and Terms.NegELBO; KL is 0).
func (a *Autoencoder) Loss(X mat.Matrix) (Terms, error) {
	x, err := toMatrix32("X", X, a.net.arch.Input, a.net.arch.Likelihood)
	if err != nil {
		return Terms{}, err
	}
	return finiteTerms("loss", evaluate(a.net, x, a.cfg.Seed))
}
