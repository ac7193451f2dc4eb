package notebook_test

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/notebook"
)

// config is shaped like the stdlib's configs: scalars, a slice, a pointer,
// a matrix, a progress callback and its interval.
type config struct {
	K                int
	Rate             float64
	Hidden           []int
	Alpha            *float64
	Start            *mat.Dense
	Names            map[string]int
	Progress         fit.Func
	ProgressInterval time.Duration
}

func base() config {
	a := 0.5
	return config{
		K: 20, Rate: 1e-3, Hidden: []int{400, 200}, Alpha: &a,
		Start: mat.NewDense(2, 2, []float64{1, 2, 3, 4}),
		Names: map[string]int{"a": 1, "b": 2, "c": 3},
	}
}

// TestKeyHelper prints the key of base() when run as a subprocess.
func TestKeyHelper(t *testing.T) {
	if os.Getenv("NOTEBOOK_KEY_HELPER") != "1" {
		t.Skip("helper for TestKeyStableAcrossProcesses")
	}
	fmt.Println("KEY=" + notebook.Key(base(), []float32{1, 2, 3}))
}

func TestKeyStableAcrossProcesses(t *testing.T) {
	want := notebook.Key(base(), []float32{1, 2, 3})
	for i := 0; i < 2; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKeyHelper$", "-test.v")
		cmd.Env = append(os.Environ(), "NOTEBOOK_KEY_HELPER=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("helper process: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), "KEY="+want) {
			t.Fatalf("process %d printed a different key:\n%s\nwant KEY=%s", i, out, want)
		}
	}
}

func TestKeySensitivity(t *testing.T) {
	k0 := notebook.Key(base())
	changes := map[string]func(*config){
		"scalar":         func(c *config) { c.K = 21 },
		"float bits":     func(c *config) { c.Rate = 1.0000000001e-3 },
		"slice element":  func(c *config) { c.Hidden[1] = 201 },
		"slice length":   func(c *config) { c.Hidden = append(c.Hidden, 1) },
		"pointer target": func(c *config) { *c.Alpha = 0.25 },
		"nil pointer":    func(c *config) { c.Alpha = nil },
		"matrix content": func(c *config) { c.Start.Set(1, 1, 4.5) },
		"matrix shape":   func(c *config) { c.Start = mat.NewDense(1, 4, []float64{1, 2, 3, 4}) },
		"map value":      func(c *config) { c.Names["b"] = 5 },
	}
	for name, change := range changes {
		c := base()
		change(&c)
		if notebook.Key(c) == k0 {
			t.Errorf("%s: key did not change", name)
		}
	}
	same := map[string]func(*config){
		"progress callback": func(c *config) { c.Progress = func(fit.Progress) error { return nil } },
		"progress interval": func(c *config) { c.ProgressInterval = time.Second },
		"new pointer, same value": func(c *config) {
			a := 0.5
			c.Alpha = &a
		},
		"matrix view with another stride": func(c *config) {
			big := mat.NewDense(3, 3, []float64{1, 2, 9, 3, 4, 9, 9, 9, 9})
			c.Start = big.Slice(0, 2, 0, 2).(*mat.Dense)
		},
		"map built in another order": func(c *config) { c.Names = map[string]int{"c": 3, "a": 1, "b": 2} },
	}
	for name, change := range same {
		c := base()
		change(&c)
		if notebook.Key(c) != k0 {
			t.Errorf("%s: key changed, but the trained result would not", name)
		}
	}
}

type model struct{ W []float64 }

func (m *model) Save(w io.Writer) error { return gob.NewEncoder(w).Encode(m) }

func loadModel(r io.Reader) (*model, error) {
	var m model
	return &m, gob.NewDecoder(r).Decode(&m)
}

