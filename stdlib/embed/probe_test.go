package embed

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestSplitDocuments(t *testing.T) {
	ctx := context.Background()
	texts := []string{"One whale. Two whales swim! Three.", "!!!", "Call me Ishmael. Some years ago.", "A b."}
	labels := []int{10, 11, 12, 13}
	docs, got, err := SplitConfig{MaxSentences: 2, MaxLen: 1}.Split(ctx, texts, labels)
	if err != nil {
		t.Fatal(err)
	}
	// "!!!" and "A b." have no token of two letters: dropped with their labels.
	want := Documents{{{"one"}, {"two"}}, {{"call"}, {"some"}}}
	if fmt.Sprint(docs) != fmt.Sprint(want) || !slices.Equal(got, []int{10, 12}) {
		t.Fatalf("Split = %v %v, want %v [10 12]", docs, got, want)
	}
	if r := docs.Running(); len(r) != 5 || len(r[2]) != 0 {
		t.Errorf("Running = %v, want two documents with an empty sentence between", r)
	}
	if j := docs.Joined(); fmt.Sprint(j) != "[[one two] [call some]]" {
		t.Errorf("Joined = %v", j)
	}
	if docs.Tokens() != 4 {
		t.Errorf("Tokens = %d, want 4", docs.Tokens())
	}
	// A sample: the size asked, in the texts' order, the same for a seed.
	many := make([]string, 50)
	for i := range many {
		many[i] = fmt.Sprintf("text number%d here.", i)
	}
	a, la, err := SplitConfig{Sample: 10, Seed: 3}.Split(ctx, many, make([]int, 50))
	if err != nil || len(a) != 10 || len(la) != 10 {
		t.Fatalf("sample of 10: %d docs, %d labels, %v", len(a), len(la), err)
	}
	b, _, _ := SplitConfig{Sample: 10, Seed: 3}.Split(ctx, many, nil)
	c, _, _ := SplitConfig{Sample: 10, Seed: 4}.Split(ctx, many, nil)
	if fmt.Sprint(a) != fmt.Sprint(b) || fmt.Sprint(a) == fmt.Sprint(c) {
		t.Error("a sample is not fixed by its seed")
	}
	if !slices.IsSortedFunc(a, func(x, y Tokens) int { return strings.Compare(x[0][1], y[0][1]) }) &&
		fmt.Sprint(a) == "" {
		t.Error("unreachable")
	}
	var nums []int
	for _, d := range a {
		var n int
		fmt.Sscanf(d[0][1], "number%d", &n)
		nums = append(nums, n)
	}
	if !slices.IsSorted(nums) {
		t.Errorf("sample not in the texts' order: %v", nums)
	}
	for _, bad := range []struct {
		cfg    SplitConfig
		labels []int
		want   error
	}{
		{SplitConfig{MaxLen: -1}, nil, ErrBadConfig},
		{SplitConfig{}, []int{1}, ErrBadInput},
	} {
		if _, _, err := bad.cfg.Split(ctx, texts, bad.labels); !errors.Is(err, bad.want) {
			t.Errorf("%+v: err %v, want %v", bad.cfg, err, bad.want)
		}
	}
	if _, _, err := (SplitConfig{}).Split(ctx, []string{"!"}, nil); !errors.Is(err, ErrEmptyCorpus) {
		t.Errorf("no token: err %v, want ErrEmptyCorpus", err)
	}
}

