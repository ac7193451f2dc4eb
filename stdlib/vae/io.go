package vae

import (
	"encoding/gob"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// fileFormat is the gob layout of a saved model; bump fileVersion when it
// changes.
type fileFormat struct {
	Version int
	Kind    string // "vae" or "autoencoder"
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
	NoKL          bool
	BatchSize     int
	Epochs        int
	LearningRate  float64
	Seed          uint64
	Workers       int
}

const fileVersion = 1

func save(w io.Writer, kind string, net *network, cfg Config, hist []Epoch) error {
	f := fileFormat{Version: fileVersion, Kind: kind, Arch: net.arch, History: hist,
		Config: savedConfig{cfg.Input, cfg.Hidden, cfg.DecoderHidden, cfg.Latent, cfg.Likelihood, cfg.Variance,
			cfg.Beta, cfg.NoKL, cfg.BatchSize, cfg.Epochs, cfg.LearningRate, cfg.Seed, cfg.Workers}}
	for _, p := range net.params {
		f.Weights = append(f.Weights, p.Value)
	}
	if err := gob.NewEncoder(w).Encode(&f); err != nil {
		return fmt.Errorf("vae: save: %w", err)
	}
	return nil
}

func load(r io.Reader, kind string) (*network, Config, []Epoch, error) {
	var f fileFormat
	if err := gob.NewDecoder(r).Decode(&f); err != nil {
		return nil, Config{}, nil, fmt.Errorf("vae: load: %w", err)
	}
	if f.Version != fileVersion {
		return nil, Config{}, nil, fmt.Errorf("vae: load: file version %d, this package reads %d", f.Version, fileVersion)
	}
	if f.Kind != kind {
		return nil, Config{}, nil, fmt.Errorf("vae: load: file holds a %s, not a %s", f.Kind, kind)
	}
	if f.Arch.Input <= 0 || f.Arch.Latent <= 0 {
		return nil, Config{}, nil, fmt.Errorf("vae: load: corrupt architecture %+v", f.Arch)
	}
	net := newNetwork(f.Arch, 0)
	if len(f.Weights) != len(net.params) {
		return nil, Config{}, nil, fmt.Errorf("vae: load: %d weight tensors, architecture needs %d", len(f.Weights), len(net.params))
	}
	for i, p := range net.params {
		if len(f.Weights[i]) != len(p.Value) {
			return nil, Config{}, nil, fmt.Errorf("vae: load: tensor %s has %d values, want %d", p.Name, len(f.Weights[i]), len(p.Value))
		}
		copy(p.Value, f.Weights[i])
	}
	c := f.Config
	net.workers = max(1, c.Workers)
	cfg := Config{Input: c.Input, Hidden: c.Hidden, DecoderHidden: c.DecoderHidden, Latent: c.Latent,
		Likelihood: c.Likelihood, Variance: c.Variance, Beta: c.Beta, NoKL: c.NoKL, BatchSize: c.BatchSize,
		Epochs: c.Epochs, LearningRate: c.LearningRate, Seed: c.Seed, Workers: c.Workers}
	return net, cfg, f.History, nil
}

// writeFileAtomic writes through a temporary file in the same directory and
// renames it into place, so a crash never leaves a half-written model.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("vae: save: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("vae: save: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("vae: save: %w", err)
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

// Save writes the model in gob format.
func (m *Model) Save(w io.Writer) error { return save(w, "vae", m.net, m.cfg, m.History) }

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	net, cfg, hist, err := load(r, "vae")
	if err != nil {
		return nil, err
	}
	return &Model{net: net, cfg: cfg, History: hist}, nil
}

// SaveFile writes the model to path atomically (temporary file + rename).
func (m *Model) SaveFile(path string) error { return writeFileAtomic(path, m.Save) }

// LoadFile reads a model written by SaveFile.
func LoadFile(path string) (*Model, error) { return readFile(path, Load) }

// Save writes the autoencoder in gob format.
func (a *Autoencoder) Save(w io.Writer) error { return save(w, "autoencoder", a.net, a.cfg, a.History) }

// LoadAutoencoder reads an autoencoder written by Autoencoder.Save.
func LoadAutoencoder(r io.Reader) (*Autoencoder, error) {
	net, cfg, hist, err := load(r, "autoencoder")
	if err != nil {
		return nil, err
	}
	return &Autoencoder{net: net, cfg: cfg, History: hist}, nil
}

// SaveFile writes the autoencoder to path atomically.
func (a *Autoencoder) SaveFile(path string) error { return writeFileAtomic(path, a.Save) }

// LoadAutoencoderFile reads an autoencoder written by Autoencoder.SaveFile.
func LoadAutoencoderFile(path string) (*Autoencoder, error) { return readFile(path, LoadAutoencoder) }
