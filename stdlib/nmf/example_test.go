package nmf_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/nmf"
	"github.com/gonbml/gonbml/stdlib/sparse"
	"gonum.org/v1/gonum/mat"
)

// parts is a 6×4 matrix made of two non-overlapping "parts": rows use
// columns {0,1} or {2,3} or both.
func parts() *mat.Dense {
	return mat.NewDense(6, 4, []float64{
		1, 1, 0, 0,
		2, 2, 0, 0,
		0, 0, 1, 1,
		0, 0, 3, 3,
		1, 1, 1, 1,
		2, 2, 1, 1,
	})
}

func ExampleConfig_Fit() {
	m, err := nmf.Config{Components: 2, Solver: nmf.MU, Tol: -1, MaxIter: 500}.Fit(context.Background(), parts())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("iterations %d, error %.4f\n", m.NIter, m.ReconstructionErr)
	fmt.Printf("H normalised by row maximum:\n%.2f\n", mat.Formatted(rowScaled(m.H)))
	// Output:
	// iterations 500, error 0.0046
	// H normalised by row maximum:
	// ⎡0.00  0.00  1.00  1.00⎤
	// ⎣1.00  1.00  0.00  0.00⎦
}

func rowScaled(h *mat.Dense) *mat.Dense {
	out := mat.DenseCopyOf(h)
	r, _ := out.Dims()
	for i := 0; i < r; i++ {
		row := out.RawRowView(i)
		mx := mat.Max(out.RowView(i))
		for j := range row {
			row[j] /= mx
		}
	}
	return out
}

func ExampleConfig_Fit_sparse() {
	x, _ := sparse.FromDense(parts()) // a CSR is used as is, never densified
	m, _ := nmf.Config{Components: 2, Solver: nmf.CD}.Fit(context.Background(), x)
	fmt.Printf("converged %v after %d iterations, error %.4f at init, %.4f at the end\n",
		m.Converged, m.NIter, m.History[0], m.ReconstructionErr)
	// Output: converged true after 10 iterations, error 5.8314 at init, 0.0004 at the end
}

func ExampleModel_Transform() {
	m, _ := nmf.Config{Components: 2, Solver: nmf.HALS}.Fit(context.Background(), parts())
	w, _ := m.Transform(context.Background(), mat.NewDense(1, 4, []float64{0, 0, 5, 5}))
	back, _ := m.InverseTransform(w)
	fmt.Printf("%.3f\n", mat.Formatted(back))
	// Output: [0.000  0.000  5.000  5.000]
}

func ExampleModel_TopTerms() {
	m, _ := nmf.Config{Components: 2}.Fit(context.Background(), parts())
	top, _ := m.TopTerms([]string{"wheel", "tyre", "wing", "tail"}, 2)
	for _, terms := range top {
		fmt.Println(terms)
	}
	// Unordered output:
	// [wheel tyre]
	// [wing tail]
}

func ExampleLoad() {
	m, _ := nmf.Config{Components: 2, Seed: 1}.Fit(context.Background(), parts())
	var buf bytes.Buffer
	m.Save(&buf) // or m.SaveFile(path), atomically
	back, err := nmf.Load(&buf)
	fmt.Println(err, mat.Equal(back.H, m.H), back.NIter == m.NIter)
	// Output: <nil> true true
}

func ExampleConfig_Validate() {
	fmt.Println(nmf.Config{L1Ratio: 1.5}.Validate())
	// Output: nmf: bad config: L1Ratio is 1.5, want a value in [0, 1]
}

func ExampleParseSolver() {
	s, err := nmf.ParseSolver("hals")
	fmt.Println(s, err)
	// Output: hals <nil>
}

func ExampleModel_InverseTransform() {
	m := &nmf.Model{H: mat.NewDense(2, 3, []float64{1, 0, 1, 0, 2, 0})}
	x, _ := m.InverseTransform(mat.NewDense(1, 2, []float64{3, 0.5}))
	fmt.Println(mat.Formatted(x))
	// Output: [3  1  3]
}

func ExampleModel_SaveFile() {
	dir, _ := os.MkdirTemp("", "nmf")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "topics.gob")
	m, _ := nmf.Config{Components: 2}.Fit(context.Background(), parts())
	if err := m.SaveFile(path); err != nil { // atomic: temporary file + rename
		fmt.Println(err)
	}
	back, err := nmf.LoadFile(path)
	fmt.Println(err, back.Config.Components, mat.Equal(back.W, m.W))
	// Output: <nil> 2 true
}

func ExampleConfig_Fit_cancel() {
	ctx, cancel := context.WithCancel(context.Background())
	cfg := nmf.Config{Components: 2, Solver: nmf.MU, Tol: -1, ProgressInterval: time.Nanosecond,
		Progress: func(p fit.Progress) error {
			if p.Step == 3 {
				cancel() // e.g. a notebook's interrupt
			}
			return nil
		}}
	m, err := cfg.Fit(ctx, parts())
	fmt.Println(err, m.NIter, len(m.History))
	// Output: context canceled 3 4
}

func ExampleConfig_Fit_betaLoss() {
	m, err := nmf.Config{Components: 2, Solver: nmf.MU, Loss: nmf.KullbackLeibler}.Fit(context.Background(), parts())
	fmt.Println(err, m.Config.Loss, m.ReconstructionErr < m.History[0])
	// Output: <nil> kullback-leibler true
}

func ExampleSolver_String() {
	fmt.Println(nmf.MU, nmf.HALS, nmf.CD, nmf.InitNNDSVDA, nmf.ItakuraSaito)
	// Output: mu hals cd nndsvda itakura-saito
}

func ExampleConfig_Start() {
	cfg := nmf.Config{Components: 2, Init: nmf.InitNNDSVDA}
	w, h, _ := cfg.Start(parts())
	// Two solvers from the same start: pass it as a custom init.
	for _, s := range []nmf.Solver{nmf.MU, nmf.CD} {
		m, _ := nmf.Config{Components: 2, Solver: s, Init: nmf.InitCustom, W: w, H: h, MaxIter: 5, Tol: -1}.Fit(context.Background(), parts())
		fmt.Printf("%v: %.3f -> %.3f\n", s, m.History[0], m.ReconstructionErr)
	}
	// Output:
	// mu: 5.831 -> 0.779
	// cd: 5.831 -> 0.012
}
