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
)

// storyCorpus returns blocks of 8 consecutive sentences about one of two
// groups. Within group g, even sentences draw 8 words from the pool "pg0".."pg9"
// and odd sentences from "qg0".."qg9", so a p-word and a q-word of the same
// group never share a sentence but always sit in adjacent ones. groups[i] is
// the group of sentence i.
func storyCorpus(blocks int, seed uint64) (Tokens, []int) {
	rng := rand.New(rand.NewPCG(seed, 0))
	var docs Tokens
	var groups []int
	for range blocks {
		g := rng.IntN(2)
		for s := range 8 {
			pool := "p"
			if s%2 == 1 {
				pool = "q"
			}
			var sent []string
			for range 8 {
				sent = append(sent, fmt.Sprintf("%s%d%d", pool, g, rng.IntN(10)))
			}
			docs = append(docs, sent)
			groups = append(groups, g)
		}
	}
	return docs, groups
}

// neighbourScore is the mean model probability σ(out[w]·s) that sentence
// vector s predicts the words of pool (e.g. "q0").
func neighbourScore(m *FastSent, s []float64, pool string) float64 {
	dim := m.WV.Dim
	var sum float64
	for k := range 10 {
		i, ok := m.WV.Index(fmt.Sprintf("%s%d", pool, k))
		if !ok {
			return math.NaN()
		}
		var f float64
		for j, v := range m.Syn1Neg[i*dim : (i+1)*dim] {
			f += float64(v) * s[j]
		}
		sum += 1 / (1 + math.Exp(-f))
	}
	return sum / 10
}

func TestFastSentLearnsNeighbours(t *testing.T) {
	docs, _ := storyCorpus(150, 1)
	m, err := FastSentConfig{VectorSize: 20, MinCount: 1, Epochs: 5, Workers: 1, Sample: -1}.Fit(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Loss) != 5 || !(m.Loss[4] < m.Loss[0]) {
		t.Fatalf("loss did not fall over the epochs: %v", m.Loss)
	}
	// A sentence of p0 words predicts its neighbours' pool q0 better than
	// the other group's q1, although no q0 word is in the sentence (8 words,
	// the length of the training sentences).
	x, err := m.Encode(context.Background(), [][]string{{"p00", "p01", "p02", "p03", "p04", "p05", "p06", "p07"}})
	if err != nil {
		t.Fatal(err)
	}
	same, other := neighbourScore(m, x.RawRowView(0), "q0"), neighbourScore(m, x.RawRowView(0), "q1")
	// Untrained output weights are zero, so both start at exactly 0.5; a gap
	// of 0.2 must come from training.
	if !(same-other > 0.2) {
		t.Errorf("p(q0 | p0 sentence) = %.3f, p(q1 | p0 sentence) = %.3f; want a gap above 0.2", same, other)
	}
	// One worker is bit-reproducible.
	m2, err := FastSentConfig{VectorSize: 20, MinCount: 1, Epochs: 5, Workers: 1, Sample: -1}.Fit(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.WV.Vectors, m2.WV.Vectors) {
		t.Error("two single-worker runs with the same seed differ")
	}
}

