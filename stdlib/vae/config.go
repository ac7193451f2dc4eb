package vae

import (
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/mat"
)

// Likelihood is the decoder's observation model p(x|z).
type Likelihood int

const (
	// Bernoulli models each value in [0, 1] as a Bernoulli probability
	// given by the decoder's logits (binary cross-entropy). The zero value.
	Bernoulli Likelihood = iota
	// Gaussian models each value as N(mean, variance) with both the mean and
	// the log variance output by the decoder.
	Gaussian
	// GaussianFixed models each value as N(mean, Config.Variance).
	GaussianFixed
)

// String returns the likelihood's name.
func (l Likelihood) String() string {
	switch l {
	case Bernoulli:
		return "bernoulli"
	case Gaussian:
		return "gaussian"
	case GaussianFixed:
		return "gaussian-fixed"
	}
	return fmt.Sprintf("Likelihood(%d)", int(l))
}

// Config describes a VAE (or autoencoder) and how to train it. The zero
// value is valid: a 784-400-20 Bernoulli VAE like the PyTorch example.
type Config struct {
	// Input is the number of columns of X; default 0 means "take it from X".
	// When set, X must have exactly this many columns.
	Input int
	// Hidden lists the encoder's hidden layer widths (ReLU); default [400].
	Hidden []int
	// DecoderHidden lists the decoder's hidden widths; default Hidden reversed.
	DecoderHidden []int
	// Latent is the size of z; default 20.
	Latent int
	// Likelihood is p(x|z); default Bernoulli, which needs X in [0, 1].
	Likelihood Likelihood
	// Variance is the fixed variance of GaussianFixed; default 1.
	Variance float64
	// Beta weights the KL term in the loss (β-VAE); default 1, the ELBO.
	// Use NoKL for β = 0.
	Beta float64
	// NoKL trains with β = 0: the KL term is reported but does not pull.
	NoKL bool
	// BatchSize is the mini-batch size; default 128.
	BatchSize int
	// Epochs is the number of passes over X; default 10.
	Epochs int
	// LearningRate is Adam's step size; default 1e-3.
	LearningRate float64
	// Seed seeds initialisation, shuffling and ε; default 0. The same seed
	// gives the same model for any number of workers.
	Seed uint64
	// Workers is the number of goroutines the matrix products use; default 1.
	Workers int
	// Validation, if not nil, is evaluated (−ELBO and its terms) after
	// every epoch and recorded in History.
	Validation mat.Matrix
	// Progress, if not nil, is called after every epoch; returning an error
	// stops training with that error (and the model trained so far).
	Progress func(Progress) error
}

// Progress reports one finished epoch.
type Progress struct {
	Epoch, Epochs int
	Train         Terms
	Validation    Terms // zero when Config.Validation is nil
	HasValidation bool
	Elapsed       time.Duration // since training started
}

// Terms splits the loss: NegELBO = Reconstruction + KL, all in nats per
// sample. Reconstruction is −E_q[log p(x|z)] (one sample of z) and KL is
// KL(q(z|x) ‖ N(0, I)), computed analytically. For an autoencoder KL is 0.
type Terms struct {
	NegELBO        float64
	Reconstruction float64
	KL             float64
}

// Epoch is one row of the training history.
type Epoch struct {
	Epoch         int // 1-based
	Train         Terms
	Validation    Terms
	HasValidation bool
	Seconds       float64 // wall time of the epoch, validation excluded
}

// withDefaults returns c with zero fields replaced by their defaults.
func (c Config) withDefaults() Config {
	if c.Hidden == nil {
		c.Hidden = []int{400}
	}
	if c.DecoderHidden == nil {
		c.DecoderHidden = make([]int, len(c.Hidden))
		for i, h := range c.Hidden {
			c.DecoderHidden[len(c.Hidden)-1-i] = h
		}
	}
	if c.Latent == 0 {
		c.Latent = 20
	}
	if c.Variance == 0 {
		c.Variance = 1
	}
	if c.Beta == 0 {
		c.Beta = 1
	}
	if c.BatchSize == 0 {
		c.BatchSize = 128
	}
	if c.Epochs == 0 {
		c.Epochs = 10
	}
	if c.LearningRate == 0 {
		c.LearningRate = 1e-3
	}
	if c.Workers == 0 {
		c.Workers = 1
	}
	return c
}

// Validate reports the first invalid field.
func (c Config) Validate() error {
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	switch {
	case c.Input < 0:
		return fmt.Errorf("vae: Config.Input %d is negative", c.Input)
	case c.Latent < 0:
		return fmt.Errorf("vae: Config.Latent %d is negative", c.Latent)
	case c.Likelihood < Bernoulli || c.Likelihood > GaussianFixed:
		return fmt.Errorf("vae: Config.Likelihood %v is unknown", c.Likelihood)
	case c.Variance < 0 || bad(c.Variance):
		return fmt.Errorf("vae: Config.Variance %v must be positive", c.Variance)
	case c.Beta < 0 || bad(c.Beta):
		return fmt.Errorf("vae: Config.Beta %v must be non-negative and finite", c.Beta)
	case c.BatchSize < 0:
		return fmt.Errorf("vae: Config.BatchSize %d is negative", c.BatchSize)
	case c.Epochs < 0:
		return fmt.Errorf("vae: Config.Epochs %d is negative", c.Epochs)
	case c.LearningRate < 0 || bad(c.LearningRate):
		return fmt.Errorf("vae: Config.LearningRate %v must be positive", c.LearningRate)
	case c.Workers < 0:
		return fmt.Errorf("vae: Config.Workers %d is negative", c.Workers)
	}
	for i, h := range c.Hidden {
		if h <= 0 {
			return fmt.Errorf("vae: Config.Hidden[%d] = %d must be positive", i, h)
		}
	}
	for i, h := range c.DecoderHidden {
		if h <= 0 {
			return fmt.Errorf("vae: Config.DecoderHidden[%d] = %d must be positive", i, h)
		}
	}
	return nil
}
