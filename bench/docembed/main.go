// Command docembed embeds documents with one of stdlib/embed's sentence
// methods and writes one vector per line (tab-separated).
//
//	go run ./bench/docembed -method tfidf|nmf|mean|sif|pvdm|pvdbow -in DOCS.txt -out EMB.tsv
//
// DOCS.txt has one tokenised document per line. mean and sif use skip-gram
// word vectors trained on DOCS.txt for -w2v-epochs epochs; with -vectors
// FILE (word2vec text format) they are loaded from FILE when it exists and
// saved there after training otherwise, so mean and sif can share the same
// vectors. SIF counts word frequencies in DOCS.txt. With -labels FILE
// (one label per line) it also reports the accuracy of a cosine kNN
// classifier (-k, default 5) under -folds-fold cross-validation (default 5).
//
//	go run ./bench/docembed -export-spamassassin DIR
//
// writes DIR/spam_docs.txt and DIR/spam_labels.txt (the five SpamAssassin
// groups) from stdlib/datasets, tokenised with stdlib/text.
//
// It prints one JSON line: {method, docs, dim, seconds, train_seconds,
// accuracy}.
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
	"gonum.org/v1/gonum/mat"
)

type options struct {
	method, in, out, labels, vectors string
	dim, epochs, w2vEpochs, workers  int
	k, folds                         int
	topics, minCount, window         int
	seed                             uint64
	sifA                             float64
}

func main() {
	var o options
	flag.StringVar(&o.method, "method", "pvdbow", "tfidf, nmf, mean, sif, pvdm or pvdbow")
	flag.StringVar(&o.in, "in", "", "documents, one tokenised document per line")
	flag.StringVar(&o.out, "out", "", "write embeddings here (TSV, one row per document)")
	flag.StringVar(&o.labels, "labels", "", "labels, one per line, for kNN cross-validation")
	flag.StringVar(&o.vectors, "vectors", "", "word vectors (word2vec text format) for mean/sif")
	flag.IntVar(&o.dim, "dim", 100, "vector size (word2vec, doc2vec)")
	flag.IntVar(&o.epochs, "epochs", 20, "epochs (word2vec, doc2vec)")
	flag.IntVar(&o.w2vEpochs, "w2v-epochs", 5, "epochs of the word vectors for mean and sif")
	flag.IntVar(&o.workers, "workers", 2, "workers")
	flag.IntVar(&o.window, "window", 5, "window")
	flag.IntVar(&o.minCount, "min-count", 5, "minimum word count")
	flag.IntVar(&o.topics, "topics", 50, "NMF topics")
	flag.IntVar(&o.k, "k", 5, "kNN neighbours")
	flag.IntVar(&o.folds, "folds", 5, "cross-validation folds")
	flag.Uint64Var(&o.seed, "seed", 1, "seed")
	flag.Float64Var(&o.sifA, "sif-a", 1e-3, "SIF smoothing a in a/(a+p(w))")
	export := flag.String("export-spamassassin", "", "write spam_docs.txt and spam_labels.txt into this directory and exit")
	flag.Parse()
	var err error
	if *export != "" {
		err = exportSpam(*export)
	} else {
		err = run(o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "docembed:", err)
		os.Exit(1)
	}
}

func exportSpam(dir string) error {
	ctx := context.Background()
	texts, labels, err := datasets.SpamAssassinText(ctx)
	if err != nil {
		return err
	}
	docs, err := embed.Collect(ctx, embed.TextDocuments(texts))
	if err != nil {
		return err
	}
	var d, l strings.Builder
	for i, doc := range docs {
		d.WriteString(strings.Join(doc, " "))
		d.WriteByte('\n')
		fmt.Fprintln(&l, labels[i])
	}
	if err := os.WriteFile(filepath.Join(dir, "spam_docs.txt"), []byte(d.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "spam_labels.txt"), []byte(l.String()), 0o644)
}

func run(o options) error {
	if o.in == "" {
		return fmt.Errorf("-in is required")
	}
	ctx := context.Background()
	start := time.Now()
	docs, err := embed.Collect(ctx, embed.LineFile(o.in))
	if err != nil {
		return err
	}
	var labels []int
	if o.labels != "" {
		if labels, err = embedio.ReadLabels(o.labels); err != nil {
			return err
		}
		if len(labels) != len(docs) {
			return fmt.Errorf("%d labels for %d documents", len(labels), len(docs))
		}
	}
	trainStart := time.Now()
	var x *mat.Dense
	switch o.method {
	case "tfidf":
		t, err := embed.TFIDFConfig{}.Fit(ctx, docs)
		if err != nil {
			return err
		}
		x, err = t.Encode(ctx, docs)
		if err != nil {
			return err
		}
	case "nmf":
		t, err := embed.TopicConfig{Topics: o.topics}.Fit(ctx, docs)
		if err != nil {
			return err
		}
		x = t.Model.W // the training documents' topic weights
	case "mean", "sif":
		kv, err := wordVectors(ctx, o, docs)
		if err != nil {
			return err
		}
		if o.method == "mean" {
			x, err = embed.Mean{KV: kv}.Encode(ctx, docs)
		} else {
			var s *embed.SIF
			s, err = embed.SIFConfig{A: o.sifA}.Fit(ctx, kv, docs)
			if err == nil {
				x, err = s.Encode(ctx, docs)
			}
		}
		if err != nil {
			return err
		}
	case "pvdm", "pvdbow":
		m, err := embed.Doc2VecConfig{DBOW: o.method == "pvdbow",
			VectorSize: o.dim, Window: o.window, MinCount: o.minCount, Epochs: o.epochs, Workers: o.workers, Seed: o.seed}.Fit(ctx, docs)
		if err != nil {
			return err
		}
		x = m.DV
	default:
		return fmt.Errorf("unknown -method %q", o.method)
	}
	train := time.Since(trainStart).Seconds()
	r, c := x.Dims()
	res := map[string]any{"method": o.method, "docs": r, "dim": c, "train_seconds": train}
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

func wordVectors(ctx context.Context, o options, docs embed.Tokens) (*embed.KeyedVectors, error) {
	if _, err := os.Stat(o.vectors); o.vectors == "" || err != nil {
		m, err := embed.Word2VecConfig{SG: true, VectorSize: o.dim, Window: o.window,
			MinCount: o.minCount, Epochs: o.w2vEpochs, Workers: o.workers, Seed: o.seed}.Fit(ctx, docs)
		if err != nil {
			return nil, err
		}
		if o.vectors != "" {
			if err := m.WV.SaveWord2VecFormat(o.vectors, strings.HasSuffix(o.vectors, ".bin")); err != nil {
				return nil, err
			}
		}
		return m.WV, nil
	}
	kv, err := embed.LoadWord2VecFormat(o.vectors, strings.HasSuffix(o.vectors, ".bin"))
	if err != nil {
		return nil, err
	}
	kv.Counts = make([]int64, kv.Len())
	for _, d := range docs {
		for _, w := range d {
			if i, ok := kv.Index(w); ok {
				kv.Counts[i]++
			}
		}
	}
	return kv, nil
}
