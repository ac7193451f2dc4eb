package vae_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/gonbml/gonbml/stdlib/vae"
	"gonum.org/v1/gonum/mat"
)

// stripes returns n 16-pixel images in [0, 1]: a soft bar at a random-ish
// position, a one-dimensional family a 2-D latent can capture.
func stripes(n int) *mat.Dense {
	x := mat.NewDense(n, 16, nil)
	for i := 0; i < n; i++ {
		c := float64(i%13) + 1.5
		for j := 0; j < 16; j++ {
			x.Set(i, j, math.Exp(-(float64(j)-c)*(float64(j)-c)/4))
		}
	}
	return x
}

func ExampleConfig_Fit() {
	x := stripes(260)
	m, err := vae.Config{
		Hidden: []int{32}, Latent: 2, BatchSize: 26, Epochs: 30, LearningRate: 3e-3, Seed: 1,
	}.Fit(context.Background(), x)
	if err != nil {
		fmt.Println(err)
		return
	}
	first, last := m.History[0].Train, m.History[len(m.History)-1].Train
	fmt.Println("epochs:", len(m.History))
	fmt.Println("-ELBO fell:", last.NegELBO < first.NegELBO)
	fmt.Println("terms add up:", math.Abs(last.NegELBO-last.Reconstruction-last.KL) < 1e-9)
	// Output:
	// epochs: 30
	// -ELBO fell: true
	// terms add up: true
}

func ExampleConfig_FitAutoencoder() {
	x := stripes(130)
	ae, err := vae.Config{Hidden: []int{16}, Latent: 2, Epochs: 5}.FitAutoencoder(context.Background(), x)
	if err != nil {
		fmt.Println(err)
		return
	}
	z, _ := ae.Encode(x)
	r, c := z.Dims()
	fmt.Println(r, c, ae.History[4].Train.KL)
	// Output: 130 2 0
}

func trained() *vae.Model {
	m, _ := vae.Config{Hidden: []int{16}, Latent: 2, Epochs: 5, Seed: 2}.Fit(context.Background(), stripes(130))
	return m
}

func ExampleModel_Encode() {
	mu, sigma, _ := trained().Encode(stripes(3))
	r, c := mu.Dims()
	fmt.Println(r, c, mat.Min(sigma) > 0)
	// Output: 3 2 true
}

func ExampleModel_Decode() {
	out, _ := trained().Decode(mat.NewDense(1, 2, []float64{0, 0}))
	fmt.Println(out.Dims())
	// Output: 1 16
}

func ExampleModel_Reconstruct() {
	rec, _ := trained().Reconstruct(stripes(4))
	fmt.Println(mat.Min(rec) >= 0, mat.Max(rec) <= 1) // Bernoulli means
	// Output: true true
}

func ExampleModel_Sample() {
	s, _ := trained().Sample(5, 42)
	fmt.Println(s.Dims())
	// Output: 5 16
}

func ExampleModel_Interpolate() {
	x := stripes(13)
	path, _ := trained().Interpolate(x.RawRowView(0), x.RawRowView(12), 7)
	fmt.Println(path.Dims())
	// Output: 7 16
}

func ExampleModel_ELBO() {
	t, _ := trained().ELBO(stripes(20))
	fmt.Println(t.NegELBO > 0, t.KL >= 0)
	// Output: true true
}

func ExampleModel_ELBORows() {
	rows, _ := trained().ELBORows(stripes(20))
	fmt.Println(len(rows))
	// Output: 20
}

func ExampleModel_LogLikelihood() {
	m := trained()
	x := stripes(26)
	ll, _ := m.LogLikelihood(x, 100, 1)
	elbo, _ := m.ELBO(x)
	var mean float64
	for _, v := range ll {
		mean += v / float64(len(ll))
	}
	// The importance-weighted estimate is a tighter bound than the ELBO.
	fmt.Println(mean > -elbo.NegELBO)
	// Output: true
}

func ExampleModel_Save() {
	m := trained()
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		fmt.Println(err)
		return
	}
	back, err := vae.Load(&buf)
	fmt.Println(err, back.Latent(), back.Input())
	// Output: <nil> 2 16
}

func ExampleConfig_Validate() {
	fmt.Println(vae.Config{Latent: -1}.Validate())
	// Output: vae: bad config: Latent is -1, want 0 (default 20) or more
}

func ExampleModel_LogPXGivenZ() {
	m := trained()
	x := stripes(1)
	mu, _, _ := m.Encode(x)
	far := mat.NewDense(1, 2, []float64{8, -8}) // a code far out in the prior's tail
	lp, _ := m.LogPXGivenZ(mat.NewDense(2, 16, append(x.RawRowView(0), x.RawRowView(0)...)),
		mat.NewDense(2, 2, append(mu.RawRowView(0), far.RawRowView(0)...)))
	fmt.Println(lp[0] > lp[1]) // the encoder's code explains x better
	// Output: true
}

func ExampleAutoencoder_Reconstruct() {
	x := stripes(130)
	ae, _ := vae.Config{Hidden: []int{16}, Latent: 2, Epochs: 3}.FitAutoencoder(context.Background(), x)
	rec, _ := ae.Reconstruct(x)
	loss, _ := ae.Loss(x)
	fmt.Println(rec.Dims())
	fmt.Println(loss.KL, loss.Reconstruction == loss.NegELBO)
	// Output:
	// 130 16
	// 0 true
}

func ExampleModel_SaveFile() {
	dir, _ := os.MkdirTemp("", "vae-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.gob")
	if err := trained().SaveFile(path); err != nil {
		fmt.Println(err)
		return
	}
	back, err := vae.LoadFile(path)
	fmt.Println(err, len(back.History), back.Config().Latent)
	// Output: <nil> 5 2
}
