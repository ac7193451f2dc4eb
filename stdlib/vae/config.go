package vae

import (
	"fmt"
	"math"
	"time"

	"github.com/gonbml/gonbml/stdlib/fit"
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
// value is valid: a 784-400-20 Bernoulli VAE like the PyTorch example, when
// X has 784 columns.
type Config struct {
	// Input is the number of columns of X. Default (0): taken from X; when
	// set, X must have exactly this many columns.
	Input int
	// Hidden lists the encoder's hidden layer widths (ReLU). Default (nil):
	// [400]. An empty non-nil slice means no hidden layer.
	Hidden []int
	// DecoderHidden lists the decoder's hidden widths. Default (nil): Hidden
	// reversed.
	DecoderHidden []int
	// Latent is the size of z. Default (0): 20.
	Latent int
	// Likelihood is p(x|z). Default (0): Bernoulli, which needs X in [0, 1].
	Likelihood Likelihood
	// Variance is the fixed variance of GaussianFixed. Default (0): 1.
	Variance float64
	// Beta weights the KL term in the loss (β-VAE). Default (0): 1, the
	// ELBO. Off (fit.Off): β = 0, so the KL term is still computed and
	// reported but does not pull q(z|x) towards the prior.
	Beta float64
	// BatchSize is the mini-batch size. Default (0): 128.
	BatchSize int
	// Epochs is the number of passes over X. Default (0): 10.
	Epochs int
	// LearningRate is Adam's step size. Default (0): 1e-3.
	LearningRate float64
	// Seed seeds initialisation, shuffling and ε; 0 is a seed like any
	// other. The same seed gives the same model for any number of Workers
	// (the products split columns, never a sum).
	Seed uint64
	// Workers is the number of goroutines the matrix products use.
	// Default (0): GOMAXPROCS.
	Workers int
	// Validation, if not nil, is evaluated (−ELBO and its terms) after
	// every epoch and recorded in History and the progress metrics.
	Validation mat.Matrix
	// Progress, if not nil, receives one event per epoch (Unit "epoch";
	// Loss is the training −ELBO in nats per sample; Metrics "recon" and
	// "kl" are its terms and, with Validation set, "validation" is the
	// validation −ELBO) and a final event whose Status says how training
	// ended ("finished 10 epochs", "stopped: …"). Returning an error stops
	// training with that error (and the model trained so far).
	Progress fit.Func
	// ProgressInterval is the least time between two progress events (the
	// first and the final event always go out). Default (0):
	// fit.DefaultInterval, 250 ms. Off: every epoch.
	ProgressInterval time.Duration
}

// Progress metric names (keys of fit.Progress.Metrics).
const (
	MetricReconstruction = "recon"      // training reconstruction term
	MetricKL             = "kl"         // training KL term
	MetricValidation     = "validation" // validation −ELBO (with Config.Validation)
)

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

// withDefaults returns c with zero fields replaced by their defaults and
// Off fields by zero.
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
	c.Latent = fit.Or(c.Latent, 20)
	c.Variance = fit.Or(c.Variance, 1)
	c.Beta = fit.Or(c.Beta, 1)
	c.BatchSize = fit.Or(c.BatchSize, 128)
	c.Epochs = fit.Or(c.Epochs, 10)
	c.LearningRate = fit.Or(c.LearningRate, 1e-3)
	c.Workers = fit.Workers(c.Workers)
	return c
}

// Validate returns the first invalid field, wrapping ErrBadConfig.
func (c Config) Validate() error {
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	e := func(field string, v any, want string) error { return fit.BadConfig(ErrBadConfig, field, v, want) }
	switch {
	case c.Input < 0:
		return e("Input", c.Input, "0 (from X) or more")
	case c.Latent < 0:
		return e("Latent", c.Latent, "0 (default 20) or more")
	case c.Likelihood < Bernoulli || c.Likelihood > GaussianFixed:
		return e("Likelihood", c.Likelihood, "Bernoulli, Gaussian or GaussianFixed")
	case c.Variance < 0 || bad(c.Variance):
		return e("Variance", c.Variance, "a positive number (0: 1)")
	case bad(c.Beta):
		return e("Beta", c.Beta, "a finite number (0: 1, fit.Off: 0)")
	case c.BatchSize < 0:
		return e("BatchSize", c.BatchSize, "0 (default 128) or more")
	case c.Epochs < 0:
		return e("Epochs", c.Epochs, "0 (default 10) or more")
	case c.LearningRate < 0 || bad(c.LearningRate):
		return e("LearningRate", c.LearningRate, "a positive number (0: 1e-3)")
	case c.Workers < 0:
		return e("Workers", c.Workers, "0 (GOMAXPROCS) or more")
	}
	for i, h := range c.Hidden {
		if h <= 0 {
			return e(fmt.Sprintf("Hidden[%d]", i), h, "at least 1")
		}
	}
	for i, h := range c.DecoderHidden {
		if h <= 0 {
			return e(fmt.Sprintf("DecoderHidden[%d]", i), h, "at least 1")
		}
	}
	return nil
}
