package notebook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"time"

	"github.com/gonbml/gonbml/stdlib/chart"
	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/safefile"
)

// Saver is a trained model that can be written to a stream (every stdlib
// model has Save(io.Writer)).
type Saver interface {
	Save(w io.Writer) error
}

// Run says how Cached got its model.
type Run struct {
	Name    string // as given to Cached
	Key     string // Key of the configuration and data
	Path    string // the saved model
	Trained bool   // true: trained in this run; false: loaded from the cache
	// Seconds is the wall time of the training (of the run that trained
	// the model, when it was loaded).
	Seconds float64
	// History holds the progress events the training reported (throttled
	// as the trainer's ProgressInterval says), the final one last.
	History []fit.Progress
}

// Losses returns the Loss of each recorded event (the training curve).
func (r Run) Losses() (steps, losses []float64) {
	for _, p := range r.History {
		steps = append(steps, float64(p.Step))
		losses = append(losses, p.Loss)
	}
	return steps, losses
}

// String is one line for the cell: what was trained or loaded, and how
// long the training took.
func (r Run) String() string {
	if r.Trained {
		return fmt.Sprintf("%s: trained in %.1f s, saved to the cache", r.Name, r.Seconds)
	}
	return fmt.Sprintf("%s: loaded from the cache (trained in %.1f s)", r.Name, r.Seconds)
}

// Dir is where Cached keeps models: $GONBML_DATA/models, else the user
// cache dir's gonbml/models.
func Dir() (string, error) {
	d := os.Getenv("GONBML_DATA")
	if d == "" {
		c, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("notebook: no cache directory (set GONBML_DATA): %w", err)
		}
		d = filepath.Join(c, "gonbml")
	}
	return filepath.Join(d, "models"), nil
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// Cached returns the model that train produces for key, from the cache when
// an earlier run saved one for the same name and key, else by calling train
// and saving the result.
//
// key is usually Key(cfg, data): everything that decides the model. train
// gets a context cancelled by an interrupt (Ctrl-C, the notebook's stop
// button) and a progress callback to set as the config's Progress: it draws
// a progress bar and records the events into Run.History. load reads the
// model back (the package's Load function).
//
//	model, run, err := notebook.Cached("vae-2d", notebook.Key(cfg, X),
//		func(ctx context.Context, p fit.Func) (*vae.Model, error) {
//			cfg.Progress = p
//			return cfg.Fit(ctx, X)
//		}, vae.Load)
//
// A saved model that no longer loads (an older format version) is trained
// again, with one line saying so.
func Cached[M Saver](name, key string, train func(ctx context.Context, progress fit.Func) (M, error), load func(io.Reader) (M, error)) (M, Run, error) {
	var zero M
	run := Run{Name: name, Key: key}
	if !nameRE.MatchString(name) {
		return zero, run, fmt.Errorf("notebook: cache name %q: use letters, digits, '.', '_' and '-'", name)
	}
	if len(key) < 12 {
		return zero, run, fmt.Errorf("notebook: cache key %q is too short: use notebook.Key(...)", key)
	}
	dir, err := Dir()
	if err != nil {
		return zero, run, err
	}
	base := filepath.Join(dir, name+"-"+key[:16])
	run.Path = base + ".model"
	if m, saved, err := loadCached(base, load); err == nil {
		saved.Name, saved.Key, saved.Path, saved.Trained = name, key, run.Path, false
		return m, saved, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		fmt.Printf("%s: the cached model does not load (%v); training it again\n", name, err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	bar := chart.Track(name)
	record := func(p fit.Progress) error {
		run.History = append(run.History, p)
		return bar(p)
	}
	start := time.Now()
	m, err := train(ctx, record)
	run.Seconds = time.Since(start).Seconds()
	if err != nil {
		return m, run, fmt.Errorf("notebook: training %s: %w", name, err)
	}
	run.Trained = true
	if err := safefile.Write(run.Path, m.Save); err != nil {
		return m, run, fmt.Errorf("notebook: saving %s: %w", name, err)
	}
	meta, err := json.Marshal(run)
	if err != nil {
		return m, run, fmt.Errorf("notebook: saving %s: %w", name, err)
	}
	if err := safefile.WriteBytes(base+".run.json", meta); err != nil {
		return m, run, fmt.Errorf("notebook: saving %s: %w", name, err)
	}
	return m, run, nil
}

func loadCached[M Saver](base string, load func(io.Reader) (M, error)) (M, Run, error) {
	var zero M
	var run Run
	meta, err := os.ReadFile(base + ".run.json")
	if err != nil {
		return zero, run, err
	}
	if err := json.Unmarshal(meta, &run); err != nil {
		return zero, run, fmt.Errorf("reading %s.run.json: %w", base, err)
	}
	f, err := os.Open(base + ".model")
	if err != nil {
		return zero, run, err
	}
	defer f.Close()
	m, err := load(f)
	if err != nil {
		return zero, run, err
	}
	return m, run, nil
}
