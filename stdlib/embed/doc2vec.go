package embed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// Doc2VecConfig configures paragraph-vector training. The zero value is valid
// and trains PV-DM with the mean of document and context vectors, as
// gensim's Doc2Vec does by default. Field names follow gensim.
type Doc2VecConfig struct {
	DBOW       bool    // PV-DBOW if true (gensim dm=0); default PV-DM
	DMConcat   bool    // PV-DM input is the concatenation of document and 2*Window context vectors (gensim dm_concat=1); default false
	DMSum      bool    // PV-DM input is the sum, not the mean (gensim dm_mean=0); default mean
	DBOWWords  bool    // PV-DBOW also trains word vectors skip-gram style (gensim dbow_words=1); default false
	VectorSize int     // dimensions; default 100
	Window     int     // context size; default 5
	MinCount   int     // ignore words with fewer occurrences; default 5
	Sample     float64 // subsampling threshold; default 1e-3, negative disables
	Negative   int     // noise words per positive example; default 5
	NsExponent float64 // noise distribution exponent; default 0.75
	Alpha      float64 // initial learning rate; default 0.025
	MinAlpha   float64 // final learning rate; default 0.0001
	Epochs     int     // passes over the corpus; default 10 (gensim's Doc2Vec default)
	Workers    int     // goroutines; default GOMAXPROCS. Only 1 is bit-reproducible
	Seed       uint64  // random seed; default 1 (0 means 1)

	// Progress, if not nil, is called when training starts, about twice a
	// second and at the end.
	Progress func(Progress) error `json:"-"`
}

// Validate reports the first invalid field.
func (c Doc2VecConfig) Validate() error {
	return validateCommon(c.VectorSize, c.Window, c.MinCount, c.Negative, c.Epochs, c.Workers, c.Alpha, c.MinAlpha, c.Sample, c.NsExponent)
}

func (c Doc2VecConfig) withDefaults() Doc2VecConfig {
	w := Word2VecConfig{VectorSize: c.VectorSize, Window: c.Window, MinCount: c.MinCount, Sample: c.Sample,
		Negative: c.Negative, NsExponent: c.NsExponent, Alpha: c.Alpha, MinAlpha: c.MinAlpha, Epochs: c.Epochs,
		Workers: c.Workers, Seed: c.Seed}
	if w.Epochs == 0 {
		w.Epochs = 10
	}
	w = w.withDefaults()
	c.VectorSize, c.Window, c.MinCount, c.Sample = w.VectorSize, w.Window, w.MinCount, w.Sample
	c.Negative, c.NsExponent, c.Alpha, c.MinAlpha = w.Negative, w.NsExponent, w.Alpha, w.MinAlpha
	c.Epochs, c.Workers, c.Seed = w.Epochs, w.Workers, w.Seed
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
	Table   noiseTable    // noise distribution
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

// TrainDoc2Vec learns a vector for every document of the corpus together with
// word vectors. On cancellation or a progress error it returns the partial
// model and the error.
func TrainDoc2Vec(ctx context.Context, corpus Corpus, cfg Doc2VecConfig) (*Doc2Vec, error) {
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
		workers: cfg.Workers, seed: cfg.Seed, progress: cfg.Progress, ndocs: v.sentences})
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
func (m *Doc2Vec) InferVector(doc []string) (vec []float32, ok bool) {
	e := m.engine()
	wk := e.newWorker(m.Config.Seed, 0)
	return m.infer(e, wk, doc, nil)
}

func (m *Doc2Vec) infer(e *engine, wk *worker, doc []string, ids []int32) ([]float32, bool) {
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
	h := m.Config.Seed
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
				v, _ := m.infer(e, wk, docs[d], ids)
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
	return x, err
}

// Save writes the model with encoding/gob, atomically.
func (m *Doc2Vec) Save(path string) error { return saveGob(path, m) }

// LoadDoc2Vec reads a model written by Save.
func LoadDoc2Vec(path string) (*Doc2Vec, error) {
	m := new(Doc2Vec)
	if err := loadGob(path, m); err != nil {
		return nil, err
	}
	if m.WV == nil || m.DV == nil || len(m.Syn1Neg) != len(m.WV.Words)*m.layer() || len(m.Sample) != len(m.WV.Words) || len(m.Table.Keep) != len(m.WV.Words) {
		return nil, fmt.Errorf("embed: %s: corrupt doc2vec model", path)
	}
	return m, nil
}
