// Command sentembed trains one of stdlib/embed's ordered-sentence methods
// (FastSent or skip-thought) and embeds sentences with it, writing one vector
// per line (tab-separated), like bench/docembed does for the other methods.
//
//	go run ./bench/sentembed -method fastsent|fastsent-ae|skipthought -in SENTS.txt -out EMB.tsv
//
// SENTS.txt has one tokenised sentence per line in reading order (an empty
// line marks a document boundary). With -eval DOCS.txt -labels FILE (one
// tokenised document and one label per line) it also encodes DOCS.txt with
// the trained model and reports the accuracy of a cosine kNN classifier (-k,
// default 5) under -folds-fold cross-validation (default 5); -out then writes
// the DOCS.txt vectors.
//
//	go run ./bench/sentembed -export-mobydick DIR
//
// writes DIR/moby_sents.txt, Moby Dick's sentences in order, tokenised with
// stdlib/text (bench/docembed -export-spamassassin writes the labelled
// SpamAssassin documents).
//
// It prints one JSON line: {method, docs, dim, seconds, train_seconds,
// train_sentences, losses (mean loss per predicted word of each epoch),
// first_loss, last_loss, start_loss (skip-thought's first batch, before any
// update), accuracy, fold_accuracy}.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gonbml/gonbml/bench/internal/embedio"
	"github.com/gonbml/gonbml/stdlib/datasets"
	"github.com/gonbml/gonbml/stdlib/embed"
)

type options struct {
	method, in, out, eval, labels string
	dim, hidden, epochs, workers  int
	k, folds, minCount, maxLen    int
	vocab, batch                  int
	seed                          uint64
}

func main() {
	var o options
	flag.StringVar(&o.method, "method", "fastsent", "fastsent, fastsent-ae or skipthought")
	flag.StringVar(&o.in, "in", "", "training sentences in order, one tokenised sentence per line")
	flag.StringVar(&o.out, "out", "", "write embeddings here (TSV, one row per sentence or -eval document)")
	flag.StringVar(&o.eval, "eval", "", "documents to encode and classify, one tokenised document per line")
	flag.StringVar(&o.labels, "labels", "", "labels of -eval, one per line, for kNN cross-validation")
	flag.IntVar(&o.dim, "dim", 100, "vector size (FastSent) or word embedding size (skip-thought)")
	flag.IntVar(&o.hidden, "hidden", 0, "skip-thought GRU size (0: the package default)")
	flag.IntVar(&o.epochs, "epochs", 0, "epochs (0: the package default)")
	flag.IntVar(&o.workers, "workers", 2, "workers")
	flag.IntVar(&o.minCount, "min-count", 5, "minimum word count")
	flag.IntVar(&o.vocab, "max-vocab", 0, "skip-thought vocabulary size (0: the package default)")
	flag.IntVar(&o.maxLen, "max-len", 0, "skip-thought maximum sentence length (0: the package default)")
	flag.IntVar(&o.batch, "batch", 0, "skip-thought batch size (0: the package default)")
	flag.IntVar(&o.k, "k", 5, "kNN neighbours")
	flag.IntVar(&o.folds, "folds", 5, "cross-validation folds")
	flag.Uint64Var(&o.seed, "seed", 1, "seed")
	export := flag.String("export-mobydick", "", "write moby_sents.txt into this directory and exit")
	flag.Parse()
	var err error
	if *export != "" {
		err = exportMoby(*export)
	} else {
		err = run(o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sentembed:", err)
		os.Exit(1)
	}
}

func exportMoby(dir string) error {
	ctx := context.Background()
	chapters, err := datasets.MobyDickText(ctx)
	if err != nil {
		return err
	}
	var b strings.Builder
	err = embed.TextSentences(chapters).ForEach(ctx, func(t []string) error {
		b.WriteString(strings.Join(t, " "))
		b.WriteByte('\n')
		return nil
	})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "moby_sents.txt"), []byte(b.String()), 0o644)
}

func run(o options) error {
	if o.in == "" {
		return fmt.Errorf("-in is required")
	}
	if (o.eval == "") != (o.labels == "") {
		return fmt.Errorf("-eval and -labels go together")
	}
	ctx := context.Background()
	start := time.Now()
	sents, err := embed.Collect(ctx, embed.LineFile(o.in))
	if err != nil {
		return err
	}
	docs := sents
	var labels []int
	if o.eval != "" {
		if docs, err = embed.Collect(ctx, embed.LineFile(o.eval)); err != nil {
			return err
		}
		if labels, err = embedio.ReadLabels(o.labels); err != nil {
			return err
		}
		if len(labels) != len(docs) {
			return fmt.Errorf("%d labels for %d documents", len(labels), len(docs))
		}
	}
	trainStart := time.Now()
	var enc embed.Encoder
	var losses []float64
	startLoss := -1.0 // skip-thought's first-batch loss, before any update
	switch o.method {
	case "fastsent", "fastsent-ae":
		m, err := embed.FastSentConfig{VectorSize: o.dim, AutoEncode: o.method == "fastsent-ae",
			MinCount: o.minCount, Epochs: o.epochs, Workers: o.workers, Seed: o.seed}.Fit(ctx, sents)
		if err != nil {
			return err
		}
		enc, losses = m, m.Loss
	case "skipthought":
		m, err := embed.SkipThoughtConfig{WordSize: o.dim, Hidden: o.hidden,
			MinCount: o.minCount, MaxVocab: o.vocab, MaxLen: o.maxLen, BatchSize: o.batch, Epochs: o.epochs,
			Workers: o.workers, Seed: o.seed}.Fit(ctx, sents)
		if err != nil {
			return err
		}
		enc, losses = m, m.Loss
		if len(m.History) > 0 {
			startLoss = m.History[0]
		}
	default:
		return fmt.Errorf("unknown -method %q", o.method)
	}
	train := time.Since(trainStart).Seconds()
	x, err := enc.Encode(ctx, docs)
	if err != nil {
		return err
	}
	r, c := x.Dims()
	res := map[string]any{"method": o.method, "docs": r, "dim": c, "train_seconds": train,
		"train_sentences": len(sents), "losses": losses}
	if len(losses) > 0 {
		res["first_loss"], res["last_loss"] = losses[0], losses[len(losses)-1]
	}
	if startLoss >= 0 {
		res["start_loss"] = startLoss
	}
	if labels != nil {
		cv, err := embed.CrossValidateKNN(ctx, x, labels, embed.CVConfig{K: o.k, Folds: o.folds, Seed: o.seed})
		if err != nil {
			return err
		}
		res["accuracy"] = cv.Accuracy
		res["fold_accuracy"] = cv.FoldAccuracy
	}
	if o.out != "" {
		if err := embedio.WriteTSV(o.out, x); err != nil {
			return err
		}
	}
	res["seconds"] = time.Since(start).Seconds()
	return json.NewEncoder(os.Stdout).Encode(res)
}
