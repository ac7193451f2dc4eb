package nmf_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/internal/persist"
	"github.com/gonbml/gonbml/stdlib/nmf"
	"github.com/gonbml/gonbml/stdlib/sparse"
	"gonum.org/v1/gonum/mat"
)

// testMatrix returns a 40×30 non-negative matrix, about half zeros, with an
// all-zero row (5) and column (9) that must not produce NaN.
func testMatrix(seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 3))
	x := mat.NewDense(40, 30, nil)
	for i := 0; i < 40; i++ {
		for j := 0; j < 30; j++ {
			if i != 5 && j != 9 && rng.Float64() < 0.5 {
				x.Set(i, j, rng.Float64())
			}
		}
	}
	return x
}

func positiveMatrix(seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 4))
	x := mat.NewDense(25, 15, nil)
	for i := 0; i < 25; i++ {
		for j := 0; j < 15; j++ {
			x.Set(i, j, 0.1+rng.Float64())
		}
	}
	return x
}

func froErr(x, w, h mat.Matrix) float64 {
	var d mat.Dense
	d.Mul(w, h)
	d.Sub(x, &d)
	return mat.Norm(&d, 2)
}

func finiteNonNegative(t *testing.T, name string, m *mat.Dense) {
	t.Helper()
	r, c := m.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if v := m.At(i, j); !(v >= 0) || math.IsInf(v, 0) {
				t.Fatalf("%s[%d,%d] = %v", name, i, j, v)
			}
		}
	}
}