func TestHoldOutAndShuffleSentences(t *testing.T) {
	var docs Documents
	for i := range 10 {
		docs = append(docs, Tokens{{fmt.Sprint("d", i, "a")}, {fmt.Sprint("d", i, "b")}, {fmt.Sprint("d", i, "c")}})
	}
	rest, held, err := docs.HoldOut(5)
	if err != nil || len(held) != 2 || len(rest) != 8 || held[0][0][0] != "d4a" || held[1][0][0] != "d9a" {
		t.Fatalf("HoldOut(5): %d held (%v), %d rest, %v", len(held), held, len(rest), err)
	}
	if _, _, err := docs.HoldOut(1); !errors.Is(err, ErrBadInput) {
		t.Errorf("HoldOut(1): err %v, want ErrBadInput", err)
	}
	s := docs.ShuffleSentences(1)
	flat, _ := docs.Sentences()
	sflat, _ := s.Sentences()
	key := func(x Tokens) []string {
		var out []string
		for _, t := range x {
			out = append(out, t[0])
		}
		slices.Sort(out)
		return out
	}
	if !slices.Equal(key(flat), key(sflat)) {
		t.Fatal("ShuffleSentences lost or invented sentences")
	}
	// Neighbours: in the original every adjacent pair is from one document.
	same := 0
	for _, d := range s {
		for i := 1; i < len(d); i++ {
			if d[i][0][:2] == d[i-1][0][:2] {
				same++
			}
		}
	}
	// 20 adjacent pairs, each from one document with chance 2/29: a handful
	// at most; all 20 would mean nothing was shuffled.
	if same > 6 {
		t.Errorf("%d of 20 adjacent pairs still from one document", same)
	}
	for i := range docs {
		if len(s[i]) != len(docs[i]) {
			t.Fatalf("document %d has %d sentences, want %d", i, len(s[i]), len(docs[i]))
		}
	}
	if docs[0][0][0] != "d0a" {
		t.Error("ShuffleSentences modified its input")
	}
}

// blockDocuments is storyCorpus cut into its blocks of 8 sentences, one
// document each.
func blockDocuments(blocks int, seed uint64) Documents {
	sents, _ := storyCorpus(blocks, seed)
	var docs Documents
	for i := 0; i < len(sents); i += 8 {
		docs = append(docs, sents[i:i+8])
	}
	return docs
}

