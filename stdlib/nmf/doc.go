// Package nmf factorises a non-negative matrix X (rows are samples or
// documents, columns features or terms) as X ≈ W·H with W, H ≥ 0, the way
// scikit-learn's NMF does, on dense matrices or on a sparse.CSR without
// densifying it.
//
// # Overview
//
// A Config describes the factorisation; its zero value is scikit-learn's
// default (coordinate descent, Frobenius loss, NNDSVDA init, 200
// iterations, tolerance 1e-4). Config.Fit(ctx, X) returns a Model with W,
// H (the components), NIter, ReconstructionErr, Converged and the error
// History. Model.Transform solves for W with H fixed, InverseTransform
// returns W·H and TopTerms names the strongest features of each component.
//
//	model, err := nmf.Config{Components: 20, Solver: nmf.MU}.Fit(ctx, tfidf)
//
// # Solvers
//
// MU is Lee and Seung's multiplicative update with scikit-learn's beta
// losses (Frobenius, Kullback-Leibler, Itakura-Saito), its epsilon guards
// and its exponent 1/(2−β) for β < 1. CD is scikit-learn's coordinate
// descent (Cichocki and Phan's fast HALS, entry by entry, with an optional
// shuffled order). HALS updates each column of W (then row of H) to its
// closed-form optimum, repeating the cheap inner sweeps InnerIter times per
// pass over X, and stops on the relative decrease of the error as MU does.
// From the same W and H, MU and CD follow scikit-learn's iterates up to
// rounding.
//
// # Initialisation
//
// InitRandom scales |N(0,1)| draws by sqrt(mean(X)/k); InitNNDSVD,
// InitNNDSVDA (the default, as scikit-learn 1.2's init=None) and
// InitNNDSVDAR start from a randomized truncated SVD (10 oversamples, 4 or 7
// power iterations, as scikit-learn) computed with the sparse products;
// InitCustom starts from given W and H. The random draws come from
// math/rand/v2 seeded by Config.Seed, so they differ from numpy's.
//
// # Progress, divergence and saving
//
// Config.Progress receives fit.Progress events (throttled by
// ProgressInterval) and always a final one whose Status says how the fit
// ended: "converged at iteration 60", "finished 200 iterations" or
// "stopped: <error>". A fit whose error becomes non-finite or rises above
// ten times its value at init (fit.Diverged) stops with ErrDiverged naming
// the iteration; the beta-loss MU updates can do that on badly scaled
// starts. Model.Save/SaveFile and Load/LoadFile use the stdlib's versioned
// model files (stdlib/internal/persist).
//
// # Regularisation
//
// AlphaW, AlphaH (0: same as AlphaW; fit.Off: none) and L1Ratio follow scikit-learn ≥
// 1.0: the W penalty is multiplied by the number of features and the H
// penalty by the number of samples.
//
// # Performance
//
// Every product with X runs row by row through the gather and scatter
// kernels of stdlib/internal/kern (AVX2 on amd64) over row blocks in Config.Workers
// goroutines, fused with the update so no m×k temporary is formed; Xᵀ·W
// gathers over a transposed copy of X made once per fit (one more copy of
// X in memory, and no per-worker accumulators); CD and HALS sweeps update a
// gradient vector incrementally, so entries stuck at zero cost nothing; dense
// input is converted once to CSR of its non-zero entries, so mostly-zero
// dense data (images) costs only its non-zeros. The error History of the
// Frobenius loss is obtained from quantities the updates compute anyway.
// With more than one worker results are deterministic for a given count but
// may differ from one worker in the last bits.
//
// # Errors
//
// Negative, NaN or Inf entries, an all-zero X, Components above
// min(rows, cols), a loss the solver does not support, and custom W/H of
// the wrong shape return errors wrapping ErrBadInput or ErrBadConfig.
// All-zero rows or columns are fine (their factors go to zero, never NaN).
// Cancelling the context returns the partial model and ctx.Err().
package nmf