// TestProperties checks, for every solver, loss and init: W, H ≥ 0 and
// finite; the error recorded in History is non-increasing for MU and HALS
// (and CD, whose sweeps are exact minimisations too); ReconstructionErr
// equals ‖X − WH‖_F computed densely here; dense and CSR input agree.
func TestProperties(t *testing.T) {
	x := testMatrix(1)
	xs, err := sparse.FromDense(x)
	if err != nil {
		t.Fatal(err)
	}
	type tc struct {
		solver nmf.Solver
		loss   nmf.Loss
		init   nmf.Init
	}
	var cases []tc
	for _, s := range []nmf.Solver{nmf.MU, nmf.CD, nmf.HALS} {
		for _, in := range []nmf.Init{nmf.InitRandom, nmf.InitNNDSVD, nmf.InitNNDSVDA, nmf.InitNNDSVDAR} {
			cases = append(cases, tc{s, nmf.Frobenius, in})
		}
	}
	cases = append(cases, tc{nmf.MU, nmf.KullbackLeibler, nmf.InitNNDSVDA}, tc{nmf.MU, nmf.ItakuraSaito, nmf.InitNNDSVDA})
	for _, c := range cases {
		name := c.solver.String() + "/" + c.loss.String() + "/" + c.init.String()
		t.Run(name, func(t *testing.T) {
			var in mat.Matrix = xs
			var dense mat.Matrix = x
			if c.loss == nmf.ItakuraSaito {
				in, dense = positiveMatrix(2), positiveMatrix(2)
			}
			cfg := nmf.Config{Components: 5, Solver: c.solver, Loss: c.loss, Init: c.init, MaxIter: 60, Tol: -1, Seed: 7}
			m, err := cfg.Fit(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			finiteNonNegative(t, "W", m.W)
			finiteNonNegative(t, "H", m.H)
			if m.NIter != 60 || len(m.History) != 61 {
				t.Fatalf("NIter = %d, len(History) = %d, want 60, 61", m.NIter, len(m.History))
			}
			for i := 1; i < len(m.History); i++ {
				// Each update cannot increase the loss in exact arithmetic;
				// 1e-12 relative absorbs rounding in the error formula.
				if m.History[i] > m.History[i-1]*(1+1e-12) {
					t.Fatalf("error rose at iteration %d: %.15g -> %.15g", i, m.History[i-1], m.History[i])
				}
			}
			if m.History[len(m.History)-1] >= m.History[0] {
				t.Errorf("no progress: %v -> %v", m.History[0], m.History[len(m.History)-1])
			}
			if c.loss == nmf.Frobenius {
				// The trace formula loses ~1e-16·‖X‖²/err² to cancellation.
				if want := froErr(x, m.W, m.H); math.Abs(m.ReconstructionErr-want) > 1e-9*want {
					t.Errorf("ReconstructionErr = %.15g, ‖X − WH‖_F = %.15g", m.ReconstructionErr, want)
				}
				md, err := cfg.Fit(context.Background(), dense)
				if err != nil {
					t.Fatal(err)
				}
				if !mat.EqualApprox(md.W, m.W, 1e-12) || !mat.EqualApprox(md.H, m.H, 1e-12) {
					t.Error("dense and CSR input give different factors")
				}
			}
		})
	}
}

func TestSameSeedSameResult(t *testing.T) {
	x := testMatrix(3)
	cfg := nmf.Config{Components: 4, Init: nmf.InitRandom, Solver: nmf.CD, Shuffle: true, Seed: 11, Workers: 1, MaxIter: 30}
	a, err := cfg.Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := cfg.Fit(context.Background(), x)
	if !mat.Equal(a.W, b.W) || !mat.Equal(a.H, b.H) {
		t.Error("same seed, different factors")
	}
	cfg.Seed = 12
	c, _ := cfg.Fit(context.Background(), x)
	if mat.Equal(a.W, c.W) {
		t.Error("a different seed gave the same factors")
	}
}

func TestL1MakesWSparser(t *testing.T) {
	x := testMatrix(4)
	zeros := func(alpha float64) int {
		m, err := nmf.Config{Components: 6, AlphaW: alpha, L1Ratio: 1, MaxIter: 100, Tol: -1}.Fit(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, v := range m.W.RawMatrix().Data {
			if v == 0 {
				n++
			}
		}
		return n
	}
	// alpha = 0.005 scaled by 30 features is an L1 weight of 0.15, large
	// against entries of X in [0, 1): it must zero more of W.
	if plain, l1 := zeros(0), zeros(0.005); l1 <= plain {
		t.Errorf("zeros in W: %d without L1, %d with", plain, l1)
	}
}

func TestBadInput(t *testing.T) {
	x := testMatrix(5)
	neg := mat.DenseCopyOf(x)
	neg.Set(3, 7, -1)
	nan := mat.DenseCopyOf(x)
	nan.Set(2, 2, math.NaN())
	inf := mat.DenseCopyOf(x)
	inf.Set(2, 2, math.Inf(1))
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		cfg  nmf.Config
		x    mat.Matrix
		want error
		text string
	}{
		{"negative", nmf.Config{}, neg, nmf.ErrBadInput, "negative value -1 at row 3, column 7"},
		{"nan", nmf.Config{}, nan, nmf.ErrBadInput, "non-finite"},
		{"inf", nmf.Config{}, inf, nmf.ErrBadInput, "non-finite"},
		{"all zero", nmf.Config{}, mat.NewDense(3, 3, nil), nmf.ErrBadInput, "all zeros"},
		{"nil", nmf.Config{}, nil, nmf.ErrBadInput, "nil"},
		{"k too big", nmf.Config{Components: 31}, x, nmf.ErrBadConfig, "Components is 31, want at most min(rows, cols) = 30"},
		{"k negative", nmf.Config{Components: -1}, x, nmf.ErrBadConfig, "Components"},
		{"cd with kl", nmf.Config{Loss: nmf.KullbackLeibler}, x, nmf.ErrBadConfig, "only MU supports"},
		{"hals with is", nmf.Config{Solver: nmf.HALS, Loss: nmf.ItakuraSaito}, x, nmf.ErrBadConfig, "only MU supports"},
		{"is with zeros", nmf.Config{Solver: nmf.MU, Loss: nmf.ItakuraSaito}, x, nmf.ErrBadInput, "Itakura-Saito"},
		{"l1 ratio", nmf.Config{L1Ratio: 2}, x, nmf.ErrBadConfig, "L1Ratio"},
		{"custom without H", nmf.Config{Init: nmf.InitCustom, W: mat.NewDense(40, 2, nil)}, x, nmf.ErrBadConfig, "both W and H"},
		{"custom shape", nmf.Config{Components: 2, Init: nmf.InitCustom, W: mat.NewDense(40, 3, nil), H: mat.NewDense(2, 30, nil)}, x, nmf.ErrBadConfig, "custom W is 40×3"},
		{"W without custom", nmf.Config{W: mat.NewDense(40, 2, nil)}, x, nmf.ErrBadConfig, "want custom when W and H are set"},
	} {
		_, err := tc.cfg.Fit(ctx, tc.x)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%s: err = %v, want %v mentioning %q", tc.name, err, tc.want, tc.text)
		}
	}
}

func TestCancelReturnsPartialModel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	cfg := nmf.Config{Components: 4, Solver: nmf.MU, MaxIter: 1000, Tol: -1, ProgressInterval: 1,
		Progress: func(p fit.Progress) error {
			calls++
			if p.Step == 5 && !p.Done {
				cancel()
			}
			return nil
		}}
	m, err := cfg.Fit(ctx, testMatrix(6))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// Five iterations, then the final event (Done, status "stopped: …").
	if m == nil || m.NIter != 5 || len(m.History) != 6 || calls != 6 {
		t.Fatalf("partial model: %+v, %d progress calls", m, calls)
	}
	finiteNonNegative(t, "W", m.W)
	if m.ReconstructionErr >= m.History[0] {
		t.Error("partial model made no progress")
	}
}

