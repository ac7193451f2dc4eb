package vae

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/gonbml/gonbml/stdlib/fit"
)

// FuzzLoad feeds arbitrary bytes to Load and LoadAutoencoder: they return a
// model or an error, never panic, and never allocate what a corrupt
// architecture claims before checking it against the weights read.
func FuzzLoad(f *testing.F) {
	x := tinyData(20, 6, 14)
	m, err := Config{Hidden: []int{3}, Latent: 2, Epochs: 1}.Fit(context.Background(), x)
	if err != nil {
		f.Fatal(err)
	}
	ae, err := Config{Hidden: []int{3}, Latent: 2, Epochs: 1, Likelihood: Gaussian}.FitAutoencoder(context.Background(), x)
	if err != nil {
		f.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := m.Save(&a); err != nil {
		f.Fatal(err)
	}
	if err := ae.Save(&b); err != nil {
		f.Fatal(err)
	}
	f.Add(a.Bytes())
	f.Add(b.Bytes())
	f.Add([]byte("gonbml vae.Model v1\n"))
	f.Add([]byte("gonbml vae.Model v2\ngarbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// A model that loads runs on input of its width: a result or an
		// error, no panic (tinyData is in [0, 1], valid for every
		// likelihood).
		if m, err := Load(bytes.NewReader(data)); err == nil {
			if _, err := m.ELBO(tinyData(2, m.Input(), 1)); err != nil && !errors.Is(err, fit.ErrNonFinite) {
				t.Fatalf("loaded model rejects valid input: %v", err)
			}
		}
		if ae, err := LoadAutoencoder(bytes.NewReader(data)); err == nil {
			if _, err := ae.Loss(tinyData(2, ae.net.arch.Input, 1)); err != nil && !errors.Is(err, fit.ErrNonFinite) {
				t.Fatalf("loaded autoencoder rejects valid input: %v", err)
			}
		}
	})
}

// FuzzLoadJudge feeds arbitrary bytes to LoadJudge: a judge or an error,
// never a panic, and a judge that loads answers for input of its width.
func FuzzLoadJudge(f *testing.F) {
	j, err := JudgeConfig{K: 2}.Fit(context.Background(), tinyData(5, 4, 3), []int{0, 1, 0, 2, 1})
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := j.Save(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("gonbml vae.Judge v1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		j, err := LoadJudge(bytes.NewReader(data))
		if err != nil {
			return
		}
		v, err := j.Judge(tinyData(2, j.ref.Cols, 1))
		if errors.Is(err, fit.ErrNonFinite) {
			return // references near float32's limit: an error, not a NaN
		}
		if err != nil || len(v) != 2 {
			t.Fatalf("loaded judge: %v, %v", v, err)
		}
	})
}
