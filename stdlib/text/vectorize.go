package text

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/sparse"
)

// ErrNotFitted is returned by Transform on a zero Count or Tfidf (not
// made by Fit or Load).
var ErrNotFitted = errors.New("text: vectorizer is not fitted")

// ErrBadConfig is wrapped by every error Validate returns.
var ErrBadConfig = errors.New("text: bad config")

// CountConfig configures a bag of words: documents become a
// document×term count matrix, as scikit-learn's CountVectorizer does with
// its defaults. The zero value is valid.
type CountConfig struct {
	// KeepCase keeps the documents' case. Default (false): lower-case them
	// as Python's str.lower (scikit-learn's lowercase=True).
	KeepCase bool
	// Tokenizer splits a (lower-cased) document into tokens. Default (nil):
	// Tokens, the (?u)\b\w\w+\b pattern. Save keeps the identity of Tokens,
	// Tokenize and strings.Fields; a fitted value with any other function
	// cannot be saved (Save returns ErrCustomTokenizer).
	Tokenizer func(string) []string
	// NgramRange is the smallest and largest n of the word n-grams used as
	// terms, joined by single spaces (scikit-learn's ngram_range). Default
	// ({0, 0}): {1, 1}, single words.
	NgramRange [2]int
	// StopWords are dropped after tokenizing (before forming n-grams).
	// Default (nil): none. Use EnglishStopWords for scikit-learn's
	// stop_words='english'.
	StopWords []string
	// MinDF drops terms found in fewer documents: a value in (0, 1) is a
	// fraction of the documents, a value ≥ 1 a whole number of documents.
	// Default (0): keep all (scikit-learn's min_df=1).
	MinDF float64
	// MaxDF drops terms found in more documents, read as MinDF. Default (0):
	// no limit (scikit-learn's max_df=1.0).
	MaxDF float64
	// MaxFeatures keeps only the terms with the highest total counts.
	// Default (0): all. Ties at the cut are broken by vocabulary order
	// (scikit-learn's unstable argsort may pick others among equal counts).
	MaxFeatures int
	// Binary sets every non-zero count to 1. Default (false): counts.
	Binary bool
	// FixedVocabulary, when non-nil, is used as the vocabulary (columns in
	// this order) instead of learning one; MinDF, MaxDF and MaxFeatures are
	// then ignored, as with scikit-learn's vocabulary parameter. Default
	// (nil): learn the vocabulary.
	FixedVocabulary []string
}

// Count is a fitted bag of words (CountConfig.Fit).
type Count struct {
	// Config is the configuration it was fitted with.
	Config CountConfig
	// Vocabulary maps each term to its column.
	Vocabulary map[string]int
	// Features lists the terms in column order (sorted, or
	// FixedVocabulary's order).
	Features []string
}

// Validate reports the first invalid field, naming it.
func (c CountConfig) Validate() error {
	for _, f := range []struct {
		name string
		val  float64
	}{{"MinDF", c.MinDF}, {"MaxDF", c.MaxDF}} {
		switch {
		case math.IsNaN(f.val) || f.val < 0 || math.IsInf(f.val, 0):
			return fit.BadConfig(ErrBadConfig, f.name, f.val, "at least 0")
		case f.val >= 1 && f.val != math.Trunc(f.val):
			return fit.BadConfig(ErrBadConfig, f.name, f.val, "a whole count of documents (fractions are < 1)")
		}
	}
	if n := c.NgramRange; n != [2]int{} && (n[0] < 1 || n[1] < n[0]) {
		return fit.BadConfig(ErrBadConfig, "NgramRange", n, "1 ≤ min ≤ max")
	}
	if c.MaxFeatures < 0 {
		return fit.BadConfig(ErrBadConfig, "MaxFeatures", c.MaxFeatures, "at least 0")
	}
	return nil
}

// ctxEvery is how many documents are tokenized between checks of ctx.
const ctxEvery = 256

