package nmf_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/nmf"
	"gonum.org/v1/gonum/mat"
)

func TestAgreement(t *testing.T) {
	a := mat.NewDense(3, 4, []float64{
		1, 0, 0, 0,
		0, 2, 1, 0,
		0, 0, 0, 3,
	})
	// b: a's rows permuted and scaled, so each has an exact match.
	b := mat.NewDense(3, 4, []float64{
		0, 0, 0, 1,
		5, 0, 0, 0,
		0, 4, 2, 0,
	})
	// c: rows orthogonal to every row of a except one shared direction.
	c := mat.NewDense(2, 4, []float64{
		0, 1, -2, 0,
		1, 0, 0, 0,
	})
	for _, tt := range []struct {
		name string
		x, y mat.Matrix
		want float64
	}{
		{"itself", a, a, 1},
		{"permuted and scaled", a, b, 1},
		// a→c: rows 1 and 3 of a have best cosine 0 (row 2: 0·… → 0),
		// row 1 matches c's second row: (1+0+0)/3; c→a: (0+1)/2.
		{"one shared", a, c, (1.0/3 + 1.0/2) / 2},
	} {
		got, err := nmf.Agreement(tt.x, tt.y)
		if err != nil || math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: Agreement = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	if _, err := nmf.Agreement(a, mat.NewDense(1, 3, nil)); !errors.Is(err, nmf.ErrBadInput) {
		t.Errorf("column mismatch: %v, want ErrBadInput", err)
	}
}

// planted returns a 60×30 non-negative matrix of exact rank 4 whose
// components do not overlap (one block of columns each), so any good fit
// recovers them.
func planted() *mat.Dense {
	rng := rand.New(rand.NewPCG(1, 2))
	w := mat.NewDense(60, 4, nil)
	for i := range 60 {
		for k := range 4 {
			w.Set(i, k, rng.Float64())
		}
	}
	h := mat.NewDense(4, 30, nil)
	for k := range 4 {
		for j := k * 7; j < k*7+7; j++ {
			h.Set(k, j, 0.5+rng.Float64())
		}
	}
	var x mat.Dense
	x.Mul(w, h)
	return &x
}

func TestStability(t *testing.T) {
	x := planted()
	fitSeed := func(k int, seed uint64) *nmf.Model {
		m, err := nmf.Config{Components: k, Init: nmf.InitRandom, Seed: seed, MaxIter: 500}.Fit(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	// The true rank: every seed finds the same blocks (cosine ≈ 1).
	s, err := nmf.Stability(fitSeed(4, 1), fitSeed(4, 2), fitSeed(4, 3))
	if err != nil || s < 0.99 {
		t.Errorf("rank 4: stability %v, %v; want ≥ 0.99", s, err)
	}
	// Too many components: the blocks split differently per seed, so
	// agreement drops below the true rank's.
	s8, err := nmf.Stability(fitSeed(8, 1), fitSeed(8, 2), fitSeed(8, 3))
	if err != nil || s8 >= s {
		t.Errorf("rank 8: stability %v, %v; want below rank 4's %v", s8, err, s)
	}
	if _, err := nmf.Stability(fitSeed(4, 1)); !errors.Is(err, nmf.ErrBadInput) {
		t.Errorf("one model: %v, want ErrBadInput", err)
	}
}

func TestNearZero(t *testing.T) {
	m := mat.NewDense(3, 4, []float64{
		10, 0.05, 0, 5, // 0.05 ≤ 0.01·10 = 0.1 and 0: 2 of 4
		-4, 4, 0.03, 1, // signed: magnitudes; 0.03 ≤ 0.04: 1 of 4
		0, 0, 0, 0, // all zero: all near zero
	})
	got, err := nmf.NearZero(m, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{0.5, 0.25, 1} {
		if got[i] != want {
			t.Errorf("row %d: %v, want %v", i, got[i], want)
		}
	}
	for _, rel := range []float64{-0.1, 1, math.NaN()} {
		if _, err := nmf.NearZero(m, rel); !errors.Is(err, nmf.ErrBadInput) {
			t.Errorf("rel %v: %v, want ErrBadInput", rel, err)
		}
	}
}

func TestCPUTrace(t *testing.T) {
	trace := nmf.NewCPUTrace()
	cfg := nmf.Config{Components: 4, Solver: nmf.HALS, MaxIter: 30, Tol: fit.Off, Workers: 1,
		Progress: trace.Record, ProgressInterval: fit.Off}
	m, err := cfg.Fit(context.Background(), planted())
	if err != nil {
		t.Fatal(err)
	}
	if len(trace.Iter) != m.NIter || trace.Iter[len(trace.Iter)-1] != m.NIter {
		t.Fatalf("trace has %d points ending at %v, want one per iteration (%d)", len(trace.Iter), trace.Iter, m.NIter)
	}
	for i := 1; i < len(trace.Seconds); i++ {
		if trace.Seconds[i] < trace.Seconds[i-1] {
			t.Fatalf("CPU time went back at point %d: %v", i, trace.Seconds)
		}
	}
	if last := trace.Err[len(trace.Err)-1]; last != m.ReconstructionErr {
		t.Errorf("last error %v, want the model's %v", last, m.ReconstructionErr)
	}
	if _, ok := trace.SecondsTo(m.ReconstructionErr); !ok {
		t.Error("SecondsTo(final error) not reached")
	}
	if _, ok := trace.SecondsTo(-1); ok {
		t.Error("SecondsTo(-1) reached")
	}
	if it, ok := trace.IterationsTo(m.ReconstructionErr); !ok || it < 1 || it > m.NIter {
		t.Errorf("IterationsTo(final error) = %d, %v; want a reached iteration in [1, %d]", it, ok, m.NIter)
	}
	if it, ok := trace.IterationsTo(trace.Err[0]); !ok || it != trace.Iter[0] {
		t.Errorf("IterationsTo(first error) = %d, %v; want the first point's iteration %d", it, ok, trace.Iter[0])
	}
	if _, ok := trace.IterationsTo(-1); ok {
		t.Error("IterationsTo(-1) reached")
	}
	n := len(trace.Iter)
	want := (trace.Seconds[n-1] - trace.Seconds[0]) / float64(trace.Iter[n-1]-trace.Iter[0])
	if got := trace.PerIteration(); got != want || got < 0 {
		t.Errorf("PerIteration() = %v, want %v", got, want)
	}
	if got := (&nmf.CPUTrace{}).PerIteration(); got != 0 {
		t.Errorf("empty trace: PerIteration() = %v, want 0", got)
	}
}

// StartCPU gives a time for a valid start and reports Start's errors
// rather than a time.
func TestStartCPU(t *testing.T) {
	x := planted()
	random, err := nmf.Config{Components: 4, Init: nmf.InitRandom, Workers: 1}.StartCPU(x)
	if err != nil {
		t.Fatal(err)
	}
	if random < 0 {
		t.Errorf("random start CPU %v < 0", random)
	}
	if _, err := (nmf.Config{Components: -1}).StartCPU(x); !errors.Is(err, nmf.ErrBadConfig) {
		t.Errorf("bad config: err = %v, want a bad-config error", err)
	}
}
