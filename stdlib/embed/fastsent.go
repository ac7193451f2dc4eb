package embed

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
	"time"

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

// unigramTable is a Walker alias table over count^exponent, shared by
// FastSent and skip-thought for drawing noise words.
type unigramTable struct {
	Prob  []uint32 // acceptance probability scaled to 2^32
	Alias []int32
}

func newUnigramTable(counts []int64, exponent float64) unigramTable {
	n := len(counts)
	p := make([]float64, n)
	var sum float64
	for i, c := range counts {
		p[i] = math.Pow(float64(c), exponent)
		sum += p[i]
	}
	t := unigramTable{Prob: make([]uint32, n), Alias: make([]int32, n)}
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
func (t *unigramTable) draw(r uint64) int32 {
	i := int32((r >> 32) % uint64(len(t.Prob)))
	if uint32(r) <= t.Prob[i] {
		return i
	}
	return t.Alias[i]
}

// fsSigmoidTable holds σ(x) on [-fsMaxExp, fsMaxExp].
const (
	fsMaxExp   = 6
	fsTableLen = 1024
)

var fsSigmoidTable = func() [fsTableLen + 1]float32 {
	var t [fsTableLen + 1]float32
	for i := range t {
		x := (float64(i)/fsTableLen*2 - 1) * fsMaxExp
		t[i] = float32(1 / (1 + math.Exp(-x)))
	}
	return t
}()

func fsSigmoid(f float32) float32 {
	switch {
	case f >= fsMaxExp:
		return 1
	case f <= -fsMaxExp:
		return 0
	}
	return fsSigmoidTable[int((f+fsMaxExp)*(fsTableLen/(2*fsMaxExp)))]
}

func dot32(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}

// axpy32 sets y += alpha·x.
func axpy32(alpha float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

// FastSentConfig configures FastSent training. The zero value is valid.
type FastSentConfig struct {
	VectorSize int     // dimensions; default 100
	AutoEncode bool    // FastSent+AE: also predict the sentence's own words; default false
	MinCount   int     // ignore words with fewer occurrences; default 5
	Sample     float64 // subsampling threshold of predicted words; default 1e-3, negative disables
	Negative   int     // noise words per predicted word; default 5
	NsExponent float64 // exponent of the unigram noise distribution; default 0.75
	Alpha      float64 // initial learning rate; default 0.025
	MinAlpha   float64 // final learning rate, reached linearly; default 0.0001
	Epochs     int     // passes over the corpus; default 10
	Workers    int     // goroutines updating the shared weights; default GOMAXPROCS. Only 1 is bit-reproducible
	Seed       uint64  // random seed; default 1 (0 means 1)

	// Progress, if not nil, is called when training starts, about twice a
	// second and at the end. Words and TotalWords count sentences (the unit
	// of work here), not tokens.
	Progress func(Progress) error `json:"-"`
}

func (c FastSentConfig) withDefaults() FastSentConfig {
	// The shared settings take word2vec's defaults; only Epochs differs.
	w := Word2VecConfig{VectorSize: c.VectorSize, MinCount: c.MinCount, Sample: c.Sample, Negative: c.Negative,
		NsExponent: c.NsExponent, Alpha: c.Alpha, MinAlpha: c.MinAlpha, Epochs: c.Epochs, Workers: c.Workers, Seed: c.Seed}
	if w.Epochs == 0 {
		w.Epochs = 10
	}
	w = w.withDefaults()
	c.VectorSize, c.MinCount, c.Sample, c.Negative = w.VectorSize, w.MinCount, w.Sample, w.Negative
	c.NsExponent, c.Alpha, c.MinAlpha = w.NsExponent, w.Alpha, w.MinAlpha
	c.Epochs, c.Workers, c.Seed = w.Epochs, w.Workers, w.Seed
	return c
}

// Validate reports the first invalid field.
func (c FastSentConfig) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"VectorSize", c.VectorSize}, {"MinCount", c.MinCount}, {"Negative", c.Negative}, {"Epochs", c.Epochs}, {"Workers", c.Workers}} {
		if f.v < 0 {
			return fmt.Errorf("embed: FastSent %s %d must not be negative", f.name, f.v)
		}
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"Sample", c.Sample}, {"NsExponent", c.NsExponent}, {"Alpha", c.Alpha}, {"MinAlpha", c.MinAlpha}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return fmt.Errorf("embed: FastSent %s %v must be finite", f.name, f.v)
		}
		if f.name != "Sample" && f.v < 0 {
			return fmt.Errorf("embed: FastSent %s %v must not be negative", f.name, f.v)
		}
	}
	d := c.withDefaults()
	if d.MinAlpha > d.Alpha {
		return fmt.Errorf("embed: FastSent MinAlpha %v exceeds Alpha %v", d.MinAlpha, d.Alpha)
	}
	return nil
}

