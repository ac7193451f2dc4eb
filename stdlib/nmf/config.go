package nmf

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gonbml/gonbml/stdlib/fit"
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

// Config describes a factorisation X ≈ W·H. The zero value is valid:
// coordinate descent, Frobenius loss, NNDSVDA init, min(rows, cols)
// components, 200 iterations, tolerance 1e-4, no regularisation.
type Config struct {
	// Components is k, the number of components (columns of W, rows of
	// H). Default (0): min(rows, cols). It must not exceed min(rows, cols).
	Components int
	// Solver is the algorithm. Default (0): CD (as scikit-learn).
	Solver Solver
	// Loss is the divergence minimised. Default (0): Frobenius. CD and HALS
	// support only Frobenius.
	Loss Loss
	// Init chooses the starting W and H. Default (0): InitAuto (NNDSVDA).
	Init Init
	// W and H are the starting matrices for InitCustom (rows×k and k×cols,
	// non-negative); they are copied, never modified. Default (nil): none.
	W, H *mat.Dense
	// MaxIter is the maximum number of iterations. Default (0): 200. For
	// the starting W and H alone, use Config.Start.
	MaxIter int
	// Tol is the stopping tolerance, tested as scikit-learn does: MU and
	// HALS stop when, at an iteration that is a multiple of 10, the error
	// fell by less than Tol·(error at init) since the previous test; CD
	// stops when the sum of projected-gradient violations of a sweep is at
	// most Tol times the first sweep's. Default (0): 1e-4. Off (fit.Off):
	// no test, so exactly MaxIter iterations run (scikit-learn's tol=0).
	Tol float64
	// AlphaW is the regularisation strength on W. Default (0): none. As in
	// scikit-learn, it is scaled by the number of columns (features):
	// the penalty is cols·AlphaW·(L1Ratio·‖W‖₁ + ½(1−L1Ratio)‖W‖²_F).
	AlphaW float64
	// AlphaH is the regularisation strength on H, scaled by the number of
	// rows (samples). Default (0): the same value as AlphaW (scikit-learn's
	// alpha_H='same'). Off (fit.Off): no penalty on H whatever AlphaW is.
	AlphaH float64
	// L1Ratio mixes the L1 (1) and L2 (0) penalties. Default (0): L2 only.
	L1Ratio float64
	// Shuffle randomises the order of the coordinates in each CD sweep.
	// Default (false): cyclic, as scikit-learn.
	Shuffle bool
	// InnerIter is the number of inner sweeps per HALS update. Default
	// (0): 3.
	InnerIter int
	// Seed seeds the random init, NNDSVD's randomized SVD and Shuffle.
	// Default (0): seed 0, a seed like any other. The same seed gives the same result with Workers = 1;
	// with more workers results may differ in the last bits.
	Seed uint64
	// Workers is the number of goroutines for the products. Default (0):
	// GOMAXPROCS.
	Workers int
	// Progress, if set, receives fit.Progress events (Unit "iteration",
	// Step the iterations done, Total MaxIter, Loss the error in the unit
	// of Model.ReconstructionErr, no Metrics) at most every
	// ProgressInterval, and always a final one whose Status says how the
	// fit ended ("converged at iteration 60", "finished 200 iterations",
	// "stopped: …"). Returning an error stops the fit, which then returns
	// the partial model and that error. Default (nil): no reports.
	Progress fit.Func
	// ProgressInterval throttles Progress. Default (0): fit.DefaultInterval,
	// 250 ms. Off (fit.Off): every iteration.
	ProgressInterval time.Duration
}

// ErrBadConfig is wrapped by every error Validate returns.
var ErrBadConfig = errors.New("nmf: bad config")

// Validate reports the first invalid field, naming it. It does not know X,
// so the checks that need its shape run in Fit.
func (c Config) Validate() error {
	bad := func(field string, v any, want string) error { return fit.BadConfig(ErrBadConfig, field, v, want) }
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case c.Components < 0:
		return bad("Components", c.Components, "at least 1 (or 0 for the default)")
	case c.Solver < CD || c.Solver > HALS:
		return bad("Solver", int(c.Solver), "CD, MU or HALS")
	case c.Loss < Frobenius || c.Loss > ItakuraSaito:
		return bad("Loss", int(c.Loss), "Frobenius, KullbackLeibler or ItakuraSaito")
	case c.Loss != Frobenius && c.Solver != MU:
		return bad("Loss", c.Loss, fmt.Sprintf("frobenius with Solver %v (only MU supports other losses)", c.Solver))
	case c.Init < InitAuto || c.Init > InitCustom:
		return bad("Init", int(c.Init), "one of the Init constants")
	case c.Init == InitCustom && (c.W == nil || c.H == nil):
		return bad("Init", c.Init, "custom only with both W and H set")
	case c.Init != InitCustom && (c.W != nil || c.H != nil):
		return bad("Init", c.Init, "custom when W and H are set")
	case c.MaxIter < 0:
		return bad("MaxIter", c.MaxIter, "at least 0")
	case !finite(c.Tol):
		return bad("Tol", c.Tol, "a finite number")
	case c.AlphaW < 0 || !finite(c.AlphaW):
		return bad("AlphaW", c.AlphaW, "a finite value ≥ 0")
	case !finite(c.AlphaH):
		return bad("AlphaH", c.AlphaH, "a finite value (or fit.Off)")
	case !(c.L1Ratio >= 0 && c.L1Ratio <= 1):
		return bad("L1Ratio", c.L1Ratio, "a value in [0, 1]")
	case c.InnerIter < 0:
		return bad("InnerIter", c.InnerIter, "at least 0")
	case c.Workers < 0:
		return bad("Workers", c.Workers, "at least 0")
	}
	return nil
}

// alphaH resolves AlphaH: 0 means AlphaW, Off (negative) means none.
func (c Config) alphaH() float64 {
	switch {
	case c.AlphaH == 0:
		return c.AlphaW
	case c.AlphaH < 0:
		return 0
	}
	return c.AlphaH
}

// withDefaults fills the defaulted fields.
func (c Config) withDefaults() Config {
	if c.MaxIter == 0 {
		c.MaxIter = 200
	}
	c.Tol = fit.Or(c.Tol, 1e-4)
	if c.InnerIter == 0 {
		c.InnerIter = 3
	}
	if c.Init == InitAuto {
		c.Init = InitNNDSVDA
	}
	return c
}
