package vae

import (
	"context"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// syntheticImages returns n rows of 784 values in [0, 1]: blurred random
// strokes, MNIST-like in size and sparsity, for benchmarks without data.
func syntheticImages(n, d int, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		c := rng.IntN(d)
		for k := 0; k < d/5; k++ {
			j := (c + k*7 + rng.IntN(3)) % d
			x.Set(i, j, rng.Float64())
		}
	}
	return x
}

// BenchmarkTrainEpoch times one epoch of the 784-400-20 VAE on 2,048 rows
// (16 batches of 128) and reports the equivalent seconds for 9,000 rows.
func BenchmarkTrainEpoch(b *testing.B) {
	x := syntheticImages(2048, 784, 1)
	cfg := Config{Epochs: 1}
	for b.Loop() {
		if _, err := Train(context.Background(), x, cfg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*9000/2048, "s/mnist-epoch")
}
