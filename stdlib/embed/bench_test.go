package embed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
)

// zipfCorpus returns sentences of 20 words drawn from a Zipf distribution
// over a 5,000-word vocabulary, roughly the shape of English text.
func zipfCorpus(words int) Tokens {
	rng := rand.New(rand.NewPCG(1, 1))
	z := rand.NewZipf(rng, 1.1, 1, 4999)
	vocab := make([]string, 5000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%d", i)
	}
	var out Tokens
	for n := 0; n < words; n += 20 {
		s := make([]string, 20)
		for i := range s {
			s[i] = vocab[z.Uint64()]
		}
		out = append(out, s)
	}
	return out
}

func benchWord2Vec(b *testing.B, sg bool, workers int) {
	docs := zipfCorpus(200_000)
	cfg := Word2VecConfig{SG: sg, Epochs: 1, Workers: workers}
	b.ResetTimer()
	for b.Loop() {
		if _, err := cfg.Fit(context.Background(), docs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(200_000*b.N)/b.Elapsed().Seconds(), "words/s")
}

func BenchmarkWord2VecSG(b *testing.B)           { benchWord2Vec(b, true, 1) }
func BenchmarkWord2VecCBOW(b *testing.B)         { benchWord2Vec(b, false, 1) }
func BenchmarkWord2VecSGWorkers2(b *testing.B)   { benchWord2Vec(b, true, 2) }
func BenchmarkWord2VecCBOWWorkers2(b *testing.B) { benchWord2Vec(b, false, 2) }

func BenchmarkDoc2VecDBOW(b *testing.B) {
	docs := zipfCorpus(200_000)
	for b.Loop() {
		if _, err := (Doc2VecConfig{DBOW: true, Epochs: 1, Workers: 1}).Fit(context.Background(), docs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(200_000*b.N)/b.Elapsed().Seconds(), "words/s")
}
