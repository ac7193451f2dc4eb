package nn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/gonbml/gonbml/stdlib/nn"
)

func ExampleMatMul() {
	a := &nn.Matrix{Rows: 2, Cols: 2, Data: []float32{1, 2, 3, 4}}
	dst := nn.NewMatrix(2, 2)
	nn.MatMul(dst, a, a, nn.MatMulOptions{TransA: true}) // aᵀ·a
	fmt.Println(dst.Data)
	// Output: [10 14 14 20]
}

func ExampleMatMulOptions() {
	// C = A·Bᵀ with A 2×3 and B stored 2×3, then C += A·Bᵀ on 2 goroutines.
	a := &nn.Matrix{Rows: 2, Cols: 3, Data: []float32{1, 2, 3, 4, 5, 6}}
	b := &nn.Matrix{Rows: 2, Cols: 3, Data: []float32{1, 0, 1, 0, 1, 0}}
	c := nn.NewMatrix(2, 2)
	nn.MatMul(c, a, b, nn.MatMulOptions{TransB: true})
	fmt.Println(c.Data)
	nn.MatMul(c, a, b, nn.MatMulOptions{TransB: true, Add: true, Workers: 2})
	fmt.Println(c.Data)
	// Output:
	// [4 2 10 5]
	// [8 4 20 10]
}

func ExampleDense() {
	rng := rand.New(rand.NewPCG(1, 2))
	layer := nn.NewDense(3, 2, nn.InitHe, rng)
	x := &nn.Matrix{Rows: 1, Cols: 3, Data: []float32{1, 0, -1}}
	y := nn.NewMatrix(1, 2)
	layer.Forward(y, x, 1)
	// Gradient of Σy: every output gets 1.
	dy := &nn.Matrix{Rows: 1, Cols: 2, Data: []float32{1, 1}}
	dx := nn.NewMatrix(1, 3)
	layer.Backward(dx, x, dy, 1)
	fmt.Println(layer.GradB, layer.GradW.Data)
	// Output: [1 1] [1 1 0 0 -1 -1]
}

func ExampleActivation() {
	x := []float32{-1, 0, 2}
	y := make([]float32, 3)
	nn.ReLU.Forward(y, x)
	dx := make([]float32, 3)
	nn.ReLU.Backward(dx, x, y, []float32{1, 1, 1})
	fmt.Println(y, dx)
	// Output: [0 0 2] [0 0 1]
}

func ExampleBCEWithLogits() {
	logits := &nn.Matrix{Rows: 1, Cols: 2, Data: []float32{0, 0}}
	target := &nn.Matrix{Rows: 1, Cols: 2, Data: []float32{1, 0}}
	grad := nn.NewMatrix(1, 2)
	loss := nn.BCEWithLogits(grad, logits, target, 1, nil)
	fmt.Printf("%.4f %v\n", loss, grad.Data) // 2·log 2
	// Output: 1.3863 [-0.5 0.5]
}

func ExampleSquaredError() {
	pred := &nn.Matrix{Rows: 1, Cols: 2, Data: []float32{1, 3}}
	target := &nn.Matrix{Rows: 1, Cols: 2, Data: []float32{0, 1}}
	fmt.Println(nn.SquaredError(nil, pred, target, 1, nil))
	// Output: 2.5
}

func ExampleGaussianNLL() {
	mean := &nn.Matrix{Rows: 1, Cols: 1, Data: []float32{0}}
	x := &nn.Matrix{Rows: 1, Cols: 1, Data: []float32{0}}
	// Standard normal density at its mean: −log φ(0) = ½ log 2π.
	fmt.Printf("%.4f\n", nn.GaussianNLL(nil, nil, mean, nil, x, 0, 1, nil))
	// Output: 0.9189
}

func ExampleAdam() {
	// Minimise (w − 3)².
	w, g := []float32{0}, []float32{0}
	opt := &nn.Adam{LR: 0.1}
	for range 500 {
		g[0] = 2 * (w[0] - 3)
		opt.Step([]nn.Param{{Name: "w", Value: w, Grad: g}})
	}
	fmt.Printf("%.2f\n", w[0])
	// Output: 3.00
}

