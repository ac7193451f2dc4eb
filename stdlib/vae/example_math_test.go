package vae_test

import (
	"context"
	"fmt"
	"math"

	"github.com/gonbml/gonbml/stdlib/vae"
	"gonum.org/v1/gonum/mat"
)

func ExampleLatentGrid() {
	z, _ := vae.LatentGrid(3, []float64{-1, -1}, []float64{1, 1})
	fmt.Println(mat.Formatted(z))
	// Output:
	// ⎡-1   1⎤
	// ⎢ 0   1⎥
	// ⎢ 1   1⎥
	// ⎢-1   0⎥
	// ⎢ 0   0⎥
	// ⎢ 1   0⎥
	// ⎢-1  -1⎥
	// ⎢ 0  -1⎥
	// ⎣ 1  -1⎦
}

func ExampleGridCounts() {
	codes := mat.NewDense(3, 2, []float64{-0.9, 1.1, 0.2, 0.1, 0.1, -0.2})
	counts, _ := vae.GridCounts(codes, 3, []float64{-1, -1}, []float64{1, 1})
	fmt.Println(counts)
	// Output: [1 0 0 0 2 0 0 0 0]
}

func ExampleModel_Posterior() {
	m := trained()
	x := stripes(2)
	post, _ := m.Posterior(x, vae.GridConfig{})
	elbo, _ := m.SampledELBO(x, 2000, 1)
	for i, p := range post {
		// log p(x) = ELBO + KL(q(z|x) ‖ p(z|x)), up to the ELBO's noise.
		residual := p.LogPX - elbo[i].Value - p.KL
		fmt.Println(p.KL >= 0, math.Abs(residual) <= math.Max(0.01, 3*elbo[i].StdErr))
	}
	// Output:
	// true true
	// true true
}

func ExampleModel_SampledELBO() {
	m := trained()
	few, _ := m.SampledELBO(stripes(1), 10, 1)
	many, _ := m.SampledELBO(stripes(1), 1000, 1)
	fmt.Println(many[0].StdErr < few[0].StdErr, many[0].N)
	// Output: true 1000
}

func ExampleModel_SampledKL() {
	m := trained()
	x := stripes(1)
	sampled, _ := m.SampledKL(x, 20000, 1)
	exact, _ := m.ELBORows(x)
	fmt.Println(math.Abs(sampled[0].Value-exact[0].KL) < 4*sampled[0].StdErr)
	// Output: true
}

func ExampleModel_LogWeights() {
	m := trained()
	x := stripes(1)
	fromQ, _ := m.LogWeights(x, 1000, vae.FromEncoder, 1)
	fromPrior, _ := m.LogWeights(x, 1000, vae.FromPrior, 1)
	// Draws from q(z|x) count for more of the estimate than draws from the prior.
	fmt.Println(vae.EffectiveSampleSize(fromQ[0]) > vae.EffectiveSampleSize(fromPrior[0]))
	// Output: true
}

func ExampleEffectiveSampleSize() {
	fmt.Printf("%.1f %.1f\n", vae.EffectiveSampleSize([]float64{0, 0, 0, 0}),
		vae.EffectiveSampleSize([]float64{0, -50, -50, -50}))
	// Output: 4.0 1.0
}

func ExampleLogMeanExp() {
	fmt.Printf("%.4f\n", vae.LogMeanExp([]float64{math.Log(1), math.Log(3)}))
	// Output: 0.6931
}

func ExampleReparamGradient() {
	// E[z²] = μ² + σ², so the gradient is (2μ, 2σ) = (3, 1.4).
	g, _ := vae.ReparamGradient(func(z float64) float64 { return 2 * z }, 1.5, 0.7, 100000, 1)
	fmt.Printf("%.1f %.1f\n", g.Mu.Value, g.Sigma.Value)
	// Output: 3.0 1.4
}

func ExampleScoreGradient() {
	square := func(z float64) float64 { return z * z }
	score, _ := vae.ScoreGradient(square, 1.5, 0.7, 10000, 1)
	trick, _ := vae.ReparamGradient(func(z float64) float64 { return 2 * z }, 1.5, 0.7, 10000, 1)
	fmt.Println(score.Mu.Variance > 10*trick.Mu.Variance)
	// Output: true
}

func ExampleJudgeConfig_Fit() {
	reference := mat.NewDense(4, 2, []float64{0, 0, 0, 1, 10, 0, 10, 1})
	j, _ := vae.JudgeConfig{K: 2}.Fit(context.Background(), reference, []int{0, 0, 1, 1})
	v, _ := j.Judge(mat.NewDense(1, 2, []float64{9, 0}))
	fmt.Printf("label %d, confidence %.1f, distance %.1f\n", v[0].Label, v[0].Confidence, v[0].Distance)
	// Output: label 1, confidence 1.0, distance 1.0
}
