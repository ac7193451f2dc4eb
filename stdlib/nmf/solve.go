package nmf

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/internal/kern"
	"github.com/gonbml/gonbml/stdlib/sparse"
	"gonum.org/v1/gonum/mat"
)

const (
	// epsilon32 is scikit-learn's EPSILON (np.finfo(np.float32).eps): it
	// replaces zero denominators in MU and zero WH in the beta losses.
	epsilon32 = 0x1p-23
	// epsilon64 is np.finfo(np.float64).eps: MU with a beta loss ≤ 1
	// zeroes smaller entries for stability, as scikit-learn does.
	epsilon64 = 0x1p-52
)

// solver holds the factors in row-major W (m×k) and Hᵀ (n×k), so both
// updates read contiguous rows, and every buffer an iteration needs, so
// iterations do not allocate.
type solver struct {
	p       *problem
	cfg     Config
	k       int
	w, ht   []float64
	updateH bool
	track   bool // record the error of every iterate (fits, not transforms)

	l1W, l1H, l2W, l2H float64

	rowBounds, colBounds []int       // blocks over the rows of X (nnz-balanced) and of Hᵀ
	xt                   *sparse.CSR // Xᵀ, built by xtW on first use
	xtBounds             []int       // nnz-balanced blocks over the rows of xt
	ident                []int       // 0, 1, …, max(n, k)-1: dense rows as index lists

	hht, wtw, reg []float64   // k×k Gram matrices and a regularised copy
	inv           []float64   // 1/diagonal of reg (CD and HALS)
	xtw, den2     []float64   // n×k: Xᵀ·W-like numerators and IS denominators
	hmat          []float64   // k×n copy of H (Itakura-Saito only)
	sumK          []float64   // k column sums
	acc, acc2     [][]float64 // per-block n×k accumulators
	gramAcc       [][]float64 // per-block k×k accumulators
	num, den      [][]float64 // per-block k vectors
	q             [][]float64 // per-block row-length buffers
	whrow         [][]float64 // per-block n vectors (Itakura-Saito only)
	partial       []float64   // per-block partial sums
	partial2      []float64

	rng       *rand.Rand
	history   []float64
	niter     int
	converged bool
}

func newSolver(p *problem, cfg Config, w, ht []float64, updateH bool) *solver {
	k := p.k
	s := &solver{p: p, cfg: cfg, k: k, w: w, ht: ht, updateH: updateH, track: updateH}
	alphaH := cfg.alphaH()
	// scikit-learn's _compute_regularization: W's penalty scales with the
	// number of features, H's with the number of samples.
	m, n := float64(p.m), float64(p.n)
	s.l1W = n * cfg.AlphaW * cfg.L1Ratio
	s.l1H = m * alphaH * cfg.L1Ratio
	s.l2W = n * cfg.AlphaW * (1 - cfg.L1Ratio)
	s.l2H = m * alphaH * (1 - cfg.L1Ratio)

	s.rowBounds = kern.RowBlocks(p.x.Indptr, p.workers)
	s.colBounds = kern.EvenBounds(p.n, p.workers)
	s.ident = make([]int, max(p.n, k))
	for i := range s.ident {
		s.ident[i] = i
	}
	blocks := max(len(s.rowBounds), len(s.colBounds)) - 1
	s.hht, s.wtw, s.reg = make([]float64, k*k), make([]float64, k*k), make([]float64, k*k)
	s.xtw = make([]float64, p.n*k)
	s.sumK = make([]float64, k)
	s.inv = make([]float64, k)
	s.partial, s.partial2 = make([]float64, blocks), make([]float64, blocks)
	for b := 0; b < blocks; b++ {
		s.gramAcc = append(s.gramAcc, make([]float64, k*k))
		s.num = append(s.num, make([]float64, k))
		s.den = append(s.den, make([]float64, k))
		s.q = append(s.q, make([]float64, p.maxRowNNZ))
	}
	for b := 0; b < len(s.rowBounds)-1; b++ {
		s.acc = append(s.acc, make([]float64, p.n*k))
	}
	if cfg.Loss == ItakuraSaito {
		s.den2 = make([]float64, p.n*k)
		s.hmat = make([]float64, k*p.n)
		for b := 0; b < blocks; b++ {
			s.whrow = append(s.whrow, make([]float64, p.n))
		}
		for b := 0; b < len(s.rowBounds)-1; b++ {
			s.acc2 = append(s.acc2, make([]float64, p.n*k))
		}
	}
	s.rng = rand.New(rand.NewPCG(cfg.Seed, 0x73687566)) // second word: "shuf"
	return s
}

