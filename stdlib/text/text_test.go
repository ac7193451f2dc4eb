package text_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/internal/persist"
	"github.com/gonbml/gonbml/stdlib/text"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a b c", nil}, // single characters are not tokens
		{"Hello, World!", []string{"hello", "world"}},
		{"e-mail isn't x1 2x", []string{"mail", "isn", "x1", "2x"}},
		{"snake_case __init__", []string{"snake_case", "__init__"}},
		{"Naïve CAFÉ Zoë", []string{"naïve", "café", "zoë"}},
		{"cafe\u0301s", []string{"cafe"}}, // the combining accent splits, as in Python
		{"数据 科学", []string{"数据", "科学"}},
		{"İstanbul", []string{"istanbul"}}, // Python: "i̇stanbul" → i, combining dot, stanbul
		{"tabs\tand\nnew\u00a0lines", []string{"tabs", "and", "new", "lines"}},
		{"ΟΔΟΣ ΣΟΦΟΣ ΑΣΑ", []string{"οδος", "σοφος", "ασα"}}, // final sigma, as Python's lower()
	}
	for _, tc := range tests {
		got := text.Tokenize(tc.in)
		if tc.in == "İstanbul" {
			// Lower gives "i\u0307stanbul": "i" alone is too short, so the
			// only token is "stanbul".
			tc.want = []string{"stanbul"}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"One. Two! Three? Four", []string{"One.", "Two!", "Three?", "Four"}},
		{"Mr. Smith met Dr. Jones. They talked.", []string{"Mr. Smith met Dr. Jones.", "They talked."}},
		{"The U.S. Army is here. J. R. R. Tolkien wrote it.", []string{"The U.S. Army is here.", "J. R. R. Tolkien wrote it."}},
		{`He said "Stop." Then he left.`, []string{`He said "Stop."`, "Then he left."}},
		{"“Is it?” she asked. “Yes.”", []string{"“Is it?” she asked.", "“Yes.”"}},
		{"a line\nwrapped here. Next one", []string{"a line wrapped here.", "Next one"}},
		{"Title without period\n\nBody starts here.", []string{"Title without period", "Body starts here."}},
		{"pi is 3.14 today. ok", []string{"pi is 3.14 today. ok"}}, // lower-case next word: no split
		{"Wait... What?! Yes.", []string{"Wait...", "What?!", "Yes."}},
		{"See e.g. Smith. Fine.", []string{"See e.g. Smith.", "Fine."}},
		{"In 1851. Melville wrote", []string{"In 1851.", "Melville wrote"}},
	}
	for _, tc := range tests {
		if got := text.Sentences(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Sentences(%q) =\n %q, want\n %q", tc.in, got, tc.want)
		}
	}
}

var ctx = context.Background()

func TestCount(t *testing.T) {
	docs := []string{"the cat sat", "the cat ate the rat", "a dog"}
	v, x, err := text.CountConfig{}.FitTransform(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"ate", "cat", "dog", "rat", "sat", "the"}; !slices.Equal(v.FeatureNames(), want) {
		t.Fatalf("features %q, want %q", v.FeatureNames(), want)
	}
	if x.At(1, 5) != 2 || x.At(2, 2) != 1 || x.At(0, 0) != 0 {
		t.Fatalf("counts wrong: %v %v %v", x.At(1, 5), x.At(2, 2), x.At(0, 0))
	}
	features := func(c text.CountConfig) []string {
		v, err := c.Fit(ctx, docs)
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		return v.Features
	}
	// MinDF as a count, MaxDF as a fraction: "the" and "cat" are in 2 of 3.
	if f := features(text.CountConfig{MinDF: 2}); !slices.Equal(f, []string{"cat", "the"}) {
		t.Fatalf("MinDF 2: %q", f)
	}
	if f := features(text.CountConfig{MaxDF: 0.5}); slices.Contains(f, "the") || !slices.Contains(f, "dog") {
		t.Fatalf("MaxDF 0.5: %q", f)
	}
	// MaxFeatures keeps the most frequent ("the": 3, "cat": 2).
	if f := features(text.CountConfig{MaxFeatures: 2}); !slices.Equal(f, []string{"cat", "the"}) {
		t.Fatalf("MaxFeatures 2: %q", f)
	}
	// Unknown words are ignored by Transform.
	y, err := v.Transform(ctx, []string{"zebra cat cat"})
	if err != nil || y.At(0, 1) != 2 || y.NNZ() != 1 {
		t.Fatalf("Transform: %v, nnz %d", err, y.NNZ())
	}
}

func TestNgrams(t *testing.T) {
	v, err := text.CountConfig{NgramRange: [2]int{2, 3}, StopWords: []string{"the"}}.Fit(ctx, []string{"the white whale swims"})
	if err != nil {
		t.Fatal(err)
	}
	// "the" goes before n-grams are formed, as in scikit-learn.
	want := []string{"whale swims", "white whale", "white whale swims"} // sorted
	if !slices.Equal(v.Features, want) {
		t.Fatalf("features %q, want %q", v.Features, want)
	}
}

