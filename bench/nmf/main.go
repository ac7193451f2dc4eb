// Command nmf benchmarks stdlib/nmf on a Matrix Market file and prints one
// JSON line, the same line bench/peers/nmf_sklearn.py prints for
// scikit-learn, so bench/nmf/compare.sh can run both side by side.
//
//	go run ./bench/nmf -mtx X.mtx[.gz] -k 20 -solver mu|hals|cd -iters 200 -tol 0 -seed 0 [-init-w W.mtx -init-h H.mtx] [-workers N]
//
// It also writes the inputs compare.sh needs (to a cache directory, never
// to git):
//
//	go run ./bench/nmf -make mnist -out mnist.mtx         # MNIST 10,000×784 from stdlib/datasets
//	go run ./bench/nmf -make spam -out spam.mtx           # SpamAssassin TF-IDF (stdlib/text, the article's settings)
//	go run ./bench/nmf -make spam-text -out spam.jsonl    # the same documents, one JSON string a line, for scikit-learn's vectorizer
//	go run ./bench/nmf -make init -mtx X.mtx -k 20 -out P # NNDSVDA start: P.W.mtx, P.H.mtx
//
// -tol 0 runs exactly -iters iterations (scikit-learn's tol=0).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/gonbml/gonbml/stdlib/datasets"
	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/nmf"
	"github.com/gonbml/gonbml/stdlib/sparse"
	"github.com/gonbml/gonbml/stdlib/text"
	"gonum.org/v1/gonum/mat"
)

func main() {
	var (
		mtx     = flag.String("mtx", "", "input matrix (Matrix Market, .gz allowed)")
		k       = flag.Int("k", 20, "components")
		solver  = flag.String("solver", "mu", "mu, hals or cd")
		iters   = flag.Int("iters", 200, "maximum iterations")
		tol     = flag.Float64("tol", 0, "tolerance; 0 runs all iterations")
		seed    = flag.Uint64("seed", 0, "seed")
		initW   = flag.String("init-w", "", "starting W (Matrix Market); needs -init-h")
		initH   = flag.String("init-h", "", "starting H (Matrix Market)")
		workers = flag.Int("workers", 0, "goroutines (0: GOMAXPROCS)")
		dense   = flag.Bool("dense", false, "pass X to Fit as a dense matrix (its conversion is timed)")
		mk      = flag.String("make", "", "write an input instead of benchmarking: mnist, spam, spam-text or init")
		out     = flag.String("out", "", "output path for -make")
	)
	flag.Parse()
	if err := run(*mk, *out, *mtx, *k, *solver, *iters, *tol, *seed, *initW, *initH, *workers, *dense); err != nil {
		fmt.Fprintln(os.Stderr, "bench/nmf:", err)
		os.Exit(1)
	}
}

func run(mk, out, mtx string, k int, solverName string, iters int, tol float64, seed uint64, initW, initH string, workers int, dense bool) error {
	ctx := context.Background()
	switch mk {
	case "mnist":
		d, err := datasets.LoadMNIST(ctx)
		if err != nil {
			return err
		}
		x, err := sparse.FromDense(d.Images)
		if err != nil {
			return err
		}
		return sparse.WriteMatrixMarketFile(out, x)
	case "spam":
		msgs, err := datasets.LoadSpamAssassin(ctx)
		if err != nil {
			return err
		}
		docs := make([]string, len(msgs))
		for i, m := range msgs {
			docs[i] = m.Subject + "\n" + m.Body
		}
		// The article's vectorizer: max_features=2000, min_df=10, English stop words.
		_, x, err := text.TfidfConfig{MaxFeatures: 2000, MinDF: 10, StopWords: text.EnglishStopWords}.FitTransform(ctx, docs)
		if err != nil {
			return err
		}
		return sparse.WriteMatrixMarketFile(out, x)
	case "spam-text":
		msgs, err := datasets.LoadSpamAssassin(ctx)
		if err != nil {
			return err
		}
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		enc := json.NewEncoder(w)
		for _, m := range msgs {
			if err := enc.Encode(m.Subject + "\n" + m.Body); err != nil {
				return err
			}
		}
		if err := w.Flush(); err != nil {
			return err
		}
		return f.Close()
	case "init":
		x, err := sparse.ReadMatrixMarketFile(mtx)
		if err != nil {
			return err
		}
		w, h, err := nmf.Config{Components: k, Init: nmf.InitNNDSVDA, Seed: seed}.Start(x)
		if err != nil {
			return err
		}
		if err := sparse.WriteMatrixMarketFile(out+".W.mtx", w); err != nil {
			return err
		}
		return sparse.WriteMatrixMarketFile(out+".H.mtx", h)
	case "":
	default:
		return fmt.Errorf("unknown -make %q", mk)
	}
	if mtx == "" {
		return fmt.Errorf("need -mtx")
	}
	x, err := sparse.ReadMatrixMarketFile(mtx)
	if err != nil {
		return err
	}
	s, err := nmf.ParseSolver(solverName)
	if err != nil {
		return err
	}
	cfg := nmf.Config{Components: k, Solver: s, MaxIter: iters, Tol: tol, Seed: seed, Workers: workers}
	if tol == 0 {
		cfg.Tol = fit.Off
	}
	if (initW == "") != (initH == "") {
		return fmt.Errorf("-init-w and -init-h go together")
	}
	if initW != "" {
		w, err := sparse.ReadMatrixMarketFile(initW)
		if err != nil {
			return err
		}
		h, err := sparse.ReadMatrixMarketFile(initH)
		if err != nil {
			return err
		}
		cfg.Init, cfg.W, cfg.H = nmf.InitCustom, w.ToDense(), h.ToDense()
	}
	var in mat.Matrix = x
	if dense {
		in = x.ToDense()
	}
	start := time.Now()
	m, err := cfg.Fit(ctx, in)
	secs := time.Since(start).Seconds()
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"impl": "gonbml", "solver": s.String(), "k": k, "iters": m.NIter,
		"seconds": secs, "seconds_per_iter": secs / float64(max(m.NIter, 1)),
		"recon_err": m.ReconstructionErr, "n_iter": m.NIter, "workers": fit.Workers(workers),
	})
}
