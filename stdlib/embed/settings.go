package embed

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/internal/persist"
)

var (
	// ErrBadConfig is wrapped by every Validate error; the message names
	// the field, its value and what is wanted.
	ErrBadConfig = errors.New("embed: bad config")
	// ErrDiverged is returned when training blows up: the loss turns NaN or
	// infinite, or grows past ten times its first value (fit.Diverged). The
	// message names the step; lower the learning rate.
	ErrDiverged = errors.New("embed: training diverged")
)

// checkNonNeg rejects a negative value of a field whose zero means the
// default and which has no "off" (sizes, counts of epochs).
func checkNonNeg(field string, v int) error {
	if v < 0 {
		return fit.BadConfig(ErrBadConfig, field, v, "at least 1 (0: the default)")
	}
	return nil
}

// checkFiniteSetting rejects NaN and ±Inf; positive reports that a negative
// value (fit.Off) is not allowed either.
func checkFiniteSetting(field string, v float64, positive bool) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fit.BadConfig(ErrBadConfig, field, v, "a finite number")
	case positive && v < 0:
		return fit.BadConfig(ErrBadConfig, field, v, "a positive number (0: the default)")
	}
	return nil
}

// sgd holds the settings word2vec, doc2vec and FastSent share, so their
// defaults and checks are written once.
type sgd struct {
	VectorSize, Window, MinCount, Negative, Epochs, Workers int
	Sample, NsExponent, Alpha, MinAlpha                     float64
}

// validate checks the shared settings (window is skipped by FastSent,
// which has none).
func (s sgd) validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"VectorSize", s.VectorSize}, {"Window", s.Window}, {"Negative", s.Negative}, {"Epochs", s.Epochs}} {
		if err := checkNonNeg(f.name, f.v); err != nil {
			return err
		}
	}
	if s.Workers < 0 {
		return fit.BadConfig(ErrBadConfig, "Workers", s.Workers, "at least 1 (0: GOMAXPROCS)")
	}
	for _, f := range []struct {
		name     string
		v        float64
		positive bool
	}{{"Alpha", s.Alpha, true}, {"MinAlpha", s.MinAlpha, false}, {"Sample", s.Sample, false}, {"NsExponent", s.NsExponent, false}} {
		if err := checkFiniteSetting(f.name, f.v, f.positive); err != nil {
			return err
		}
	}
	if d := s.withDefaults(5); d.MinAlpha > d.Alpha {
		return fit.BadConfig(ErrBadConfig, "MinAlpha", d.MinAlpha, fmt.Sprintf("at most Alpha (%v)", d.Alpha))
	}
	return nil
}

// withDefaults fills in gensim's defaults; epochs is the model's default
// number of passes.
func (s sgd) withDefaults(epochs int) sgd {
	s.VectorSize = fit.Or(s.VectorSize, 100)
	s.Window = fit.Or(s.Window, 5)
	s.MinCount = fit.Or(s.MinCount, 5)
	s.Negative = fit.Or(s.Negative, 5)
	s.Epochs = fit.Or(s.Epochs, epochs)
	s.Workers = fit.Workers(s.Workers)
	s.Sample = fit.Or(s.Sample, 1e-3)
	s.NsExponent = fit.Or(s.NsExponent, 0.75)
	s.Alpha = fit.Or(s.Alpha, 0.025)
	s.MinAlpha = fit.Or(s.MinAlpha, 0.0001)
	return s
}

// finite32 returns ErrDiverged when v holds a NaN or an infinity.
func finite32(what string, v []float32) error {
	for i, x := range v {
		if err := fit.Finite(what, float64(x)); err != nil {
			return fmt.Errorf("%w: %s (value %d of %d); lower the learning rate", ErrDiverged, err, i, len(v))
		}
	}
	return nil
}

// Model file kinds and format versions (stdlib/internal/persist). Bump a
// version when the saved fields of its type change.
const (
	kvVersion          = 1
	word2vecVersion    = 1
	doc2vecVersion     = 1
	fastSentVersion    = 2 // 2: EpochCPU
	skipThoughtVersion = 2 // 2: EpochCPU
	sifVersion         = 1
	topicsVersion      = 1
	tfidfVersion       = 1
	knnVersion         = 1
)

// save and load wrap persist with the package's error prefix.
func save(w io.Writer, kind string, version int, v any) error {
	if err := persist.Save(w, "embed."+kind, version, v); err != nil {
		return fmt.Errorf("embed: save %s: %w", kind, err)
	}
	return nil
}

func saveFile(path, kind string, version int, v any) error {
	if err := persist.SaveFile(path, "embed."+kind, version, v); err != nil {
		return fmt.Errorf("embed: save %s: %w", kind, err)
	}
	return nil
}

// load decodes r into v and runs check on it (sizes that must agree).
func load[T any](r io.Reader, kind string, version int, check func(*T) bool) (*T, error) {
	v := new(T)
	if err := persist.Load(r, "embed."+kind, version, v); err != nil {
		return nil, fmt.Errorf("embed: load %s: %w", kind, err)
	}
	if !check(v) {
		return nil, fmt.Errorf("embed: load %s: corrupt model (sizes disagree)", kind)
	}
	return v, nil
}

func loadFile[T any](path string, load func(io.Reader) (*T, error)) (*T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("embed: %w", err)
	}
	defer f.Close()
	m, err := load(f)
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, path)
	}
	return m, nil
}
