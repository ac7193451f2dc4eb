// Package vae trains variational autoencoders (Kingma and Welling 2014) and
// plain autoencoders on the rows of a matrix, and exposes the pieces of the
// math the articles walk through: the encoder's q(z|x) = N(μ, diag σ²), the
// reparameterisation z = μ + σ ⊙ ε, the analytic KL term, the ELBO split
// into its two terms, and the importance-weighted estimate of log p(x).
//
// # Model
//
// The encoder is a stack of dense ReLU layers (Config.Hidden) followed by
// two linear heads for μ and log σ²; the decoder mirrors it
// (Config.DecoderHidden) and outputs the parameters of p(x|z): Bernoulli
// logits for data in [0, 1] (MNIST pixels), or Gaussian means with a
// learned or fixed variance. Training minimises, per mini-batch mean,
//
//	−ELBO = −E_q[log p(x|z)] + β·KL(q(z|x) ‖ N(0, I))
//
// with one sample z per row and Adam. The KL term is
// −½ Σ (1 + log σ² − μ² − σ²), in closed form. β = 1 (Config.Beta's
// default) is the ELBO; Beta: fit.Off trains with β = 0 (the KL is still
// reported). An Autoencoder has the same layers but a single deterministic
// code and the reconstruction loss alone.
//
//	m, err := vae.Config{Latent: 2}.Fit(ctx, X)             // *vae.Model
//	a, err := vae.Config{Latent: 2}.FitAutoencoder(ctx, X)  // *vae.Autoencoder
//
// # The math, computed
//
// For a model with a 2-D code, Model.Posterior evaluates the true posterior
// p(z|x) on a grid and from it log p(x) and KL(q(z|x) ‖ p(z|x)) by
// quadrature, so log p(x) = ELBO + KL(q(z|x) ‖ p(z|x)) can be checked term
// by term against Model.SampledELBO (which has a standard error).
// LatentGrid and GridCounts lay out the decoded-grid picture and count its
// holes. Model.SampledKL, Model.LogWeights (codes from the encoder or from
// the prior), EffectiveSampleSize and LogMeanExp are the importance
// sampling pieces; ReparamGradient and ScoreGradient compare the
// reparameterisation trick with the score-function (REINFORCE) estimator
// on a function whose gradient is known. A Judge (JudgeConfig.Fit) is a
// k-nearest-neighbour classifier of real images that says what a
// reconstruction or sample shows, how sure the vote is and how far it is
// from the nearest real image.
//
// # Data orientation
//
// Rows are samples and columns are features (pixels), as in scikit-learn.
// Inputs are gonum mat.Matrix values and are never modified; outputs are
// *mat.Dense. Computation is float32 internally (see stdlib/nn).
//
// # Reproducibility and speed
//
// Initialisation, shuffling and the noise ε come from PCG sources seeded by
// Config.Seed, one stream per use. Config.Workers (default GOMAXPROCS)
// splits the matrix products between goroutines by columns, never a sum, so
// the same seed gives the same model for any number of workers. The 784-400-20 model trains on 9,000 MNIST digits with about half
// the CPU time per epoch of PyTorch 1.13 on one thread, to the same test
// −ELBO (bench/vae/RESULTS.md).
//
// # Errors
//
// Bad input returns an error wrapping ErrBadInput that names the problem: a
// wrong column count, NaN or infinite values (with row and column), values
// outside [0, 1] under the Bernoulli likelihood. Invalid Config fields wrap
// ErrBadConfig and name the field. A loss that turns NaN or infinite, or
// grows past tenfold its first value (fit.Diverged), stops training with an
// error wrapping ErrDiverged that names the epoch and batch; the model
// returned with it holds the weights of the last finished epoch. Cancelling
// the context, or an error from Config.Progress, returns the model trained
// so far with that error. No method returns a NaN or infinite result with a
// nil error: a model whose weights overflow float32 on an input returns an
// error wrapping fit.ErrNonFinite.
//
// # Progress
//
// Config.Progress receives a fit.Progress per epoch (throttled by
// Config.ProgressInterval): Loss is the training −ELBO, Metrics hold
// "recon", "kl" and, with Config.Validation, "validation" (the validation
// −ELBO). The last event is final (Done) with a Status: "finished 10
// epochs", or "stopped: …" with the error. chart.Track draws it.
//
// # Saving
//
// Models save with Save/Load and SaveFile/LoadFile (atomic), autoencoders
// with Save/LoadAutoencoder and SaveFile/LoadAutoencoderFile, judges with
// Save/LoadJudge and SaveFile/LoadJudgeFile, in
// stdlib/internal/persist's format: a header line naming the kind and
// format version ("gonbml vae.Model v1"), then gob. A file of another
// version fails with an error naming it.
package vae
