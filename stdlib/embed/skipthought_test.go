package embed

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/nn"
)

// tinySkipThought is a model small enough for finite differences: 12 words,
// 3-dimensional embeddings, a 4-unit GRU.
func tinySkipThought(t *testing.T, docs Tokens, cfg SkipThoughtConfig) (*stTrainer, *ordered) {
	t.Helper()
	cfg = cfg.withDefaults()
	o, err := readOrdered(context.Background(), docs, cfg.MinCount, cfg.MaxVocab)
	if err != nil {
		t.Fatal(err)
	}
	return newSTTrainer(newSkipThought(cfg, o.words, o.counts)), o
}

func TestSkipThoughtGradient(t *testing.T) {
	docs, _ := storyCorpus(2, 4)
	// Sentences of different lengths, so padding and carried states are
	// exercised in the encoder and both decoders.
	for i := range docs {
		docs[i] = docs[i][:3+i%4]
	}
	tr, o := tinySkipThought(t, docs, SkipThoughtConfig{WordSize: 3, Hidden: 4, MinCount: 1, MaxLen: 5, Negative: 2, BatchSize: 4, Workers: 1})
	// Larger weights than the initialisation so the gates are not all ≈ 0.5.
	rng := rand.New(rand.NewPCG(9, 9))
	for _, p := range tr.params {
		for i := range p.Value {
			p.Value[i] += float32(rng.NormFloat64() * 0.3)
		}
	}
	bt := tr.makeBatch(o, []int{1, 2, 5, 15}, rand.NewPCG(1, 2)) // 15 is the last sentence: no next one
	nn.ZeroGrads(tr.params)
	loss, n := tr.forward(bt, true)
	if n == 0 || math.IsNaN(loss) {
		t.Fatalf("loss %v over %d predictions", loss, n)
	}
	res, err := nn.CheckGradient(func() float64 {
		l, n := tr.forward(bt, false)
		return l / float64(n)
	}, tr.params, nn.GradCheckConfig{MaxPerParam: 40, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	// float32 central differences with ε = 1e-2 agree with the analytic
	// gradient to about 1e-2 relative error (nn's own GRU test uses 0.05).
	t.Log(res)
	if res.MaxRelErr > 0.05 || res.Checked < 100 {
		t.Errorf("gradient check: %v", res)
	}
}

func TestSkipThoughtTrains(t *testing.T) {
	// Two-word sentences: with teacher forcing a decoder can guess a
	// neighbour's later words from its earlier ones, so only a short
	// neighbour forces the sentence vector to carry the story's group.
	docs, _ := storyCorpus(40, 5)
	for i := range docs {
		docs[i] = docs[i][:2]
	}
	cfg := SkipThoughtConfig{WordSize: 8, Hidden: 16, MinCount: 1, BatchSize: 16, Epochs: 30, LR: 0.01, Workers: 1, Seed: 3}
	m, err := cfg.Fit(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	// A fresh model predicts with probability ≈ 0.5 everywhere: about
	// (1+Negative)·log 2 ≈ 4.2 per word in the first batch; learning which
	// pool follows which must cut the last epoch's loss to well below that
	// (words within a pool are random, so it cannot go near 0).
	if len(m.Loss) != 30 || !(m.History[0] > 3.5) || !(m.Loss[29] < 0.75*m.History[0]) {
		t.Fatalf("loss did not fall: first batch %.3f, epochs %v", m.History[0], m.Loss)
	}
	// The sentence vector carries the group: from a p-sentence of group g
	// alone, the next-sentence decoder's first word is far more likely a
	// q-word of group g than of the other group. (Later words could be
	// guessed from the teacher-forced previous word; the first cannot.)
	for g := range 2 {
		same := firstWordProb(m, []string{fmt.Sprintf("p%d1", g), fmt.Sprintf("p%d2", g)}, fmt.Sprintf("q%d", g))
		other := firstWordProb(m, []string{fmt.Sprintf("p%d1", g), fmt.Sprintf("p%d2", g)}, fmt.Sprintf("q%d", 1-g))
		t.Logf("group %d: own %.3f other %.3f", g, same, other)
		if !(same > other+0.2) {
			t.Errorf("group %d: p(first next word in own group) %.3f, in the other %.3f; want a gap above 0.2", g, same, other)
		}
	}
}

// firstWordProb is the mean probability σ(out·h + b) the next-sentence
// decoder gives the words pool+"0".."9" at its first step after encoding
// sentence.
func firstWordProb(m *SkipThought, sentence []string, pool string) float64 {
	x, err := m.Encode(context.Background(), [][]string{sentence})
	if err != nil {
		panic(err)
	}
	H, W := m.Config.Hidden, m.Config.WordSize
	s := nn.NewMatrix(1, H)
	for j, v := range x.RawRowView(0) {
		s.Data[j] = float32(v)
	}
	in := nn.NewMatrix(1, W+H) // no previous word: zero embedding, then s
	copy(in.Data[W:], s.Data)
	h := m.Decoder[1].Forward(new(nn.GRUStep), in, s, 1)
	var sum float64
	for k := range 10 {
		i, ok := m.WV.Index(fmt.Sprintf("%s%d", pool, k))
		if !ok {
			panic("unknown word")
		}
		sum += float64(nn.SigmoidScalar(blas.Sdot(len(h.Data), h.Data, 1, m.Out.Row(i), 1) + m.OutB[i]))
	}
	return sum / 10
}

func row32f(r []float64) []float32 {
	out := make([]float32, len(r))
	for i, v := range r {
		out[i] = float32(v)
	}
	return out
}

func TestSkipThoughtEncodePaddingAndOrder(t *testing.T) {
	docs, _ := storyCorpus(4, 6)
	tr, _ := tinySkipThought(t, docs, SkipThoughtConfig{WordSize: 4, Hidden: 6, MinCount: 1, BatchSize: 3})
	m := tr.m
	ctx := context.Background()
	short := []string{"p00", "q01", "p02"}
	alone, err := m.Encode(ctx, [][]string{short})
	if err != nil {
		t.Fatal(err)
	}
	// In a batch with longer documents the short one is padded; its state
	// must stop moving at its end. Unknown words are skipped.
	mixed, err := m.Encode(ctx, [][]string{docs[0], short, docs[1], {"unknown", "p00", "q01", "p02"}, {"unknown"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []int{1, 3} {
		if !slices.Equal(alone.RawRowView(0), mixed.RawRowView(r)) {
			t.Errorf("row %d differs from the document encoded alone", r)
		}
	}
	for _, v := range mixed.RawRowView(4) {
		if v != 0 {
			t.Fatal("a document without known words has a non-zero row")
		}
	}
	// A recurrent encoder sees word order, unlike a bag of words.
	rev, _ := m.Encode(ctx, [][]string{{"p02", "q01", "p00"}})
	if slices.Equal(alone.RawRowView(0), rev.RawRowView(0)) {
		t.Error("reversed sentence has the same vector")
	}
}

func TestSkipThoughtErrors(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		corpus Corpus
		cfg    SkipThoughtConfig
		want   error
	}{
		{"empty corpus", Tokens{}, SkipThoughtConfig{MinCount: 1}, ErrEmptyCorpus},
		{"one sentence", Tokens{{"a", "b"}}, SkipThoughtConfig{MinCount: 1}, ErrNoOrder},
		{"no adjacent sentences", Tokens{{"a"}, {}, {"b"}}, SkipThoughtConfig{MinCount: 1}, ErrNoOrder},
		{"neighbours without known words", Tokens{{"a", "a"}, {"b"}}, SkipThoughtConfig{MinCount: 2}, ErrNoOrder},
		{"vocabulary empty", Tokens{{"a"}, {"b"}}, SkipThoughtConfig{}, ErrEmptyVocab},
		{"negative hidden", Tokens{{"a"}, {"a"}}, SkipThoughtConfig{Hidden: -2}, nil},
		{"infinite LR", Tokens{{"a"}, {"a"}}, SkipThoughtConfig{LR: math.Inf(1)}, nil},
	}
	for _, c := range cases {
		_, err := c.cfg.Fit(ctx, c.corpus)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := (&SkipThought{}).Encode(ctx, [][]string{{"a"}}); err == nil {
		t.Error("untrained model encoded")
	}
}

func TestSkipThoughtCancelSaveLoad(t *testing.T) {
	docs, _ := storyCorpus(20, 7)
	ctx, cancel := context.WithCancel(context.Background())
	m, err := SkipThoughtConfig{WordSize: 4, Hidden: 6, MinCount: 1, BatchSize: 8, Epochs: 3,
		Progress: func(fit.Progress) error { cancel(); return nil }}.Fit(ctx, docs)
	if !errors.Is(err, context.Canceled) || m == nil {
		t.Fatalf("cancel: model %v, err %v", m != nil, err)
	}
	stop := errors.New("stop")
	if _, err := (SkipThoughtConfig{MinCount: 1, Progress: func(fit.Progress) error { return stop }}).Fit(context.Background(), docs); !errors.Is(err, stop) {
		t.Errorf("progress error: got %v", err)
	}
	m, err = SkipThoughtConfig{WordSize: 4, Hidden: 6, MinCount: 1, BatchSize: 8, Epochs: 1}.Fit(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "st.gob")
	if err := m.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	l, err := LoadSkipThoughtFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := m.Encode(context.Background(), docs[:5])
	b, _ := l.Encode(context.Background(), docs[:5])
	if !slices.Equal(a.RawMatrix().Data, b.RawMatrix().Data) {
		t.Error("loaded model encodes differently")
	}
	if err := os.WriteFile(path, []byte("not gob"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSkipThoughtFile(path); err == nil {
		t.Error("corrupt file loaded")
	}
}

// BenchmarkSkipThoughtBatch measures one training step (forward, backward,
// Adam) of the default model on a batch of 64 sentences of 8 words.
func BenchmarkSkipThoughtBatch(b *testing.B) {
	docs, _ := storyCorpus(40, 9)
	cfg := SkipThoughtConfig{MinCount: 1, Workers: 1}.withDefaults()
	o, err := readOrdered(context.Background(), docs, 1, 0)
	if err != nil {
		b.Fatal(err)
	}
	tr := newSTTrainer(newSkipThought(cfg, o.words, o.counts))
	rows := make([]int, cfg.BatchSize)
	for i := range rows {
		rows[i] = 1 + i
	}
	bt := tr.makeBatch(o, rows, rand.NewPCG(1, 1))
	adam := &nn.Adam{LR: cfg.LR}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		nn.ZeroGrads(tr.params)
		tr.forward(bt, true)
		adam.Step(tr.params)
	}
	b.ReportMetric(float64(b.N)*float64(bt.tokens)/b.Elapsed().Seconds(), "sentence-words/s")
}
