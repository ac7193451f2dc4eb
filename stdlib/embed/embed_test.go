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
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/fit"

	"gonum.org/v1/gonum/mat"
)

// plantedCorpus returns n sentences of length 12; each sentence draws all its
// words from one of two disjoint groups of 10 words ("a0".."a9" and
// "b0".."b9"), so words of a group co-occur and words of different groups
// never do. labels[i] is the group of sentence i.
func plantedCorpus(n int, seed uint64) (Tokens, []int) {
	rng := rand.New(rand.NewPCG(seed, 0))
	docs := make(Tokens, n)
	labels := make([]int, n)
	for i := range docs {
		g := rng.IntN(2)
		labels[i] = g
		for range 12 {
			docs[i] = append(docs[i], fmt.Sprintf("%c%d", 'a'+g, rng.IntN(10)))
		}
	}
	return docs, labels
}

// groupPurity is the share of words whose nearest neighbour is in their own
// group.
func groupPurity(t *testing.T, kv *KeyedVectors) float64 {
	t.Helper()
	good := 0
	for _, w := range kv.Words {
		ns, err := kv.MostSimilar([]string{w}, nil, 1)
		if err != nil {
			t.Fatal(err)
		}
		if ns[0].Word[0] == w[0] {
			good++
		}
	}
	return float64(good) / float64(kv.Len())
}

func TestWord2VecPlantedGroups(t *testing.T) {
	docs, _ := plantedCorpus(1500, 1)
	// Workers 1 is deterministic, so the planted structure must be found
	// exactly; Workers 2 (Hogwild) is checked with a little slack.
	for _, c := range []struct {
		sg        bool
		workers   int
		minPurity float64
	}{{true, 1, 1}, {false, 1, 1}, {true, 2, 0.9}, {false, 2, 0.9}} {
		t.Run(fmt.Sprintf("sg=%v,workers=%d", c.sg, c.workers), func(t *testing.T) {
			if c.workers > 1 && raceEnabled {
				t.Skip("lock-free updates race by design")
			}
			m, err := Word2VecConfig{
				SG: c.sg, VectorSize: 16, Window: 3, Epochs: 5, Workers: c.workers, Sample: -1}.Fit(context.Background(), docs)
			if err != nil {
				t.Fatal(err)
			}
			if m.WV.Len() != 20 {
				t.Fatalf("vocabulary has %d words, want the 20 planted", m.WV.Len())
			}
			// A word's nearest neighbour comes from its own group: the groups
			// never co-occur.
			if p := groupPurity(t, m.WV); p < c.minPurity {
				t.Errorf("nearest-neighbour group purity %.2f < %.2f", p, c.minPurity)
			}
			in, _ := m.WV.Similarity("a1", "a2")
			out, _ := m.WV.Similarity("a1", "b2")
			if in <= out {
				t.Errorf("similarity within group %.3f <= across groups %.3f", in, out)
			}
			for _, x := range m.WV.Vectors {
				if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
					t.Fatal("non-finite weight after training")
				}
			}
		})
	}
}

