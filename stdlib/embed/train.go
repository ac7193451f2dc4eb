package embed

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gonbml/gonbml/stdlib/fit"
	"gonum.org/v1/gonum/blas/gonum"
)

// Sigmoid look-up table as in the word2vec C tool: sigma(x) for x in
// [-maxExp, maxExp) sampled at expTableSize points.
const (
	expTableSize = 1000
	maxExp       = 6
	batchWords   = 10000 // words per job, gensim's MAX_WORDS_IN_BATCH
)

var expTable = func() (t [expTableSize]float32) {
	for i := range t {
		e := math.Exp((float64(i)/expTableSize*2 - 1) * maxExp)
		t[i] = float32(e / (e + 1))
	}
	return t
}()

// sigmoid returns σ(f) from expTable: 0 or 1 beyond ±maxExp, NaN for NaN.
func sigmoid(f float32) float32 {
	switch {
	case f != f:
		return f
	case f >= maxExp:
		return 1
	case f <= -maxExp:
		return 0
	}
	return expTable[int((f+maxExp)*(expTableSize/maxExp/2))]
}

// lossTable[0][i] and lossTable[1][i] are the logistic losses -log(1-σ(x))
// and -log σ(x) of a noise and a true word at expTable's point i.
var lossTable = func() (t [2][expTableSize]float32) {
	for i, p := range expTable {
		t[0][i] = float32(-math.Log(1 - float64(p)))
		t[1][i] = float32(-math.Log(float64(p)))
	}
	return t
}()

// blas is gonum's native BLAS; its float32 dot and axpy are SIMD assembly on
// amd64, about 2.5x faster than a Go loop at 100 dimensions.
var blas gonum.Implementation

type method int

const (
	methodSG method = iota
	methodCBOW
	methodDBOW
	methodDMMean
	methodDMConcat
)

// engine holds the shared weights and the training rules of one model.
// Workers update the weights without locks (Hogwild).
type engine struct {
	m         method
	dim       int
	window    int
	negative  int
	cbowMean  bool // CBOW / PV-DM: mean (true) or sum of the inputs
	dbowWords bool // PV-DBOW: also train word vectors skip-gram style
	syn0      []float32
	syn1      []float32 // negative-sampling output weights
	docs      []float32 // doc2vec document vectors
	null      []float32 // PV-DM concat padding vector
	table     NoiseTable
	sample    []uint32
	// what is updated: words (syn0/null), hidden (syn1), documents.
	learnWords, learnHidden, learnDocs bool
}

// batch is one job: word ids of consecutive sentences.
type batch struct {
	ids   []int32 // in-vocabulary word ids
	ends  []int32 // end offset in ids of each sentence
	docs  []int32 // document index of each sentence
	raw   int64   // corpus tokens this batch stands for
	alpha float32
}

// worker is one goroutine's scratch state; nothing is allocated per word.
type worker struct {
	rng   *rand.PCG
	loss  float64 // negative-sampling loss summed since the last batch
	pairs int64   // predictions it sums
	neu1  []float32
	neu1e []float32
	sent  []int32
}

func (e *engine) newWorker(seed, stream uint64) *worker {
	layer := e.dim
	if e.m == methodDMConcat {
		layer = (2*e.window + 1) * e.dim
	}
	return &worker{
		rng:   rand.NewPCG(seed, stream),
		neu1:  make([]float32, layer),
		neu1e: make([]float32, layer),
		sent:  make([]int32, 0, maxSentenceLen),
	}
}

func (e *engine) row(w int32) []float32 {
	return e.syn0[int(w)*e.dim : int(w+1)*e.dim]
}

