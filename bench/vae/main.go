// Command vae trains the 784-hidden-latent Bernoulli VAE on MNIST (a seeded
// 9,000/1,000 split from stdlib/datasets) and prints one JSON line with the
// mean training seconds per epoch, the test −ELBO and its terms, and the
// test IWAE negative log-likelihood with K samples. bench/peers/vae_torch.py
// does the same with PyTorch; -export writes the split for it.
//
//	go run ./bench/vae -epochs 20 -latent 20 -hidden 400 -batch 128 -seed 0
package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"syscall"

	"github.com/gonbml/gonbml/stdlib/datasets"
	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/safefile"
	"github.com/gonbml/gonbml/stdlib/vae"
	"gonum.org/v1/gonum/mat"
)

func main() {
	epochs := flag.Int("epochs", 20, "training epochs")
	latent := flag.Int("latent", 20, "latent size")
	hidden := flag.Int("hidden", 400, "hidden layer width (one layer each side)")
	batch := flag.Int("batch", 128, "mini-batch size")
	seed := flag.Uint64("seed", 0, "seed of the split, initialisation and noise")
	workers := flag.Int("workers", 1, "goroutines for the matrix products")
	lr := flag.Float64("lr", 1e-3, "Adam learning rate")
	k := flag.Int("k", 100, "importance samples for the IWAE estimate (0 skips it)")
	export := flag.String("export", "", "write the split as train.f32/test.f32 into this directory and exit")
	flag.Parse()
	if err := run(*epochs, *latent, *hidden, *batch, *seed, *workers, *lr, *k, *export); err != nil {
		fmt.Fprintln(os.Stderr, "vae bench:", err)
		os.Exit(1)
	}
}

type result struct {
	Impl               string  `json:"impl"`
	Threads            int     `json:"threads"`
	Epochs             int     `json:"epochs"`
	Latent             int     `json:"latent"`
	Hidden             int     `json:"hidden"`
	Batch              int     `json:"batch"`
	TrainRows          int     `json:"train_rows"`
	TestRows           int     `json:"test_rows"`
	SecondsPerEpoch    float64 `json:"seconds_per_epoch"`
	CPUSecondsPerEpoch float64 `json:"cpu_seconds_per_epoch"`
	TestNegELBO        float64 `json:"test_neg_elbo"`
	TestReconstruction float64 `json:"test_reconstruction"`
	TestKL             float64 `json:"test_kl"`
	TestIWAENLL        float64 `json:"test_iwae_nll_k100"`
	IWAEK              int     `json:"iwae_k"`
}

func run(epochs, latent, hidden, batch int, seed uint64, workers int, lr float64, k int, export string) error {
	ctx := context.Background()
	digits, err := datasets.LoadMNIST(ctx)
	if err != nil {
		return err
	}
	train, test, err := digits.Split(0.1, seed)
	if err != nil {
		return err
	}
	if export != "" {
		if err := writeF32(filepath.Join(export, "train.f32"), train.Images); err != nil {
			return err
		}
		return writeF32(filepath.Join(export, "test.f32"), test.Images)
	}
	cfg := vae.Config{Hidden: []int{hidden}, Latent: latent, BatchSize: batch, Epochs: epochs,
		LearningRate: lr, Seed: seed, Workers: workers}
	// Process CPU time at the end of every epoch: on a shared machine it is
	// a steadier measure than wall time (the first epoch, which includes
	// converting the data, is left out).
	var cpuMarks []float64
	cfg.ProgressInterval = fit.Off // every epoch
	cfg.Progress = func(p fit.Progress) error {
		if !p.Done {
			cpuMarks = append(cpuMarks, cpuSeconds())
		}
		return nil
	}
	m, err := cfg.Fit(ctx, train.Images)
	if err != nil {
		return err
	}
	var secs float64
	for _, e := range m.History {
		secs += e.Seconds
	}
	t, err := m.ELBO(test.Images)
	if err != nil {
		return err
	}
	r := result{Impl: "gonbml", Threads: workers, Epochs: epochs, Latent: latent, Hidden: hidden, Batch: batch,
		TrainRows: train.Len(), TestRows: test.Len(), SecondsPerEpoch: round(secs/float64(len(m.History)), 4),
		CPUSecondsPerEpoch: cpuPerEpoch(cpuMarks),
		TestNegELBO:        round(t.NegELBO, 2), TestReconstruction: round(t.Reconstruction, 2), TestKL: round(t.KL, 2), IWAEK: k}
	if k > 0 {
		ll, err := m.LogLikelihood(test.Images, k, seed)
		if err != nil {
			return err
		}
		var s float64
		for _, v := range ll {
			s += v
		}
		r.TestIWAENLL = round(-s/float64(len(ll)), 2)
	}
	return json.NewEncoder(os.Stdout).Encode(r)
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return math.NaN()
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

func cpuPerEpoch(marks []float64) float64 {
	if len(marks) < 2 {
		return 0
	}
	return round((marks[len(marks)-1]-marks[0])/float64(len(marks)-1), 4)
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// writeF32 writes rows, cols as little-endian int32 then the values as
// little-endian float32, atomically.
func writeF32(path string, m *mat.Dense) error {
	r, c := m.Dims()
	buf := make([]byte, 8+4*r*c)
	binary.LittleEndian.PutUint32(buf[0:], uint32(r))
	binary.LittleEndian.PutUint32(buf[4:], uint32(c))
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			binary.LittleEndian.PutUint32(buf[8+4*(i*c+j):], math.Float32bits(float32(m.At(i, j))))
		}
	}
	return safefile.WriteBytes(path, buf)
}