func TestWord2VecOneWorkerReproducible(t *testing.T) {
	docs, _ := plantedCorpus(300, 2)
	for _, sg := range []bool{true, false} {
		cfg := Word2VecConfig{SG: sg, VectorSize: 8, Window: 2, Epochs: 2, Workers: 1, MinCount: 1, Seed: 42}
		a, err := cfg.Fit(context.Background(), docs)
		if err != nil {
			t.Fatal(err)
		}
		b, err := cfg.Fit(context.Background(), docs)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.WV.Vectors, b.WV.Vectors) || !slices.Equal(a.Syn1Neg, b.Syn1Neg) {
			t.Errorf("sg=%v: two runs with Workers=1 and the same seed differ", sg)
		}
		cfg.Seed = 43
		c, err := cfg.Fit(context.Background(), docs)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Equal(a.WV.Vectors, c.WV.Vectors) {
			t.Errorf("sg=%v: different seeds gave identical vectors", sg)
		}
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	docs, _ := plantedCorpus(50, 3)
	cases := []struct {
		name   string
		corpus Corpus
		cfg    Word2VecConfig
		want   error  // sentinel, or nil to check msg
		msg    string // substring of the error
	}{
		{"empty corpus", Tokens{}, Word2VecConfig{}, ErrEmptyCorpus, ""},
		{"only empty sentences", Tokens{{}, {}}, Word2VecConfig{}, ErrEmptyCorpus, ""},
		{"vocab empty after MinCount", docs, Word2VecConfig{MinCount: 1_000_000}, ErrEmptyVocab, ""},
		{"negative VectorSize", docs, Word2VecConfig{VectorSize: -1}, nil, "VectorSize"},
		{"negative Window", docs, Word2VecConfig{Window: -2}, nil, "Window"},
		{"NaN Alpha", docs, Word2VecConfig{Alpha: math.NaN()}, nil, "Alpha"},
		{"missing file", LineFile(filepath.Join(t.TempDir(), "nope.txt")), Word2VecConfig{}, os.ErrNotExist, ""},
	}
	for _, c := range cases {
		_, err := c.cfg.Fit(ctx, c.corpus)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
		if !strings.Contains(err.Error(), c.msg) || !strings.HasPrefix(err.Error(), "embed: ") {
			t.Errorf("%s: error %q should start with \"embed: \" and mention %q", c.name, err, c.msg)
		}
	}
	if _, err := (Doc2VecConfig{}).Fit(ctx, Tokens{}); !errors.Is(err, ErrEmptyCorpus) {
		t.Errorf("doc2vec on empty corpus: %v", err)
	}
	if _, err := (Doc2VecConfig{VectorSize: -3}).Fit(ctx, docs); err == nil {
		t.Error("doc2vec with VectorSize -3: no error")
	}
	if _, err := newKeyedVectors([]string{"a"}, []float32{1}, 0); err == nil {
		t.Error("KeyedVectors of size 0: no error")
	}
	if _, err := newKeyedVectors([]string{"a", "a"}, []float32{1, 2}, 1); err == nil {
		t.Error("duplicate word: no error")
	}
	if _, err := newKeyedVectors([]string{"a"}, []float32{float32(math.NaN())}, 1); err == nil {
		t.Error("NaN vector: no error")
	}
}

func TestCancelReturnsPartialModel(t *testing.T) {
	docs, _ := plantedCorpus(2000, 4)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	m, err := Word2VecConfig{VectorSize: 8, Epochs: 50, Workers: 1,
		Progress: func(p fit.Progress) error {
			calls++
			cancel() // stop at the first report (training start)
			return nil
		}}.Fit(ctx, docs)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if m == nil || m.WV.Len() != 20 {
		t.Fatal("no partial model returned on cancel")
	}
	stop := errors.New("enough")
	_, err = Doc2VecConfig{VectorSize: 8, Epochs: 50, Workers: 1,
		Progress: func(fit.Progress) error { return stop }}.Fit(context.Background(), docs)
	if !errors.Is(err, stop) {
		t.Fatalf("progress error not returned: %v", err)
	}
}

func TestNoiseTableDistribution(t *testing.T) {
	// Counts 1000, 100, 10, 1: the noise distribution is count^0.75
	// normalised.
	v := &vocab{counts: []int64{1000, 100, 10, 1}}
	tab := v.negTable(0.75)
	rng := rand.NewPCG(1, 2)
	const n = 400_000
	hits := make([]float64, 4)
	for range n {
		hits[tab.draw(rng.Uint64())]++
	}
	var norm float64
	for _, c := range v.counts {
		norm += math.Pow(float64(c), 0.75)
	}
	for i, c := range v.counts {
		want := math.Pow(float64(c), 0.75) / norm
		got := hits[i] / n
		// 400k draws: standard error <= 0.0008; allow 5 of them.
		if math.Abs(got-want) > 0.004 {
			t.Errorf("word %d drawn with frequency %.4f, want %.4f", i, got, want)
		}
	}
}

