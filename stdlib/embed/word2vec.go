package embed

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"

	"gonum.org/v1/gonum/mat"
)

// Word2VecConfig configures word2vec training. The zero value is valid and
// gives gensim's defaults (CBOW, 100 dimensions, window 5, ...). Field names
// follow gensim's Word2Vec parameters.
type Word2VecConfig struct {
	SG         bool    // skip-gram if true, CBOW if false (default CBOW, gensim sg=0)
	VectorSize int     // dimensions; default 100
	Window     int     // maximum distance between centre and context word; default 5
	MinCount   int     // ignore words with fewer occurrences; default 5
	Sample     float64 // subsampling threshold for frequent words; default 1e-3, negative disables
	Negative   int     // noise words per positive example; default 5
	NsExponent float64 // exponent of the unigram noise distribution; default 0.75
	Alpha      float64 // initial learning rate; default 0.025
	MinAlpha   float64 // final learning rate, reached linearly; default 0.0001
	CBOWSum    bool    // CBOW input is the sum, not the mean, of the context (gensim cbow_mean=0); default mean
	Epochs     int     // passes over the corpus; default 5
	Workers    int     // goroutines updating the shared weights; default GOMAXPROCS. Only 1 is bit-reproducible
	Seed       uint64  // random seed; default 1 (0 means 1)

	// Progress, if not nil, is called when training starts, about twice a
	// second and at the end.
	Progress func(Progress) error `json:"-"`
}

func (c Word2VecConfig) withDefaults() Word2VecConfig {
	def := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	def(&c.VectorSize, 100)
	def(&c.Window, 5)
	def(&c.MinCount, 5)
	def(&c.Negative, 5)
	def(&c.Epochs, 5)
	def(&c.Workers, runtime.GOMAXPROCS(0))
	if c.Sample == 0 {
		c.Sample = 1e-3
	}
	if c.NsExponent == 0 {
		c.NsExponent = 0.75
	}
	if c.Alpha == 0 {
		c.Alpha = 0.025
	}
	if c.MinAlpha == 0 {
		c.MinAlpha = 0.0001
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	return c
}

// Validate reports the first invalid field. Zero values mean "default".
func (c Word2VecConfig) Validate() error {
	return validateCommon(c.VectorSize, c.Window, c.MinCount, c.Negative, c.Epochs, c.Workers, c.Alpha, c.MinAlpha, c.Sample, c.NsExponent)
}

func validateCommon(size, window, minCount, negative, epochs, workers int, alpha, minAlpha, sample, nsExp float64) error {
	switch {
	case size < 0:
		return fmt.Errorf("embed: VectorSize %d < 1", size)
	case window < 0:
		return fmt.Errorf("embed: Window %d < 1", window)
	case minCount < 0:
		return fmt.Errorf("embed: MinCount %d < 0", minCount)
	case negative < 0:
		return fmt.Errorf("embed: Negative %d < 1", negative)
	case epochs < 0:
		return fmt.Errorf("embed: Epochs %d < 1", epochs)
	case workers < 0:
		return fmt.Errorf("embed: Workers %d < 1", workers)
	case alpha < 0 || math.IsNaN(alpha) || math.IsInf(alpha, 0):
		return fmt.Errorf("embed: Alpha %v must be a positive number", alpha)
	case minAlpha < 0 || math.IsNaN(minAlpha) || math.IsInf(minAlpha, 0):
		return fmt.Errorf("embed: MinAlpha %v must be a positive number", minAlpha)
	case math.IsNaN(sample) || math.IsInf(sample, 0):
		return fmt.Errorf("embed: Sample %v is not a number", sample)
	case math.IsNaN(nsExp) || math.IsInf(nsExp, 0):
		return fmt.Errorf("embed: NsExponent %v is not a number", nsExp)
	}
	return nil
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

// TrainWord2Vec learns word vectors from the corpus. On cancellation or a
// progress error it returns the partly trained model and the error.
func TrainWord2Vec(ctx context.Context, corpus Corpus, cfg Word2VecConfig) (*Word2Vec, error) {
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
		workers: cfg.Workers, seed: cfg.Seed, progress: cfg.Progress})
	m.WV.norms = nil
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

// Save writes the model with encoding/gob, atomically.
func (m *Word2Vec) Save(path string) error {
	return saveGob(path, m)
}

// LoadWord2Vec reads a model written by Save.
func LoadWord2Vec(path string) (*Word2Vec, error) {
	m := new(Word2Vec)
	if err := loadGob(path, m); err != nil {
		return nil, err
	}
	if m.WV == nil || len(m.Syn1Neg) != len(m.WV.Vectors) {
		return nil, fmt.Errorf("embed: %s: corrupt word2vec model", path)
	}
	return m, nil
}

func saveGob(path string, v any) error {
	return writeAtomic(path, func(w io.Writer) error {
		if err := gob.NewEncoder(w).Encode(v); err != nil {
			return fmt.Errorf("embed: save %s: %w", path, err)
		}
		return nil
	})
}

func loadGob(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("embed: %w", err)
	}
	defer f.Close()
	if err := gob.NewDecoder(f).Decode(v); err != nil {
		return fmt.Errorf("embed: load %s: %w", path, err)
	}
	return nil
}
