package nmf

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"time"

	"github.com/gonbml/gonbml/stdlib/fit"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Agreement measures how alike two sets of components are: each row of a
// is matched to the row of b with the largest cosine similarity (several
// rows of a may pick the same row of b), the best cosines are averaged,
// and the same is done from b to a; the result is the mean of the two
// directions, in [0, 1] for non-negative rows (1: the same components in
// any order and scale). a and b must have the same number of columns;
// an all-zero row has cosine 0 with everything.
func Agreement(a, b mat.Matrix) (float64, error) {
	_, ca := a.Dims()
	_, cb := b.Dims()
	if ca != cb {
		return 0, fmt.Errorf("%w: components of %d and %d columns", ErrBadInput, ca, cb)
	}
	na, nb := unitRows(a), unitRows(b)
	ra, _ := na.Dims()
	rb, _ := nb.Dims()
	if ra == 0 || rb == 0 {
		return 0, fmt.Errorf("%w: no components", ErrBadInput)
	}
	var cos mat.Dense
	cos.Mul(na, nb.T())
	bestA, bestB := make([]float64, ra), make([]float64, rb)
	for j := range bestB {
		bestB[j] = math.Inf(-1)
	}
	for i := range ra {
		row := cos.RawRowView(i)
		bestA[i] = floats.Max(row)
		for j, c := range row {
			bestB[j] = max(bestB[j], c)
		}
	}
	return (floats.Sum(bestA)/float64(ra) + floats.Sum(bestB)/float64(rb)) / 2, nil
}

// unitRows returns m with each row scaled to unit length (zero rows stay).
func unitRows(m mat.Matrix) *mat.Dense {
	d := mat.DenseCopyOf(m)
	r, _ := d.Dims()
	for i := range r {
		row := d.RawRowView(i)
		if n := floats.Norm(row, 2); n > 0 {
			floats.Scale(1/n, row)
		}
	}
	return d
}

// Stability is the mean Agreement of the components (H) of every pair of
// models, typically fits of one configuration from different seeds: how
// much of the topics survive a new random start. It needs two models or
// more with the same number of columns.
func Stability(models ...*Model) (float64, error) {
	if len(models) < 2 {
		return 0, fmt.Errorf("%w: stability needs at least 2 models, got %d", ErrBadInput, len(models))
	}
	sum, n := 0.0, 0
	for i := range models {
		for j := i + 1; j < len(models); j++ {
			if models[i] == nil || models[j] == nil || models[i].H == nil || models[j].H == nil {
				return 0, errors.New("nmf: Stability of an unfitted model")
			}
			a, err := Agreement(models[i].H, models[j].H)
			if err != nil {
				return 0, err
			}
			sum, n = sum+a, n+1
		}
	}
	return sum / float64(n), nil
}

// NearZero returns, for each row of m, the share of its entries whose
// magnitude is at most rel times the row's largest magnitude: for rows of
// H, how much of a component is empty (its "partness" for images); for
// rows of W, how many components a sample leaves out. Magnitudes are
// used, so signed factors (PCA) are measured the same way. An all-zero
// row counts as all near zero. rel must be in [0, 1).
func NearZero(m mat.Matrix, rel float64) ([]float64, error) {
	if !(rel >= 0 && rel < 1) {
		return nil, fmt.Errorf("%w: rel = %v, want a value in [0, 1)", ErrBadInput, rel)
	}
	r, c := m.Dims()
	out := make([]float64, r)
	row := make([]float64, c)
	for i := range r {
		top := 0.0
		for j := range c {
			row[j] = math.Abs(m.At(i, j))
			top = max(top, row[j])
		}
		n := 0
		for _, v := range row {
			if v <= rel*top {
				n++
			}
		}
		out[i] = float64(n) / float64(c)
	}
	return out, nil
}

// CPUTrace records the process CPU time and the error at each iteration
// of a fit, so solvers and starts can be compared by the CPU they use
// rather than by iterations or by wall time (which other processes on the
// machine distort). Set it as the config's progress callback, with every
// event reported:
//
//	trace := nmf.NewCPUTrace()
//	cfg.Progress, cfg.ProgressInterval = trace.Record, fit.Off
//
// Seconds[i] is the CPU time from NewCPUTrace to the event of iteration
// Iter[i] (the initialisation's cost is in the first point), and Err[i]
// the error that event reported: with the Frobenius loss the solvers get
// the error of the iterate before (a by-product of the update), so each
// point is one iteration late, the same for every solver; the last point
// holds the final error. Use Workers = 1 so the CPU time is the fit's
// work alone.
type CPUTrace struct {
	Iter         []int
	Seconds, Err []float64
	start        time.Duration
}

// NewCPUTrace starts a trace at the current process CPU time. It first
// collects the garbage the program made before (loading the data, an
// earlier fit), so the collector's work on it is not charged to this fit:
// the process clock counts the collector's threads too.
func NewCPUTrace() *CPUTrace {
	runtime.GC()
	start, _ := fit.ProcessCPU()
	return &CPUTrace{start: start}
}

// Record is a fit.Func: it appends the event's step, CPU time and loss
// (the final event, which repeats the last step, updates its error).
func (t *CPUTrace) Record(p fit.Progress) error {
	if n := len(t.Iter); n > 0 && int64(t.Iter[n-1]) == p.Step {
		if p.Done { // the final event carries the final error
			t.Err[n-1] = p.Loss
		}
		return nil
	}
	now, err := fit.ProcessCPU()
	if err != nil {
		return err
	}
	t.Iter = append(t.Iter, int(p.Step))
	t.Seconds = append(t.Seconds, (now - t.start).Seconds())
	t.Err = append(t.Err, p.Loss)
	return nil
}

// SecondsTo returns the CPU seconds until the error first reached target,
// and false when it never did.
func (t *CPUTrace) SecondsTo(target float64) (float64, bool) {
	for i, e := range t.Err {
		if e <= target {
			return t.Seconds[i], true
		}
	}
	return 0, false
}

// PerIteration is the mean CPU seconds of one iteration: the time from the
// first point (which also holds the initialisation) to the last, over the
// iterations between them; 0 with fewer than two points.
func (t *CPUTrace) PerIteration() float64 {
	n := len(t.Iter)
	if n < 2 || t.Iter[n-1] == t.Iter[0] {
		return 0
	}
	return (t.Seconds[n-1] - t.Seconds[0]) / float64(t.Iter[n-1]-t.Iter[0])
}

// IterationsTo returns the iteration at which the error first reached
// target, and false when it never did. Unlike SecondsTo it does not depend
// on the machine's load: the same fit gives the same count.
func (t *CPUTrace) IterationsTo(target float64) (int, bool) {
	for i, e := range t.Err {
		if e <= target {
			return t.Iter[i], true
		}
	}
	return 0, false
}

// StartCPU is what the configured initialisation costs before the first
// iteration: the least process CPU time of three Start calls on X (the
// least, because load on a shared machine only ever adds). Set Workers = 1
// to compare it with a single-worker CPUTrace.
func (c Config) StartCPU(X mat.Matrix) (time.Duration, error) {
	best := time.Duration(math.MaxInt64)
	for range 3 {
		runtime.GC() // the garbage of earlier work is not this start's
		t0, err := fit.ProcessCPU()
		if err != nil {
			return 0, err
		}
		if _, _, err := c.Start(X); err != nil {
			return 0, err
		}
		t1, err := fit.ProcessCPU()
		if err != nil {
			return 0, err
		}
		best = min(best, t1-t0)
	}
	return best, nil
}
