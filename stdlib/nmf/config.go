package nmf

import (
	"errors"
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/mat"
)

// Solver selects the optimisation algorithm.
type Solver int

const (
	// CD is coordinate descent as in scikit-learn's solver='cd' (the
	// default there and here): each sweep updates every entry of W, then of
	// H, to its exact minimiser; stops when the projected-gradient violation
	// falls below Tol times the first sweep's. Frobenius loss only.
	CD Solver = iota
	// MU is the multiplicative update of Lee and Seung (the article's rule),
	// for every Loss; scikit-learn's solver='mu'.
	MU
	// HALS is hierarchical alternating least squares (the article's
	// column-wise closed-form update), accelerated by repeating the cheap
	// inner sweeps InnerIter times per product with X. Frobenius loss only.
	HALS
)

func (s Solver) String() string {
	switch s {
	case CD:
		return "cd"
	case MU:
		return "mu"
	case HALS:
		return "hals"
	}
	return fmt.Sprintf("Solver(%d)", int(s))
}

// ParseSolver returns the solver named "cd", "mu" or "hals".
func ParseSolver(name string) (Solver, error) {
	for _, s := range []Solver{CD, MU, HALS} {
		if s.String() == name {
			return s, nil
		}
	}
	return 0, fmt.Errorf("nmf: unknown solver %q (want cd, mu or hals)", name)
}

// Loss selects the beta-divergence minimised, as scikit-learn's beta_loss.
type Loss int

const (
	// Frobenius is ½‖X − WH‖²_F (beta = 2), the default.
	Frobenius Loss = iota
	// KullbackLeibler is the generalised KL divergence (beta = 1); MU only.
	KullbackLeibler
	// ItakuraSaito is the IS divergence (beta = 0); MU only, and X must be
	// strictly positive everywhere (as scikit-learn requires).
	ItakuraSaito
)

func (l Loss) String() string {
	switch l {
	case Frobenius:
		return "frobenius"
	case KullbackLeibler:
		return "kullback-leibler"
	case ItakuraSaito:
		return "itakura-saito"
	}
	return fmt.Sprintf("Loss(%d)", int(l))
}

func (l Loss) beta() float64 { return [...]float64{2, 1, 0}[l] }

// Init selects how W and H start.
type Init int

const (
	// InitAuto is scikit-learn 1.2's init=None: NNDSVDA (Components never
	// exceeds min(rows, cols) here, so the random fallback never applies).
	InitAuto Init = iota
	// InitRandom draws |N(0,1)|·sqrt(mean(X)/Components), seeded by Seed.
	InitRandom
	// InitNNDSVD is Boutsidis and Gallopoulos' nonnegative double SVD on a
	// randomized truncated SVD; it leaves zeros (good for sparse results,
	// but MU cannot move them).
	InitNNDSVD
	// InitNNDSVDA is NNDSVD with zeros replaced by mean(X).
	InitNNDSVDA
	// InitNNDSVDAR is NNDSVD with zeros replaced by small random values
	// |N(0,1)|·mean(X)/100.
	InitNNDSVDAR
	// InitCustom starts from Config.W and Config.H (both required).
	InitCustom
)

func (i Init) String() string {
	switch i {
	case InitAuto:
		return "auto"
	case InitRandom:
		return "random"
	case InitNNDSVD:
		return "nndsvd"
	case InitNNDSVDA:
		return "nndsvda"
	case InitNNDSVDAR:
		return "nndsvdar"
	case InitCustom:
		return "custom"
	}
	return fmt.Sprintf("Init(%d)", int(i))
}

// Progress reports a running fit after an iteration.
type Progress struct {
	// Iter is the number of completed iterations, MaxIter the limit.
	Iter, MaxIter int
	// Err is the latest ‖X − WH‖_F (or sqrt(2·divergence) for beta losses).
	Err float64
	// Elapsed is the time since Fit started.
	Elapsed time.Duration
}