// Fit learns the vocabulary of docs. Cancelling ctx returns ctx.Err() (a
// vocabulary learnt from part of the documents would be wrong, so there is
// no partial result).
func (c CountConfig) Fit(ctx context.Context, docs []string) (*Count, error) {
	v, _, err := c.FitTransform(ctx, docs)
	return v, err
}

// FitTransform learns the vocabulary and returns it with the
// len(docs)×terms count matrix.
func (c CountConfig) FitTransform(ctx context.Context, docs []string) (*Count, *sparse.CSR, error) {
	v := &Count{Config: c}
	x, err := v.fitTransform(ctx, docs)
	if err != nil {
		return nil, nil, err
	}
	return v, x, nil
}

// analyze returns the tokens of doc after case folding and stop words.
func (v *Count) analyze(doc string, stop map[string]bool) []string {
	if !v.Config.KeepCase {
		doc = Lower(doc)
	}
	var toks []string
	if v.Config.Tokenizer != nil {
		toks = v.Config.Tokenizer(doc)
	} else {
		toks = appendTokens(make([]string, 0, len(doc)/6), doc)
	}
	if len(stop) > 0 {
		toks = slices.DeleteFunc(toks, func(t string) bool { return stop[t] })
	}
	lo, hi := v.Config.NgramRange[0], v.Config.NgramRange[1]
	if hi <= 1 {
		return toks
	}
	var grams []string
	if lo <= 1 {
		grams = append(grams, toks...)
		lo = 2
	}
	for n := lo; n <= hi && n <= len(toks); n++ {
		for i := 0; i+n <= len(toks); i++ {
			grams = append(grams, strings.Join(toks[i:i+n], " "))
		}
	}
	return grams
}

func (v *Count) stopSet() map[string]bool {
	if len(v.Config.StopWords) == 0 {
		return nil
	}
	m := make(map[string]bool, len(v.Config.StopWords))
	for _, w := range v.Config.StopWords {
		m[w] = true
	}
	return m
}

// fitTransform learns v's vocabulary from docs and returns their counts.
func (v *Count) fitTransform(ctx context.Context, docs []string) (*sparse.CSR, error) {
	c := v.Config
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, errors.New("text: no documents")
	}
	if c.FixedVocabulary != nil {
		if len(c.FixedVocabulary) == 0 {
			return nil, fit.BadConfig(ErrBadConfig, "FixedVocabulary", "empty", "at least one term")
		}
		v.Features = slices.Clone(c.FixedVocabulary)
		if err := v.index(); err != nil {
			return nil, err
		}
		return v.Transform(ctx, docs)
	}
	stop := v.stopSet()
	// First pass: provisional ids in order of first appearance.
	ids := map[string]int{}
	var terms []string
	indptr := make([]int, 1, len(docs)+1)
	var indices []int
	var data []float64
	row := map[int]float64{}
	for d, doc := range docs {
		if d%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		clear(row)
		for _, t := range v.analyze(doc, stop) {
			id, ok := ids[t]
			if !ok {
				id = len(terms)
				ids[t] = id
				terms = append(terms, t)
			}
			row[id]++
		}
		for id, c := range row {
			indices = append(indices, id)
			data = append(data, c)
		}
		indptr = append(indptr, len(indices))
	}
	if len(terms) == 0 {
		return nil, errors.New("text: empty vocabulary; perhaps the documents only contain stop words")
	}
	// Document frequencies and total counts per provisional id.
	df := make([]int, len(terms))
	tf := make([]float64, len(terms))
	for k, id := range indices {
		df[id]++
		if c.Binary {
			tf[id]++ // scikit-learn binarises before limiting features
		} else {
			tf[id] += data[k]
		}
	}
	n := float64(len(docs))
	low, high := c.MinDF, c.MaxDF
	if low == 0 {
		low = 1
	} else if low < 1 {
		low *= n
	}
	if high == 0 {
		high = n
	} else if high < 1 {
		high *= n
	}
	if high < low {
		return nil, fmt.Errorf("text: on %d documents MaxDF %v corresponds to fewer documents than MinDF %v", len(docs), c.MaxDF, c.MinDF)
	}
	// Keep terms within the df bounds, in sorted order (scikit-learn sorts
	// the vocabulary before limiting it).
	order := make([]int, len(terms))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(terms[a], terms[b]) })
	kept := order[:0:0]
	for _, id := range order {
		if d := float64(df[id]); d >= low && d <= high {
			kept = append(kept, id)
		}
	}
	if c.MaxFeatures > 0 && len(kept) > c.MaxFeatures {
		byCount := slices.Clone(kept)
		slices.SortStableFunc(byCount, func(a, b int) int { return cmp.Compare(tf[b], tf[a]) })
		keep := map[int]bool{}
		for _, id := range byCount[:c.MaxFeatures] {
			keep[id] = true
		}
		kept = slices.DeleteFunc(kept, func(id int) bool { return !keep[id] })
	}
	if len(kept) == 0 {
		return nil, errors.New("text: after pruning, no terms remain; try a lower MinDF or a higher MaxDF")
	}
	col := make([]int, len(terms))
	for i := range col {
		col[i] = -1
	}
	v.Vocabulary = make(map[string]int, len(kept))
	v.Features = make([]string, len(kept))
	for c, id := range kept {
		col[id] = c
		v.Vocabulary[terms[id]] = c
		v.Features[c] = terms[id]
	}
	return v.remap(len(docs), indptr, indices, data, col)
}