// rowMul sets dst to row i of x times the row-major matrix b (x's columns
// × ld): the gather kernel on a CSR row, whose indices the CSR invariants
// keep below the number of rows of b.
func rowMul(x *sparse.CSR, dst []float64, i int, b []float64, ld int) {
	idx, val := x.Row(i)
	kern.GatherUnchecked(dst, idx, val, b, ld)
}

func dot(a, b []float64) float64 {
	var s float64
	for i, x := range a {
		s += x * b[i]
	}
	return s
}

// sumParts adds the per-block partial sums in block order (deterministic).
func sumParts(parts []float64) float64 {
	var s float64
	for _, v := range parts {
		s += v
	}
	return s
}

// gram sets dst (k×k) = aᵀa for a row-major rows×k matrix a.
func (s *solver) gram(dst, a []float64) {
	k := s.k
	rows := len(a) / k
	bounds := kern.EvenBounds(rows, len(s.gramAcc))
	kern.ParallelBlocks(bounds, func(b, lo, hi int) {
		acc := s.gramAcc[b]
		clear(acc)
		id := s.ident[:k]
		for i := lo; i < hi; i++ {
			r := a[i*k : (i+1)*k]
			kern.ScatterAxpy(acc, k, id, r, r)
		}
	})
	copy(dst, s.gramAcc[0])
	for b := 1; b < len(bounds)-1; b++ {
		for i, v := range s.gramAcc[b] {
			dst[i] += v
		}
	}
}

// scatterXt sets s.xtw (n×k) = Σ_i Σ_p vals[p]·W_i at column idx[p]: that is
// Xᵀ·W with X's stored values replaced by vals (X.Data itself, or the
// beta-loss ratios computed by rowVals for each row into the block's
// buffer). When extra is non-nil it also accumulates, into s.den2, the
// dense row extra(b, i) times W_i at every column (Itakura-Saito's
// denominator).
func (s *solver) scatterXt(rowVals func(b, i int, idx []int, val []float64) []float64, extra func(b, i int) []float64) {
	k, x := s.k, s.p.x
	kern.ParallelBlocks(s.rowBounds, func(b, lo, hi int) {
		acc := s.acc[b]
		clear(acc)
		var acc2 []float64
		if extra != nil {
			acc2 = s.acc2[b]
			clear(acc2)
		}
		for i := lo; i < hi; i++ {
			wi := s.w[i*k : (i+1)*k]
			if rowVals == nil {
				idx, val := x.Row(i)
				kern.ScatterUnchecked(acc, k, idx, val, wi)
			} else {
				idx, val := x.Row(i)
				kern.ScatterAxpy(acc, k, idx, rowVals(b, i, idx, val), wi)
			}
			if extra != nil {
				kern.ScatterAxpy(acc2, k, s.ident[:s.p.n], extra(b, i), wi)
			}
		}
	})
	nb := len(s.rowBounds) - 1
	reduce := func(dst []float64, accs [][]float64) {
		kern.ParallelBlocks(kern.EvenBounds(len(dst), s.p.workers), func(_, lo, hi int) {
			copy(dst[lo:hi], accs[0][lo:hi])
			for b := 1; b < nb; b++ {
				src := accs[b][lo:hi]
				for i := range src {
					dst[lo+i] += src[i]
				}
			}
		})
	}
	reduce(s.xtw, s.acc)
	if extra != nil {
		reduce(s.den2, s.acc2)
	}
}

// xtW sets s.xtw (n×k) = Xᵀ·W by gathering over the rows of the stored
// transpose of X: no per-worker accumulators and no reduction, and gathers
// are faster than scatters. The transpose is built on first use (updates of
// H only), costing one more copy of X.
func (s *solver) xtW() {
	if s.xt == nil {
		s.xt = s.p.x.Transpose()
		s.xtBounds = kern.RowBlocks(s.xt.Indptr, s.p.workers)
	}
	k := s.k
	kern.ParallelBlocks(s.xtBounds, func(_, lo, hi int) {
		for j := lo; j < hi; j++ {
			rowMul(s.xt, s.xtw[j*k:(j+1)*k], j, s.w, k)
		}
	})
}