func TestCachedTrainsOnceThenLoads(t *testing.T) {
	t.Setenv("GONBML_DATA", t.TempDir())
	trains := 0
	train := func(ctx context.Context, p fit.Func) (*model, error) {
		trains++
		r := fit.NewReporter(p, fit.Off)
		for i := 1; i <= 3; i++ {
			if err := r.Report(fit.Progress{Step: int64(i), Total: 3, Unit: "epoch", Loss: 10 / float64(i)}); err != nil {
				return nil, err
			}
		}
		return &model{W: []float64{1, 2}}, r.Finish(fit.Progress{Step: 3, Total: 3, Loss: 10.0 / 3}, "finished")
	}
	key := notebook.Key(base())
	m1, run1, err := notebook.Cached("toy", key, train, loadModel)
	if err != nil || !run1.Trained || trains != 1 || len(m1.W) != 2 {
		t.Fatalf("first call: err=%v trained=%v trains=%d", err, run1.Trained, trains)
	}
	m2, run2, err := notebook.Cached("toy", key, train, loadModel)
	if err != nil || run2.Trained || trains != 1 || m2.W[1] != 2 {
		t.Fatalf("second call: err=%v trained=%v trains=%d", err, run2.Trained, trains)
	}
	if _, losses := run2.Losses(); len(losses) != 4 || losses[0] != 10 {
		t.Fatalf("the warm run lost the training history: %v", losses)
	}
	if !run2.History[len(run2.History)-1].Done {
		t.Fatal("the last recorded event is not the final one")
	}
	// Another key trains again.
	if _, run3, err := notebook.Cached("toy", notebook.Key(base(), 1), train, loadModel); err != nil || !run3.Trained || trains != 2 {
		t.Fatalf("another key: err=%v trained=%v trains=%d", err, run3.Trained, trains)
	}
	// A file that no longer loads is trained again.
	if err := os.WriteFile(run1.Path, []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, run4, err := notebook.Cached("toy", key, train, loadModel); err != nil || !run4.Trained || trains != 3 {
		t.Fatalf("corrupt cache: err=%v trained=%v trains=%d", err, run4.Trained, trains)
	}
	// A failed training saves nothing.
	boom := errors.New("boom")
	_, _, err = notebook.Cached("failing", key, func(context.Context, fit.Func) (*model, error) { return nil, boom }, loadModel)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	dir, _ := notebook.Dir()
	if matches, _ := filepath.Glob(filepath.Join(dir, "failing-*")); len(matches) != 0 {
		t.Fatalf("a failed training left files: %v", matches)
	}
}

func TestCachedRejectsBadNames(t *testing.T) {
	t.Setenv("GONBML_DATA", t.TempDir())
	train := func(context.Context, fit.Func) (*model, error) { return &model{}, nil }
	for _, name := range []string{"", "../x", "a b"} {
		if _, _, err := notebook.Cached(name, notebook.Key(1), train, loadModel); err == nil {
			t.Errorf("name %q accepted", name)
		}
	}
}

func TestChecks(t *testing.T) {
	var out bytes.Buffer
	var failed []string
	notebook.Output = &out
	notebook.Fail = func(msg string) { failed = append(failed, msg) }
	defer func() { notebook.Output = os.Stdout; notebook.Fail = func(string) { os.Exit(1) } }()

	notebook.AtLeast("accuracy", 0.912, 0.8, "majority baseline 0.41")
	notebook.Less("VAE loss", 112.3, "AE loss", 118.9)
	notebook.AtMost("gap", 0.5, 0.01, "")
	notebook.Near("log p(x)", -100.004, -100, 0.01)
	notebook.OK(errors.New("no such file"))
	want := []string{
		"✓ accuracy: 0.912 ≥ 0.8 (majority baseline 0.41)",
		"✓ VAE loss 112.3 < AE loss 118.9",
		"✗ gap: 0.5 ≤ 0.01",
		"✓ log p(x): -100.004 within 0.01 of -100",
		"✗ error: no such file",
	}
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("printed:\n%s\nwant:\n%s", out.String(), strings.Join(want, "\n"))
	}
	if len(failed) != 2 {
		t.Fatalf("Fail called %d times, want 2 (the ✗ lines)", len(failed))
	}
	if notebook.AtLeast("nan", mathNaN(), 0, "") {
		t.Fatal("NaN passed a check")
	}
}

func mathNaN() float64 { var z float64; return z / z }