func ExampleSGD() {
	w, g := []float32{0}, []float32{0}
	opt := &nn.SGD{LR: 0.1}
	for range 100 {
		g[0] = 2 * (w[0] - 3)
		opt.Step([]nn.Param{{Name: "w", Value: w, Grad: g}})
	}
	fmt.Printf("%.2f\n", w[0])
	// Output: 3.00
}

func ExampleInitWeights() {
	rng := rand.New(rand.NewPCG(1, 2))
	w := nn.NewMatrix(1000, 100)
	nn.InitWeights(nn.InitXavier, w, nil, rng)
	var maxAbs float32
	for _, v := range w.Data {
		maxAbs = max(maxAbs, v, -v)
	}
	fmt.Println(maxAbs <= 0.0742) // √(6/1100)
	// Output: true
}

func ExampleGRU() {
	rng := rand.New(rand.NewPCG(1, 2))
	cell := nn.NewGRU(3, 2, rng)
	x := nn.NewMatrix(1, 3)
	h := nn.NewMatrix(1, 2)
	var step nn.GRUStep
	// With zero input, state and biases every gate is ½ and the candidate 0.
	fmt.Println(cell.Forward(&step, x, h, 1).Data, step.U.Data)
	// Output: [0 0] [0.5 0.5]
}

func ExampleCheckGradient() {
	// f(v) = Σ v², gradient 2v.
	v := []float32{1, -2}
	g := []float32{2, -4}
	loss := func() float64 { return float64(v[0]*v[0] + v[1]*v[1]) }
	res, _ := nn.CheckGradient(loss, []nn.Param{{Name: "v", Value: v, Grad: g}}, nn.GradCheckConfig{})
	fmt.Println(res.MaxRelErr < 1e-3, res.Checked)
	// Output: true 2
}

func ExampleParallelFor() {
	sums := make([]int, 4)
	nn.ParallelFor(4, 2, 1, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			sums[i] = i * i
		}
	})
	fmt.Println(sums)
	// Output: [0 1 4 9]
}

func ExampleNewMatrix() {
	m := nn.NewMatrix(2, 3)
	m.Set(1, 2, 5)
	fmt.Println(m.At(1, 2), m.Row(1), len(m.Data))
	// Output: 5 [0 0 5] 6
}

func ExampleDense_BackwardOverwrite() {
	rng := rand.New(rand.NewPCG(1, 2))
	layer := nn.NewDense(2, 1, nn.InitXavier, rng)
	x := &nn.Matrix{Rows: 2, Cols: 2, Data: []float32{1, 2, 3, 4}}
	dy := &nn.Matrix{Rows: 2, Cols: 1, Data: []float32{1, 1}}
	// No ZeroGrads needed: the gradients are set, not accumulated.
	layer.BackwardOverwrite(nil, x, dy, false, 1)
	layer.BackwardOverwrite(nil, x, dy, false, 1)
	fmt.Println(layer.GradW.Data, layer.GradB)
	// Output: [4 6] [2]
}

func ExampleZeroGrads() {
	g := []float32{1, 2}
	nn.ZeroGrads([]nn.Param{{Name: "w", Value: make([]float32, 2), Grad: g}})
	fmt.Println(g)
	// Output: [0 0]
}

func ExampleAdam_Validate() {
	fmt.Println((&nn.Adam{Beta1: 1}).Validate())
	// Output: nn: Adam.Beta1 1 is outside [0, 1)
}

func ExampleSigmoidScalar() {
	fmt.Println(nn.SigmoidScalar(0), nn.SigmoidScalar(-200))
	// Output: 0.5 0
}

func ExampleSoftplusScalar() {
	fmt.Printf("%.4f %.1f\n", nn.SoftplusScalar(0), nn.SoftplusScalar(100)) // log 2; ≈ x for large x
	// Output: 0.6931 100.0
}
