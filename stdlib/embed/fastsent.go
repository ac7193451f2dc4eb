package embed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gonbml/gonbml/stdlib/fit"
	"gonum.org/v1/gonum/mat"
)

// ErrNoOrder is returned by the methods that learn from neighbouring sentences
// (FastSent, skip-thought) when the corpus has no two adjacent non-empty
// sentences: a bag of unrelated documents, or every sentence separated from
// the next by an empty one (a document boundary).
var ErrNoOrder = errors.New("embed: corpus has no adjacent sentences; FastSent and skip-thought need ordered running text (one sentence per item, in reading order)")

// ordered is a corpus of sentences as vocabulary ids, kept in reading order.
// Sentence i is ids[ends[i-1]:ends[i]]; an empty sentence in the corpus is a
// document boundary (its neighbours are not adjacent).
type ordered struct {
	words  []string
	counts []int64
	index  map[string]int32
	ids    []int32
	ends   []int32
	// boundary[i] is true when sentence i is empty in the corpus (before
	// vocabulary filtering), which separates documents.
	boundary []bool
	tokens   int64 // corpus tokens, known or not
	pairs    int   // adjacent pairs of non-empty sentences
}

func (o *ordered) sent(i int) []int32 {
	lo := int32(0)
	if i > 0 {
		lo = o.ends[i-1]
	}
	return o.ids[lo:o.ends[i]]
}

func (o *ordered) n() int { return len(o.ends) }

// adjacent reports whether sentences i and j (j = i±1) are neighbours in the
// same document.
func (o *ordered) adjacent(i, j int) bool {
	return j >= 0 && j < o.n() && !o.boundary[i] && !o.boundary[j]
}

