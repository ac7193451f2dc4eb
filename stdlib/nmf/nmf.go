package nmf

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/internal/persist"
	"github.com/gonbml/gonbml/stdlib/sparse"
	"gonum.org/v1/gonum/mat"
)

// Model is a fitted factorisation X ≈ W·H.
type Model struct {
	// W is rows×k: the weight of each component in each sample.
	W *mat.Dense
	// H is k×cols: the components (scikit-learn's components_).
	H *mat.Dense
	// NIter is the number of iterations run.
	NIter int
	// ReconstructionErr is ‖X − WH‖_F for the Frobenius loss, else
	// sqrt(2·divergence), as scikit-learn's reconstruction_err_.
	ReconstructionErr float64
	// Converged reports that the Tol test stopped the fit before MaxIter.
	Converged bool
	// History holds the error (same unit as ReconstructionErr) at init and
	// after each iteration: len(History) == NIter+1.
	History []float64
	// Config is the configuration the model was fitted with (without W, H
	// and Progress); Transform uses its solver and regularisation.
	Config Config
}

// problem is a validated input in CSR form plus derived constants.
type problem struct {
	x         *sparse.CSR
	m, n, k   int
	workers   int
	normX2    float64 // Σ x²
	sumX      float64 // Σ x
	allPos    bool    // every entry is stored and > 0 (needed by Itakura-Saito)
	maxRowNNZ int
}

// ErrBadInput is wrapped by every error about the data matrix.
var ErrBadInput = errors.New("nmf: bad input")

// ErrDiverged is wrapped by the error of a fit whose error became NaN or
// infinite or exploded (fit.Diverged: above ten times the error at init);
// the message names the iteration. The partial model is returned with it.
var ErrDiverged = errors.New("nmf: diverged")

// newProblem converts X to CSR (a *sparse.CSR is used as is, never
// densified; any other matrix keeps only its non-zero entries) and checks
// that it is finite and non-negative.
func newProblem(X mat.Matrix, workers int) (*problem, error) {
	if X == nil {
		return nil, fmt.Errorf("%w: X is nil", ErrBadInput)
	}
	var x *sparse.CSR
	switch v := X.(type) {
	case *sparse.CSR:
		x = v
	default:
		var err error
		if x, err = sparse.FromDense(X); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadInput, err)
		}
	}
	m, n := x.Dims()
	if m == 0 || n == 0 {
		return nil, fmt.Errorf("%w: X is %d×%d, want at least one row and column", ErrBadInput, m, n)
	}
	p := &problem{x: x, m: m, n: n, workers: fit.Workers(workers)}
	for i := 0; i < m; i++ {
		lo, hi := x.Indptr[i], x.Indptr[i+1]
		p.maxRowNNZ = max(p.maxRowNNZ, hi-lo)
		for q := lo; q < hi; q++ {
			v := x.Data[q]
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				what := "negative"
				if v >= 0 || math.IsNaN(v) {
					what = "non-finite"
				}
				return nil, fmt.Errorf("%w: %s value %v at row %d, column %d", ErrBadInput, what, v, i, x.Indices[q])
			}
			p.normX2 += v * v
			p.sumX += v
		}
	}
	if p.sumX == 0 {
		return nil, fmt.Errorf("%w: X is all zeros", ErrBadInput)
	}
	p.allPos = x.NNZ() == m*n
	if p.allPos {
		for _, v := range x.Data {
			if v == 0 {
				p.allPos = false
				break
			}
		}
	}
	return p, nil
}

func (p *problem) mean() float64 { return p.sumX / (float64(p.m) * float64(p.n)) }

// Fit factorises X (rows are samples, columns features; any mat.Matrix, or
// a *sparse.CSR that is used without densifying) and returns the model.
// Bad input (negative, NaN or Inf entries, an all-zero X, Components out of
// range, a loss the solver does not support, custom W or H of the wrong
// shape) returns an error. Cancelling ctx, or a Progress callback returning
// an error, stops the fit after the current iteration and returns the
// partial model with ctx.Err() (or the callback's error).
func (c Config) Fit(ctx context.Context, X mat.Matrix) (*Model, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	p, err := newProblem(X, c.Workers)
	if err != nil {
		return nil, err
	}
	cfg := c.withDefaults()
	k, err := components(cfg, p)
	if err != nil {
		return nil, err
	}
	p.k = k
	if cfg.Loss == ItakuraSaito && !p.allPos {
		return nil, fmt.Errorf("%w: the Itakura-Saito loss needs every entry of X > 0 (the solver may diverge on zeros, as scikit-learn warns)", ErrBadInput)
	}
	w, ht, err := initialize(p, cfg)
	if err != nil {
		return nil, err
	}
	s := newSolver(p, cfg, w, ht, true)
	runErr := s.run(ctx)
	model := s.model()
	model.Config = c
	model.Config.W, model.Config.H, model.Config.Progress = nil, nil, nil
	model.Config.Components = k
	return model, runErr
}

// Start returns the W (rows×k) and H (k×cols) that Fit would start from:
// the chosen initialisation without any iteration. It checks X and the
// configuration as Fit does. Use it to give two solvers (or scikit-learn)
// the same start, through InitCustom.
func (c Config) Start(X mat.Matrix) (W, H *mat.Dense, err error) {
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	p, err := newProblem(X, c.Workers)
	if err != nil {
		return nil, nil, err
	}
	cfg := c.withDefaults()
	if p.k, err = components(cfg, p); err != nil {
		return nil, nil, err
	}
	w, ht, err := initialize(p, cfg)
	if err != nil {
		return nil, nil, err
	}
	H = mat.NewDense(p.k, p.n, nil)
	for j := 0; j < p.n; j++ {
		for r := 0; r < p.k; r++ {
			H.Set(r, j, ht[j*p.k+r])
		}
	}
	return mat.NewDense(p.m, p.k, w), H, nil
}