// lazyErr is ‖X − WH‖_F from ‖X‖², the Gram matrices and the cross term
// Σ W∘(X·Hᵀ), the way scikit-learn computes it for sparse X.
func (s *solver) lazyErr(cross float64) float64 {
	e2 := s.p.normX2 + dot(s.wtw, s.hht) - 2*cross
	return math.Sqrt(max(e2, 0))
}

// loss computes the error of the current W, H from scratch: ‖X − WH‖_F, or
// sqrt(2·divergence) for the beta losses.
func (s *solver) loss() float64 {
	k, x := s.k, s.p.x
	switch s.cfg.Loss {
	case Frobenius:
		s.gram(s.wtw, s.w)
		s.gram(s.hht, s.ht)
		kern.ParallelBlocks(s.rowBounds, func(b, lo, hi int) {
			num := s.num[b]
			var cross float64
			for i := lo; i < hi; i++ {
				rowMul(x, num, i, s.ht, k)
				cross += dot(s.w[i*k:(i+1)*k], num)
			}
			s.partial[b] = cross
		})
		return s.lazyErr(sumParts(s.partial[:len(s.rowBounds)-1]))
	}
	// Beta losses over the stored entries above epsilon32, as scikit-learn.
	kern.ParallelBlocks(s.rowBounds, func(b, lo, hi int) {
		var a, c float64
		for i := lo; i < hi; i++ {
			idx, val := x.Row(i)
			wi := s.w[i*k : (i+1)*k]
			for p, j := range idx {
				v := val[p]
				if v <= epsilon32 {
					continue
				}
				wh := dot(wi, s.ht[j*k:(j+1)*k])
				if wh == 0 {
					wh = epsilon32
				}
				div := v / wh
				if s.cfg.Loss == KullbackLeibler {
					a += v * math.Log(div)
					c += v
				} else {
					a += div
					c += math.Log(div)
				}
			}
		}
		s.partial[b], s.partial2[b] = a, c
	})
	nb := len(s.rowBounds) - 1
	a, c := sumParts(s.partial[:nb]), sumParts(s.partial2[:nb])
	var res float64
	if s.cfg.Loss == KullbackLeibler {
		colW, rowH := make([]float64, k), make([]float64, k)
		for i := 0; i < s.p.m; i++ {
			for r, v := range s.w[i*k : (i+1)*k] {
				colW[r] += v
			}
		}
		for j := 0; j < s.p.n; j++ {
			for r, v := range s.ht[j*k : (j+1)*k] {
				rowH[r] += v
			}
		}
		res = a + dot(colW, rowH) - c
	} else {
		res = a - float64(s.p.m)*float64(s.p.n) - c
	}
	return math.Sqrt(2 * max(res, 0))
}

// run iterates until MaxIter, the Tol test, cancellation, a Progress error
// or divergence, and ends the progress report with a status.
func (s *solver) run(ctx context.Context) (err error) {
	cfg := s.cfg
	rep := fit.NewReporter(cfg.Progress, cfg.ProgressInterval)
	last := fit.Progress{Phase: "fit", Unit: "iteration", Total: int64(cfg.MaxIter), Loss: math.NaN()}
	defer func() {
		if !s.track {
			return
		}
		last.Step, last.Loss = int64(s.niter), s.history[len(s.history)-1]
		status := fmt.Sprintf("finished %d iterations", s.niter)
		if s.converged {
			status = fmt.Sprintf("converged at iteration %d", s.niter)
		}
		if ferr := rep.Finish(last, fit.Status(err, status)); err == nil {
			err = ferr
		}
	}()
	frob := cfg.Loss == Frobenius
	errInit := s.loss() // also leaves wtw, hht of the initial W, H for the lazy error
	s.history = append(s.history, errInit)
	if e := s.diverged(0, errInit, errInit); e != nil {
		return e
	}
	lastTested := errInit
	violInit := 0.0
	for t := 1; t <= cfg.MaxIter; t++ {
		if err := ctx.Err(); err != nil {
			return s.finish(err)
		}
		var prevErr, viol float64
		switch {
		case cfg.Solver == MU && frob:
			prevErr = s.muFrob()
		case cfg.Solver == MU:
			s.muBeta()
		default:
			prevErr, viol = s.coordinate(cfg.Solver == CD)
		}
		s.niter = t
		cur := math.NaN() // the latest known error, for progress and divergence
		if s.track {
			if frob {
				if t > 1 { // the error of the iterate this one started from
					s.history = append(s.history, prevErr)
				}
			} else {
				s.history = append(s.history, s.loss())
			}
			cur = s.history[len(s.history)-1]
			if e := s.diverged(t, errInit, cur); e != nil {
				return s.finish(e)
			}
		}
		stop := false
		if cfg.Solver == CD {
			if t == 1 {
				violInit = viol
			}
			if violInit == 0 || viol/violInit <= cfg.Tol {
				s.converged, stop = true, true
			}
		} else if cfg.Tol > 0 && t%10 == 0 {
			e := s.loss()
			if (lastTested-e)/errInit < cfg.Tol {
				s.converged, stop = true, true
			}
			lastTested = e
		}
		last.Step, last.Loss = int64(t), cur
		if err := rep.Report(last); err != nil {
			return s.finish(err)
		}
		if stop {
			break
		}
	}
	if err := s.finish(nil); err != nil {
		return err
	}
	if s.track {
		return s.diverged(s.niter, errInit, s.history[len(s.history)-1])
	}
	return nil
}

