package vae

import (
	"fmt"
	"io"
	"math"
	"os"

	"github.com/gonbml/gonbml/stdlib/internal/persist"
	"github.com/gonbml/gonbml/stdlib/safefile"
)

// fileFormat is the gob layout of a saved model, after persist's header
// line; bump fileVersion when it changes.
type fileFormat struct {
	Arch    arch
	Config  savedConfig
	Weights [][]float32
	History []Epoch
}

// savedConfig is Config without the fields gob cannot or should not store.
type savedConfig struct {
	Input         int
	Hidden        []int
	DecoderHidden []int
	Latent        int
	Likelihood    Likelihood
	Variance      float64
	Beta          float64
	BatchSize     int
	Epochs        int
	LearningRate  float64
	Seed          uint64
	Workers       int
}

// fileVersion 1 is the first with persist's header (earlier files were
// bare gob and do not load).
const fileVersion = 1

// Kinds named in the file header.
const (
	kindModel       = "vae.Model"
	kindAutoencoder = "vae.Autoencoder"
)

// maxParams caps the parameter count a file may declare (2^28 float32
// values, 1 GiB), checked against the weights actually read before anything
// is allocated for the network.
const maxParams = 1 << 28

func save(w io.Writer, kind string, net *network, cfg Config, hist []Epoch) error {
	f := fileFormat{Arch: net.arch, History: hist,
		Config: savedConfig{cfg.Input, cfg.Hidden, cfg.DecoderHidden, cfg.Latent, cfg.Likelihood, cfg.Variance,
			cfg.Beta, cfg.BatchSize, cfg.Epochs, cfg.LearningRate, cfg.Seed, cfg.Workers}}
	for _, p := range net.params {
		f.Weights = append(f.Weights, p.Value)
	}
	if err := persist.Save(w, kind, fileVersion, &f); err != nil {
		return fmt.Errorf("vae: save: %w", err)
	}
	return nil
}

func load(r io.Reader, kind string) (*network, Config, []Epoch, error) {
	var f fileFormat
	if err := persist.Load(r, kind, fileVersion, &f); err != nil {
		return nil, Config{}, nil, fmt.Errorf("vae: load: %w", err)
	}
	if err := checkShapes(f.Arch, f.Weights); err != nil {
		return nil, Config{}, nil, fmt.Errorf("vae: load: %w", err)
	}
	net := newNetwork(f.Arch, 0)
	for i, p := range net.params {
		copy(p.Value, f.Weights[i])
	}
	c := f.Config
	net.workers = max(1, c.Workers)
	cfg := Config{Input: c.Input, Hidden: c.Hidden, DecoderHidden: c.DecoderHidden, Latent: c.Latent,
		Likelihood: c.Likelihood, Variance: c.Variance, Beta: c.Beta, BatchSize: c.BatchSize,
		Epochs: c.Epochs, LearningRate: c.LearningRate, Seed: c.Seed, Workers: c.Workers}
	return net, cfg, f.History, nil
}

// checkShapes compares the tensor sizes that a holds with the weights read,
// before the network is allocated, and rejects non-finite weights.
func checkShapes(a arch, weights [][]float32) error {
	if a.Input <= 0 || a.Latent <= 0 || a.Likelihood < Bernoulli || a.Likelihood > GaussianFixed {
		return fmt.Errorf("corrupt architecture: input %d, latent %d, likelihood %v", a.Input, a.Latent, a.Likelihood)
	}
	var want []int // values of each tensor, in newNetwork's order
	bad := false
	dense := func(in, out int) {
		// Checked before multiplying, so in*out cannot overflow.
		if in < 1 || out < 1 || in > maxParams || out > maxParams {
			bad = true
			return
		}
		want = append(want, in*out, out)
	}
	in := a.Input
	for _, h := range a.Hidden {
		dense(in, h)
		in = h
	}
	dense(in, a.Latent)
	if a.Variational {
		dense(in, a.Latent)
	}
	in = a.Latent
	for _, h := range a.DecoderHidden {
		dense(in, h)
		in = h
	}
	dense(in, a.Input)
	if a.Likelihood == Gaussian {
		dense(in, a.Input)
	}
	if bad {
		return fmt.Errorf("corrupt architecture: a layer width is below 1 or above %d", maxParams)
	}
	if len(weights) != len(want) {
		return fmt.Errorf("%d weight tensors, the architecture needs %d", len(weights), len(want))
	}
	total := 0
	for i, n := range want {
		if len(weights[i]) != n {
			return fmt.Errorf("weight tensor %d has %d values, the architecture needs %d", i, len(weights[i]), n)
		}
		total += n
		if total > maxParams {
			return fmt.Errorf("more than %d parameters", maxParams)
		}
		for j, v := range weights[i] {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("weight tensor %d value %d is %v", i, j, v)
			}
		}
	}
	return nil
}

func readFile[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("vae: load: %w", err)
	}
	defer f.Close()
	return read(f)
}

// Save writes the model: persist's header line ("gonbml vae.Model v1"),
// then gob.
func (m *Model) Save(w io.Writer) error { return save(w, kindModel, m.net, m.cfg, m.History) }

// Load reads a model written by Save. A file of another format version
// fails with an error that names the version.
func Load(r io.Reader) (*Model, error) {
	net, cfg, hist, err := load(r, kindModel)
	if err != nil {
		return nil, err
	}
	return &Model{net: net, cfg: cfg, History: hist}, nil
}

// SaveFile writes the model to path atomically (safefile).
func (m *Model) SaveFile(path string) error { return safefile.Write(path, m.Save) }

// LoadFile reads a model written by SaveFile.
func LoadFile(path string) (*Model, error) { return readFile(path, Load) }

// Save writes the autoencoder: persist's header line
// ("gonbml vae.Autoencoder v1"), then gob.
func (a *Autoencoder) Save(w io.Writer) error {
	return save(w, kindAutoencoder, a.net, a.cfg, a.History)
}

// LoadAutoencoder reads an autoencoder written by Autoencoder.Save.
func LoadAutoencoder(r io.Reader) (*Autoencoder, error) {
	net, cfg, hist, err := load(r, kindAutoencoder)
	if err != nil {
		return nil, err
	}
	return &Autoencoder{net: net, cfg: cfg, History: hist}, nil
}

// SaveFile writes the autoencoder to path atomically (safefile).
func (a *Autoencoder) SaveFile(path string) error { return safefile.Write(path, a.Save) }

// LoadAutoencoderFile reads an autoencoder written by Autoencoder.SaveFile.
func LoadAutoencoderFile(path string) (*Autoencoder, error) { return readFile(path, LoadAutoencoder) }