// components resolves Config.Components against the shape of X.
func components(cfg Config, p *problem) (int, error) {
	k := cfg.Components
	if k == 0 {
		k = min(p.m, p.n)
	}
	if k > min(p.m, p.n) {
		return 0, fit.BadConfig(ErrBadConfig, "Components", k, fmt.Sprintf("at most min(rows, cols) = %d", min(p.m, p.n)))
	}
	return k, nil
}

// Transform returns W for new data X with the components H fixed, solving
// with the model's solver, loss and regularisation as scikit-learn's
// transform does (MU starts from sqrt(mean(X)/k), CD and HALS from zero).
// X must have the same number of columns as H.
func (m *Model) Transform(ctx context.Context, X mat.Matrix) (*mat.Dense, error) {
	if m == nil || m.H == nil {
		return nil, errors.New("nmf: Transform on an unfitted model")
	}
	cfg := m.Config
	p, err := newProblem(X, cfg.Workers)
	if err != nil {
		return nil, err
	}
	k, n := m.H.Dims()
	if p.n != n {
		return nil, fmt.Errorf("%w: X has %d columns, the model %d", ErrBadInput, p.n, n)
	}
	p.k = k
	cfg = cfg.withDefaults()
	if cfg.Loss == ItakuraSaito && !p.allPos {
		return nil, fmt.Errorf("%w: the Itakura-Saito loss needs every entry of X > 0", ErrBadInput)
	}
	w := make([]float64, p.m*k)
	if cfg.Solver == MU {
		avg := math.Sqrt(p.mean() / float64(k))
		for i := range w {
			w[i] = avg
		}
	}
	ht := make([]float64, n*k)
	for r := 0; r < k; r++ {
		for j := 0; j < n; j++ {
			ht[j*k+r] = m.H.At(r, j)
		}
	}
	s := newSolver(p, cfg, w, ht, false)
	err = s.run(ctx)
	if err == nil {
		for _, v := range s.w {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				err = fmt.Errorf("%w: Transform's W holds %v", ErrDiverged, v)
				break
			}
		}
	}
	return mat.NewDense(p.m, k, s.w), err
}

// InverseTransform returns W·H, the reconstruction of the data from
// weights W (rows×k).
func (m *Model) InverseTransform(W mat.Matrix) (*mat.Dense, error) {
	if m == nil || m.H == nil {
		return nil, errors.New("nmf: InverseTransform on an unfitted model")
	}
	k, _ := m.H.Dims()
	if _, c := W.Dims(); c != k {
		return nil, fmt.Errorf("%w: W has %d columns, the model %d components", ErrBadInput, c, k)
	}
	var out mat.Dense
	out.Mul(W, m.H)
	return &out, nil
}

// TopTerms returns, for each component, the n feature names with the
// largest weights in H, largest first (ties keep feature order).
func (m *Model) TopTerms(featureNames []string, n int) ([][]string, error) {
	if m == nil || m.H == nil {
		return nil, errors.New("nmf: TopTerms on an unfitted model")
	}
	k, cols := m.H.Dims()
	if len(featureNames) != cols {
		return nil, fmt.Errorf("%w: %d feature names for %d columns", ErrBadInput, len(featureNames), cols)
	}
	if n < 0 {
		return nil, fmt.Errorf("%w: n = %d, want ≥ 0", ErrBadInput, n)
	}
	n = min(n, cols)
	out := make([][]string, k)
	order := make([]int, cols)
	for r := 0; r < k; r++ {
		row := m.H.RawRowView(r)
		for j := range order {
			order[j] = j
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(row[b], row[a]) })
		out[r] = make([]string, n)
		for t := 0; t < n; t++ {
			out[r][t] = featureNames[order[t]]
		}
	}
	return out, nil
}

// codec is the model's file format: kind nmf.Model, version 1 (see
// stdlib/internal/persist); check rejects a corrupt file. Version 1 is the
// first with a header; files from before it (bare gob) fail to load with an
// error saying they are not gonbml model files. Saved: W, H, the fit's
// history and its Config without the starting W, H and Progress.
var codec = persist.Codec[Model]{Pkg: "nmf", Kind: "nmf.Model", Version: 1, Check: (*Model).check}

// Save writes the model in the stdlib's versioned model format.
func (m *Model) Save(w io.Writer) error { return codec.Save(w, m) }

// SaveFile writes the model to path atomically (see Save).
func (m *Model) SaveFile(path string) error { return codec.SaveFile(path, m) }

// Load reads a model written by Save. A file of another kind or format
// version fails with an error naming what it holds.
func Load(r io.Reader) (*Model, error) { return codec.Load(r) }

// LoadFile reads a model saved with SaveFile.
func LoadFile(path string) (*Model, error) { return codec.LoadFile(path) }

// check reports a model without factors or with factors of mismatched
// shapes (a corrupt file).
func (m *Model) check() error {
	if m == nil || m.W == nil || m.H == nil {
		return errors.New("nmf: model has no W or H")
	}
	_, k := m.W.Dims()
	if hk, _ := m.H.Dims(); hk != k {
		return fmt.Errorf("nmf: W has %d columns but H %d rows", k, hk)
	}
	return nil
}