// readOrdered reads the corpus twice: once to count words (keeping the
// maxVocab most frequent with at least minCount occurrences; maxVocab 0 means
// all) and once to map sentences to ids.
func readOrdered(ctx context.Context, c Corpus, minCount, maxVocab int) (*ordered, error) {
	if c == nil {
		return nil, fmt.Errorf("embed: nil corpus")
	}
	counts := map[string]int64{}
	var total int64
	err := c.ForEach(ctx, func(toks []string) error {
		for _, t := range toks {
			counts[t]++
		}
		total += int64(len(toks))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if total == 0 {
		return nil, ErrEmptyCorpus
	}
	o := &ordered{index: map[string]int32{}, tokens: total}
	for w, n := range counts {
		if n >= int64(minCount) {
			o.words = append(o.words, w)
		}
	}
	sort.Slice(o.words, func(i, j int) bool {
		ci, cj := counts[o.words[i]], counts[o.words[j]]
		if ci != cj {
			return ci > cj
		}
		return o.words[i] < o.words[j]
	})
	if maxVocab > 0 && len(o.words) > maxVocab {
		o.words = o.words[:maxVocab]
	}
	if len(o.words) == 0 {
		return nil, ErrEmptyVocab
	}
	o.counts = make([]int64, len(o.words))
	for i, w := range o.words {
		o.index[w] = int32(i)
		o.counts[i] = counts[w]
	}
	err = c.ForEach(ctx, func(toks []string) error {
		for _, t := range toks {
			if id, ok := o.index[t]; ok {
				o.ids = append(o.ids, id)
			}
		}
		o.ends = append(o.ends, int32(len(o.ids)))
		o.boundary = append(o.boundary, len(toks) == 0)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := 0; i+1 < o.n(); i++ {
		if o.adjacent(i, i+1) {
			o.pairs++
		}
	}
	if o.pairs == 0 {
		return nil, ErrNoOrder
	}
	return o, nil
}

// UnigramTable is a Walker alias table over count^exponent, shared by
// FastSent and skip-thought for drawing noise words.
type UnigramTable struct {
	Prob  []uint32 // acceptance probability scaled to 2^32
	Alias []int32
}

func newUnigramTable(counts []int64, exponent float64) UnigramTable {
	n := len(counts)
	p := make([]float64, n)
	var sum float64
	for i, c := range counts {
		p[i] = math.Pow(float64(c), exponent)
		sum += p[i]
	}
	t := UnigramTable{Prob: make([]uint32, n), Alias: make([]int32, n)}
	var small, large []int
	for i := range p {
		p[i] *= float64(n) / sum
		if p[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		t.Prob[s] = uint32(p[s] * math.MaxUint32)
		t.Alias[s] = int32(l)
		p[l] -= 1 - p[s]
		if p[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	for _, i := range append(small, large...) {
		t.Prob[i] = math.MaxUint32
		t.Alias[i] = int32(i)
	}
	return t
}

// draw picks a word from one 64-bit random number.
func (t *UnigramTable) draw(r uint64) int32 {
	i := int32((r >> 32) % uint64(len(t.Prob)))
	if uint32(r) <= t.Prob[i] {
		return i
	}
	return t.Alias[i]
}

// FastSentConfig configures FastSent training. The zero value is valid. The
// settings word2vec also has take word2vec's defaults (see Word2VecConfig),
// except Epochs.
type FastSentConfig struct {
	VectorSize int // Default (0): 100.
	// AutoEncode (FastSent+AE) also predicts the sentence's own words.
	// Default (false): off.
	AutoEncode bool
	MinCount   int     // Default (0): 5. Off: keep every word.
	Sample     float64 // subsampling of predicted words. Default (0): 1e-3. Off: none.
	Negative   int     // Default (0): 5.
	NsExponent float64 // Default (0): 0.75. Off: uniform noise.
	Alpha      float64 // Default (0): 0.025.
	MinAlpha   float64 // Default (0): 0.0001. Off: decay to zero.
	Epochs     int     // Default (0): 10.
	// Workers is the number of goroutines updating the shared weights.
	// Default (0): GOMAXPROCS. Only 1 is bit-reproducible.
	Workers int
	// Seed seeds the initial vectors and the sampling. Default (0): seed 0,
	// a seed like any other.
	Seed uint64

	// Progress receives fit.Progress events: Step and Total count sentences
	// (Unit "sentence"), Loss is the mean negative-sampling loss per
	// predicted word since the previous event, Metrics holds "epoch" and
	// "alpha".
	Progress fit.Func `json:"-"`
	// ProgressInterval is the least time between two Progress events.
	// Default (0): fit.DefaultInterval, 250 ms. Off: every chunk of 256
	// sentences.
	ProgressInterval time.Duration
}

func (c FastSentConfig) sgd() sgd {
	return sgd{VectorSize: c.VectorSize, MinCount: c.MinCount, Negative: c.Negative, Epochs: c.Epochs,
		Workers: c.Workers, Sample: c.Sample, NsExponent: c.NsExponent, Alpha: c.Alpha, MinAlpha: c.MinAlpha}
}

func (c FastSentConfig) withDefaults() FastSentConfig {
	s := c.sgd().withDefaults(10)
	c.VectorSize, c.MinCount, c.Negative, c.Epochs, c.Workers = s.VectorSize, s.MinCount, s.Negative, s.Epochs, s.Workers
	c.Sample, c.NsExponent, c.Alpha, c.MinAlpha = s.Sample, s.NsExponent, s.Alpha, s.MinAlpha
	return c
}

// Validate reports the first invalid field as an ErrBadConfig naming it.
func (c FastSentConfig) Validate() error { return c.sgd().validate() }

// FastSent is a trained FastSent model (Hill, Cho and Korhonen 2016): a
// sentence is the sum of its words' vectors WV, trained so that this sum
// predicts the words of the neighbouring sentences through the output
// weights Syn1Neg (and, with AutoEncode, its own words).
type FastSent struct {
	Config  FastSentConfig // with defaults filled in
	WV      *KeyedVectors  // word (input) vectors; a sentence is their sum
	Syn1Neg []float32      // output weights, a row per word
	Loss    []float64      // mean negative-sampling loss per predicted word, one per epoch
	// EpochCPU is the CPU time (user + system, all threads of the
	// process) each epoch took, in seconds: the figure to compare
	// training cost across methods on a shared machine, where wall time
	// depends on the load. Where the platform has no getrusage it is wall
	// time.
	EpochCPU []float64
}

// Fit learns FastSent word vectors from a corpus of sentences in reading
// order (an empty sentence marks a document boundary). A corpus with no
// adjacent sentences returns ErrNoOrder. On cancellation or a progress
// error it returns the partly trained model and the error; on divergence,
// ErrDiverged.
func (cfg FastSentConfig) Fit(ctx context.Context, corpus Corpus) (*FastSent, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	o, err := readOrdered(ctx, corpus, cfg.MinCount, 0)
	if err != nil {
		return nil, err
	}
	dim := cfg.VectorSize
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	nw := len(o.words)
	wv := make([]float32, nw*dim)
	for i := range wv {
		wv[i] = (rng.Float32() - 0.5) / float32(dim)
	}
	kv, err := newKeyedVectors(o.words, wv, dim)
	if err != nil {
		return nil, err
	}
	kv.Counts = o.counts
	m := &FastSent{Config: cfg, WV: kv, Syn1Neg: make([]float32, nw*dim)}
	e := fsEngine{m: m, o: o, table: newUnigramTable(o.counts, cfg.NsExponent)}
	e.keep = fsKeep(o.counts, cfg.Sample)
	err = e.run(ctx)
	if err == nil {
		err = finite32("word vectors", wv)
	}
	return m, err
}

// fsKeep returns word2vec's keep probability of each word scaled to 2^32.
func fsKeep(counts []int64, sample float64) []uint32 {
	keep := make([]uint32, len(counts))
	var total float64
	for _, c := range counts {
		total += float64(c)
	}
	for i, c := range counts {
		p := 1.0
		if sample > 0 {
			f := float64(c) / total
			p = (math.Sqrt(f/sample) + 1) * sample / f
		}
		if p >= 1 {
			keep[i] = math.MaxUint32
		} else {
			keep[i] = uint32(p * math.MaxUint32)
		}
	}
	return keep
}

type fsEngine struct {
	m     *FastSent
	o     *ordered
	table UnigramTable
	keep  []uint32
}

type fsWorker struct {
	rng   *rand.PCG
	s     []float32 // sentence vector
	neu1e []float32 // accumulated input gradient
	e     []float32 // gradient of one predicted word
	loss  float64
	n     int64
}

// trainSentence updates the model from sentence i's predictions of its
// neighbours' (and, with AutoEncode, its own) words. The sentence vector is
// kept current as if every word's vector were updated after each predicted
// word, and the accumulated update is written to the word vectors at the end,
// so the cost is O(dim) per prediction rather than O(len·dim).
func (e *fsEngine) trainSentence(w *fsWorker, i int, alpha float32) {
	ids := e.o.sent(i)
	if len(ids) == 0 {
		return
	}
	dim := e.m.WV.Dim
	wv, out := e.m.WV.Vectors, e.m.Syn1Neg
	clear(w.s)
	for _, id := range ids {
		blas.Saxpy(dim, 1, wv[int(id)*dim:int(id+1)*dim], 1, w.s, 1)
	}
	clear(w.neu1e)
	n := float32(len(ids))
	neg := e.m.Config.Negative
	predict := func(j int) {
		for _, t := range e.o.sent(j) {
			if k := e.keep[t]; k != math.MaxUint32 && k < uint32(w.rng.Uint64()) {
				continue
			}
			clear(w.e)
			for d := 0; d <= neg; d++ {
				target, label := t, float32(1)
				if d > 0 {
					target, label = e.table.draw(w.rng.Uint64()), 0
					if target == t {
						continue
					}
				}
				row := out[int(target)*dim : int(target+1)*dim]
				p := sigmoid(blas.Sdot(dim, w.s, 1, row, 1))
				if label == 1 {
					w.loss -= math.Log(math.Max(float64(p), 1e-7))
				} else {
					w.loss -= math.Log(math.Max(float64(1-p), 1e-7))
				}
				g := (label - p) * alpha
				if g == 0 {
					continue
				}
				blas.Saxpy(dim, g, row, 1, w.e, 1)
				blas.Saxpy(dim, g, w.s, 1, row, 1)
			}
			w.n++
			blas.Saxpy(dim, 1, w.e, 1, w.neu1e, 1)
			blas.Saxpy(dim, n, w.e, 1, w.s, 1)
		}
	}
	if e.o.adjacent(i, i-1) {
		predict(i - 1)
	}
	if e.o.adjacent(i, i+1) {
		predict(i + 1)
	}
	if e.m.Config.AutoEncode {
		predict(i)
	}
	for _, id := range ids {
		blas.Saxpy(dim, 1, w.neu1e, 1, wv[int(id)*dim:int(id+1)*dim], 1)
	}
}

// fsChunk is the number of sentences a worker takes at a time.
const fsChunk = 256

func (e *fsEngine) run(ctx context.Context) error {
	cfg := e.m.Config
	dim := cfg.VectorSize
	nSent := e.o.n()
	workers := make([]*fsWorker, cfg.Workers)
	for k := range workers {
		workers[k] = &fsWorker{rng: rand.NewPCG(cfg.Seed, uint64(k)+1),
			s: make([]float32, dim), neu1e: make([]float32, dim), e: make([]float32, dim)}
	}
	total := int64(nSent) * int64(cfg.Epochs)
	var done, totalA atomic.Int64
	totalA.Store(total)
	watch := &lossWatch{done: &done, total: &totalA, epochs: int64(cfg.Epochs), unit: "sentence"}
	var stop atomic.Bool
	rep := fit.NewReporter(cfg.Progress, cfg.ProgressInterval)
	event := func(epoch int) fit.Progress {
		d := done.Load()
		return fit.Progress{Step: d, Total: total, Unit: "sentence", Loss: watch.take(),
			Metrics: map[string]float64{"epoch": float64(epoch),
				"alpha": cfg.Alpha - (cfg.Alpha-cfg.MinAlpha)*float64(d)/float64(total)}}
	}
	err := rep.Report(event(1))                   // the start
	tick := time.NewTicker(50 * time.Millisecond) // the reporter throttles further
	defer tick.Stop()
	timer := newEpochTimer()
	for epoch := 1; epoch <= cfg.Epochs && err == nil; epoch++ {
		var next atomic.Int64
		var wg sync.WaitGroup
		for _, w := range workers {
			w.loss, w.n = 0, 0
			wg.Add(1)
			go func(w *fsWorker) {
				defer wg.Done()
				for !stop.Load() && !watch.failed.Load() {
					lo := int(next.Add(fsChunk)) - fsChunk
					if lo >= nSent {
						return
					}
					hi := min(lo+fsChunk, nSent)
					frac := float64(done.Load()) / float64(total)
					alpha := float32(cfg.Alpha - (cfg.Alpha-cfg.MinAlpha)*frac)
					loss, n := w.loss, w.n
					for i := lo; i < hi; i++ {
						e.trainSentence(w, i, alpha)
					}
					done.Add(int64(hi - lo))
					watch.add(w.loss-loss, w.n-n)
				}
			}(w)
		}
		finished := make(chan struct{})
		go func() { wg.Wait(); close(finished) }()
	wait:
		for {
			select {
			case <-finished:
				break wait
			case <-ctx.Done():
				if err == nil {
					err = ctx.Err()
				}
				stop.Store(true)
			case <-tick.C:
				if err == nil {
					if err = rep.Report(event(epoch)); err != nil {
						stop.Store(true)
					}
				}
			}
		}
		if watch.err != nil {
			err = watch.err
		}
		if err != nil {
			break
		}
		var loss float64
		var n int64
		for _, w := range workers {
			loss += w.loss
			n += w.n
		}
		e.m.Loss = append(e.m.Loss, loss/math.Max(float64(n), 1))
		e.m.EpochCPU = append(e.m.EpochCPU, timer.lap())
	}
	if ferr := rep.Finish(event(cfg.Epochs), fit.Status(err, fmt.Sprintf("finished %d epochs", cfg.Epochs))); err == nil {
		err = ferr
	}
	return err
}

// Encode implements Encoder: each document's vector is the sum of the vectors
// of its known words (the FastSent representation). A document without a
// known word gets a zero row.
func (m *FastSent) Encode(ctx context.Context, docs [][]string) (*mat.Dense, error) {
	return sumVectors(ctx, m.WV, docs)
}

func sumVectors(ctx context.Context, kv *KeyedVectors, docs [][]string) (*mat.Dense, error) {
	if kv == nil || kv.Dim < 1 {
		return nil, fmt.Errorf("embed: encoder has no word vectors")
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("embed: no documents to encode")
	}
	x := mat.NewDense(len(docs), kv.Dim, nil)
	for d, doc := range docs {
		if d&255 == 0 {
			if err := ctx.Err(); err != nil {
				return x, err
			}
		}
		row := x.RawRowView(d)
		for _, w := range doc {
			if i, ok := kv.Index(w); ok {
				for k, v := range kv.Vectors[i*kv.Dim : (i+1)*kv.Dim] {
					row[k] += float64(v)
				}
			}
		}
	}
	return x, nil
}

// Save writes the model as a versioned gob (stdlib/internal/persist).
func (m *FastSent) Save(w io.Writer) error { return save(w, "FastSent", fastSentVersion, m) }

// SaveFile writes the model to path atomically.
func (m *FastSent) SaveFile(path string) error {
	return saveFile(path, "FastSent", fastSentVersion, m)
}

// LoadFastSent reads a model written by Save.
func LoadFastSent(r io.Reader) (*FastSent, error) {
	return load(r, "FastSent", fastSentVersion, func(m *FastSent) bool {
		return m.WV != nil && m.WV.Dim >= 1 && len(m.Syn1Neg) == len(m.WV.Vectors)
	})
}

// LoadFastSentFile reads a model written by SaveFile.
func LoadFastSentFile(path string) (*FastSent, error) { return loadFile(path, LoadFastSent) }
