package embed

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/nn"
	"gonum.org/v1/gonum/mat"
)

// SkipThoughtConfig configures skip-thought training. The zero value is
// valid and gives a model small enough to train on a novel in minutes.
type SkipThoughtConfig struct {
	WordSize int // word embedding size. Default (0): 64.
	// Hidden is the GRU state size, the sentence vector's dimensions.
	// Default (0): 128.
	Hidden   int
	MinCount int // drop words with fewer occurrences. Default (0): 5. Off: keep every word.
	MaxVocab int // keep the most frequent words. Default (0): 10000. Off: no limit.
	// MaxLen cuts training sentences to this many known words.
	// Default (0): 30.
	MaxLen int
	// Negative is the number of noise words per predicted word (the
	// negative-sampling softmax). Default (0): 5.
	Negative  int
	BatchSize int     // sentences per Adam step. Default (0): 64.
	LR        float64 // Adam learning rate. Default (0): 0.002.
	// ClipNorm scales the gradients to at most this global norm.
	// Default (0): 5. Off: no clipping.
	ClipNorm float64
	Epochs   int // passes over the corpus. Default (0): 2.
	// Workers is the number of goroutines of the matrix products.
	// Default (0): GOMAXPROCS. Results do not depend on it.
	Workers int
	// Seed seeds the weights, the noise words and the batch order.
	// Default (0): seed 0, a seed like any other.
	Seed uint64

	// Progress receives fit.Progress events: Step and Total count the
	// tokens of the encoded sentences (Unit "word"), Loss is the mean loss
	// per predicted word of the last batch, Metrics holds "epoch".
	Progress fit.Func `json:"-"`
	// ProgressInterval is the least time between two Progress events.
	// Default (0): fit.DefaultInterval, 250 ms. Off: every batch.
	ProgressInterval time.Duration
}

func (c SkipThoughtConfig) withDefaults() SkipThoughtConfig {
	c.WordSize = fit.Or(c.WordSize, 64)
	c.Hidden = fit.Or(c.Hidden, 128)
	c.MinCount = fit.Or(c.MinCount, 5)
	c.MaxVocab = fit.Or(c.MaxVocab, 10000)
	c.MaxLen = fit.Or(c.MaxLen, 30)
	c.Negative = fit.Or(c.Negative, 5)
	c.BatchSize = fit.Or(c.BatchSize, 64)
	c.Epochs = fit.Or(c.Epochs, 2)
	c.Workers = fit.Workers(c.Workers)
	c.LR = fit.Or(c.LR, 0.002)
	c.ClipNorm = fit.Or(c.ClipNorm, 5)
	return c
}

// Validate reports the first invalid field as an ErrBadConfig naming it.
func (c SkipThoughtConfig) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"WordSize", c.WordSize}, {"Hidden", c.Hidden}, {"MaxLen", c.MaxLen}, {"Negative", c.Negative},
		{"BatchSize", c.BatchSize}, {"Epochs", c.Epochs}} {
		if err := checkNonNeg(f.name, f.v); err != nil {
			return err
		}
	}
	if c.Workers < 0 {
		return fit.BadConfig(ErrBadConfig, "Workers", c.Workers, "at least 1 (0: GOMAXPROCS)")
	}
	if err := checkFiniteSetting("LR", c.LR, true); err != nil {
		return err
	}
	return checkFiniteSetting("ClipNorm", c.ClipNorm, false)
}

// SkipThought is a trained skip-thought model (Kiros et al. 2015): a GRU
// encoder reads a sentence's word embeddings and its final state is the
// sentence vector; two GRU decoders, conditioned on that vector (it is their
// initial state and is concatenated to their input at every step, the second
// as in the paper's conditioning of every gate), predict the previous and the next
// sentence word by word with teacher forcing. The softmax over the vocabulary
// is replaced by negative sampling against the output embeddings Out.
type SkipThought struct {
	Config  SkipThoughtConfig // with defaults filled in
	WV      *KeyedVectors     // input word embeddings, shared by encoder and decoders
	Encoder *nn.GRU           // WordSize → Hidden
	Decoder [2]*nn.GRU        // previous, next sentence: WordSize+Hidden → Hidden
	Out     *nn.Matrix        // output embeddings, a Hidden-sized row per word
	OutB    []float32         // output biases
	Table   UnigramTable      // noise distribution (unigram^0.75)
	Loss    []float64         // mean loss per predicted word, one per epoch
	History []float64         // mean loss per predicted word of every batch
	// EpochCPU is the CPU seconds each epoch took (see FastSent.EpochCPU).
	EpochCPU []float64
}

