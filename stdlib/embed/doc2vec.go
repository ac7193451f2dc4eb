package embed

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"github.com/gonbml/gonbml/stdlib/fit"

	"gonum.org/v1/gonum/mat"
)

// Doc2VecConfig configures paragraph-vector training. The zero value is valid
// and trains PV-DM with the mean of document and context vectors, as
// gensim's Doc2Vec does by default. Field names follow gensim; the settings
// word2vec also has take word2vec's defaults (see Word2VecConfig), except
// Epochs.
type Doc2VecConfig struct {
	// DBOW trains PV-DBOW (gensim dm=0). Default (false): PV-DM.
	DBOW bool
	// DMConcat makes the PV-DM input the concatenation of the document and
	// 2*Window context vectors (gensim dm_concat=1). Default (false): off.
	DMConcat bool
	// DMSum makes the PV-DM input the sum, not the mean (gensim dm_mean=0).
	// Default (false): the mean.
	DMSum bool
	// DBOWWords makes PV-DBOW also train word vectors skip-gram style
	// (gensim dbow_words=1). Default (false): off.
	DBOWWords bool

	VectorSize int     // Default (0): 100.
	Window     int     // Default (0): 5.
	MinCount   int     // Default (0): 5. Off: keep every word.
	Sample     float64 // Default (0): 1e-3. Off: no subsampling.
	Negative   int     // Default (0): 5.
	NsExponent float64 // Default (0): 0.75. Off: uniform noise.
	Alpha      float64 // Default (0): 0.025.
	MinAlpha   float64 // Default (0): 0.0001. Off: decay to zero.
	// Epochs is the number of passes over the corpus. Default (0): 10
	// (gensim's Doc2Vec default).
	Epochs int
	// Workers is the number of goroutines. Default (0): GOMAXPROCS. Only 1
	// is bit-reproducible.
	Workers int
	// Seed seeds training and inference. Default (0): seed 0, a seed like
	// any other.
	Seed uint64

	// Progress receives the events Word2VecConfig.Progress describes.
	Progress fit.Func `json:"-"`
	// ProgressInterval is the least time between two Progress events.
	// Default (0): fit.DefaultInterval, 250 ms. Off: every batch.
	ProgressInterval time.Duration
}

func (c Doc2VecConfig) sgd() sgd {
	return sgd{VectorSize: c.VectorSize, Window: c.Window, MinCount: c.MinCount, Negative: c.Negative,
		Epochs: c.Epochs, Workers: c.Workers, Sample: c.Sample, NsExponent: c.NsExponent, Alpha: c.Alpha,
		MinAlpha: c.MinAlpha}
}

// Validate reports the first invalid field as an ErrBadConfig naming it.
func (c Doc2VecConfig) Validate() error { return c.sgd().validate() }

func (c Doc2VecConfig) withDefaults() Doc2VecConfig {
	s := c.sgd().withDefaults(10)
	c.VectorSize, c.Window, c.MinCount, c.Negative, c.Epochs, c.Workers = s.VectorSize, s.Window, s.MinCount, s.Negative, s.Epochs, s.Workers
	c.Sample, c.NsExponent, c.Alpha, c.MinAlpha = s.Sample, s.NsExponent, s.Alpha, s.MinAlpha
	return c
}

// Doc2Vec is a trained paragraph-vector model. Document i of the training
// corpus (in ForEach order) has vector DV.RawRowView(i).
type Doc2Vec struct {
	Config  Doc2VecConfig
	WV      *KeyedVectors // word vectors (random, untrained in plain PV-DBOW)
	DV      *mat.Dense    // document vectors, one row per training document
	Syn1Neg []float32     // output weights
	Null    []float32     // padding word vector of PV-DM concat
	Sample  []uint32      // subsampling keep-probabilities scaled to 2^32
	Table   NoiseTable    // noise distribution
}

func (m *Doc2Vec) method() method {
	switch {
	case m.Config.DBOW:
		return methodDBOW
	case m.Config.DMConcat:
		return methodDMConcat
	}
	return methodDMMean
}

func (m *Doc2Vec) layer() int {
	if m.method() == methodDMConcat {
		return (2*m.Config.Window + 1) * m.Config.VectorSize
	}
	return m.Config.VectorSize
}

// Fit learns a vector for every document of the corpus together with word
// vectors. On cancellation or a progress error it returns the partial model
// and the error; on divergence, ErrDiverged.
func (cfg Doc2VecConfig) Fit(ctx context.Context, corpus Corpus) (*Doc2Vec, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	v, err := buildVocab(ctx, corpus, cfg.MinCount)
	if err != nil {
		return nil, err
	}
	v.setSample(cfg.Sample)
	dim := cfg.VectorSize
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	m := &Doc2Vec{Config: cfg, Sample: v.sampleInts, Table: v.negTable(cfg.NsExponent)}
	syn0 := initVectors(rng, len(v.words), dim)
	docs := initVectors(rng, int(v.sentences), dim)
	m.WV = &KeyedVectors{Dim: dim, Words: v.words, Vectors: syn0, Counts: v.counts}
	m.WV.buildIndex()
	m.Syn1Neg = make([]float32, len(v.words)*m.layer())
	if m.method() == methodDMConcat {
		m.Null = make([]float32, dim)
	}
	e := m.engine()
	e.docs = docs
	e.learnWords = m.method() != methodDBOW || cfg.DBOWWords
	e.learnHidden, e.learnDocs = true, true
	err = e.run(ctx, corpus, v, runConfig{epochs: cfg.Epochs, alpha: cfg.Alpha, minAlpha: cfg.MinAlpha,
		workers: cfg.Workers, seed: cfg.Seed, progress: cfg.Progress, interval: cfg.ProgressInterval,
		ndocs: v.sentences})
	if err == nil {
		err = finite32("document vectors", docs)
	}
	if err == nil {
		err = finite32("word vectors", syn0)
	}
	m.DV = mat.NewDense(int(v.sentences), dim, f64(docs))
	return m, err
}

