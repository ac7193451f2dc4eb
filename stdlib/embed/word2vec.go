package embed

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/gonbml/gonbml/stdlib/fit"

	"gonum.org/v1/gonum/mat"
)

// Word2VecConfig configures word2vec training. The zero value is valid and
// gives gensim's defaults (CBOW, 100 dimensions, window 5, ...). Field names
// follow gensim's Word2Vec parameters.
type Word2VecConfig struct {
	// SG trains skip-gram instead of CBOW. Default (false): CBOW (gensim sg=0).
	SG bool
	// VectorSize is the number of dimensions. Default (0): 100.
	VectorSize int
	// Window is the largest distance between centre and context word.
	// Default (0): 5.
	Window int
	// MinCount drops words with fewer occurrences. Default (0): 5.
	// Off: keep every word.
	MinCount int
	// Sample is the subsampling threshold of frequent words. Default (0):
	// 1e-3. Off: no subsampling.
	Sample float64
	// Negative is the number of noise words per positive example.
	// Default (0): 5.
	Negative int
	// NsExponent is the exponent of the unigram noise distribution.
	// Default (0): 0.75. Off: uniform noise.
	NsExponent float64
	// Alpha is the initial learning rate. Default (0): 0.025.
	Alpha float64
	// MinAlpha is the final learning rate, reached linearly. Default (0):
	// 0.0001. Off: decay to zero.
	MinAlpha float64
	// CBOWSum makes the CBOW input the sum, not the mean, of the context
	// (gensim cbow_mean=0). Default (false): the mean.
	CBOWSum bool
	// Epochs is the number of passes over the corpus. Default (0): 5.
	Epochs int
	// Workers is the number of goroutines updating the shared weights.
	// Default (0): GOMAXPROCS. Only 1 is bit-reproducible.
	Workers int
	// Seed seeds the initial vectors and the sampling. Default (0): seed 0,
	// a seed like any other.
	Seed uint64

	// Progress, if not nil, receives fit.Progress events: Step and Total
	// count corpus words (Unit "word"), Loss is the mean negative-sampling
	// loss per predicted word since the previous event, and Metrics holds
	// "epoch" and "alpha" (the current learning rate). Returning an error
	// stops training.
	Progress fit.Func `json:"-"`
	// ProgressInterval is the least time between two Progress events.
	// Default (0): fit.DefaultInterval, 250 ms. Off: every batch.
	ProgressInterval time.Duration
}

func (c Word2VecConfig) sgd() sgd {
	return sgd{VectorSize: c.VectorSize, Window: c.Window, MinCount: c.MinCount, Negative: c.Negative,
		Epochs: c.Epochs, Workers: c.Workers, Sample: c.Sample, NsExponent: c.NsExponent, Alpha: c.Alpha,
		MinAlpha: c.MinAlpha}
}

func (c Word2VecConfig) withDefaults() Word2VecConfig {
	s := c.sgd().withDefaults(5)
	c.VectorSize, c.Window, c.MinCount, c.Negative, c.Epochs, c.Workers = s.VectorSize, s.Window, s.MinCount, s.Negative, s.Epochs, s.Workers
	c.Sample, c.NsExponent, c.Alpha, c.MinAlpha = s.Sample, s.NsExponent, s.Alpha, s.MinAlpha
	return c
}

// Validate reports the first invalid field as an ErrBadConfig naming it.
// Zero values mean "default".
func (c Word2VecConfig) Validate() error {
	return c.sgd().validate()
}

// Word2Vec is a trained word2vec model.
type Word2Vec struct {
	Config      Word2VecConfig // with defaults filled in
	WV          *KeyedVectors  // the word vectors (input weights)
	Syn1Neg     []float32      // output weights of negative sampling, row per word
	CorpusWords int64          // tokens in the training corpus, known or not
}

// initVectors fills a len(n*dim) slice with uniform values in
// [-0.5/dim, 0.5/dim), the C tool's initialisation.
func initVectors(rng *rand.Rand, n, dim int) []float32 {
	v := make([]float32, n*dim)
	for i := range v {
		v[i] = (rng.Float32() - 0.5) / float32(dim)
	}
	return v
}