// Fit trains a skip-thought model on sentences in reading order (an empty
// sentence marks a document boundary). A corpus with no adjacent sentences
// returns ErrNoOrder. On cancellation or a progress error it returns the
// partly trained model and the error; on divergence, ErrDiverged.
func (cfg SkipThoughtConfig) Fit(ctx context.Context, corpus Corpus) (*SkipThought, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	o, err := readOrdered(ctx, corpus, cfg.MinCount, cfg.MaxVocab)
	if err != nil {
		return nil, err
	}
	m := newSkipThought(cfg, o.words, o.counts)
	tr := newSTTrainer(m)
	return m, tr.train(ctx, o)
}

func newSkipThought(cfg SkipThoughtConfig, words []string, counts []int64) *SkipThought {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x57))
	W, H, V := cfg.WordSize, cfg.Hidden, len(words)
	vec := make([]float32, V*W)
	for i := range vec {
		vec[i] = float32(rng.NormFloat64() * 0.1)
	}
	kv, err := newKeyedVectors(words, vec, W)
	if err != nil {
		panic(err) // words come from a map: unique and non-empty
	}
	kv.Counts = counts
	out := nn.NewMatrix(V, H)
	for i := range out.Data {
		out.Data[i] = float32(rng.NormFloat64() * 0.1)
	}
	return &SkipThought{Config: cfg, WV: kv,
		Encoder: nn.NewGRU(W, H, rng),
		Decoder: [2]*nn.GRU{nn.NewGRU(W+H, H, rng), nn.NewGRU(W+H, H, rng)},
		Out:     out, OutB: make([]float32, V), Table: newUnigramTable(counts, 0.75)}
}

// stBatch is one mini-batch: word ids per time step and row (-1 is padding)
// of the encoded sentences and of the two decoded neighbours, and the noise
// words of every prediction, drawn up front so the loss is a fixed function
// of the weights (the gradient check relies on that).
type stBatch struct {
	enc    [][]int32    // [t][row]
	dec    [2][][]int32 // [decoder][t][row]
	neg    [2][][]int32 // [decoder][t][row*Negative+k]
	tokens int64
}

// stTrainer holds the buffers of one batch size; nothing is allocated per
// step once they exist.
type stTrainer struct {
	m        *SkipThought
	B        int
	encX     []*nn.Matrix
	encH     []*nn.Matrix // encH[0] is the zero state
	encSt    []*nn.GRUStep
	decX     [2][]*nn.Matrix
	decH     [2][]*nn.Matrix
	decSt    [2][]*nn.GRUStep
	dh, dhIn *nn.Matrix
	dhSave   *nn.Matrix
	dxEnc    *nn.Matrix
	dxDec    *nn.Matrix
	ds       *nn.Matrix // gradient of the sentence vectors
	gradE    []float32
	gradOut  []float32
	gradOutB []float32
	dLoss    [2][]*nn.Matrix // loss gradient w.r.t. each decoder state
	params   []nn.Param
}

func newSTTrainer(m *SkipThought) *stTrainer {
	c := m.Config
	B, T, W, H := c.BatchSize, c.MaxLen, c.WordSize, c.Hidden
	mats := func(n, r, cols int) []*nn.Matrix {
		s := make([]*nn.Matrix, n)
		for i := range s {
			s[i] = nn.NewMatrix(r, cols)
		}
		return s
	}
	steps := func(n int) []*nn.GRUStep {
		s := make([]*nn.GRUStep, n)
		for i := range s {
			s[i] = new(nn.GRUStep)
		}
		return s
	}
	t := &stTrainer{m: m, B: B,
		encX: mats(T, B, W), encH: mats(T+1, B, H), encSt: steps(T),
		dh: nn.NewMatrix(B, H), dhIn: nn.NewMatrix(B, H), dhSave: nn.NewMatrix(B, H), dxEnc: nn.NewMatrix(B, W),
		dxDec: nn.NewMatrix(B, W+H), ds: nn.NewMatrix(B, H),
		gradE: make([]float32, len(m.WV.Vectors)), gradOut: make([]float32, len(m.Out.Data)),
		gradOutB: make([]float32, len(m.OutB))}
	for d := range 2 {
		t.decX[d] = mats(T, B, W+H)
		t.decH[d] = mats(T+1, B, H)
		t.decSt[d] = steps(T)
		t.dLoss[d] = mats(T, B, H)
	}
	t.params = []nn.Param{{Name: "embeddings", Value: m.WV.Vectors, Grad: t.gradE},
		{Name: "out", Value: m.Out.Data, Grad: t.gradOut}, {Name: "out_bias", Value: m.OutB, Grad: t.gradOutB}}
	t.params = append(t.params, m.Encoder.Params("encoder")...)
	t.params = append(t.params, m.Decoder[0].Params("decoder_prev")...)
	t.params = append(t.params, m.Decoder[1].Params("decoder_next")...)
	return t
}