// negSample trains the output layer to predict word from the input vector l1
// with one positive and e.negative noise words, adding the input gradient to
// neu1e.
func (e *engine) negSample(wk *worker, l1 []float32, word int32, alpha float32, neu1e []float32) {
	n := len(l1)
	for d := 0; d <= e.negative; d++ {
		target := word
		var label float32 = 1
		if d > 0 {
			target = e.table.draw(wk.rng.Uint64())
			if target == word {
				continue
			}
			label = 0
		}
		l2 := e.syn1[int(target)*n : int(target+1)*n]
		f := blas.Sdot(n, l1, 1, l2, 1)
		var g float32
		wk.pairs++
		switch {
		case f != f: // NaN: the weights blew up; the loss says so
			wk.loss = math.NaN()
			return
		case f >= maxExp:
			g = (label - 1) * alpha
			wk.loss += float64(f) * float64(1-label) // -log(1-σ(f)) ≈ f for a noise word
		case f <= -maxExp:
			g = label * alpha
			wk.loss -= float64(f) * float64(label) // -log σ(f) ≈ -f for a true word
		default:
			k := int((f + maxExp) * (expTableSize / maxExp / 2))
			g = (label - expTable[k]) * alpha
			wk.loss += float64(lossTable[int(label)][k])
		}
		if g == 0 {
			continue
		}
		blas.Saxpy(n, g, l2, 1, neu1e, 1)
		if e.learnHidden {
			blas.Saxpy(n, g, l1, 1, l2, 1)
		}
	}
}

// subsample copies the kept words of ids into wk.sent.
func (e *engine) subsample(wk *worker, ids []int32) []int32 {
	s := wk.sent[:0]
	for _, w := range ids {
		if p := e.sample[w]; p != math.MaxUint32 && p < uint32(wk.rng.Uint64()) {
			continue
		}
		s = append(s, w)
	}
	wk.sent = s
	return s
}

// trainSentence applies one pass of the model's rule to a sentence.
func (e *engine) trainSentence(wk *worker, ids []int32, doc int32, alpha float32) {
	sent := e.subsample(wk, ids)
	dim := e.dim
	win := uint64(e.window)
	switch e.m {
	case methodSG:
		e.skipGram(wk, sent, alpha)
	case methodCBOW:
		for i, w := range sent {
			b := int(wk.rng.Uint64() % win)
			lo, hi := max(0, i-e.window+b), min(len(sent), i+e.window+1-b)
			neu1 := wk.neu1
			clear(neu1)
			var count float32
			for j := lo; j < hi; j++ {
				if j != i {
					blas.Saxpy(dim, 1, e.row(sent[j]), 1, neu1, 1)
					count++
				}
			}
			if count == 0 {
				continue
			}
			if e.cbowMean {
				blas.Sscal(dim, 1/count, neu1, 1)
			}
			clear(wk.neu1e)
			e.negSample(wk, neu1, w, alpha, wk.neu1e)
			if !e.cbowMean {
				blas.Sscal(dim, 1/count, wk.neu1e, 1)
			}
			for j := lo; j < hi; j++ {
				if j != i {
					blas.Saxpy(dim, 1, wk.neu1e, 1, e.row(sent[j]), 1)
				}
			}
		}
	case methodDBOW:
		if e.dbowWords && e.learnWords {
			e.skipGram(wk, sent, alpha)
		}
		dv := e.docs[int(doc)*dim : int(doc+1)*dim]
		for _, w := range sent {
			clear(wk.neu1e)
			e.negSample(wk, dv, w, alpha, wk.neu1e)
			if e.learnDocs {
				blas.Saxpy(dim, 1, wk.neu1e, 1, dv, 1)
			}
		}
	case methodDMMean:
		dv := e.docs[int(doc)*dim : int(doc+1)*dim]
		for i, w := range sent {
			b := int(wk.rng.Uint64() % win)
			lo, hi := max(0, i-e.window+b), min(len(sent), i+e.window+1-b)
			neu1 := wk.neu1
			copy(neu1, dv)
			var count float32 = 1
			for j := lo; j < hi; j++ {
				if j != i {
					blas.Saxpy(dim, 1, e.row(sent[j]), 1, neu1, 1)
					count++
				}
			}
			if e.cbowMean {
				blas.Sscal(dim, 1/count, neu1, 1)
			}
			clear(wk.neu1e)
			e.negSample(wk, neu1, w, alpha, wk.neu1e)
			if !e.cbowMean {
				blas.Sscal(dim, 1/count, wk.neu1e, 1)
			}
			if e.learnDocs {
				blas.Saxpy(dim, 1, wk.neu1e, 1, dv, 1)
			}
			if e.learnWords {
				for j := lo; j < hi; j++ {
					if j != i {
						blas.Saxpy(dim, 1, wk.neu1e, 1, e.row(sent[j]), 1)
					}
				}
			}
		}
	case methodDMConcat:
		dv := e.docs[int(doc)*dim : int(doc+1)*dim]
		for i, w := range sent {
			neu1 := wk.neu1
			copy(neu1[:dim], dv)
			k := 1
			for j := i - e.window; j <= i+e.window; j++ {
				if j == i {
					continue
				}
				src := e.null
				if j >= 0 && j < len(sent) {
					src = e.row(sent[j])
				}
				copy(neu1[k*dim:(k+1)*dim], src)
				k++
			}
			clear(wk.neu1e)
			e.negSample(wk, neu1, w, alpha, wk.neu1e)
			if e.learnDocs {
				blas.Saxpy(dim, 1, wk.neu1e[:dim], 1, dv, 1)
			}
			if e.learnWords {
				k := 1
				for j := i - e.window; j <= i+e.window; j++ {
					if j == i {
						continue
					}
					dst := e.null
					if j >= 0 && j < len(sent) {
						dst = e.row(sent[j])
					}
					blas.Saxpy(dim, 1, wk.neu1e[k*dim:(k+1)*dim], 1, dst, 1)
					k++
				}
			}
		}
	}
}