// diverged returns ErrDiverged naming iteration t when the error e is not
// finite or has exploded above fit.ExplosionFactor times the error at init.
func (s *solver) diverged(t int, first, e float64) error {
	if fit.Diverged(first, e) {
		return fmt.Errorf("%w: at iteration %d the error is %g (at init %g); the %v update is unstable on this data (try Loss Frobenius, another Init, or scaling X)", ErrDiverged, t, e, first, s.cfg.Solver)
	}
	return nil
}

// finish records the error of the final iterate and passes err through.
func (s *solver) finish(err error) error {
	if s.track && (s.cfg.Loss == Frobenius || len(s.history) < s.niter+1) {
		s.history = append(s.history[:min(len(s.history), s.niter)], s.loss())
	}
	return err
}

func (s *solver) model() *Model {
	k, n := s.k, s.p.n
	h := mat.NewDense(k, n, nil)
	for j := 0; j < n; j++ {
		for r := 0; r < k; r++ {
			h.Set(r, j, s.ht[j*k+r])
		}
	}
	return &Model{
		W:                 mat.NewDense(s.p.m, k, s.w),
		H:                 h,
		NIter:             s.niter,
		ReconstructionErr: s.history[len(s.history)-1],
		Converged:         s.converged,
		History:           s.history,
	}
}

// muFrob is one multiplicative update of W then H for the Frobenius loss;
// it returns the error of the iterate it started from, obtained from the
// products the W update computes (the Gram matrix of W is still the
// starting one at that point).
func (s *solver) muFrob() float64 {
	k, x := s.k, s.p.x
	s.gram(s.hht, s.ht)
	kern.ParallelBlocks(s.rowBounds, func(b, lo, hi int) {
		num, den := s.num[b], s.den[b]
		id := s.ident[:k]
		var cross float64
		for i := lo; i < hi; i++ {
			wi := s.w[i*k : (i+1)*k]
			rowMul(x, num, i, s.ht, k)
			cross += dot(wi, num)
			kern.GatherAxpy(den, id, wi, s.hht, k)
			for r := range wi {
				d := den[r] + s.l1W + s.l2W*wi[r]
				if d == 0 {
					d = epsilon32
				}
				wi[r] *= num[r] / d
			}
		}
		s.partial[b] = cross
	})
	prevErr := s.lazyErr(sumParts(s.partial[:len(s.rowBounds)-1]))
	if !s.updateH {
		return prevErr
	}
	s.xtW()
	s.gram(s.wtw, s.w)
	kern.ParallelBlocks(s.colBounds, func(b, lo, hi int) {
		den := s.den[b]
		id := s.ident[:k]
		for j := lo; j < hi; j++ {
			hj := s.ht[j*k : (j+1)*k]
			kern.GatherAxpy(den, id, hj, s.wtw, k)
			num := s.xtw[j*k : (j+1)*k]
			for r := range hj {
				d := den[r] + s.l1H + s.l2H*hj[r]
				if d == 0 {
					d = epsilon32
				}
				hj[r] *= num[r] / d
			}
		}
	})
	return prevErr
}