func (m *Doc2Vec) engine() *engine {
	return &engine{m: m.method(), dim: m.Config.VectorSize, window: m.Config.Window, negative: m.Config.Negative,
		cbowMean: !m.Config.DMSum, dbowWords: m.Config.DBOWWords, syn0: m.WV.Vectors, syn1: m.Syn1Neg,
		null: m.Null, table: m.Table, sample: m.Sample}
}

func f64(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// InferVector trains a vector for an unseen document with the word and
// output weights frozen, for Config.Epochs passes with the learning rate
// decaying from Alpha to MinAlpha (gensim's infer_vector). The result is
// deterministic for a given model and document. ok is false when the
// document has no known word; the vector is then zero.
func (m *Doc2Vec) InferVector(doc []string) (vec []float64, ok bool) {
	e := m.engine()
	wk := e.newWorker(m.Config.Seed, 0)
	v, ok := m.infer(e, wk, doc, nil, 0)
	return f64(v), ok
}

// infer trains doc's vector; draw 0 is InferVector's, another draw mixes
// into the seed and gives another sample of the same inference.
func (m *Doc2Vec) infer(e *engine, wk *worker, doc []string, ids []int32, draw uint64) ([]float32, bool) {
	dim := m.Config.VectorSize
	ids = ids[:0]
	for _, w := range doc {
		if i, ok := m.WV.Index(w); ok {
			ids = append(ids, int32(i))
		}
	}
	if len(ids) > maxSentenceLen {
		ids = ids[:maxSentenceLen]
	}
	vec := make([]float32, dim)
	if len(ids) == 0 {
		return vec, false
	}
	// Seed from the document's words so the result does not depend on call
	// order or on which goroutine computes it.
	h := m.Config.Seed + draw*0x9e3779b97f4a7c15
	for _, id := range ids {
		h = (h ^ uint64(id)) * 1099511628211
	}
	*wk.rng = *rand.NewPCG(h, 7)
	rng := rand.New(wk.rng)
	for i := range vec {
		vec[i] = (rng.Float32() - 0.5) / float32(dim)
	}
	e.docs = vec
	e.learnWords, e.learnHidden, e.learnDocs = false, false, true
	epochs := m.Config.Epochs
	for ep := 0; ep < epochs; ep++ {
		alpha := m.Config.Alpha - (m.Config.Alpha-m.Config.MinAlpha)*float64(ep)/float64(epochs)
		e.trainSentence(wk, ids, 0, float32(alpha))
	}
	return vec, true
}

// Encode infers a vector for each document (see InferVector), in parallel
// over Config.Workers goroutines; the result does not depend on the number
// of workers. Documents without a known word get zero rows.
func (m *Doc2Vec) Encode(ctx context.Context, docs [][]string) (*mat.Dense, error) {
	return m.EncodeDraw(ctx, docs, 0)
}

// EncodeDraw is Encode with another random draw of the inference: its
// starting vector, subsampling and window sizes. Inference is stochastic
// gradient descent, so two draws of the same document differ a little;
// that difference is the noise any other comparison of inferred vectors
// must exceed to mean something. Draw 0 is Encode.
func (m *Doc2Vec) EncodeDraw(ctx context.Context, docs [][]string, draw uint64) (*mat.Dense, error) {
	if len(docs) == 0 {
		return nil, fmt.Errorf("embed: no documents to encode")
	}
	dim := m.Config.VectorSize
	x := mat.NewDense(len(docs), dim, nil)
	m.WV.Index("") // build the look-up index before the goroutines share it
	workers := max(1, min(m.Config.Workers, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := m.engine()
			wk := e.newWorker(0, 0)
			ids := make([]int32, 0, 1024)
			for d := range next {
				v, _ := m.infer(e, wk, docs[d], ids, draw)
				r := x.RawRowView(d)
				for k := range r {
					r[k] = float64(v[k])
				}
			}
		}()
	}
	var err error
	for d := range docs {
		if err = ctx.Err(); err != nil {
			break
		}
		next <- d
	}
	close(next)
	wg.Wait()
	if err == nil {
		if err = checkFinite(x); err != nil {
			err = fmt.Errorf("%w: inferred vectors: %v", ErrDiverged, err)
		}
	}
	return x, err
}

// Save writes the model as a versioned gob (stdlib/internal/persist).
func (m *Doc2Vec) Save(w io.Writer) error { return save(w, "Doc2Vec", doc2vecVersion, m) }

// SaveFile writes the model to path atomically.
func (m *Doc2Vec) SaveFile(path string) error { return saveFile(path, "Doc2Vec", doc2vecVersion, m) }

// LoadDoc2Vec reads a model written by Save.
func LoadDoc2Vec(r io.Reader) (*Doc2Vec, error) {
	return load(r, "Doc2Vec", doc2vecVersion, func(m *Doc2Vec) bool {
		return m.WV != nil && m.DV != nil && len(m.Syn1Neg) == len(m.WV.Words)*m.layer() &&
			len(m.Sample) == len(m.WV.Words) && len(m.Table.Keep) == len(m.WV.Words)
	})
}

// LoadDoc2VecFile reads a model written by SaveFile.
func LoadDoc2VecFile(path string) (*Doc2Vec, error) { return loadFile(path, LoadDoc2Vec) }