// skipGram trains each (context, centre) pair of a sentence: the context
// word's vector is the input, the centre word the prediction (as in the C
// tool and gensim).
func (e *engine) skipGram(wk *worker, sent []int32, alpha float32) {
	dim := e.dim
	win := uint64(e.window)
	for i, w := range sent {
		b := int(wk.rng.Uint64() % win)
		lo, hi := max(0, i-e.window+b), min(len(sent), i+e.window+1-b)
		for j := lo; j < hi; j++ {
			if j == i {
				continue
			}
			l1 := e.row(sent[j])
			clear(wk.neu1e)
			e.negSample(wk, l1, w, alpha, wk.neu1e)
			if e.learnWords {
				blas.Saxpy(dim, 1, wk.neu1e, 1, l1, 1)
			}
		}
	}
}

func (e *engine) trainBatch(wk *worker, b *batch) {
	start := int32(0)
	for k, end := range b.ends {
		e.trainSentence(wk, b.ids[start:end], b.docs[k], b.alpha)
		start = end
	}
}

// runConfig are the schedule parameters of a training run.
type runConfig struct {
	epochs          int
	alpha, minAlpha float64
	workers         int
	seed            uint64
	progress        fit.Func
	interval        time.Duration
	ndocs           int64 // >0 for doc2vec: document indices must stay below
}

// lossWatch gathers the workers' batch losses for progress events and
// checks each batch for divergence against the first.
type lossWatch struct {
	mu          sync.Mutex
	first       float64
	seen        bool
	sum         float64 // since the last progress event
	pairs       int64
	last        float64 // the loss of the last event
	err         error   // ErrDiverged, once
	failed      atomic.Bool
	done, total *atomic.Int64
	epochs      int64
	unit        string // what done counts
}

func (w *lossWatch) add(loss float64, pairs int64) {
	if pairs == 0 {
		return
	}
	mean := loss / float64(pairs)
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.seen {
		w.first, w.seen = mean, true
	}
	w.sum += loss
	w.pairs += pairs
	if w.err == nil && fit.Diverged(w.first, mean) {
		d, t := w.done.Load(), w.total.Load()
		w.err = fmt.Errorf("%w: loss %.4g per prediction at %s %d of %d (epoch %d), first %.4g; lower the learning rate",
			ErrDiverged, mean, w.unit, d, t, min(w.epochs, 1+d*w.epochs/max(t, 1)), w.first)
		w.failed.Store(true)
	}
}

// take returns the mean loss since the last call, or the last call's value
// when no prediction was made since. Before the first prediction it is
// ln 2, the exact loss of the initial weights: the output weights start
// at zero, so every prediction starts at σ(0) = 1/2.
func (w *lossWatch) take() float64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.pairs == 0 {
		if w.last == 0 {
			w.last = math.Ln2
		}
		return w.last
	}
	w.last = w.sum / float64(w.pairs)
	w.sum, w.pairs = 0, 0
	return w.last
}