// gather sets row b of x[:, :W] to the embedding of ids[b] (zero for -1).
func (t *stTrainer) gather(x *nn.Matrix, ids []int32) {
	W := t.m.Config.WordSize
	for b := 0; b < x.Rows; b++ {
		row := x.Row(b)[:W]
		if b < len(ids) && ids[b] >= 0 {
			copy(row, t.m.WV.Vectors[int(ids[b])*W:int(ids[b]+1)*W])
		} else {
			clear(row)
		}
	}
}

// carry sets rows of h whose id is padding back to prev (the state does not
// move past the end of a sentence).
func carry(h, prev *nn.Matrix, ids []int32) {
	for b, id := range ids {
		if id < 0 {
			copy(h.Row(b), prev.Row(b))
		}
	}
}

// encode runs the encoder over the batch and returns the final states.
func (t *stTrainer) encode(enc [][]int32) *nn.Matrix {
	g, workers := t.m.Encoder, t.m.Config.Workers
	t.encH[0].Zero()
	for s, ids := range enc {
		t.gather(t.encX[s], ids)
		h := g.Forward(t.encSt[s], t.encX[s], t.encH[s], workers)
		copy(t.encH[s+1].Data, h.Data)
		carry(t.encH[s+1], t.encH[s], ids)
	}
	return t.encH[len(enc)]
}

