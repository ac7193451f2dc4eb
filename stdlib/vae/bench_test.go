package vae

import (
	"context"
	"github.com/gonbml/gonbml/stdlib/nn"
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
		if _, err := cfg.Fit(context.Background(), x); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*9000/2048, "s/mnist-epoch")
}

// BenchmarkStep times one training step (forward, backward, Adam) of the
// 784-400-20 VAE on a batch of 128; ×71 gives an MNIST epoch of 9,000 rows.
func BenchmarkStep(b *testing.B) {
	xd := syntheticImages(128, 784, 2)
	x, err := toMatrix32("X", xd, 784, Bernoulli)
	if err != nil {
		b.Fatal(err)
	}
	c := Config{}.withDefaults()
	net := newNetwork(arch{Input: 784, Hidden: c.Hidden, DecoderHidden: c.DecoderHidden, Latent: 20, Variational: true, Beta: 1}, 1)
	eps := x.Clone().Reshape(128, 20)
	for i := range eps.Data {
		eps.Data[i] = 0.5
	}
	opt := &nn.Adam{}
	for b.Loop() {
		net.lossAndGrad(x, eps, true)
		opt.Step(net.params)
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*71, "s/mnist-epoch")
}
