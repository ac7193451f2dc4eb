package embed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/fit"

	"gonum.org/v1/gonum/mat"
)

func TestValidateNamesTheField(t *testing.T) {
	for _, tc := range []struct {
		cfg  interface{ Validate() error }
		want string // the whole message: field, value, what is wanted
	}{
		{Word2VecConfig{VectorSize: -3}, "embed: bad config: VectorSize is -3, want at least 1 (0: the default)"},
		{Word2VecConfig{Window: -1}, "embed: bad config: Window is -1, want at least 1 (0: the default)"},
		{Word2VecConfig{Workers: -2}, "embed: bad config: Workers is -2, want at least 1 (0: GOMAXPROCS)"},
		{Word2VecConfig{Alpha: -0.1}, "embed: bad config: Alpha is -0.1, want a positive number (0: the default)"},
		{Word2VecConfig{Sample: math.NaN()}, "embed: bad config: Sample is NaN, want a finite number"},
		{Word2VecConfig{Alpha: 0.01, MinAlpha: 0.02}, "embed: bad config: MinAlpha is 0.02, want at most Alpha (0.01)"},
		{Doc2VecConfig{Epochs: -1}, "embed: bad config: Epochs is -1, want at least 1 (0: the default)"},
		{FastSentConfig{Negative: -1}, "embed: bad config: Negative is -1, want at least 1 (0: the default)"},
		{SkipThoughtConfig{LR: math.Inf(1)}, "embed: bad config: LR is +Inf, want a finite number"},
		{SIFConfig{RemovePC: 2}, "embed: bad config: RemovePC is 2, want at most 1 (only the first component is computed)"},
		{KNNConfig{K: -1}, "embed: bad config: K is -1, want at least 1 (0: the default)"},
		{CVConfig{Folds: 1}, "embed: bad config: Folds is 1, want at least 2 (0: the default 5)"},
		{TopicConfig{Topics: -1}, "embed: bad config: Topics is -1, want at least 1 (0: the default)"},
		{TFIDFConfig{MaxDF: -1}, "embed: bad config: MaxDF is -1, want a positive number (0: the default)"},
	} {
		err := tc.cfg.Validate()
		if !errors.Is(err, ErrBadConfig) || err.Error() != tc.want {
			t.Errorf("%#v: %v, want %q", tc.cfg, err, tc.want)
		}
	}
	// Off (negative) is valid where a setting can be turned off.
	for _, c := range []interface{ Validate() error }{
		Word2VecConfig{Sample: -1, MinAlpha: -1, MinCount: -1, NsExponent: -1},
		SkipThoughtConfig{ClipNorm: -1, MaxVocab: -1}, SIFConfig{RemovePC: -1},
	} {
		if err := c.Validate(); err != nil {
			t.Errorf("%#v: %v", c, err)
		}
	}
}

func TestSeedZeroIsASeed(t *testing.T) {
	docs, _ := plantedCorpus(50, 1)
	fit := func(seed uint64) []float32 {
		m, err := Word2VecConfig{VectorSize: 4, Epochs: 1, Workers: 1, MinCount: 1, Seed: seed}.Fit(context.Background(), docs)
		if err != nil {
			t.Fatal(err)
		}
		return m.WV.Vectors
	}
	a, b, c := fit(0), fit(0), fit(1)
	if !slices.Equal(a, b) || slices.Equal(a, c) {
		t.Error("seed 0 is not reproducible, or equals seed 1 (0 used to mean 1)")
	}
}

// TestDivergedOnHugeLearningRate: a learning rate of 1e6 (4·10^7 times
// gensim's 0.025) blows every trainer up; each must say so with
// ErrDiverged, never return NaN vectors with a nil error, never panic.
func TestDivergedOnHugeLearningRate(t *testing.T) {
	ctx := context.Background()
	docs, _ := plantedCorpus(200, 1)
	story, _ := storyCorpus(60, 2)
	for name, fit := range map[string]func() error{
		"word2vec sg": func() error {
			_, err := Word2VecConfig{SG: true, VectorSize: 8, Alpha: 1e6, MinAlpha: 1e6, MinCount: 1, Workers: 1}.Fit(ctx, docs)
			return err
		},
		"word2vec cbow": func() error {
			_, err := Word2VecConfig{VectorSize: 8, Alpha: 1e6, MinAlpha: 1e6, MinCount: 1, Workers: 2}.Fit(ctx, docs)
			return err
		},
		"doc2vec": func() error {
			_, err := Doc2VecConfig{DBOW: true, VectorSize: 8, Alpha: 1e6, MinAlpha: 1e6, MinCount: 1, Workers: 1}.Fit(ctx, docs)
			return err
		},
		"fastsent": func() error {
			_, err := FastSentConfig{VectorSize: 8, Alpha: 1e6, MinAlpha: 1e6, MinCount: 1, Workers: 1}.Fit(ctx, story)
			return err
		},
		"skip-thought": func() error {
			_, err := SkipThoughtConfig{WordSize: 4, Hidden: 6, MinCount: 1, Epochs: 3, LR: 1e6, ClipNorm: -1, Workers: 1}.Fit(ctx, story)
			return err
		},
	} {
		err := fit()
		if !errors.Is(err, ErrDiverged) {
			t.Errorf("%s: err = %v, want ErrDiverged", name, err)
			continue
		}
		if !strings.Contains(err.Error(), "lower") {
			t.Errorf("%s: %v does not say what to do", name, err)
		}
	}
}