func TestProgressErrorStops(t *testing.T) {
	stop := errors.New("enough")
	m, err := nmf.Config{Components: 3, Tol: -1, ProgressInterval: 1, Progress: func(p fit.Progress) error {
		if p.Step == 3 && !p.Done {
			return stop
		}
		return nil
	}}.Fit(context.Background(), testMatrix(7))
	if !errors.Is(err, stop) || m.NIter != 3 {
		t.Fatalf("err = %v, NIter = %d, want %v after 3", err, m.NIter, stop)
	}
}

func TestSaveLoadTransform(t *testing.T) {
	x := testMatrix(8)
	m, err := nmf.Config{Components: 4, Solver: nmf.MU}.Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := nmf.Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(back.W, m.W) || !mat.Equal(back.H, m.H) || back.NIter != m.NIter || back.Config.Solver != nmf.MU {
		t.Fatal("Save/Load changed the model")
	}
	path := filepath.Join(t.TempDir(), "m.gob")
	if err := m.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	if back, err = nmf.LoadFile(path); err != nil || !mat.Equal(back.H, m.H) {
		t.Fatalf("LoadFile: %v", err)
	}
	if _, err := nmf.Load(strings.NewReader("not a gob")); !errors.Is(err, persist.ErrFormat) {
		t.Errorf("Load accepted garbage: %v", err)
	}
	// A file of another format version names that version.
	var other bytes.Buffer
	if err := persist.Save(&other, "nmf.Model", 99, m); err != nil {
		t.Fatal(err)
	}
	if _, err := nmf.Load(&other); !errors.Is(err, persist.ErrFormat) || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("Load of a version-99 file: %v", err)
	}
	// Transform of the training data lands near the fitted W: both solve
	// the same problem in H, from different starts.
	w, err := back.Transform(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	if e, fit := froErr(x, w, m.H), m.ReconstructionErr; e > fit*1.05 {
		t.Errorf("Transform error %.4f, fit %.4f", e, fit)
	}
	if _, err := back.Transform(context.Background(), mat.NewDense(3, 7, nil)); !errors.Is(err, nmf.ErrBadInput) {
		t.Errorf("Transform with the wrong width: %v", err)
	}
	rec, err := back.InverseTransform(w)
	if err != nil {
		t.Fatal(err)
	}
	if r, c := rec.Dims(); r != 40 || c != 30 {
		t.Errorf("InverseTransform is %d×%d", r, c)
	}
}