// FastSent is a trained FastSent model (Hill, Cho and Korhonen 2016): a
// sentence is the sum of its words' vectors WV, trained so that this sum
// predicts the words of the neighbouring sentences through the output
// weights Syn1Neg (and, with AutoEncode, its own words).
type FastSent struct {
	Config  FastSentConfig // with defaults filled in
	WV      *KeyedVectors  // word (input) vectors; a sentence is their sum
	Syn1Neg []float32      // output weights, a row per word
	Loss    []float64      // mean negative-sampling loss per predicted word, one per epoch
}

// TrainFastSent learns FastSent word vectors from a corpus of sentences in
// reading order (an empty sentence marks a document boundary). A corpus with
// no adjacent sentences returns ErrNoOrder. On cancellation or a progress
// error it returns the partly trained model and the error.
func TrainFastSent(ctx context.Context, corpus Corpus, cfg FastSentConfig) (*FastSent, error) {
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
	kv, err := NewKeyedVectors(o.words, wv, dim)
	if err != nil {
		return nil, err
	}
	kv.Counts = o.counts
	m := &FastSent{Config: cfg, WV: kv, Syn1Neg: make([]float32, nw*dim)}
	e := fsEngine{m: m, o: o, table: newUnigramTable(o.counts, cfg.NsExponent)}
	e.keep = fsKeep(o.counts, cfg.Sample)
	return m, e.run(ctx)
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
	table unigramTable
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
		axpy32(1, wv[int(id)*dim:int(id+1)*dim], w.s)
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
				f := dot32(w.s, row)
				p := fsSigmoid(f)
				if label == 1 {
					w.loss -= math.Log(math.Max(float64(p), 1e-7))
				} else {
					w.loss -= math.Log(math.Max(float64(1-p), 1e-7))
				}
				g := (label - p) * alpha
				if g == 0 {
					continue
				}
				axpy32(g, row, w.e)
				axpy32(g, w.s, row)
			}
			w.n++
			axpy32(1, w.e, w.neu1e)
			axpy32(n, w.e, w.s)
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
		axpy32(1, w.neu1e, wv[int(id)*dim:int(id+1)*dim])
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
	var done atomic.Int64
	var stop atomic.Bool
	start := time.Now()
	report := func(epoch int) error {
		if cfg.Progress == nil {
			return nil
		}
		d := done.Load()
		el := time.Since(start)
		return cfg.Progress(Progress{Epoch: epoch, Epochs: cfg.Epochs, Words: d, TotalWords: total,
			Alpha:       cfg.Alpha - (cfg.Alpha-cfg.MinAlpha)*float64(d)/float64(total),
			WordsPerSec: float64(d) / math.Max(el.Seconds(), 1e-9), Elapsed: el})
	}
	if err := report(1); err != nil {
		return err
	}
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		var next atomic.Int64
		var wg sync.WaitGroup
		for _, w := range workers {
			w.loss, w.n = 0, 0
			wg.Add(1)
			go func(w *fsWorker) {
				defer wg.Done()
				for !stop.Load() {
					lo := int(next.Add(fsChunk)) - fsChunk
					if lo >= nSent {
						return
					}
					hi := min(lo+fsChunk, nSent)
					frac := float64(done.Load()) / float64(total)
					alpha := float32(cfg.Alpha - (cfg.Alpha-cfg.MinAlpha)*frac)
					for i := lo; i < hi; i++ {
						e.trainSentence(w, i, alpha)
					}
					done.Add(int64(hi - lo))
				}
			}(w)
		}
		finished := make(chan struct{})
		go func() { wg.Wait(); close(finished) }()
		var err error
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
					if err = report(epoch); err != nil {
						stop.Store(true)
					}
				}
			}
		}
		if err != nil {
			return err
		}
		var loss float64
		var n int64
		for _, w := range workers {
			loss += w.loss
			n += w.n
		}
		e.m.Loss = append(e.m.Loss, loss/math.Max(float64(n), 1))
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return fmt.Errorf("embed: FastSent loss diverged in epoch %d; lower Alpha", epoch)
		}
	}
	return report(cfg.Epochs)
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

// Save writes the model with encoding/gob, atomically.
func (m *FastSent) Save(path string) error { return saveGob(path, m) }

// LoadFastSent reads a model written by Save.
func LoadFastSent(path string) (*FastSent, error) {
	m := new(FastSent)
	if err := loadGob(path, m); err != nil {
		return nil, err
	}
	if m.WV == nil || m.WV.Dim < 1 || len(m.Syn1Neg) != len(m.WV.Vectors) {
		return nil, fmt.Errorf("embed: %s: corrupt FastSent model", path)
	}
	return m, nil
}