func TestFastSentAutoEncode(t *testing.T) {
	docs, _ := storyCorpus(150, 2)
	workers := 2 // Hogwild
	if raceEnabled {
		workers = 1 // lock-free updates race by design
	}
	m, err := FastSentConfig{VectorSize: 20, MinCount: 1, Epochs: 5, Workers: workers, AutoEncode: true}.Fit(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	// With +AE a sentence also predicts its own pool.
	x, err := m.Encode(context.Background(), [][]string{{"p10", "p11", "p12"}})
	if err != nil {
		t.Fatal(err)
	}
	own, other := neighbourScore(m, x.RawRowView(0), "p1"), neighbourScore(m, x.RawRowView(0), "p0")
	if !(own > other) {
		t.Errorf("p(p1 | p1 sentence) = %.3f not above p(p0 | p1 sentence) = %.3f", own, other)
	}
}

func TestFastSentErrors(t *testing.T) {
	ctx := context.Background()
	unordered := Tokens{{"a", "b"}, {}, {"b", "c"}, {}, {"a", "c"}} // every sentence its own document
	cases := []struct {
		name   string
		corpus Corpus
		cfg    FastSentConfig
		want   error
	}{
		{"empty corpus", Tokens{}, FastSentConfig{MinCount: 1}, ErrEmptyCorpus},
		{"only empty sentences", Tokens{{}, {}}, FastSentConfig{MinCount: 1}, ErrEmptyCorpus},
		{"one sentence", Tokens{{"a", "b"}}, FastSentConfig{MinCount: 1}, ErrNoOrder},
		{"no adjacent sentences", unordered, FastSentConfig{MinCount: 1}, ErrNoOrder},
		{"vocabulary empty", Tokens{{"a"}, {"b"}}, FastSentConfig{MinCount: 5}, ErrEmptyVocab},
		{"nil corpus", nil, FastSentConfig{}, nil},
		{"negative size", Tokens{{"a"}, {"a"}}, FastSentConfig{VectorSize: -1}, nil},
		{"NaN alpha", Tokens{{"a"}, {"a"}}, FastSentConfig{Alpha: math.NaN()}, nil},
		{"min alpha above alpha", Tokens{{"a"}, {"a"}}, FastSentConfig{Alpha: 0.01, MinAlpha: 0.1}, nil},
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
	if _, err := (&FastSent{}).Encode(ctx, [][]string{{"a"}}); err == nil {
		t.Error("untrained model encoded")
	}
}

func TestFastSentCancelSaveLoad(t *testing.T) {
	docs, _ := storyCorpus(100, 3)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	m, err := FastSentConfig{VectorSize: 8, MinCount: 1, Epochs: 3, Workers: 1,
		Progress: func(fit.Progress) error { calls++; cancel(); return nil }}.Fit(ctx, docs)
	if !errors.Is(err, context.Canceled) || m == nil || calls == 0 {
		t.Fatalf("cancel: model %v, err %v, %d progress calls", m != nil, err, calls)
	}
	stop := errors.New("stop")
	if _, err := (FastSentConfig{MinCount: 1, Workers: 1, Progress: func(fit.Progress) error { return stop }}).Fit(context.Background(), docs); !errors.Is(err, stop) {
		t.Errorf("progress error: got %v", err)
	}
	m, err = FastSentConfig{VectorSize: 8, MinCount: 1, Epochs: 1, Workers: 1}.Fit(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "fs.gob")
	if err := m.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	l, err := LoadFastSentFile(path)
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
	if _, err := LoadFastSentFile(path); err == nil {
		t.Error("corrupt file loaded")
	}
}

// BenchmarkFastSentSentence measures the inner loop (one sentence predicting
// its two neighbours' words, 100 dimensions, 5 negatives) and checks it
// allocates nothing.
func BenchmarkFastSentSentence(b *testing.B) {
	docs, _ := storyCorpus(200, 8)
	cfg := FastSentConfig{VectorSize: 100, MinCount: 1, Epochs: 1, Workers: 1, Sample: -1}.withDefaults()
	o, err := readOrdered(context.Background(), docs, 1, 0)
	if err != nil {
		b.Fatal(err)
	}
	m, err := cfg.Fit(context.Background(), docs)
	if err != nil {
		b.Fatal(err)
	}
	e := fsEngine{m: m, o: o, table: newUnigramTable(o.counts, 0.75), keep: fsKeep(o.counts, -1)}
	w := &fsWorker{rng: rand.NewPCG(1, 1), s: make([]float32, 100), neu1e: make([]float32, 100), e: make([]float32, 100)}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.trainSentence(w, 1+i%(o.n()-2), 0.001)
	}
	b.ReportMetric(float64(w.n)/b.Elapsed().Seconds(), "predictions/s")
}