func TestSubsampleProbability(t *testing.T) {
	// total 10000 tokens, sample 1e-3 -> threshold t = 10; a word with count
	// 1000 is kept with (sqrt(1000/10)+1)*10/1000 = 0.11, count 5 always.
	v := &vocab{counts: []int64{1000, 8995, 5}, totalKept: 10000}
	v.setSample(1e-3)
	if got := float64(v.sampleInts[0]) / (1 << 32); math.Abs(got-0.11) > 1e-6 {
		t.Errorf("keep probability %.6f, want 0.11", got)
	}
	if v.sampleInts[2] != math.MaxUint32 {
		t.Error("rare word not always kept")
	}
}

func TestWord2VecFormatRoundTrip(t *testing.T) {
	kv, err := newKeyedVectors([]string{"whale", "ship", "sea"},
		[]float32{0.5, -1.25, 3e-7, 1, 2, 3, -0.1, 0.2, 1e10}, 3)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, bin := range []bool{false, true} {
		p := filepath.Join(dir, fmt.Sprintf("v-%v", bin))
		if err := kv.SaveWord2VecFormat(p, bin); err != nil {
			t.Fatal(err)
		}
		got, err := LoadWord2VecFormat(p, bin)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Words, kv.Words) || !slices.Equal(got.Vectors, kv.Vectors) {
			t.Errorf("binary=%v: round trip changed the vectors: %v %v", bin, got.Words, got.Vectors)
		}
	}
	// A failed write leaves the existing file alone and no temporary file.
	p := filepath.Join(dir, "v-false")
	before, _ := os.ReadFile(p)
	bad, _ := newKeyedVectors([]string{"two words"}, []float32{1, 2, 3}, 3)
	if err := bad.SaveWord2VecFormat(p, false); err == nil {
		t.Error("word with a space saved without error")
	}
	after, _ := os.ReadFile(p)
	entries, _ := os.ReadDir(dir)
	if string(before) != string(after) || len(entries) != 2 {
		t.Errorf("failed save changed the directory: %d entries", len(entries))
	}
	for _, bad := range []string{"", "x y\n", "2 2\na 1 2\nb 1\n", "1 2\na 1 x\n", "1 2\n"} {
		if _, err := ReadWord2VecFormat(strings.NewReader(bad), false); err == nil {
			t.Errorf("corrupt text file %q read without error", bad)
		}
	}
	if _, err := ReadWord2VecFormat(strings.NewReader("1 4\nab \x00\x00"), true); err == nil {
		t.Error("truncated binary file read without error")
	}
}