// Fit learns word vectors from the corpus. On cancellation or a progress
// error it returns the partly trained model and the error; on divergence,
// ErrDiverged.
func (cfg Word2VecConfig) Fit(ctx context.Context, corpus Corpus) (*Word2Vec, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	v, err := buildVocab(ctx, corpus, cfg.MinCount)
	if err != nil {
		return nil, err
	}
	v.setSample(cfg.Sample)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	e := &engine{
		m: methodCBOW, dim: cfg.VectorSize, window: cfg.Window, negative: cfg.Negative,
		cbowMean: !cfg.CBOWSum,
		syn0:     initVectors(rng, len(v.words), cfg.VectorSize),
		syn1:     make([]float32, len(v.words)*cfg.VectorSize),
		table:    v.negTable(cfg.NsExponent), sample: v.sampleInts,
		learnWords: true, learnHidden: true,
	}
	if cfg.SG {
		e.m = methodSG
	}
	m := &Word2Vec{
		Config:      cfg,
		WV:          &KeyedVectors{Dim: cfg.VectorSize, Words: v.words, Vectors: e.syn0, Counts: v.counts},
		Syn1Neg:     e.syn1,
		CorpusWords: v.totalRaw,
	}
	m.WV.buildIndex()
	err = e.run(ctx, corpus, v, runConfig{epochs: cfg.Epochs, alpha: cfg.Alpha, minAlpha: cfg.MinAlpha,
		workers: cfg.Workers, seed: cfg.Seed, progress: cfg.Progress, interval: cfg.ProgressInterval})
	m.WV.norms = nil
	if err == nil {
		err = finite32("word vectors", e.syn0)
	}
	return m, err
}

// Encode returns the plain mean of each document's word vectors; see Mean.
func (m *Word2Vec) Encode(ctx context.Context, docs [][]string) (*mat.Dense, error) {
	return Mean{KV: m.WV}.Encode(ctx, docs)
}

// gob form of KeyedVectors (unexported caches are rebuilt on load).
type kvGob struct {
	Dim     int
	Words   []string
	Vectors []float32
	Counts  []int64
}

// GobEncode implements gob.GobEncoder.
func (kv *KeyedVectors) GobEncode() ([]byte, error) {
	var b bytes.Buffer
	err := gob.NewEncoder(&b).Encode(kvGob{kv.Dim, kv.Words, kv.Vectors, kv.Counts})
	return b.Bytes(), err
}

// GobDecode implements gob.GobDecoder.
func (kv *KeyedVectors) GobDecode(data []byte) error {
	var g kvGob
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&g); err != nil {
		return err
	}
	if g.Dim < 1 || len(g.Vectors) != len(g.Words)*g.Dim || (g.Counts != nil && len(g.Counts) != len(g.Words)) {
		return fmt.Errorf("embed: corrupt vectors: %d words, %d values, size %d", len(g.Words), len(g.Vectors), g.Dim)
	}
	*kv = KeyedVectors{Dim: g.Dim, Words: g.Words, Vectors: g.Vectors, Counts: g.Counts}
	return kv.buildIndex()
}

// Save writes the model as a versioned gob (stdlib/internal/persist).
func (m *Word2Vec) Save(w io.Writer) error { return save(w, "Word2Vec", word2vecVersion, m) }

// SaveFile writes the model to path atomically.
func (m *Word2Vec) SaveFile(path string) error {
	return saveFile(path, "Word2Vec", word2vecVersion, m)
}

// LoadWord2Vec reads a model written by Save.
func LoadWord2Vec(r io.Reader) (*Word2Vec, error) {
	return load(r, "Word2Vec", word2vecVersion, func(m *Word2Vec) bool {
		return m.WV != nil && len(m.Syn1Neg) == len(m.WV.Vectors)
	})
}

// LoadWord2VecFile reads a model written by SaveFile.
func LoadWord2VecFile(path string) (*Word2Vec, error) { return loadFile(path, LoadWord2Vec) }