// forward computes the batch's summed loss and number of predictions; with
// grad it also fills the parameter gradients (scaled to the mean per
// prediction).
func (t *stTrainer) forward(bt *stBatch, grad bool) (float64, int) {
	m := t.m
	c := m.Config
	W, H, K := c.WordSize, c.Hidden, c.Negative
	s := t.encode(bt.enc)
	var loss float64
	n := 0
	for d := range 2 {
		g := m.Decoder[d]
		copy(t.decH[d][0].Data, s.Data) // the decoders start from the sentence vector
		for step, ids := range bt.dec[d] {
			x := t.decX[d][step]
			if step == 0 {
				t.gather(x, nil)
			} else {
				t.gather(x, bt.dec[d][step-1])
			}
			for b := 0; b < t.B; b++ {
				copy(x.Row(b)[W:], s.Row(b))
			}
			h := g.Forward(t.decSt[d][step], x, t.decH[d][step], c.Workers)
			copy(t.decH[d][step+1].Data, h.Data)
			carry(t.decH[d][step+1], t.decH[d][step], ids)
			dl := t.dLoss[d][step]
			if grad {
				dl.Zero()
			}
			for b, w := range ids {
				if w < 0 {
					continue
				}
				n++
				hb := t.decH[d][step+1].Row(b)
				for k := 0; k <= K; k++ {
					target, label := w, float32(1)
					if k > 0 {
						target, label = bt.neg[d][step][b*K+k-1], 0
					}
					row := m.Out.Row(int(target))
					f := blas.Sdot(len(hb), hb, 1, row, 1) + m.OutB[target]
					if label == 1 {
						loss += float64(nn.SoftplusScalar(-f))
					} else {
						loss += float64(nn.SoftplusScalar(f))
					}
					if grad {
						gr := nn.SigmoidScalar(f) - label
						blas.Saxpy(len(row), gr, row, 1, dl.Row(b), 1)
						blas.Saxpy(len(hb), gr, hb, 1, t.gradOut[int(target)*H:int(target+1)*H], 1)
						t.gradOutB[target] += gr
					}
				}
			}
		}
	}
	if !grad || n == 0 {
		return loss, n
	}
	// Scale the output-layer gradients to the mean per prediction.
	scale := 1 / float32(n)
	for d := range 2 {
		for _, dl := range t.dLoss[d][:len(bt.dec[d])] {
			for i := range dl.Data {
				dl.Data[i] *= scale
			}
		}
	}
	for i := range t.gradOut {
		t.gradOut[i] *= scale
	}
	for i := range t.gradOutB {
		t.gradOutB[i] *= scale
	}
	// Back through the decoders, collecting the gradient of s.
	t.ds.Zero()
	for d := range 2 {
		t.dh.Zero()
		g := m.Decoder[d]
		for step := len(bt.dec[d]) - 1; step >= 0; step-- {
			ids := bt.dec[d][step]
			// dh is the gradient w.r.t. state step+1 from later steps.
			for i, v := range t.dLoss[d][step].Data {
				t.dh.Data[i] += v
			}
			t.backStep(g, t.dxDec, t.decSt[d][step], ids)
			for b := 0; b < t.B; b++ {
				dx := t.dxDec.Row(b)
				blas.Saxpy(H, 1, dx[W:], 1, t.ds.Row(b), 1)
				if step > 0 {
					if id := bt.dec[d][step-1][b]; id >= 0 {
						blas.Saxpy(W, 1, dx[:W], 1, t.gradE[int(id)*W:int(id+1)*W], 1)
					}
				}
			}
		}
		// The decoder's initial state is s too.
		for i, v := range t.dh.Data {
			t.ds.Data[i] += v
		}
	}
	// Back through the encoder.
	copy(t.dh.Data, t.ds.Data)
	for step := len(bt.enc) - 1; step >= 0; step-- {
		ids := bt.enc[step]
		t.backStep(m.Encoder, t.dxEnc, t.encSt[step], ids)
		for b, id := range ids {
			if id >= 0 {
				blas.Saxpy(W, 1, t.dxEnc.Row(b), 1, t.gradE[int(id)*W:int(id+1)*W], 1)
			}
		}
	}
	return loss, n
}

// backStep runs one cell's backward pass at a step where rows with padding
// ids carried their state: those rows pass the incoming gradient t.dh through
// unchanged and contribute nothing to the cell's gradients.
func (t *stTrainer) backStep(g *nn.GRU, dx *nn.Matrix, st *nn.GRUStep, ids []int32) {
	copy(t.dhSave.Data, t.dh.Data)
	copy(t.dhIn.Data, t.dh.Data)
	for b, id := range ids {
		if id < 0 {
			clear(t.dhIn.Row(b))
		}
	}
	g.Backward(dx, t.dh, st, t.dhIn, t.m.Config.Workers)
	for b, id := range ids {
		if id < 0 {
			copy(t.dh.Row(b), t.dhSave.Row(b))
		}
	}
}

// makeBatch fills a batch with the given centre sentences (at most B; the
// remaining rows are padding).
func (t *stTrainer) makeBatch(o *ordered, centres []int, rng *rand.PCG) *stBatch {
	c := t.m.Config
	K := c.Negative
	cut := func(s []int32) []int32 { return s[:min(len(s), c.MaxLen)] }
	var rows [3][][]int32 // encoder, previous, next
	for _, i := range centres {
		rows[0] = append(rows[0], cut(o.sent(i)))
		var prev, next []int32
		if o.adjacent(i, i-1) {
			prev = cut(o.sent(i - 1))
		}
		if o.adjacent(i, i+1) {
			next = cut(o.sent(i + 1))
		}
		rows[1] = append(rows[1], prev)
		rows[2] = append(rows[2], next)
	}
	steps := func(rs [][]int32) [][]int32 {
		T := 0
		for _, r := range rs {
			T = max(T, len(r))
		}
		out := make([][]int32, T)
		for s := range out {
			ids := make([]int32, t.B)
			for b := range ids {
				ids[b] = -1
				if b < len(rs) && s < len(rs[b]) {
					ids[b] = rs[b][s]
				}
			}
			out[s] = ids
		}
		return out
	}
	bt := &stBatch{enc: steps(rows[0])}
	for _, r := range rows[0] {
		bt.tokens += int64(len(r))
	}
	for d := range 2 {
		bt.dec[d] = steps(rows[d+1])
		bt.neg[d] = make([][]int32, len(bt.dec[d]))
		for s, ids := range bt.dec[d] {
			neg := make([]int32, t.B*K)
			for b, w := range ids {
				if w < 0 {
					continue
				}
				for k := range K {
					n := t.m.Table.draw(rng.Uint64())
					if n == w {
						n = t.m.Table.draw(rng.Uint64())
					}
					neg[b*K+k] = n
				}
			}
			bt.neg[d][s] = neg
		}
	}
	return bt
}