func TestNeighbourLossNeedsOrder(t *testing.T) {
	ctx := context.Background()
	// In storyCorpus a sentence's neighbours come from the other pool of
	// the same group: order tells the decoders which words come next.
	docs := blockDocuments(60, 1)
	held := blockDocuments(10, 2)
	cfg := SkipThoughtConfig{WordSize: 8, Hidden: 16, MinCount: 1, Epochs: 10, BatchSize: 16, LR: 0.02,
		Workers: 1, Seed: 1}
	ordered, err := cfg.Fit(ctx, docs.Running())
	if err != nil {
		t.Fatal(err)
	}
	shuffled, err := cfg.Fit(ctx, docs.ShuffleSentences(1).Running())
	if err != nil {
		t.Fatal(err)
	}
	lo, err := ordered.NeighbourLoss(ctx, held, 5)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := shuffled.NeighbourLoss(ctx, held, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(lo) != len(held) {
		t.Fatalf("%d losses for %d documents", len(lo), len(held))
	}
	// The ordered model knows a q-sentence of group g follows a p-sentence
	// of group g; the shuffled one can only learn the words' frequencies.
	if mean(lo) >= mean(ls) {
		t.Errorf("held-out neighbour loss: ordered %.3f, shuffled %.3f; want ordered lower", mean(lo), mean(ls))
	}
	// Scoring is a fixed function of the weights and the seed.
	again, _ := ordered.NeighbourLoss(ctx, held, 5)
	if !slices.Equal(lo, again) {
		t.Error("NeighbourLoss is not deterministic for a seed")
	}
	if _, err := ordered.NeighbourLoss(ctx, Documents{{{"p00", "p01"}}}, 5); !errors.Is(err, ErrNoOrder) {
		t.Errorf("one-sentence document: err %v, want ErrNoOrder", err)
	}
	if _, err := (&SkipThought{}).NeighbourLoss(ctx, held, 5); err == nil {
		t.Error("untrained model: no error")
	}
	// EpochCPU: one figure per epoch, each a finite non-negative number,
	// together positive (training takes some CPU).
	if len(ordered.EpochCPU) != cfg.Epochs {
		t.Fatalf("EpochCPU has %d figures for %d epochs", len(ordered.EpochCPU), cfg.Epochs)
	}
	total := 0.0
	for _, s := range ordered.EpochCPU {
		if s < 0 || math.IsNaN(s) || math.IsInf(s, 0) {
			t.Fatalf("EpochCPU %v", ordered.EpochCPU)
		}
		total += s
	}
	if total <= 0 {
		t.Errorf("EpochCPU sums to %v", total)
	}
}

func TestCPUClockCountsWork(t *testing.T) {
	start := cpuClock()
	x := 1.0
	for i := range 20_000_000 {
		x = math.Sqrt(x + float64(i))
	}
	if x < 0 || cpuClock() <= start {
		t.Errorf("CPU clock did not advance over a busy loop: %v → %v", start, cpuClock())
	}
}

// gappedCorpus returns documents of one of two groups: each position is a
// word of a shared pool ("s0".."s19") or, one time in two, a word of the
// document's group ("a0".."a9" or "b0".."b9"). The context of a gap is half
// shared words, half group words drawn independently, so it says less about
// which group word is missing than the document does.
func gappedCorpus(n int, seed uint64) Tokens {
	rng := rand.New(rand.NewPCG(seed, 0))
	docs := make(Tokens, n)
	for i := range docs {
		g := 'a' + rune(i%2)
		for range 30 {
			if rng.IntN(2) == 0 {
				docs[i] = append(docs[i], fmt.Sprintf("%c%d", g, rng.IntN(10)))
			} else {
				docs[i] = append(docs[i], fmt.Sprintf("s%d", rng.IntN(20)))
			}
		}
	}
	return docs
}

func TestPredictWordUsesTheParagraphVector(t *testing.T) {
	ctx := context.Background()
	docs := gappedCorpus(200, 1)
	m, err := Doc2VecConfig{VectorSize: 16, Window: 1, MinCount: 1, Sample: -1, Epochs: 100, Workers: 1, Seed: 1}.Fit(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	// Document 0 is of group a: its own vector should bring a-words up.
	top, err := m.PredictWord(m.DV.RawRowView(0), []string{"s1", "s2"}, 10)
	if err != nil || len(top) != 10 {
		t.Fatalf("PredictWord: %v, %v", top, err)
	}
	a := 0
	for _, w := range top {
		if w.Word[0] == 'a' {
			a++
		}
		if w.Score < 0 || w.Score > 1 {
			t.Errorf("score %v is not a probability", w.Score)
		}
	}
	// Ten a-words exist among 40 words; 5 of the 10 guesses is twice what
	// chance gives (2.5).
	if a < 5 {
		t.Errorf("%d a-words among the 10 guesses for a group-a document: %v", a, top)
	}
	res, err := m.MissingWords(ctx, docs, 300, 2)
	if err != nil {
		t.Fatal(err)
	}
	own, avg := res.TopK(10)
	// With the mean paragraph vector the group is unknown: a group word
	// competes with the other group's ten. The own vector must do clearly
	// better.
	if own < avg+0.1 {
		t.Errorf("top-10 share: own paragraph vector %.2f, mean %.2f; want own ≥ mean + 0.1", own, avg)
	}
	// Gap 0's context is the Window words on each side, the word left out.
	d, p := res.Docs[0], res.Pos[0]
	if docs[d][p] != res.Words[0] {
		t.Fatalf("gap 0: word %q at %d of document %d, want %q", docs[d][p], p, d, res.Words[0])
	}
	ctxWords := res.Context(docs, 0)
	want := slices.Concat(docs[d][max(0, p-1):p], docs[d][p+1:min(len(docs[d]), p+2)])
	if !slices.Equal(ctxWords, want) || strings.Count(res.Gap(docs, 0), "___") != 1 {
		t.Errorf("gap 0: context %v, want %v; shown %q", ctxWords, want, res.Gap(docs, 0))
	}
	// The sign test sees the same: far more gaps helped than hurt.
	if better, worse, z := res.SignTest(); better <= worse || z < 2 {
		t.Errorf("sign test: %d better, %d worse, z %.2f; want z ≥ 2", better, worse, z)
	}
	if b, w, z := (MissingWords{Own: []int{1, 2, 3}, Mean: []int{2, 2, 1}}).SignTest(); b != 1 || w != 1 || z != 0 {
		t.Errorf("SignTest by hand: %d %d %v, want 1 1 0", b, w, z)
	}
	if len(res.Own) != 300 || res.VocabLen != 40 {
		t.Errorf("%d gaps over %d words, want 300 over 40", len(res.Own), res.VocabLen)
	}
	// Errors: a DBOW model, a wrong vector size, docs not the training set.
	dbow, err := Doc2VecConfig{DBOW: true, VectorSize: 4, MinCount: 1, Epochs: 1, Workers: 1}.Fit(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dbow.PredictWord(make([]float64, 4), nil, 3); !errors.Is(err, ErrBadInput) {
		t.Errorf("DBOW: err %v, want ErrBadInput", err)
	}
	if _, err := m.PredictWord(make([]float64, 3), nil, 3); !errors.Is(err, ErrBadInput) {
		t.Errorf("size 3: err %v, want ErrBadInput", err)
	}
	if _, err := m.MissingWords(ctx, docs[:5], 3, 1); !errors.Is(err, ErrBadInput) {
		t.Errorf("5 documents: err %v, want ErrBadInput", err)
	}
}

// drawEncoder is a Drawer whose vectors are the document's word count plus
// a draw-dependent offset in a second dimension, and a first dimension
// that depends on word order (1 if the words are sorted).
type drawEncoder struct{}

func (drawEncoder) Encode(ctx context.Context, docs [][]string) (*mat.Dense, error) {
	return drawEncoder{}.EncodeDraw(ctx, docs, 0)
}

func (drawEncoder) EncodeDraw(_ context.Context, docs [][]string, draw uint64) (*mat.Dense, error) {
	x := mat.NewDense(len(docs), 2, nil)
	for i, d := range docs {
		sorted := 0.0
		if slices.IsSorted(d) {
			sorted = 1
		}
		x.Set(i, 0, 1+sorted)
		x.Set(i, 1, float64(draw))
	}
	return x, nil
}

func TestOrderSensitivity(t *testing.T) {
	ctx := context.Background()
	docs := Tokens{{"a", "b", "c"}, {"b", "c", "d", "e"}, {"zz"}}
	rev := ReverseWords(docs)
	if fmt.Sprint(rev) != "[[c b a] [e d c b] [zz]]" || docs[0][0] != "a" {
		t.Fatalf("ReverseWords = %v (input now %v)", rev, docs)
	}
	sh := ShuffleWords(docs, 1)
	for i := range docs {
		a, b := slices.Clone(docs[i]), slices.Clone(sh[i])
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) || (len(docs[i]) > 1 && slices.Equal(docs[i], sh[i])) {
			t.Errorf("ShuffleWords(%v) = %v", docs[i], sh[i])
		}
	}
	// A bag of words: Mean over word vectors gives distance 0 (to float
	// rounding of a sum in another order) and no noise.
	kv, err := NewKeyedVectors([]string{"a", "b", "c", "d", "e"},
		mat.NewDense(5, 2, []float64{1, 0, 0, 1, 1, 1, 2, 1, 1, 3}))
	if err != nil {
		t.Fatal(err)
	}
	bag, err := OrderSensitivity(ctx, Mean{KV: kv}, docs, rev)
	if err != nil {
		t.Fatal(err)
	}
	// "zz" is unknown to kv: skipped.
	if bag.Skipped != 1 || len(bag.Changed) != 2 || bag.MeanChanged() > 1e-12 || bag.MeanNoise() != 0 {
		t.Errorf("bag of words: %+v", bag)
	}
	// The draw protocol: the original's two encodings come from draws 1
	// and 2, the changed one from draw 2.
	res, err := OrderSensitivity(ctx, drawEncoder{}, docs[:2], rev[:2])
	if err != nil {
		t.Fatal(err)
	}
	// Sorted originals: vectors (2,1) vs (2,2) — noise; changed (1,2).
	wantNoise := 1 - Cosine([]float64{2, 1}, []float64{2, 2})
	wantChanged := 1 - Cosine([]float64{2, 1}, []float64{1, 2})
	if math.Abs(res.Noise[0]-wantNoise) > 1e-12 || math.Abs(res.Changed[0]-wantChanged) > 1e-12 {
		t.Errorf("draws: %+v, want noise %.4f changed %.4f", res, wantNoise, wantChanged)
	}
	if _, err := OrderSensitivity(ctx, Mean{KV: kv}, docs, rev[:1]); !errors.Is(err, ErrBadInput) {
		t.Errorf("misaligned: err %v, want ErrBadInput", err)
	}
}

func TestDoc2VecDraws(t *testing.T) {
	ctx := context.Background()
	docs := gappedCorpus(40, 3)
	m, err := Doc2VecConfig{VectorSize: 8, MinCount: 1, Epochs: 5, Workers: 2, Seed: 1}.Fit(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := m.Encode(ctx, docs[:5])
	d0, _ := m.EncodeDraw(ctx, docs[:5], 0)
	d1, _ := m.EncodeDraw(ctx, docs[:5], 1)
	if !mat.Equal(enc, d0) {
		t.Error("draw 0 differs from Encode")
	}
	if mat.Equal(d0, d1) {
		t.Error("draws 0 and 1 are identical: no inference noise to measure")
	}
	res, err := OrderSensitivity(ctx, m, docs[:20], ShuffleWords(docs[:20], 1))
	if err != nil {
		t.Fatal(err)
	}
	if res.MeanNoise() <= 0 {
		t.Errorf("doc2vec inference noise %v, want positive", res.MeanNoise())
	}
	if l, s, z := (OrderTest{Changed: []float64{1, 2, 3, 0}, Noise: []float64{0, 0, 0, 0}}).SignTest(); l != 3 || s != 0 || math.Abs(z-math.Sqrt(3)) > 1e-12 {
		t.Errorf("SignTest by hand: %d %d %v, want 3 0 √3", l, s, z)
	}
	// Three of four labels are 1.
	if b := MajorityBaseline([]int{1, 0, 1, 1}); b != 0.75 {
		t.Errorf("MajorityBaseline = %v, want 0.75", b)
	}
}

func TestNeighbourRanks(t *testing.T) {
	ctx := context.Background()
	kv, err := NewKeyedVectors([]string{"x", "y", "z", "w"},
		mat.NewDense(4, 2, []float64{1, 0, 0.9, 0.1, 0, 1, -1, 0}))
	if err != nil {
		t.Fatal(err)
	}
	bg := [][]string{{"z"}, {"w"}, {"z", "w"}, {"x", "z"}}
	r, err := NeighbourRanks(ctx, Mean{KV: kv}, []string{"x"}, [][]string{{"y"}, {"w"}}, bg)
	if err != nil {
		t.Fatal(err)
	}
	// By hand: the background rows (0,1), (-1,0), (-0.5,0.5), (0.5,0.5)
	// have mean (-0.25, 0.5); centred, the query x is (1.25,-0.5). y
	// (1.15,-0.4) is nearest of all: rank 1 of 5. w (-0.75,-0.5) has
	// cosine -0.566, below {x,z} (0.928) and {z} (0.046): rank 3.
	if r.Of != 5 || r.Rank[0] != 1 || r.Rank[1] != 3 {
		t.Errorf("ranks %v of %d, want [1 3] of 5", r.Rank, r.Of)
	}
	want := Cosine([]float64{1.25, -0.5}, []float64{1.15, -0.4})
	// Word vectors are stored as float32: 0.9 is off by 1e-8 relative.
	if math.Abs(r.Cosine[0]-want) > 1e-6 {
		t.Errorf("centred cosine %v, want %v", r.Cosine[0], want)
	}
	// A text without a known word has no direction: cosine 0, not that of −mean.
	if r, err := NeighbourRanks(ctx, Mean{KV: kv}, []string{"x"}, [][]string{{"unknown"}}, bg); err != nil || r.Cosine[0] != 0 {
		t.Errorf("unknown text: cosine %v, %v; want 0", r.Cosine, err)
	}
	if _, err := NeighbourRanks(ctx, Mean{KV: kv}, []string{"x"}, [][]string{{"y"}}, nil); !errors.Is(err, ErrBadInput) {
		t.Errorf("no background: err %v, want ErrBadInput", err)
	}
	c, m := Centre(mat.NewDense(2, 2, []float64{1, 2, 3, 6}))
	if !mat.Equal(c, mat.NewDense(2, 2, []float64{-1, -2, 1, 2})) || !slices.Equal(m, []float64{2, 4}) {
		t.Errorf("Centre = %v, %v", mat.Formatted(c), m)
	}
}

func TestSIFWordWeight(t *testing.T) {
	kv, err := NewKeyedVectors([]string{"the", "whale"}, mat.NewDense(2, 2, []float64{1, 0, 0, 1}))
	if err != nil {
		t.Fatal(err)
	}
	s, err := SIFConfig{A: 0.01, RemovePC: -1, Counts: []int64{99, 1}}.Fit(context.Background(), kv, [][]string{{"the"}})
	if err != nil {
		t.Fatal(err)
	}
	// a/(a+p): 0.01/(0.01+0.99) and 0.01/(0.01+0.01).
	for w, want := range map[string]float64{"the": 0.01, "whale": 0.5} {
		if got, ok := s.WordWeight(w); !ok || math.Abs(got-want) > 1e-12 {
			t.Errorf("WordWeight(%q) = %v, %v; want %v", w, got, ok, want)
		}
	}
	if _, ok := s.WordWeight("ahab"); ok {
		t.Error("unknown word reported ok")
	}
}

func TestMeanCosine(t *testing.T) {
	// Three words along one direction and one orthogonal: the pairs among
	// the first three have cosine 1, any pair with the fourth 0.
	kv, err := NewKeyedVectors([]string{"a", "b", "c", "d"},
		mat.NewDense(4, 2, []float64{1, 0, 2, 0, 3, 0, 0, 1}))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := kv.MeanCosine(0, 3, 50, 1); err != nil || math.Abs(got-1) > 1e-6 {
		t.Errorf("MeanCosine of collinear words = %v, %v; want 1", got, err)
	}
	// Pairs of [2, 4) are always (c, d) in some order: cosine 0.
	if got, _ := kv.MeanCosine(2, 4, 50, 1); math.Abs(got) > 1e-6 {
		t.Errorf("MeanCosine of orthogonal words = %v, want 0", got)
	}
	for _, bad := range [][3]int{{0, 1, 5}, {0, 5, 5}, {-1, 2, 5}, {0, 4, 0}} {
		if _, err := kv.MeanCosine(bad[0], bad[1], bad[2], 1); !errors.Is(err, ErrBadInput) {
			t.Errorf("MeanCosine%v: err %v, want ErrBadInput", bad, err)
		}
	}
}

func TestIndex(t *testing.T) {
	ctx := context.Background()
	kv, err := NewKeyedVectors([]string{"x", "y", "z", "w"},
		mat.NewDense(4, 2, []float64{1, 0, 0.9, 0.1, 0, 1, -1, 0}))
	if err != nil {
		t.Fatal(err)
	}
	texts := [][]string{{"z"}, {"w"}, {"y"}, {"x", "z"}, {"unknown"}}
	ix, err := NewIndex(ctx, Mean{KV: kv}, texts)
	if err != nil {
		t.Fatal(err)
	}
	// Centred on the texts' mean (−0.02, 0.42) (the unknown text counts as
	// zero), the query x is (1.02, −0.42): y (0.92, −0.32) is nearest, w
	// (−0.98, −0.42) last; the unknown text is never returned.
	near, err := ix.Nearest(ctx, []string{"x"}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(near) != 4 || near[0].Index != 2 || near[3].Index != 1 {
		t.Errorf("Nearest = %+v, want y (2) first and w (1) last", near)
	}
	if _, err := ix.Nearest(ctx, []string{"unknown"}, 2); !errors.Is(err, ErrUnknownWord) {
		t.Errorf("unknown query: err %v, want ErrUnknownWord", err)
	}
	if _, err := NewIndex(ctx, Mean{KV: kv}, nil); !errors.Is(err, ErrBadInput) {
		t.Errorf("no texts: err %v, want ErrBadInput", err)
	}
}