// roundTrip saves v with save, loads it back with load, and checks that a
// file claiming another format version is refused with a message naming it.
func roundTrip[T any](t *testing.T, kind string, save func(io.Writer) error, load func(io.Reader) (*T, error)) *T {
	t.Helper()
	var b bytes.Buffer
	if err := save(&b); err != nil {
		t.Fatalf("%s: save: %v", kind, err)
	}
	header, body, _ := bytes.Cut(b.Bytes(), []byte("\n"))
	// The format versions of settings.go; the others are at 1.
	version := map[string]int{"FastSent": fastSentVersion, "SkipThought": skipThoughtVersion}[kind]
	if string(header) != fmt.Sprintf("gonbml embed.%s v%d", kind, max(version, 1)) {
		t.Fatalf("%s: header %q", kind, header)
	}
	got, err := load(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("%s: load: %v", kind, err)
	}
	other := append([]byte("gonbml embed."+kind+" v99\n"), body...)
	if _, err := load(bytes.NewReader(other)); err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("%s: a v99 file gave %v, want an error naming version 99", kind, err)
	}
	return got
}

func TestSaveLoadEveryModel(t *testing.T) {
	ctx := context.Background()
	docs, labels := plantedCorpus(120, 3)
	story, _ := storyCorpus(30, 4)
	w2v, err := Word2VecConfig{VectorSize: 6, MinCount: 1, Workers: 1, Epochs: 1}.Fit(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	probe := []string{docs[0][0], docs[1][0]}
	enc := func(e Encoder) *mat.Dense {
		x, err := e.Encode(ctx, [][]string{probe})
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	same := func(kind string, a, b Encoder) {
		if !mat.Equal(enc(a), enc(b)) {
			t.Errorf("%s: the loaded model encodes differently", kind)
		}
	}
	w2 := roundTrip(t, "Word2Vec", w2v.Save, LoadWord2Vec)
	same("Word2Vec", w2v, w2)
	kv := roundTrip(t, "KeyedVectors", w2v.WV.Save, LoadKeyedVectors)
	same("KeyedVectors", Mean{KV: w2v.WV}, Mean{KV: kv})

	d2v, err := Doc2VecConfig{DBOW: true, VectorSize: 6, MinCount: 1, Workers: 1, Epochs: 2}.Fit(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	same("Doc2Vec", d2v, roundTrip(t, "Doc2Vec", d2v.Save, LoadDoc2Vec))
	fs, err := FastSentConfig{VectorSize: 6, MinCount: 1, Workers: 1, Epochs: 1}.Fit(ctx, story)
	if err != nil {
		t.Fatal(err)
	}
	same("FastSent", fs, roundTrip(t, "FastSent", fs.Save, LoadFastSent))
	st, err := SkipThoughtConfig{WordSize: 4, Hidden: 6, MinCount: 1, Epochs: 1, Workers: 1}.Fit(ctx, story)
	if err != nil {
		t.Fatal(err)
	}
	same("SkipThought", st, roundTrip(t, "SkipThought", st.Save, LoadSkipThought))
	sif, err := SIFConfig{}.Fit(ctx, w2v.WV, docs)
	if err != nil {
		t.Fatal(err)
	}
	same("SIF", sif, roundTrip(t, "SIF", sif.Save, LoadSIF))
	tf, err := TFIDFConfig{MinDF: 1}.Fit(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	same("TFIDF", tf, roundTrip(t, "TFIDF", tf.Save, LoadTFIDF))
	tp, err := TopicConfig{Topics: 2, TFIDF: TFIDFConfig{MinDF: 1}}.Fit(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	same("Topics", tp, roundTrip(t, "Topics", tp.Save, LoadTopics))
	x := d2v.DV
	knn, err := KNNConfig{K: 3}.Fit(ctx, x, labels)
	if err != nil {
		t.Fatal(err)
	}
	k2 := roundTrip(t, "KNN", knn.Save, LoadKNN)
	p1, _ := knn.Predict(x)
	p2, _ := k2.Predict(x)
	if k2.K != 3 || !slices.Equal(p1, p2) {
		t.Error("KNN: the loaded classifier predicts differently")
	}

	// The file forms: SaveFile then LoadXFile, and a kind mismatch.
	path := filepath.Join(t.TempDir(), "w2v.model")
	if err := w2v.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadWord2VecFile(path); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDoc2VecFile(path); err == nil || !strings.Contains(err.Error(), "embed.Word2Vec") {
		t.Errorf("a word2vec file loaded as doc2vec gave %v", err)
	}
	if _, err := LoadDoc2VecFile(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestReadWord2VecFormatHeaderLimits(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		// 10^12 words of 10^6 dimensions: 4·10^18 bytes if trusted.
		{"1000000000000 1000000\n", `word2vec header "1000000000000 1000000": 1000000000000 words, want 1 to 67108864`},
		{"3 1000000\n", `word2vec header "3 1000000": 1000000 dimensions, want 1 to 16384`},
		{"3\n", `word2vec header "3": want "<words> <dimensions>"`},
		{"a b\n", `word2vec header "a b": want two integers`},
		{"2 2\nwhale 1 2\n", "line 3 of 3: EOF"},
	} {
		for _, bin := range []bool{false, true} {
			_, err := ReadWord2VecFormat(strings.NewReader(tc.in), bin)
			if bin && strings.HasPrefix(tc.in, "2 2") {
				continue // the binary reader reads that line as a word and its bytes
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%q (binary %v): %v, want %q", tc.in, bin, err, tc.want)
			}
		}
	}
}

// FuzzReadWord2VecFormat: any input gives vectors or an error, never a
// panic, and what is read writes back and reads again the same.
func FuzzReadWord2VecFormat(f *testing.F) {
	f.Add([]byte("2 2\nwhale 0.5 -1\nship 2 0.25\n"), false)
	f.Add([]byte("1 1\na NaN\n"), false)
	f.Add([]byte("1 2\nab \x00\x00\x80?\x00\x00\x00@\n"), true)
	f.Add([]byte("1000000000000 1000000\n"), true)
	f.Add([]byte("2 1\nx \x00\x00\x80?y \x00\x00\x00@"), true)
	f.Fuzz(func(t *testing.T, data []byte, bin bool) {
		kv, err := ReadWord2VecFormat(bytes.NewReader(data), bin)
		if err != nil {
			return
		}
		if kv.Dim < 1 || len(kv.Vectors) != kv.Len()*kv.Dim {
			t.Fatalf("inconsistent vectors: %d words, %d values, dim %d", kv.Len(), len(kv.Vectors), kv.Dim)
		}
		var b bytes.Buffer
		if err := kv.WriteWord2VecFormat(&b, bin); err != nil {
			return // words with spaces cannot be written back
		}
		back, err := ReadWord2VecFormat(&b, bin)
		if err != nil {
			t.Fatalf("written vectors do not read back: %v", err)
		}
		if !slices.Equal(back.Vectors, kv.Vectors) {
			t.Fatal("vectors changed in a write/read round trip")
		}
	})
}

func TestProgressEvents(t *testing.T) {
	docs, _ := plantedCorpus(300, 5)
	var got []fit.Progress
	record := func(p fit.Progress) error { got = append(got, p); return nil }
	_, err := Word2VecConfig{VectorSize: 8, MinCount: 1, Epochs: 2, Workers: 1,
		Progress: record, ProgressInterval: fit.Off}.Fit(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < 3 {
		t.Fatalf("%d events, want a start, batches and a final one", len(got))
	}
	// The output weights start at zero: every first prediction is σ(0).
	if got[0].Loss != math.Ln2 || got[0].Unit != "word" {
		t.Errorf("start event %+v, want loss ln 2 in words", got[0])
	}
	last := got[len(got)-1]
	if !last.Done || last.Status != "finished 2 epochs" || last.Step != last.Total || last.Metrics["epoch"] != 2 {
		t.Errorf("final event %+v", last)
	}
	for _, p := range got {
		if math.IsNaN(p.Loss) || math.IsInf(p.Loss, 0) || p.Loss <= 0 {
			t.Fatalf("event %+v has no usable loss", p)
		}
	}
	if last.Loss >= math.Ln2 {
		t.Errorf("loss did not fall: %v at the end", last.Loss)
	}
}