// muBeta is one multiplicative update for the Kullback-Leibler and
// Itakura-Saito losses, following scikit-learn's _multiplicative_update_w/h.
func (s *solver) muBeta() {
	k, n, x := s.k, s.p.n, s.p.x
	is := s.cfg.Loss == ItakuraSaito
	// ratios returns, for row i, X/WH (KL) or X·WH⁻² (IS) at the stored
	// entries; for IS whrow must already hold W_i·H.
	ratios := func(b, i int, idx []int, val []float64) []float64 {
		q := s.q[b][:len(idx)]
		wi := s.w[i*k : (i+1)*k]
		for p, j := range idx {
			var wh float64
			if is {
				wh = s.whrow[b][j]
			} else {
				wh = dot(wi, s.ht[j*k:(j+1)*k])
			}
			if wh == 0 {
				wh = epsilon32
			}
			if is {
				inv := 1 / wh
				q[p] = inv * inv * val[p]
			} else {
				q[p] = val[p] / wh
			}
		}
		return q
	}
	// invWH fills whrow with W_i·H and returns its elementwise inverse (zero
	// entries replaced by epsilon32 first) in the same buffer after ratios.
	whRow := func(b, i int) {
		kern.GatherAxpy(s.whrow[b], s.ident[:k], s.w[i*k:(i+1)*k], s.hmat, n)
	}
	invert := func(v []float64) []float64 {
		for j, wh := range v {
			if wh == 0 {
				wh = epsilon32
			}
			v[j] = 1 / wh
		}
		return v
	}
	if is {
		s.transposeH()
	}
	clear(s.sumK)
	for j := 0; j < n; j++ {
		for r, v := range s.ht[j*k : (j+1)*k] {
			s.sumK[r] += v
		}
	}
	kern.ParallelBlocks(s.rowBounds, func(b, lo, hi int) {
		num, den := s.num[b], s.den[b]
		for i := lo; i < hi; i++ {
			wi := s.w[i*k : (i+1)*k]
			idx, val := x.Row(i)
			if is {
				whRow(b, i)
			}
			kern.GatherAxpy(num, idx, ratios(b, i, idx, val), s.ht, k)
			if is {
				kern.GatherAxpy(den, s.ident[:n], invert(s.whrow[b]), s.ht, k)
			} else {
				copy(den, s.sumK)
			}
			for r := range wi {
				d := den[r] + s.l1W + s.l2W*wi[r]
				if d == 0 {
					d = epsilon32
				}
				delta := num[r] / d
				if is {
					delta = math.Sqrt(delta) // gamma = 1/(2-beta) = 1/2
				}
				wi[r] *= delta
				if is && wi[r] < epsilon64 {
					wi[r] = 0
				}
			}
		}
	})
	if !s.updateH {
		return
	}
	if is {
		s.scatterXt(func(b, i int, idx []int, val []float64) []float64 {
			whRow(b, i)
			return ratios(b, i, idx, val)
		}, func(b, i int) []float64 { return invert(s.whrow[b]) })
	} else {
		s.scatterXt(ratios, nil)
		clear(s.sumK)
		for i := 0; i < s.p.m; i++ {
			for r, v := range s.w[i*k : (i+1)*k] {
				s.sumK[r] += v
			}
		}
		for r, v := range s.sumK {
			if v == 0 {
				s.sumK[r] = 1
			}
		}
	}
	kern.ParallelBlocks(s.colBounds, func(b, lo, hi int) {
		for j := lo; j < hi; j++ {
			hj := s.ht[j*k : (j+1)*k]
			num := s.xtw[j*k : (j+1)*k]
			for r := range hj {
				var d float64
				if is {
					d = s.den2[j*k+r]
				} else {
					d = s.sumK[r]
				}
				d += s.l1H + s.l2H*hj[r]
				if d == 0 {
					d = epsilon32
				}
				delta := num[r] / d
				if is {
					delta = math.Sqrt(delta)
				}
				hj[r] *= delta
				if hj[r] < epsilon64 { // beta ≤ 1
					hj[r] = 0
				}
			}
		}
	})
}

func (s *solver) transposeH() {
	k, n := s.k, s.p.n
	for j := 0; j < n; j++ {
		for r := 0; r < k; r++ {
			s.hmat[r*n+j] = s.ht[j*k+r]
		}
	}
}

// perm returns the coordinate order of a sweep: shuffled when asked (CD
// only), else 0…k-1.
func (s *solver) perm(dst []int) []int {
	for i := range dst {
		dst[i] = i
	}
	if s.cfg.Shuffle && s.cfg.Solver == CD {
		s.rng.Shuffle(len(dst), func(i, j int) { dst[i], dst[j] = dst[j], dst[i] })
	}
	return dst
}

