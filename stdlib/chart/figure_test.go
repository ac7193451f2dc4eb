package chart

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// lookCharts builds one chart per helper from data shaped like the
// notebooks' (a training curve, topic weights, a 10-class latent space, a
// word map, a similarity matrix, a histogram of ink), with every axis
// named.
func lookCharts(t *testing.T) map[string]Renderer {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2)) // any fixed seed: the data only need a shape
	must := func(c Renderer, err error) Renderer {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	var train, val Series
	train.Name, val.Name = "train", "validation"
	for e := 1; e <= 30; e++ {
		train.X, train.Y = append(train.X, float64(e)), append(train.Y, 90+200/float64(e))
		val.X, val.Y = append(val.X, float64(e)), append(val.Y, 95+210/float64(e)+0.2*float64(e))
	}
	parts := make([]string, 12)
	weights := make([]float64, 12)
	for i := range parts {
		parts[i] = fmt.Sprintf("part %d", i+1)
		weights[i] = rng.Float64()
	}
	var zx, zy []float64
	var digits []string
	for i := 0; i < 600; i++ {
		d := i % 10
		a := float64(d) / 10 * 2 * math.Pi
		zx = append(zx, 2*math.Cos(a)+rng.NormFloat64()*0.45)
		zy = append(zy, 2*math.Sin(a)+rng.NormFloat64()*0.45)
		digits = append(digits, fmt.Sprint(d))
	}
	words := []string{"king", "queen", "man", "woman", "paris", "france", "berlin", "germany", "ship", "whale", "sea", "captain", "harpoon", "boat", "oil", "dollar", "bank", "money", "tax", "war"}
	groups := []string{"people", "people", "people", "people", "places", "places", "places", "places", "sea", "sea", "sea", "sea", "sea", "sea", "money", "money", "money", "money", "money", "politics"}
	var wx, wy []float64
	for i := range words {
		g := float64(i / 4)
		wx = append(wx, g+rng.NormFloat64()*0.4)
		wy = append(wy, math.Sin(g)+rng.NormFloat64()*0.4)
	}
	sim := mat.NewDense(10, 10, nil)
	for i := 0; i < 10; i++ {
		for j := 0; j < 10; j++ {
			sim.Set(i, j, math.Exp(-math.Abs(float64(i-j))/3))
		}
	}
	signed := mat.NewDense(6, 8, nil)
	for i := 0; i < 6; i++ {
		for j := 0; j < 8; j++ {
			signed.Set(i, j, math.Sin(float64(i*8+j))*0.004)
		}
	}
	ink := make([]float64, 5000)
	for i := range ink {
		ink[i] = 100 + 30*rng.NormFloat64()
	}
	return map[string]Renderer{
		"line": must(Options{Title: "−ELBO per epoch", X: Axis{Name: "epoch"}, Y: Axis{Name: "−ELBO", Unit: "nats per image"}}.Line(train, val)),
		"bar":  must(Options{Title: "weight of each part in this digit", X: Axis{Name: "NMF part"}, Y: Axis{Name: "weight"}}.Bar(parts, weights)),
		"bar-horizontal": must(Options{Title: "top words of topic 3", Horizontal: true, X: Axis{Name: "weight in topic"}}.Bar(
			[]string{"ship", "whale", "sea", "captain", "harpoon"}, []float64{0.09, 0.07, 0.05, 0.02, 0.01})),
		"scatter":        must(Options{Title: "VAE means μ of the test digits", X: Axis{Name: "μ₁"}, Y: Axis{Name: "μ₂"}}.Scatter(zx, zy, digits)),
		"scatter-labels": must(Options{Title: "word vectors, first two principal components", X: Axis{Name: "PC 1"}, Y: Axis{Name: "PC 2"}, PointLabels: words}.Scatter(wx, wy, groups)),
		"heatmap":        must(Options{Title: "cosine similarity of the mean digits", X: Axis{Name: "digit"}, Y: Axis{Name: "digit"}}.HeatMap(sim, nil, nil)),
		"heatmap-signed": must(Options{Title: "PCA loadings", X: Axis{Name: "pixel block"}, Y: Axis{Name: "component"}}.HeatMap(signed, nil, nil)),
		"histogram":      must(Options{Title: "ink per image", Bins: 40, X: Axis{Name: "ink", Unit: "sum of pixel values"}}.Histogram(ink)),
	}
}

// lookImages builds 20 synthetic 28×28 "strokes" (rings of growing radius)
// for the image-grid figures: values in [0, 1], and a signed version.
func lookImages() (pixels, signed *mat.Dense) {
	pixels = mat.NewDense(20, 28*28, nil)
	signed = mat.NewDense(20, 28*28, nil)
	for k := 0; k < 20; k++ {
		r := 4 + float64(k%10)
		for y := 0; y < 28; y++ {
			for x := 0; x < 28; x++ {
				d := math.Hypot(float64(x)-13.5, float64(y)-13.5)
				v := math.Exp(-(d - r) * (d - r) / 4)
				pixels.Set(k, y*28+x, v)
				signed.Set(k, y*28+x, v-0.5*math.Exp(-d*d/20))
			}
		}
	}
	return pixels, signed
}