// clip scales the gradients to a global norm of at most c.
func clipGrads(params []nn.Param, c float64) {
	if c <= 0 {
		return
	}
	var ss float64
	for _, p := range params {
		for _, g := range p.Grad {
			ss += float64(g) * float64(g)
		}
	}
	if norm := math.Sqrt(ss); norm > c {
		s := float32(c / norm)
		for _, p := range params {
			for i := range p.Grad {
				p.Grad[i] *= s
			}
		}
	}
}

func (t *stTrainer) train(ctx context.Context, o *ordered) error {
	m := t.m
	c := m.Config
	var centres []int
	var total int64
	for i := 0; i < o.n(); i++ {
		if len(o.sent(i)) == 0 {
			continue
		}
		if (o.adjacent(i, i-1) && len(o.sent(i-1)) > 0) || (o.adjacent(i, i+1) && len(o.sent(i+1)) > 0) {
			centres = append(centres, i)
			total += int64(min(len(o.sent(i)), c.MaxLen))
		}
	}
	if len(centres) == 0 {
		return ErrNoOrder
	}
	total *= int64(c.Epochs)
	rng := rand.NewPCG(c.Seed, 0x5717)
	shuffle := rand.New(rand.NewPCG(c.Seed, 0x5718))
	adam := &nn.Adam{LR: c.LR, Workers: c.Workers}
	rep := fit.NewReporter(c.Progress, c.ProgressInterval)
	var done int64
	last := math.NaN() // no batch yet: no loss
	event := func(epoch int) fit.Progress {
		return fit.Progress{Step: done, Total: total, Unit: "word", Loss: last,
			Metrics: map[string]float64{"epoch": float64(epoch)}}
	}
	// The first event comes after the first batch, with its loss.
	err := t.epochs(ctx, o, centres, rng, shuffle, adam, func(epoch int, loss float64) error {
		last = loss
		return rep.Report(event(epoch))
	}, &done)
	if ferr := rep.Finish(event(c.Epochs), fit.Status(err, fmt.Sprintf("finished %d epochs", c.Epochs))); err == nil {
		err = ferr
	}
	return err
}

// epochs runs the training passes, calling report after every batch with
// its mean loss per predicted word.
func (t *stTrainer) epochs(ctx context.Context, o *ordered, centres []int, rng *rand.PCG, shuffle *rand.Rand,
	adam *nn.Adam, report func(epoch int, loss float64) error, done *int64) error {
	m := t.m
	c := m.Config
	first := math.NaN()
	for epoch := 1; epoch <= c.Epochs; epoch++ {
		timer := newEpochTimer()
		// Shuffle, then sort chunks of 32 batches by length so a batch's
		// sentences have similar lengths (less padding), and shuffle batches.
		shuffle.Shuffle(len(centres), func(i, j int) { centres[i], centres[j] = centres[j], centres[i] })
		var batches [][]int
		chunk := 32 * t.B
		for lo := 0; lo < len(centres); lo += chunk {
			part := centres[lo:min(lo+chunk, len(centres))]
			sort.SliceStable(part, func(i, j int) bool { return len(o.sent(part[i])) < len(o.sent(part[j])) })
			for b := 0; b < len(part); b += t.B {
				batches = append(batches, part[b:min(b+t.B, len(part))])
			}
		}
		shuffle.Shuffle(len(batches), func(i, j int) { batches[i], batches[j] = batches[j], batches[i] })
		var epochLoss float64
		var epochN int
		for k, rows := range batches {
			if err := ctx.Err(); err != nil {
				return err
			}
			bt := t.makeBatch(o, rows, rng)
			nn.ZeroGrads(t.params)
			loss, n := t.forward(bt, true)
			if n == 0 {
				continue
			}
			mean := loss / float64(n)
			if math.IsNaN(first) {
				first = mean
			}
			if fit.Diverged(first, mean) {
				return fmt.Errorf("%w: loss %.4g per predicted word at batch %d of %d (epoch %d), first %.4g; lower LR",
					ErrDiverged, mean, k+1, len(batches), epoch, first)
			}
			clipGrads(t.params, c.ClipNorm)
			adam.Step(t.params)
			m.History = append(m.History, mean)
			epochLoss += loss
			epochN += n
			*done += bt.tokens
			if err := report(epoch, mean); err != nil {
				return err
			}
		}
		m.Loss = append(m.Loss, epochLoss/math.Max(float64(epochN), 1))
		m.EpochCPU = append(m.EpochCPU, timer.lap())
	}
	for _, p := range t.params {
		if err := finite32("skip-thought weights", p.Value); err != nil {
			return err
		}
	}
	return nil
}