func TestVectorizerErrors(t *testing.T) {
	tests := []struct {
		name string
		c    text.TfidfConfig
		docs []string
		bad  bool // a config error (ErrBadConfig)
	}{
		{"no documents", text.TfidfConfig{}, nil, false},
		{"only stop words", text.TfidfConfig{StopWords: text.EnglishStopWords}, []string{"the and of", "it is"}, false},
		{"no tokens", text.TfidfConfig{}, []string{"a b", "!!"}, false},
		{"negative MinDF", text.TfidfConfig{MinDF: -1}, []string{"aa"}, true},
		{"fractional count", text.TfidfConfig{MinDF: 2.5}, []string{"aa"}, true},
		{"NaN MaxDF", text.TfidfConfig{MaxDF: math.NaN()}, []string{"aa"}, true},
		{"MaxDF below MinDF", text.TfidfConfig{MinDF: 3, MaxDF: 2}, []string{"aa", "aa", "aa"}, false},
		{"pruned away", text.TfidfConfig{MinDF: 3}, []string{"aa", "bb"}, false},
		{"bad norm", text.TfidfConfig{Norm: "l3"}, []string{"aa"}, true},
		{"bad IDFMode", text.TfidfConfig{IDFMode: 7}, []string{"aa"}, true},
		{"bad NgramRange", text.TfidfConfig{NgramRange: [2]int{2, 1}}, []string{"aa"}, true},
		{"negative MaxFeatures", text.TfidfConfig{MaxFeatures: -1}, []string{"aa"}, true},
		{"duplicate fixed vocabulary", text.TfidfConfig{FixedVocabulary: []string{"aa", "aa"}}, []string{"aa"}, true},
	}
	for _, tc := range tests {
		_, err := tc.c.Fit(ctx, tc.docs)
		if err == nil || !strings.HasPrefix(err.Error(), "text: ") || errors.Is(err, text.ErrBadConfig) != tc.bad {
			t.Errorf("%s: err = %v, want a text: error (bad config: %v)", tc.name, err, tc.bad)
		}
	}
	var v text.Tfidf
	if _, err := v.Transform(ctx, []string{"aa"}); err != text.ErrNotFitted {
		t.Errorf("Transform before Fit: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := (text.TfidfConfig{}).Fit(cancelled, []string{"aa bb"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Fit with a cancelled context: %v", err)
	}
}

func TestTfidfSaveLoad(t *testing.T) {
	docs := []string{"The cat sat", "the cat ate the rat", "a dog"}
	for _, c := range []text.TfidfConfig{
		{SublinearTF: true, Norm: text.L1},
		{IDFMode: text.IDFOff, KeepCase: true, Tokenizer: strings.Fields},
		{IDFMode: text.PlainIDF, Tokenizer: text.Tokenize, NgramRange: [2]int{1, 2}},
	} {
		v, want, err := c.FitTransform(ctx, docs)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "tfidf.model")
		if err := v.SaveFile(path); err != nil {
			t.Fatal(err)
		}
		w, err := text.LoadTfidfFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := w.Transform(ctx, docs)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Data, want.Data) || !slices.Equal(got.Indices, want.Indices) || !slices.Equal(w.Features, v.Features) {
			t.Fatalf("%+v: loaded vectorizer transforms differently", c)
		}
		// The tokenizer's identity survives: strings.Fields keeps "The" apart from "the".
		if (c.Tokenizer == nil) != (w.Config.Tokenizer == nil) {
			t.Fatalf("%+v: tokenizer lost", c)
		}
	}
	if _, err := text.LoadTfidf(strings.NewReader("not gob")); !errors.Is(err, persist.ErrFormat) {
		t.Fatalf("LoadTfidf accepted garbage: %v", err)
	}
	// A custom function cannot be saved: Save says so and writes nothing.
	v, err := text.TfidfConfig{Tokenizer: func(s string) []string { return strings.Split(s, ",") }}.Fit(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := v.Save(&buf); !errors.Is(err, text.ErrCustomTokenizer) || buf.Len() != 0 {
		t.Fatalf("Save with a custom tokenizer: %v, %d bytes written", err, buf.Len())
	}
	// A file of another format version names the version.
	if err := persist.Save(&buf, "text.Tfidf", 7, struct{ X int }{1}); err != nil {
		t.Fatal(err)
	}
	if _, err := text.LoadTfidf(&buf); !errors.Is(err, persist.ErrFormat) || !strings.Contains(err.Error(), "version 7") {
		t.Fatalf("LoadTfidf of a version-7 file: %v", err)
	}
}

func TestCountSaveLoad(t *testing.T) {
	docs := []string{"the cat sat", "the cat ate the rat", "a dog"}
	v, want, err := text.CountConfig{Binary: true, StopWords: []string{"the"}}.FitTransform(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := v.Save(&buf); err != nil {
		t.Fatal(err)
	}
	w, err := text.LoadCount(&buf)
	if err != nil {
		t.Fatal(err)
	}
	got, err := w.Transform(ctx, docs)
	if err != nil || !slices.Equal(got.Data, want.Data) || !slices.Equal(got.Indices, want.Indices) {
		t.Fatalf("loaded Count transforms differently: %v", err)
	}
	var tf bytes.Buffer
	tv, _ := text.TfidfConfig{}.Fit(ctx, docs)
	tv.Save(&tf)
	if _, err := text.LoadCount(&tf); !errors.Is(err, persist.ErrFormat) || !strings.Contains(err.Error(), "text.Tfidf") {
		t.Fatalf("LoadCount of a Tfidf file: %v", err)
	}
}

func TestTfidfRowsNormalised(t *testing.T) {
	docs := []string{"alpha beta beta", "beta gamma", "delta", "zz"}
	v, x, err := text.TfidfConfig{}.FitTransform(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	y, _ := v.Transform(ctx, []string{"unknown words only"})
	if y.NNZ() != 0 {
		t.Fatal("unknown words gave values")
	}
	for i := range len(docs) {
		var s float64
		for k := x.Indptr[i]; k < x.Indptr[i+1]; k++ {
			if x.Data[k] <= 0 {
				t.Fatalf("non-positive tf-idf %v", x.Data[k])
			}
			s += x.Data[k] * x.Data[k]
		}
		if math.Abs(s-1) > 1e-12 {
			t.Fatalf("row %d has squared norm %v", i, s)
		}
	}
}
