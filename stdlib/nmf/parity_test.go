package nmf_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/nmf"
	"github.com/gonbml/gonbml/stdlib/sparse"
	"gonum.org/v1/gonum/mat"
)

// parityFixture is testdata/sklearn_parity.json, written by
// bench/peers/nmf_sklearn.py -fixtures with Debian's scikit-learn 1.2.
type parityFixture struct {
	K      int `json:"k"`
	Sparse struct {
		Rows, Cols int
		Row, Col   []int
		Val        []float64
	} `json:"sparse"`
	Pos                  [][]float64
	W0, H0, W0pos, H0pos [][]float64
	Cases                []parityCase
}

type parityCase struct {
	Name      string
	X         string
	Params    map[string]any
	W, H      [][]float64
	Transform [][]float64
	NIter     int     `json:"n_iter"`
	ReconErr  float64 `json:"recon_err"`
}

func denseOf(rows [][]float64) *mat.Dense {
	d := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		d.SetRow(i, r)
	}
	return d
}

func loadParity(t *testing.T) parityFixture {
	raw, err := os.ReadFile("testdata/sklearn_parity.json")
	if err != nil {
		t.Fatal(err)
	}
	var f parityFixture
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// relDiff is ‖a − b‖_F / ‖b‖_F.
func relDiff(a, b mat.Matrix) float64 {
	var d mat.Dense
	d.Sub(a, b)
	return mat.Norm(&d, 2) / mat.Norm(b, 2)
}

// TestParityWithScikitLearn runs every fixture case from scikit-learn's
// starting W and H and compares the factors, the iteration count (the Tol
// test), the reconstruction error and Transform.
func TestParityWithScikitLearn(t *testing.T) {
	f := loadParity(t)
	ts := make([]sparse.Triplet, len(f.Sparse.Val))
	for i := range ts {
		ts[i] = sparse.Triplet{Row: f.Sparse.Row[i], Col: f.Sparse.Col[i], Val: f.Sparse.Val[i]}
	}
	xs, err := sparse.FromTriplets(f.Sparse.Rows, f.Sparse.Cols, ts)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range f.Cases {
		for _, workers := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/workers=%d", c.Name, workers), func(t *testing.T) {
				cfg := nmf.Config{Components: f.K, Init: nmf.InitCustom, Workers: workers}
				var x mat.Matrix = xs
				cfg.W, cfg.H = denseOf(f.W0), denseOf(f.H0)
				if c.X == "pos" {
					x = denseOf(f.Pos)
					cfg.W, cfg.H = denseOf(f.W0pos), denseOf(f.H0pos)
				}
				for key, v := range c.Params {
					switch key {
					case "solver":
						s, err := nmf.ParseSolver(v.(string))
						if err != nil {
							t.Fatal(err)
						}
						cfg.Solver = s
					case "max_iter":
						cfg.MaxIter = int(v.(float64))
					case "tol":
						cfg.Tol = v.(float64)
						if cfg.Tol == 0 {
							cfg.Tol = fit.Off // scikit-learn's tol=0: no test
						}
					case "beta_loss":
						cfg.Loss = map[string]nmf.Loss{"kullback-leibler": nmf.KullbackLeibler, "itakura-saito": nmf.ItakuraSaito}[v.(string)]
					case "alpha_W":
						cfg.AlphaW = v.(float64)
					case "alpha_H":
						cfg.AlphaH = v.(float64)
						if cfg.AlphaH == 0 {
							cfg.AlphaH = fit.Off // scikit-learn's alpha_H=0: none
						}
					case "l1_ratio":
						cfg.L1Ratio = v.(float64)
					default:
						t.Fatalf("fixture parameter %q not mapped", key)
					}
				}
				m, err := cfg.Fit(context.Background(), x)
				if err != nil {
					t.Fatal(err)
				}
				if m.NIter != c.NIter {
					t.Errorf("NIter = %d, scikit-learn %d", m.NIter, c.NIter)
				}
				// Same arithmetic up to summation order: measured ~2e-15 here;
				// 1e-10 leaves room for other CPUs and compilers.
				if d := relDiff(m.W, denseOf(c.W)); d > 1e-10 {
					t.Errorf("W differs from scikit-learn's by %.3g (relative)", d)
				}
				if d := relDiff(m.H, denseOf(c.H)); d > 1e-10 {
					t.Errorf("H differs from scikit-learn's by %.3g (relative)", d)
				}
				if d := math.Abs(m.ReconstructionErr-c.ReconErr) / c.ReconErr; d > 1e-9 {
					t.Errorf("ReconstructionErr = %.12g, scikit-learn %.12g", m.ReconstructionErr, c.ReconErr)
				}
				w, err := m.Transform(context.Background(), x)
				if err != nil {
					t.Fatal(err)
				}
				if d := relDiff(w, denseOf(c.Transform)); d > 1e-10 {
					t.Errorf("Transform differs from scikit-learn's by %.3g (relative)", d)
				}
			})
		}
	}
}