// run streams the corpus epochs times through the workers. Learning rate
// decays linearly with the number of corpus tokens handed out, which depends
// only on the corpus, so Workers = 1 is bit-reproducible.
func (e *engine) run(ctx context.Context, c Corpus, v *vocab, rc runConfig) error {
	total := v.totalRaw * int64(rc.epochs)
	nb := 2*rc.workers + 2
	free := make(chan *batch, nb)
	for range nb {
		free <- &batch{ids: make([]int32, 0, batchWords+maxSentenceLen), ends: make([]int32, 0, 64), docs: make([]int32, 0, 64)}
	}
	jobs := make(chan *batch, nb)
	var done, totalA atomic.Int64
	totalA.Store(total)
	watch := &lossWatch{done: &done, total: &totalA, epochs: int64(rc.epochs), unit: "word"}
	var wg sync.WaitGroup
	for w := range rc.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := e.newWorker(rc.seed, uint64(w)+1)
			for b := range jobs {
				if !watch.failed.Load() {
					wk.loss, wk.pairs = 0, 0
					e.trainBatch(wk, b)
					done.Add(b.raw)
					watch.add(wk.loss, wk.pairs)
				}
				free <- b
			}
		}()
	}
	rep := fit.NewReporter(rc.progress, rc.interval)
	event := func(epoch int, alpha float64) fit.Progress {
		return fit.Progress{Step: done.Load(), Total: total, Unit: "word", Loss: watch.take(),
			Metrics: map[string]float64{"epoch": float64(epoch), "alpha": alpha}}
	}
	err := rep.Report(event(1, rc.alpha)) // the start
	var fed int64
	cur := <-free
	resetBatch := func(b *batch) {
		b.ids, b.ends, b.docs, b.raw = b.ids[:0], b.ends[:0], b.docs[:0], 0
	}
	resetBatch(cur)
	epoch := 0
	send := func() error {
		if watch.failed.Load() {
			return errDivergedStop
		}
		cur.alpha = float32(rc.alpha - (rc.alpha-rc.minAlpha)*float64(fed)/float64(total))
		fed += cur.raw
		select {
		case jobs <- cur:
		case <-ctx.Done():
			free <- cur
			return ctx.Err()
		}
		cur = <-free
		resetBatch(cur)
		return rep.Report(event(epoch+1, float64(cur.alpha)))
	}
	for epoch = 0; epoch < rc.epochs && err == nil; epoch++ {
		var doc int64
		err = c.ForEach(ctx, func(toks []string) error {
			if rc.ndocs > 0 && doc >= rc.ndocs {
				return fmt.Errorf("embed: corpus yielded more than the %d documents of the vocabulary pass", rc.ndocs)
			}
			n := 0
			for _, t := range toks {
				if id, ok := v.index[t]; ok {
					cur.ids = append(cur.ids, id)
					n++
					if n == maxSentenceLen {
						cur.ends = append(cur.ends, int32(len(cur.ids)))
						cur.docs = append(cur.docs, int32(doc))
						n = 0
					}
				}
			}
			if n > 0 {
				cur.ends = append(cur.ends, int32(len(cur.ids)))
				cur.docs = append(cur.docs, int32(doc))
			}
			cur.raw += int64(len(toks))
			doc++
			if len(cur.ids) >= batchWords {
				return send()
			}
			return nil
		})
		if err == nil && epoch == rc.epochs-1 && len(cur.ends) > 0 {
			err = send()
		}
		if err == nil {
			err = ctx.Err()
		}
	}
	close(jobs)
	wg.Wait()
	if watch.err != nil {
		err = watch.err
	}
	fin := event(rc.epochs, rc.minAlpha)
	if ferr := rep.Finish(fin, fit.Status(err, fmt.Sprintf("finished %d epochs", rc.epochs))); err == nil {
		err = ferr
	}
	return err
}

// errDivergedStop stops feeding the workers once one has seen the loss
// diverge; run replaces it by the worker's ErrDiverged.
var errDivergedStop = errors.New("embed: stopped: diverged")