func TestTopTerms(t *testing.T) {
	m := &nmf.Model{H: mat.NewDense(2, 4, []float64{
		0.1, 0.9, 0.5, 0,
		3, 0, 0, 2,
	})}
	got, err := m.TopTerms([]string{"a", "b", "c", "d"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got[0], ",") != "b,c" || strings.Join(got[1], ",") != "a,d" {
		t.Errorf("TopTerms = %v", got)
	}
	if _, err := m.TopTerms([]string{"a"}, 2); err == nil {
		t.Error("TopTerms accepted the wrong number of names")
	}
}

func TestValidateZeroConfig(t *testing.T) {
	if err := (nmf.Config{}).Validate(); err != nil {
		t.Errorf("zero Config invalid: %v", err)
	}
}

// TestHistoryIsTheErrorOfEachIterate checks the error History reports for
// iteration t against ‖X − WH‖_F of a fit stopped after t iterations.
func TestHistoryIsTheErrorOfEachIterate(t *testing.T) {
	x := testMatrix(9)
	for _, s := range []nmf.Solver{nmf.MU, nmf.CD, nmf.HALS} {
		cfg := nmf.Config{Components: 4, Solver: s, MaxIter: 15, Tol: -1}
		full, err := cfg.Fit(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range []int{1, 2, 7, 10, 11} {
			cfg.MaxIter = it
			m, _ := cfg.Fit(context.Background(), x)
			if want := froErr(x, m.W, m.H); math.Abs(full.History[it]-want) > 1e-9*want {
				t.Errorf("%v: History[%d] = %.15g, error after %d iterations %.15g", s, it, full.History[it], it, want)
			}
		}
	}
}

func TestStartIsFitsFirstIterate(t *testing.T) {
	x := testMatrix(10)
	for _, in := range []nmf.Init{nmf.InitRandom, nmf.InitNNDSVD, nmf.InitNNDSVDA, nmf.InitNNDSVDAR} {
		cfg := nmf.Config{Components: 3, Init: in, Seed: 3, MaxIter: 1, Tol: -1}
		w, h, err := cfg.Start(x)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := cfg.Fit(context.Background(), x)
		// History[0] is the error at the start Fit used.
		if got := froErr(x, w, h); math.Abs(got-m.History[0]) > 1e-9*got {
			t.Errorf("%v: Start's error %.12g, Fit's History[0] %.12g", in, got, m.History[0])
		}
		if in == nmf.InitNNDSVD {
			continue
		}
		for _, v := range append(w.RawMatrix().Data, h.RawMatrix().Data...) {
			if !(v > 0) { // the A and AR variants and random leave no zeros
				t.Fatalf("%v: start holds %v", in, v)
			}
		}
	}
}

// TestDivergenceIsReported starts Itakura-Saito MU from a badly scaled W
// (entries near 1e-20) and H (near 1e20): the update zeroes the entries of
// W below float64's epsilon, as scikit-learn does for beta ≤ 1, WH
// collapses and the error goes from 61.8 to 61,043 at iteration 1
// (measured), over fit.Diverged's tenfold limit.
func TestDivergenceIsReported(t *testing.T) {
	w, h := mat.NewDense(25, 3, nil), mat.NewDense(3, 15, nil)
	for i := 0; i < 25; i++ {
		for r := 0; r < 3; r++ {
			w.Set(i, r, 1e-20*float64(i+r+1))
		}
	}
	for r := 0; r < 3; r++ {
		for j := 0; j < 15; j++ {
			h.Set(r, j, 1e20*float64(j+1))
		}
	}
	var final fit.Progress
	cfg := nmf.Config{Components: 3, Solver: nmf.MU, Loss: nmf.ItakuraSaito, Init: nmf.InitCustom, W: w, H: h,
		MaxIter: 50, Progress: func(p fit.Progress) error { final = p; return nil }}
	m, err := cfg.Fit(context.Background(), positiveMatrix(1))
	if !errors.Is(err, nmf.ErrDiverged) || !strings.Contains(err.Error(), "at iteration 1") {
		t.Fatalf("err = %v, want ErrDiverged at iteration 1", err)
	}
	if m == nil || m.NIter != 1 {
		t.Fatalf("want the partial model after 1 iteration, got %+v", m)
	}
	if !final.Done || !strings.HasPrefix(final.Status, "stopped: nmf: diverged") {
		t.Errorf("final progress event = %+v", final)
	}
}

// TestProgressEndsWithStatus checks the event sequence: the final event is
// Done and says why the fit stopped, with the iteration count of the model.
func TestProgressEndsWithStatus(t *testing.T) {
	for _, tc := range []struct {
		cfg  nmf.Config
		want string
	}{
		{nmf.Config{Components: 4, Solver: nmf.MU, MaxIter: 500}, "converged at iteration "},
		{nmf.Config{Components: 4, Solver: nmf.MU, MaxIter: 7, Tol: fit.Off}, "finished 7 iterations"},
	} {
		var events []fit.Progress
		tc.cfg.Progress = func(p fit.Progress) error { events = append(events, p); return nil }
		tc.cfg.ProgressInterval = fit.Off // every iteration
		m, err := tc.cfg.Fit(context.Background(), testMatrix(9))
		if err != nil {
			t.Fatal(err)
		}
		last := events[len(events)-1]
		if !last.Done || !strings.HasPrefix(last.Status, tc.want) || last.Step != int64(m.NIter) || last.Loss != m.ReconstructionErr {
			t.Errorf("final event %+v, want Done, %q…, step %d, loss %v", last, tc.want, m.NIter, m.ReconstructionErr)
		}
		if tc.want == "converged at iteration " && (!m.Converged || last.Status != fmt.Sprintf("converged at iteration %d", m.NIter)) {
			t.Errorf("status %q for a model with Converged=%v after %d", last.Status, m.Converged, m.NIter)
		}
		if len(events) != m.NIter+1 || events[0].Unit != "iteration" || events[0].Total != int64(tc.cfg.MaxIter) {
			t.Errorf("%d events for %d iterations; first %+v", len(events), m.NIter, events[0])
		}
	}
}

// TestAlphaHDefaultAndOff: AlphaH 0 penalises H as much as AlphaW, fit.Off
// not at all, so H's L1 norm is smallest with the shared penalty.
func TestAlphaHDefaultAndOff(t *testing.T) {
	x := testMatrix(10)
	l1 := func(alphaH float64) float64 {
		m, err := nmf.Config{Components: 4, AlphaW: 0.01, AlphaH: alphaH, L1Ratio: 1, MaxIter: 100, Tol: fit.Off}.Fit(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		return mat.Sum(m.H)
	}
	same, explicit, off := l1(0), l1(0.01), l1(fit.Off)
	if same != explicit {
		t.Errorf("AlphaH 0 gave ‖H‖₁ %v, AlphaH = AlphaW %v: want equal", same, explicit)
	}
	if !(off > same) {
		t.Errorf("‖H‖₁ with AlphaH Off %v, want above %v with the penalty", off, same)
	}
}