// remap rewrites provisional ids to columns, drops pruned terms and sorts
// each row's columns.
func (v *Count) remap(rows int, indptr, indices []int, data []float64, col []int) (*sparse.CSR, error) {
	outPtr := make([]int, rows+1)
	outIdx := make([]int, 0, len(indices))
	outData := make([]float64, 0, len(data))
	type entry struct {
		c int
		x float64
	}
	var buf []entry
	for i := range rows {
		buf = buf[:0]
		for k := indptr[i]; k < indptr[i+1]; k++ {
			if c := col[indices[k]]; c >= 0 {
				buf = append(buf, entry{c, data[k]})
			}
		}
		slices.SortFunc(buf, func(a, b entry) int { return a.c - b.c })
		for _, e := range buf {
			x := e.x
			if v.Config.Binary {
				x = 1
			}
			outIdx = append(outIdx, e.c)
			outData = append(outData, x)
		}
		outPtr[i+1] = len(outIdx)
	}
	return sparse.NewCSR(rows, len(v.Features), outPtr, outIdx, outData)
}

// index builds Vocabulary from Features, refusing a term given twice.
func (v *Count) index() error {
	v.Vocabulary = make(map[string]int, len(v.Features))
	for i, t := range v.Features {
		if _, dup := v.Vocabulary[t]; dup {
			return fit.BadConfig(ErrBadConfig, "FixedVocabulary", fmt.Sprintf("%q twice", t), "distinct terms")
		}
		v.Vocabulary[t] = i
	}
	return nil
}

// Transform returns the count matrix of docs over the fitted vocabulary;
// unknown terms are ignored. Cancelling ctx returns ctx.Err().
func (v *Count) Transform(ctx context.Context, docs []string) (*sparse.CSR, error) {
	if v == nil || v.Vocabulary == nil {
		return nil, ErrNotFitted
	}
	stop := v.stopSet()
	indptr := make([]int, 1, len(docs)+1)
	var indices []int
	var data []float64
	row := map[int]float64{}
	for d, doc := range docs {
		if d%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		clear(row)
		for _, t := range v.analyze(doc, stop) {
			if c, ok := v.Vocabulary[t]; ok {
				row[c]++
			}
		}
		for c, x := range row {
			indices = append(indices, c)
			data = append(data, x)
		}
		indptr = append(indptr, len(indices))
	}
	identity := make([]int, len(v.Features))
	for i := range identity {
		identity[i] = i
	}
	return v.remap(len(docs), indptr, indices, data, identity)
}

// FeatureNames returns the terms in column order (scikit-learn's
// get_feature_names_out).
func (v *Count) FeatureNames() []string { return slices.Clone(v.Features) }