// Config describes a factorisation X ≈ W·H. The zero value is valid:
// coordinate descent, Frobenius loss, NNDSVDA init, min(rows, cols)
// components, 200 iterations, tolerance 1e-4, no regularisation.
type Config struct {
	// Components is k, the number of components (columns of W, rows of
	// H). Default (0): min(rows, cols). It must not exceed min(rows, cols).
	Components int
	// Solver is the algorithm. Default: CD (as scikit-learn).
	Solver Solver
	// Loss is the divergence minimised. Default: Frobenius. CD and HALS
	// support only Frobenius.
	Loss Loss
	// Init chooses the starting W and H. Default: InitAuto (NNDSVDA).
	Init Init
	// W and H are the starting matrices for InitCustom (rows×k and k×cols,
	// non-negative); they are copied, never modified.
	W, H *mat.Dense
	// MaxIter is the maximum number of iterations. Default (0): 200. For
	// the starting W and H alone, use Config.Start.
	MaxIter int
	// Tol is the stopping tolerance, tested as scikit-learn does: MU and
	// HALS stop when, at an iteration that is a multiple of 10, the error
	// fell by less than Tol·(error at init) since the previous test; CD
	// stops when the sum of projected-gradient violations of a sweep is at
	// most Tol times the first sweep's. Default (0): 1e-4. A negative value
	// disables the test, so exactly MaxIter iterations run (scikit-learn's
	// tol=0).
	Tol float64
	// AlphaW is the regularisation strength on W. Default: 0. As in
	// scikit-learn, it is scaled by the number of columns (features):
	// the penalty is cols·AlphaW·(L1Ratio·‖W‖₁ + ½(1−L1Ratio)‖W‖²_F).
	AlphaW float64
	// AlphaH is the regularisation strength on H, scaled by the number of
	// rows (samples). Default (nil): the same value as AlphaW.
	AlphaH *float64
	// L1Ratio mixes the L1 (1) and L2 (0) penalties. Default: 0.
	L1Ratio float64
	// Shuffle randomises the order of the coordinates in each CD sweep.
	// Default: false (cyclic, as scikit-learn).
	Shuffle bool
	// InnerIter is the number of inner sweeps per HALS update. Default
	// (0): 3.
	InnerIter int
	// Seed seeds the random init, NNDSVD's randomized SVD and Shuffle.
	// Default: 0. The same seed gives the same result with Workers = 1;
	// with more workers results may differ in the last bits.
	Seed uint64
	// Workers is the number of goroutines for the products. Default (0):
	// GOMAXPROCS.
	Workers int
	// Progress, if set, is called after iterations, at most every
	// ProgressInterval and after the last one; returning an error stops
	// the fit, which then returns the partial model and that error.
	Progress func(Progress) error
	// ProgressInterval throttles Progress. Default (0): 250 ms.
	ProgressInterval time.Duration
}

// ErrBadConfig is wrapped by every error Validate returns.
var ErrBadConfig = errors.New("nmf: bad config")

// Validate reports the first invalid field, naming it. It does not know X,
// so the checks that need its shape run in Fit.
func (c Config) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrBadConfig, fmt.Sprintf(format, args...))
	}
	switch {
	case c.Components < 0:
		return bad("Components = %d, want ≥ 1 (or 0 for the default)", c.Components)
	case c.Solver < CD || c.Solver > HALS:
		return bad("unknown Solver %d", int(c.Solver))
	case c.Loss < Frobenius || c.Loss > ItakuraSaito:
		return bad("unknown Loss %d", int(c.Loss))
	case c.Loss != Frobenius && c.Solver != MU:
		return bad("Solver %v does not support Loss %v (only MU does)", c.Solver, c.Loss)
	case c.Init < InitAuto || c.Init > InitCustom:
		return bad("unknown Init %d", int(c.Init))
	case c.Init == InitCustom && (c.W == nil || c.H == nil):
		return bad("Init custom needs both W and H")
	case c.Init != InitCustom && (c.W != nil || c.H != nil):
		return bad("W and H are set but Init is %v, not custom", c.Init)
	case c.MaxIter < 0:
		return bad("MaxIter = %d, want ≥ 0", c.MaxIter)
	case math.IsNaN(c.Tol):
		return bad("Tol is NaN")
	case c.AlphaW < 0 || math.IsNaN(c.AlphaW) || math.IsInf(c.AlphaW, 0):
		return bad("AlphaW = %v, want a finite value ≥ 0", c.AlphaW)
	case c.AlphaH != nil && (*c.AlphaH < 0 || math.IsNaN(*c.AlphaH) || math.IsInf(*c.AlphaH, 0)):
		return bad("AlphaH = %v, want a finite value ≥ 0", *c.AlphaH)
	case !(c.L1Ratio >= 0 && c.L1Ratio <= 1):
		return bad("L1Ratio = %v, want a value in [0, 1]", c.L1Ratio)
	case c.InnerIter < 0:
		return bad("InnerIter = %d, want ≥ 0", c.InnerIter)
	case c.Workers < 0:
		return bad("Workers = %d, want ≥ 0", c.Workers)
	case c.ProgressInterval < 0:
		return bad("ProgressInterval = %v, want ≥ 0", c.ProgressInterval)
	}
	return nil
}

// withDefaults fills the defaulted fields.
func (c Config) withDefaults() Config {
	if c.MaxIter == 0 {
		c.MaxIter = 200
	}
	if c.Tol == 0 {
		c.Tol = 1e-4
	} else if c.Tol < 0 {
		c.Tol = 0
	}
	if c.InnerIter == 0 {
		c.InnerIter = 3
	}
	if c.ProgressInterval == 0 {
		c.ProgressInterval = 250 * time.Millisecond
	}
	if c.Init == InitAuto {
		c.Init = InitNNDSVDA
	}
	return c
}