// sweep updates the k entries of one row f of a factor to their exact
// minimisers, in the given order, given the Gram matrix g (k×k, already
// regularised, symmetric), inv (1/g[t,t], or 0 where g[t,t] = 0, which
// leaves f[t] alone) and the row of the numerator xh (already minus the L1
// penalty); it returns the sum of |projected gradient| before each update,
// as scikit-learn's _update_cdnmf_fast. Instead of recomputing each
// coordinate's gradient as a dot product (scikit-learn's way), it computes
// the gradient vector grad = g·f − xh once and, when an entry moves by δ,
// adds δ·g[t,:]: entries stuck at zero (most of them in sparse factors)
// then cost nothing. The results differ from scikit-learn's only by
// rounding.
func sweep(f, g, inv, xh, grad []float64, order, ident []int) float64 {
	k := len(f)
	kern.GatherAxpy(grad, ident[:k], f, g, k)
	for r := range grad {
		grad[r] -= xh[r]
	}
	var viol float64
	for _, t := range order {
		gt := grad[t]
		pg := gt
		if f[t] == 0 {
			pg = min(pg, 0)
		}
		viol += math.Abs(pg)
		if inv[t] == 0 {
			continue
		}
		next := max(f[t]-gt*inv[t], 0)
		if delta := next - f[t]; delta != 0 {
			f[t] = next
			grow := g[t*k : (t+1)*k]
			for r, v := range grow {
				grad[r] += delta * v
			}
		}
	}
	return viol
}

// inverseDiagonal sets inv[t] = 1/g[t,t], or 0 where g[t,t] = 0.
func inverseDiagonal(inv, g []float64) {
	k := len(inv)
	for t := range inv {
		inv[t] = 0
		if d := g[t*k+t]; d != 0 {
			inv[t] = 1 / d
		}
	}
}

// coordinate is one CD (cd = true) or HALS iteration: W's rows then H's
// columns, each entry set to its exact minimiser with the others fixed.
// It returns the error of the starting iterate (as muFrob) and the CD
// violation.
func (s *solver) coordinate(cd bool) (prevErr, viol float64) {
	k, x := s.k, s.p.x
	sweeps := 1
	if !cd {
		sweeps = s.cfg.InnerIter
	}
	order := s.perm(make([]int, k))
	s.gram(s.hht, s.ht)
	regularised(s.reg, s.hht, s.l2W)
	inverseDiagonal(s.inv, s.reg)
	kern.ParallelBlocks(s.rowBounds, func(b, lo, hi int) {
		xh := s.num[b]
		var c, v float64
		for i := lo; i < hi; i++ {
			wi := s.w[i*k : (i+1)*k]
			rowMul(x, xh, i, s.ht, k)
			c += dot(wi, xh)
			if s.l1W != 0 {
				for r := range xh {
					xh[r] -= s.l1W
				}
			}
			for range sweeps {
				v += sweep(wi, s.reg, s.inv, xh, s.den[b], order, s.ident)
			}
		}
		s.partial[b], s.partial2[b] = c, v
	})
	nb := len(s.rowBounds) - 1
	prevErr, viol = s.lazyErr(sumParts(s.partial[:nb])), sumParts(s.partial2[:nb])
	if !s.updateH {
		return prevErr, viol
	}
	order = s.perm(order)
	s.xtW()
	s.gram(s.wtw, s.w)
	regularised(s.reg, s.wtw, s.l2H)
	inverseDiagonal(s.inv, s.reg)
	kern.ParallelBlocks(s.colBounds, func(b, lo, hi int) {
		var v float64
		for j := lo; j < hi; j++ {
			xh := s.xtw[j*k : (j+1)*k]
			if s.l1H != 0 {
				for r := range xh {
					xh[r] -= s.l1H
				}
			}
			hj := s.ht[j*k : (j+1)*k]
			for range sweeps {
				v += sweep(hj, s.reg, s.inv, xh, s.den[b], order, s.ident)
			}
		}
		s.partial2[b] = v
	})
	viol += sumParts(s.partial2[:len(s.colBounds)-1])
	return prevErr, viol
}

// regularised sets dst = g with l2 added to the diagonal.
func regularised(dst, g []float64, l2 float64) {
	copy(dst, g)
	if l2 != 0 {
		k := int(math.Sqrt(float64(len(g))))
		for t := 0; t < k; t++ {
			dst[t*k+t] += l2
		}
	}
}