func TestMostSimilarAnalogy(t *testing.T) {
	// Axes: royal, male, female, fruit. king = royal+male, queen =
	// royal+female; man:king :: woman:queen.
	words := []string{"king", "queen", "man", "woman", "apple"}
	vecs := []float32{
		1, 1, 0, 0,
		1, 0, 1, 0,
		0, 1, 0, 0.1,
		0, 0, 1, 0.1,
		0, 0, 0, 1,
	}
	kv, err := newKeyedVectors(words, vecs, 4)
	if err != nil {
		t.Fatal(err)
	}
	got, err := kv.MostSimilar([]string{"king", "woman"}, []string{"man"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Word != "queen" {
		t.Errorf("king - man + woman = %v, want queen first", got)
	}
	if got[0].Score < got[1].Score {
		t.Error("results not sorted by score")
	}
	if _, err := kv.MostSimilar([]string{"prince"}, nil, 3); !errors.Is(err, ErrUnknownWord) {
		t.Errorf("unknown word: %v", err)
	}
	if v, ok := kv.Vector("apple"); !ok || v[3] != 1 {
		t.Error("Vector(apple) wrong")
	}
	if _, ok := kv.Vector("pear"); ok {
		t.Error("Vector of unknown word reported ok")
	}
}

func TestDoc2VecPlantedTopics(t *testing.T) {
	docs, labels := plantedCorpus(400, 5)
	// minAcc is the kNN accuracy the trained document vectors must reach
	// (chance is 0.5). PV-DM is held lower: inside a group the context words
	// already predict the centre word, so the document vector carries less
	// (the article's remark that doc2vec's quality leans on the word vectors).
	cases := []struct {
		name   string
		cfg    Doc2VecConfig
		minAcc float64
	}{
		{"dbow", Doc2VecConfig{DBOW: true}, 0.95},
		{"dbow+words", Doc2VecConfig{DBOW: true, DBOWWords: true}, 0.95},
		{"dm-mean", Doc2VecConfig{}, 0.75},
		{"dm-concat", Doc2VecConfig{DMConcat: true, Window: 2}, 0.75},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := c.cfg
			cfg.VectorSize, cfg.Epochs, cfg.Workers, cfg.Sample = 16, 20, 1, -1
			m, err := cfg.Fit(context.Background(), docs)
			if err != nil {
				t.Fatal(err)
			}
			if r, _ := m.DV.Dims(); r != len(docs) {
				t.Fatalf("%d doc vectors for %d docs", r, len(docs))
			}
			// The two planted groups share no word: kNN on the trained
			// document vectors must separate them almost perfectly.
			cv, err := CrossValidateKNN(context.Background(), m.DV, labels, CVConfig{K: 5, Folds: 5, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if cv.Accuracy < c.minAcc {
				t.Errorf("kNN accuracy on trained doc vectors %.3f < %.2f", cv.Accuracy, c.minAcc)
			}
			// Inferred vectors for unseen documents land in their group.
			test, testLabels := plantedCorpus(60, 6)
			x, err := m.Encode(context.Background(), test)
			if err != nil {
				t.Fatal(err)
			}
			knn, err := KNNConfig{K: 5}.Fit(context.Background(), m.DV, labels)
			if err != nil {
				t.Fatal(err)
			}
			pred, _ := knn.Predict(x)
			correct := 0
			for i := range pred {
				if pred[i] == testLabels[i] {
					correct++
				}
			}
			if acc := float64(correct) / float64(len(pred)); acc < 0.9 {
				t.Errorf("inferred vectors classified with accuracy %.3f < 0.9", acc)
			}
			v1, ok1 := m.InferVector(test[0])
			v2, _ := m.InferVector(test[0])
			if !ok1 || !slices.Equal(v1, v2) {
				t.Error("InferVector not deterministic")
			}
			if v, ok := m.InferVector([]string{"zzz", "unknown"}); ok || slices.ContainsFunc(v, func(x float64) bool { return x != 0 }) {
				t.Error("document with no known word: want zero vector and ok=false")
			}
		})
	}
}

func TestSIFAndMean(t *testing.T) {
	docs, labels := plantedCorpus(300, 7)
	m, err := Word2VecConfig{SG: true, VectorSize: 16, Window: 3, Workers: 1, Sample: -1}.Fit(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	sif, err := SIFConfig{}.Fit(context.Background(), m.WV, docs)
	if err != nil {
		t.Fatal(err)
	}
	withEmpty := append(Tokens{{"nothing", "known"}}, docs...)
	x, empty, err := sif.EncodeMask(context.Background(), withEmpty)
	if err != nil {
		t.Fatal(err)
	}
	if !empty[0] || empty[1] || mat.Norm(x.RowView(0), 2) != 0 {
		t.Error("document without known words: want zero row and flag")
	}
	// Rows have no component along the removed principal direction.
	for i := 1; i < 20; i++ {
		var p float64
		for k, v := range x.RawRowView(i) {
			p += v * sif.PC[k]
		}
		if math.Abs(p) > 1e-9 {
			t.Fatalf("row %d keeps projection %.3g on the removed component", i, p)
		}
	}
	// A word's weight falls with its frequency: a/(a+p).
	hi, lo := sif.Weight[0], sif.Weight[len(sif.Weight)-1]
	if !(hi <= lo) {
		t.Errorf("most frequent word weight %.4f > rarest %.4f", hi, lo)
	}
	for _, enc := range []Encoder{sif, Mean{KV: m.WV}, m} {
		x, err := enc.Encode(context.Background(), docs)
		if err != nil {
			t.Fatal(err)
		}
		cv, err := CrossValidateKNN(context.Background(), x, labels, CVConfig{K: 5, Folds: 5, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if cv.Accuracy < 0.95 {
			t.Errorf("%T: accuracy %.3f < 0.95 on separable groups", enc, cv.Accuracy)
		}
	}
	if _, err := (SIFConfig{}).Fit(context.Background(), &KeyedVectors{Dim: 2, Words: []string{"a"}, Vectors: []float32{1, 2}}, docs); err == nil {
		t.Error("SIF without counts: no error")
	}
	if _, err := (Mean{KV: m.WV}).Encode(context.Background(), nil); err == nil {
		t.Error("encoding no documents: no error")
	}
}

func TestKNNAndNeighbors(t *testing.T) {
	x := mat.NewDense(6, 2, []float64{1, 0, 0.9, 0.1, 1, 0.2, 0, 1, 0.1, 0.9, 0.2, 1})
	labels := []int{0, 0, 0, 1, 1, 1}
	knn, err := KNNConfig{K: 3}.Fit(context.Background(), x, labels)
	if err != nil {
		t.Fatal(err)
	}
	pred, _ := knn.Predict(mat.NewDense(2, 2, []float64{5, 1, 1, 5}))
	if !slices.Equal(pred, []int{0, 1}) {
		t.Errorf("predictions %v, want [0 1]", pred)
	}
	nn, _ := NearestNeighbors(x, []float64{0, 2}, 2)
	if nn[0].Index != 3 || math.Abs(nn[0].Score-1) > 1e-12 {
		t.Errorf("nearest to (0,2) is %v, want row 3 with cosine 1", nn[0])
	}
	if _, err := CrossValidateKNN(context.Background(), x, labels, CVConfig{K: 3, Folds: 10, Seed: 1}); err == nil {
		t.Error("10 folds of 6 rows: no error")
	}
	bad := mat.NewDense(1, 2, []float64{math.NaN(), 1})
	if _, err := (KNNConfig{K: 1}).Fit(context.Background(), bad, []int{0}); err == nil {
		t.Error("NaN row accepted")
	}
}

func TestSaveLoadModels(t *testing.T) {
	docs, _ := plantedCorpus(100, 8)
	dir := t.TempDir()
	w, err := Word2VecConfig{VectorSize: 4, Workers: 1, Epochs: 1}.Fit(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "w2v.gob")
	if err := w.SaveFile(p); err != nil {
		t.Fatal(err)
	}
	w2, err := LoadWord2VecFile(p)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := w.WV.MostSimilar([]string{"a1"}, nil, 3)
	b, _ := w2.WV.MostSimilar([]string{"a1"}, nil, 3)
	if !slices.Equal(a, b) || !slices.Equal(w.Syn1Neg, w2.Syn1Neg) {
		t.Error("loaded word2vec model differs")
	}
	d, err := Doc2VecConfig{DBOW: true, VectorSize: 4, Workers: 1, Epochs: 2}.Fit(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	p = filepath.Join(dir, "d2v.gob")
	if err := d.SaveFile(p); err != nil {
		t.Fatal(err)
	}
	d2, err := LoadDoc2VecFile(p)
	if err != nil {
		t.Fatal(err)
	}
	v1, _ := d.InferVector(docs[0])
	v2, _ := d2.InferVector(docs[0])
	if !slices.Equal(v1, v2) || !mat.Equal(d.DV, d2.DV) {
		t.Error("loaded doc2vec model infers differently")
	}
	os.WriteFile(p, []byte("not gob"), 0o644)
	if _, err := LoadDoc2VecFile(p); err == nil {
		t.Error("corrupt model loaded without error")
	}
}

func TestCorpusAdapters(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.txt")
	os.WriteFile(p, []byte("the whale\n\n  the  ship sails \n"), 0o644)
	var got [][]string
	err := LineFile(p).ForEach(context.Background(), func(t []string) error {
		got = append(got, slices.Clone(t))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"the", "whale"}, {}, {"the", "ship", "sails"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("LineFile gave %q, want %q", got, want)
	}
	got = nil
	Strings{Docs: []string{"Call me Ishmael.", "It's a whale!"}}.ForEach(context.Background(), func(t []string) error {
		got = append(got, t)
		return nil
	})
	// text.Tokenize keeps tokens of two or more letters (scikit-learn's
	// pattern): "It's a" loses "s" and "a".
	if fmt.Sprint(got) != "[[call me ishmael] [it whale]]" {
		t.Errorf("Strings gave %q", got)
	}
}
