package nmf_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/internal/testenv"
	"github.com/gonbml/gonbml/stdlib/datasets"
	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/nmf"
	"github.com/gonbml/gonbml/stdlib/sparse"
	"github.com/gonbml/gonbml/stdlib/text"
	"gonum.org/v1/gonum/mat"
)

// peerResult is one line of bench/peers/nmf_sklearn.py's output.
type peerResult struct {
	ReconErr float64 `json:"recon_err"`
	NIter    int     `json:"n_iter"`
}

// runPeer runs the jobs with Debian's scikit-learn in one Python process
// (importing scikit-learn takes seconds) and returns one result per job.
func runPeer(t *testing.T, dir string, jobs []map[string]any) []peerResult {
	raw, err := json.Marshal(jobs)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "jobs.json")
	if err := os.WriteFile(file, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/usr/bin/python3", "../../bench/peers/nmf_sklearn.py", "-batch", file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if strings.Contains(stderr.String(), "No module named") || errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
			testenv.Require(t, "scikit-learn (apt-get install python3-sklearn)", fmt.Errorf("%v: %s", err, stderr.String()))
		}
		t.Fatalf("scikit-learn: %v: %s", err, stderr.String())
	}
	var results []peerResult
	dec := json.NewDecoder(bytes.NewReader(out))
	for range jobs {
		var r peerResult
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("scikit-learn output: %v in %q", err, out)
		}
		results = append(results, r)
	}
	return results
}

// TestParityRealData is the parity check on real data: from the
// same NNDSVDA W and H, 200 iterations of MU and of CD on the SpamAssassin
// TF-IDF (the article's vectorizer settings, k = 20) and on MNIST digits
// (k = 20; the first 500 images, to keep the test short) end within 0.1%
// of scikit-learn's ‖X − WH‖_F, with scikit-learn run by
// bench/peers/nmf_sklearn.py on the same Matrix Market files.
func TestParityRealData(t *testing.T) {
	if testing.Short() {
		t.Skip("runs scikit-learn on real data")
	}
	ctx := context.Background()
	inputs := map[string]*sparse.CSR{}
	if msgs, err := datasets.LoadSpamAssassin(ctx); err != nil {
		testenv.Require(t, "SpamAssassin data set", err)
	} else {
		docs := make([]string, len(msgs))
		for i, m := range msgs {
			docs[i] = m.Subject + "\n" + m.Body
		}
		_, x, err := text.TfidfConfig{MaxFeatures: 2000, MinDF: 10, StopWords: text.EnglishStopWords}.FitTransform(ctx, docs)
		if err != nil {
			t.Fatal(err)
		}
		inputs["spam-tfidf"] = x
	}
	if d, err := datasets.LoadMNIST(ctx); err != nil {
		testenv.Require(t, "MNIST data set", err)
	} else {
		x, err := sparse.FromDense(d.Images.Slice(0, 500, 0, datasets.MNISTPixels))
		if err != nil {
			t.Fatal(err)
		}
		inputs["mnist-500"] = x
	}
	dir := t.TempDir()
	type run struct {
		name   string
		solver nmf.Solver
		err    float64
	}
	var runs []run
	var jobs []map[string]any
	for name, x := range inputs {
		w0, h0, err := nmf.Config{Components: 20}.Start(x)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]mat.Matrix{"X": x, "W": w0, "H": h0}
		for f, m := range files {
			if err := sparse.WriteMatrixMarketFile(filepath.Join(dir, name+"."+f+".mtx"), m); err != nil {
				t.Fatal(err)
			}
		}
		for _, solver := range []nmf.Solver{nmf.MU, nmf.CD} {
			m, err := nmf.Config{Components: 20, Solver: solver, MaxIter: 200, Tol: fit.Off,
				Init: nmf.InitCustom, W: w0, H: h0}.Fit(ctx, x)
			if err != nil {
				t.Fatal(err)
			}
			runs = append(runs, run{name, solver, m.ReconstructionErr})
			jobs = append(jobs, map[string]any{
				"mtx": filepath.Join(dir, name+".X.mtx"), "k": 20, "solver": solver.String(), "iters": 200, "tol": 0.0,
				"init_w": filepath.Join(dir, name+".W.mtx"), "init_h": filepath.Join(dir, name+".H.mtx"),
			})
		}
	}
	for i, peer := range runPeer(t, dir, jobs) {
		r := runs[i]
		rel := math.Abs(r.err-peer.ReconErr) / peer.ReconErr
		t.Logf("%s %v: gonbml %.10g, scikit-learn %.10g (relative difference %.2g)", r.name, r.solver, r.err, peer.ReconErr, rel)
		if rel > 1e-3 || peer.NIter != 200 { // the 0.1%
			t.Errorf("%s %v: ‖X − WH‖_F = %.8g after 200 iterations, scikit-learn %.8g after %d", r.name, r.solver, r.err, peer.ReconErr, peer.NIter)
		}
	}
}
