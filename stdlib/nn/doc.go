// Package nn is a small float32 neural-network toolkit: dense layers, a GRU
// cell, activations, losses, Adam and SGD, seeded initialisation, a fast
// matrix product and a finite-difference gradient checker. It is the shared
// base of stdlib/vae and stdlib/embed, not a general deep-learning framework.
//
// # Data orientation
//
// A Matrix is row-major float32. Rows are samples (a mini-batch), columns are
// features, as in scikit-learn and gonum. A Dense layer stores its weights
// In×Out, so a forward pass is y = x·W + b on a batch x of shape n×In.
//
// # Backward passes: hand-written, not a tape
//
// Every layer and loss has an explicit Backward that takes the layer input
// and the gradient of its output. We chose this over a reverse-mode tape
// because the models here are fixed and shallow (a VAE is five dense layers,
// skip-thought a GRU): each gradient is a few lines that read like the
// equations in the article, a model owns and reuses every buffer across
// batches (no per-op allocation or graph bookkeeping, which matters at the
// speeds of the fused float32 kernels), and the fused forms (σ(l) − t for
// cross-entropy with logits, the reparameterised KL terms) are written once
// in closed form rather than composed from primitives. The price is that
// each new layer needs its own Backward, so each one is covered by
// CheckGradient in the tests.
//
// # Speed
//
// MatMul is a cache-blocked float32 product: panels of the operands are
// packed into contiguous slivers and a register-tiled micro-kernel
// accumulates an 8×32 (AVX-512) or 6×16 (AVX2+FMA) tile of the result with
// fused multiply-adds, written in Go assembly for amd64. Other CPUs, and
// builds with the purego tag, use a portable Go micro-kernel with the same
// packing. Transposed operands are handled by the packing, so xᵀ·dy and
// dy·Wᵀ need no explicit transpose (MatMulOptions.TransA, TransB).
// MatMulOptions.Workers splits a product's columns between goroutines;
// results do not depend on the number of workers.
//
// # Invariants and errors
//
// Shapes are the caller's responsibility: a mismatched shape is a programmer
// error and panics with a message naming both shapes. Data errors (NaN
// inputs, out-of-range targets) are checked by the models that use nn, which
// return errors. Randomness comes only from the *rand.Rand a caller passes.
package nn