// Encode implements Encoder: each document's vector is the encoder's final
// GRU state after reading its known words (all of them, not cut to MaxLen).
// A document without a known word gets a zero row.
func (m *SkipThought) Encode(ctx context.Context, docs [][]string) (*mat.Dense, error) {
	if m == nil || m.WV == nil || m.Encoder == nil {
		return nil, fmt.Errorf("embed: skip-thought model is not trained")
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("embed: no documents to encode")
	}
	c := m.Config
	W, H := c.WordSize, c.Hidden
	ids := make([][]int32, len(docs))
	for d, doc := range docs {
		for _, w := range doc {
			if i, ok := m.WV.Index(w); ok {
				ids[d] = append(ids[d], int32(i))
			}
		}
	}
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return len(ids[order[a]]) < len(ids[order[b]]) })
	x := mat.NewDense(len(docs), H, nil)
	B := c.BatchSize
	xin := nn.NewMatrix(B, W)
	h := [2]*nn.Matrix{nn.NewMatrix(B, H), nn.NewMatrix(B, H)}
	st := new(nn.GRUStep)
	step := make([]int32, B)
	for lo := 0; lo < len(order); lo += B {
		if err := ctx.Err(); err != nil {
			return x, err
		}
		rows := order[lo:min(lo+B, len(order))]
		T := len(ids[rows[len(rows)-1]])
		h[0].Zero()
		cur := 0
		for s := range T {
			for b := range step {
				step[b] = -1
				if b < len(rows) && s < len(ids[rows[b]]) {
					step[b] = ids[rows[b]][s]
				}
			}
			for b, id := range step {
				row := xin.Row(b)
				if id >= 0 {
					copy(row, m.WV.Vectors[int(id)*W:int(id+1)*W])
				} else {
					clear(row)
				}
			}
			hn := m.Encoder.Forward(st, xin, h[cur], c.Workers)
			next := h[1-cur]
			copy(next.Data, hn.Data)
			carry(next, h[cur], step)
			cur = 1 - cur
		}
		for b, d := range rows {
			out := x.RawRowView(d)
			for k, v := range h[cur].Row(b) {
				out[k] = float64(v)
			}
		}
	}
	return x, nil
}

// Save writes the model as a versioned gob (stdlib/internal/persist).
func (m *SkipThought) Save(w io.Writer) error {
	return save(w, "SkipThought", skipThoughtVersion, m)
}

// SaveFile writes the model to path atomically.
func (m *SkipThought) SaveFile(path string) error {
	return saveFile(path, "SkipThought", skipThoughtVersion, m)
}

// LoadSkipThought reads a model written by Save.
func LoadSkipThought(r io.Reader) (*SkipThought, error) {
	return load(r, "SkipThought", skipThoughtVersion, func(m *SkipThought) bool {
		c := m.Config
		return m.WV != nil && m.Encoder != nil && m.Decoder[0] != nil && m.Decoder[1] != nil && m.Out != nil &&
			m.WV.Dim == c.WordSize && m.Encoder.Hidden == c.Hidden && m.Encoder.In == c.WordSize &&
			m.Out.Rows == m.WV.Len() && m.Out.Cols == c.Hidden && len(m.OutB) == m.WV.Len() &&
			len(m.Table.Prob) == m.WV.Len()
	})
}

// LoadSkipThoughtFile reads a model written by SaveFile.
func LoadSkipThoughtFile(path string) (*SkipThought, error) { return loadFile(path, LoadSkipThought) }
