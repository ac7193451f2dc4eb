package text_test

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"

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

func TestCountVectorizer(t *testing.T) {
	docs := []string{"the cat sat", "the cat ate the rat", "a dog"}
	v := &text.CountVectorizer{}
	x, err := v.FitTransform(docs)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"ate", "cat", "dog", "rat", "sat", "the"}; !slices.Equal(v.FeatureNames(), want) {
		t.Fatalf("features %q, want %q", v.FeatureNames(), want)
	}
	if x.At(1, 5) != 2 || x.At(2, 2) != 1 || x.At(0, 0) != 0 {
		t.Fatalf("counts wrong: %v %v %v", x.At(1, 5), x.At(2, 2), x.At(0, 0))
	}
	// MinDF as a count, MaxDF as a fraction: "the" and "cat" are in 2 of 3.
	v2 := &text.CountVectorizer{MinDF: 2}
	if _, err := v2.FitTransform(docs); err != nil || !slices.Equal(v2.Features, []string{"cat", "the"}) {
		t.Fatalf("MinDF 2: %q, %v", v2.Features, err)
	}
	v3 := &text.CountVectorizer{MaxDF: 0.5}
	if _, err := v3.FitTransform(docs); err != nil || slices.Contains(v3.Features, "the") || !slices.Contains(v3.Features, "dog") {
		t.Fatalf("MaxDF 0.5: %q, %v", v3.Features, err)
	}
	// MaxFeatures keeps the most frequent ("the": 3, "cat": 2).
	v4 := &text.CountVectorizer{MaxFeatures: 2}
	if _, err := v4.FitTransform(docs); err != nil || !slices.Equal(v4.Features, []string{"cat", "the"}) {
		t.Fatalf("MaxFeatures 2: %q, %v", v4.Features, err)
	}
	// Unknown words are ignored by Transform.
	y, err := v.Transform([]string{"zebra cat cat"})
	if err != nil || y.At(0, 1) != 2 || y.NNZ() != 1 {
		t.Fatalf("Transform: %v, nnz %d", err, y.NNZ())
	}
}

func TestNgrams(t *testing.T) {
	v := &text.CountVectorizer{NgramRange: [2]int{2, 3}, StopWords: []string{"the"}}
	if _, err := v.FitTransform([]string{"the white whale swims"}); err != nil {
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
		v    text.TfidfVectorizer
		docs []string
	}{
		{"no documents", text.TfidfVectorizer{}, nil},
		{"only stop words", text.TfidfVectorizer{CountVectorizer: text.CountVectorizer{StopWords: text.EnglishStopWords}}, []string{"the and of", "it is"}},
		{"no tokens", text.TfidfVectorizer{}, []string{"a b", "!!"}},
		{"negative MinDF", text.TfidfVectorizer{CountVectorizer: text.CountVectorizer{MinDF: -1}}, []string{"aa"}},
		{"fractional count", text.TfidfVectorizer{CountVectorizer: text.CountVectorizer{MinDF: 2.5}}, []string{"aa"}},
		{"NaN MaxDF", text.TfidfVectorizer{CountVectorizer: text.CountVectorizer{MaxDF: math.NaN()}}, []string{"aa"}},
		{"MaxDF below MinDF", text.TfidfVectorizer{CountVectorizer: text.CountVectorizer{MinDF: 3, MaxDF: 2}}, []string{"aa", "aa", "aa"}},
		{"pruned away", text.TfidfVectorizer{CountVectorizer: text.CountVectorizer{MinDF: 3}}, []string{"aa", "bb"}},
		{"bad norm", text.TfidfVectorizer{Norm: "l3"}, []string{"aa"}},
		{"bad NgramRange", text.TfidfVectorizer{CountVectorizer: text.CountVectorizer{NgramRange: [2]int{2, 1}}}, []string{"aa"}},
		{"negative MaxFeatures", text.TfidfVectorizer{CountVectorizer: text.CountVectorizer{MaxFeatures: -1}}, []string{"aa"}},
		{"duplicate fixed vocabulary", text.TfidfVectorizer{CountVectorizer: text.CountVectorizer{FixedVocabulary: []string{"aa", "aa"}}}, []string{"aa"}},
	}
	for _, tc := range tests {
		if _, err := tc.v.FitTransform(tc.docs); err == nil || !strings.HasPrefix(err.Error(), "text: ") {
			t.Errorf("%s: err = %v, want a text: error", tc.name, err)
		}
	}
	var v text.TfidfVectorizer
	if _, err := v.Transform([]string{"aa"}); err != text.ErrNotFitted {
		t.Errorf("Transform before Fit: %v", err)
	}
}

func TestTfidfSaveLoad(t *testing.T) {
	docs := []string{"the cat sat", "the cat ate the rat", "a dog"}
	v := &text.TfidfVectorizer{SublinearTF: true, Norm: text.L1}
	want, err := v.FitTransform(docs)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := v.Save(&buf); err != nil {
		t.Fatal(err)
	}
	w, err := text.LoadTfidf(&buf)
	if err != nil {
		t.Fatal(err)
	}
	got, err := w.Transform(docs)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Data, want.Data) || !slices.Equal(got.Indices, want.Indices) {
		t.Fatal("loaded vectorizer transforms differently")
	}
	if _, err := text.LoadTfidf(strings.NewReader("not gob")); err == nil {
		t.Fatal("LoadTfidf accepted garbage")
	}
}

func TestTfidfRowsNormalised(t *testing.T) {
	docs := []string{"alpha beta beta", "beta gamma", "delta", "zz"}
	v := &text.TfidfVectorizer{}
	x, err := v.FitTransform(docs)
	if err != nil {
		t.Fatal(err)
	}
	y, _ := v.Transform([]string{"unknown words only"})
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
