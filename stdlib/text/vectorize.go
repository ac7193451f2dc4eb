package text

import (
	"cmp"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/gonbml/gonbml/stdlib/sparse"
)

// ErrNotFitted is returned by Transform before Fit.
var ErrNotFitted = errors.New("text: vectorizer is not fitted")

// CountVectorizer turns documents into a document×term count matrix, as
// scikit-learn's CountVectorizer does with its defaults. The zero value is
// ready to use; fields set before Fit configure it, Vocabulary and
// FeatureNames are set by Fit.
type CountVectorizer struct {
	// KeepCase disables lower-casing (default false: lower-case, as
	// scikit-learn's lowercase=True).
	KeepCase bool
	// Tokenizer splits a (lower-cased) document into tokens. Default nil:
	// Tokens, the (?u)\b\w\w+\b pattern. Not saved by Save.
	Tokenizer func(string) []string
	// NgramRange is the smallest and largest n of the word n-grams used as
	// terms, joined by single spaces (scikit-learn's ngram_range). Default
	// {0, 0}: {1, 1}, single words.
	NgramRange [2]int
	// StopWords are dropped after tokenizing (before forming n-grams). Default nil: none. Use
	// EnglishStopWords for scikit-learn's stop_words='english'.
	StopWords []string
	// MinDF drops terms found in fewer documents: a value in (0, 1) is a
	// fraction of the documents, a value ≥ 1 a whole number of documents.
	// Default 0: keep all (scikit-learn's min_df=1).
	MinDF float64
	// MaxDF drops terms found in more documents, read as MinDF. Default 0:
	// no limit (scikit-learn's max_df=1.0).
	MaxDF float64
	// MaxFeatures keeps only the terms with the highest total counts.
	// Default 0: all. Ties at the cut are broken by vocabulary order
	// (scikit-learn's unstable argsort may pick others among equal counts).
	MaxFeatures int
	// Binary sets every non-zero count to 1 (default false).
	Binary bool
	// FixedVocabulary, when non-nil, is used as the vocabulary (columns in
	// this order) instead of learning one; MinDF, MaxDF and MaxFeatures are
	// then ignored, as with scikit-learn's vocabulary parameter.
	FixedVocabulary []string

	// Vocabulary maps each term to its column; set by Fit.
	Vocabulary map[string]int
	// Features lists the terms in column order (sorted); set by Fit.
	Features []string
}

// Validate reports the first invalid field.
func (v *CountVectorizer) Validate() error {
	for _, f := range []struct {
		name string
		val  float64
	}{{"MinDF", v.MinDF}, {"MaxDF", v.MaxDF}} {
		switch {
		case math.IsNaN(f.val) || f.val < 0 || math.IsInf(f.val, 0):
			return fmt.Errorf("text: %s = %v, want ≥ 0", f.name, f.val)
		case f.val >= 1 && f.val != math.Trunc(f.val):
			return fmt.Errorf("text: %s = %v: a count of documents must be whole (fractions are < 1)", f.name, f.val)
		}
	}
	if n := v.NgramRange; n != [2]int{} && (n[0] < 1 || n[1] < n[0]) {
		return fmt.Errorf("text: NgramRange = %v, want 1 ≤ min ≤ max", n)
	}
	if v.MaxFeatures < 0 {
		return fmt.Errorf("text: MaxFeatures = %d, want ≥ 0", v.MaxFeatures)
	}
	return nil
}

// analyze returns the tokens of doc after case folding and stop words.
func (v *CountVectorizer) analyze(doc string, stop map[string]bool) []string {
	if !v.KeepCase {
		doc = Lower(doc)
	}
	var toks []string
	if v.Tokenizer != nil {
		toks = v.Tokenizer(doc)
	} else {
		toks = appendTokens(make([]string, 0, len(doc)/6), doc)
	}
	if len(stop) > 0 {
		toks = slices.DeleteFunc(toks, func(t string) bool { return stop[t] })
	}
	lo, hi := v.NgramRange[0], v.NgramRange[1]
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

func (v *CountVectorizer) stopSet() map[string]bool {
	if len(v.StopWords) == 0 {
		return nil
	}
	m := make(map[string]bool, len(v.StopWords))
	for _, w := range v.StopWords {
		m[w] = true
	}
	return m
}

// Fit learns the vocabulary of docs.
func (v *CountVectorizer) Fit(docs []string) error {
	_, err := v.FitTransform(docs)
	return err
}

// FitTransform learns the vocabulary and returns the len(docs)×terms count
// matrix.
func (v *CountVectorizer) FitTransform(docs []string) (*sparse.CSR, error) {
	if err := v.Validate(); err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, errors.New("text: no documents")
	}
	if v.FixedVocabulary != nil {
		if len(v.FixedVocabulary) == 0 {
			return nil, errors.New("text: FixedVocabulary is empty")
		}
		v.Vocabulary = make(map[string]int, len(v.FixedVocabulary))
		for i, t := range v.FixedVocabulary {
			if _, dup := v.Vocabulary[t]; dup {
				return nil, fmt.Errorf("text: FixedVocabulary has %q twice", t)
			}
			v.Vocabulary[t] = i
		}
		v.Features = slices.Clone(v.FixedVocabulary)
		return v.Transform(docs)
	}
	stop := v.stopSet()
	// First pass: provisional ids in order of first appearance.
	ids := map[string]int{}
	var terms []string
	indptr := make([]int, 1, len(docs)+1)
	var indices []int
	var data []float64
	row := map[int]float64{}
	for _, doc := range docs {
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
		if v.Binary {
			tf[id]++ // scikit-learn binarises before limiting features
		} else {
			tf[id] += data[k]
		}
	}
	n := float64(len(docs))
	low, high := v.MinDF, v.MaxDF
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
		return nil, fmt.Errorf("text: MaxDF %v corresponds to fewer documents than MinDF %v", v.MaxDF, v.MinDF)
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
	if v.MaxFeatures > 0 && len(kept) > v.MaxFeatures {
		byCount := slices.Clone(kept)
		slices.SortStableFunc(byCount, func(a, b int) int { return cmp.Compare(tf[b], tf[a]) })
		keep := map[int]bool{}
		for _, id := range byCount[:v.MaxFeatures] {
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
func (v *CountVectorizer) remap(rows int, indptr, indices []int, data []float64, col []int) (*sparse.CSR, error) {
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
			if v.Binary {
				x = 1
			}
			outIdx = append(outIdx, e.c)
			outData = append(outData, x)
		}
		outPtr[i+1] = len(outIdx)
	}
	return sparse.NewCSR(rows, len(v.Features), outPtr, outIdx, outData)
}

// Transform returns the count matrix of docs over the fitted vocabulary;
// unknown terms are ignored.
func (v *CountVectorizer) Transform(docs []string) (*sparse.CSR, error) {
	if v.Vocabulary == nil {
		return nil, ErrNotFitted
	}
	stop := v.stopSet()
	indptr := make([]int, 1, len(docs)+1)
	var indices []int
	var data []float64
	row := map[int]float64{}
	for _, doc := range docs {
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
func (v *CountVectorizer) FeatureNames() []string { return slices.Clone(v.Features) }

// Norm is the row normalisation of TfidfVectorizer.
type Norm string

// Row normalisations.
const (
	L2     Norm = "l2" // the default ("" means L2)
	L1     Norm = "l1"
	NoNorm Norm = "none"
)

// TfidfVectorizer is CountVectorizer followed by TF-IDF weighting and row
// normalisation, equal to scikit-learn's TfidfVectorizer: with the zero
// value, smooth_idf=True, use_idf=True, sublinear_tf=False, norm='l2'.
type TfidfVectorizer struct {
	CountVectorizer
	// Norm normalises each row: L2 (default ""), L1 or NoNorm.
	Norm Norm
	// NoIDF turns off inverse document frequency weighting
	// (use_idf=False). Default false.
	NoIDF bool
	// NoSmoothIDF turns off adding one document containing every term
	// (smooth_idf=False). Default false.
	NoSmoothIDF bool
	// SublinearTF replaces tf by 1 + log(tf) (default false).
	SublinearTF bool

	// IDF holds the weight of each column; set by Fit (nil with NoIDF).
	IDF []float64
}

// Validate reports the first invalid field.
func (v *TfidfVectorizer) Validate() error {
	switch v.Norm {
	case "", L2, L1, NoNorm:
	default:
		return fmt.Errorf("text: Norm = %q, want l2, l1 or none", v.Norm)
	}
	return v.CountVectorizer.Validate()
}

// Fit learns the vocabulary and the IDF weights of docs.
func (v *TfidfVectorizer) Fit(docs []string) error {
	_, err := v.FitTransform(docs)
	return err
}

// FitTransform learns the vocabulary and IDF weights and returns the
// len(docs)×terms TF-IDF matrix.
func (v *TfidfVectorizer) FitTransform(docs []string) (*sparse.CSR, error) {
	if err := v.Validate(); err != nil {
		return nil, err
	}
	x, err := v.CountVectorizer.FitTransform(docs)
	if err != nil {
		return nil, err
	}
	v.IDF = nil
	if !v.NoIDF {
		_, cols := x.Dims()
		df := make([]float64, cols)
		for _, c := range x.Indices {
			df[c]++
		}
		n := float64(len(docs))
		if !v.NoSmoothIDF {
			n++
			for i := range df {
				df[i]++
			}
		}
		v.IDF = make([]float64, cols)
		for i, d := range df {
			v.IDF[i] = math.Log(n/d) + 1
		}
	}
	v.weight(x)
	return x, nil
}

// Transform returns the TF-IDF matrix of docs with the fitted vocabulary
// and weights.
func (v *TfidfVectorizer) Transform(docs []string) (*sparse.CSR, error) {
	if err := v.Validate(); err != nil {
		return nil, err
	}
	x, err := v.CountVectorizer.Transform(docs)
	if err != nil {
		return nil, err
	}
	v.weight(x)
	return x, nil
}

// weight applies sublinear tf, idf and the row norm to x in place.
func (v *TfidfVectorizer) weight(x *sparse.CSR) {
	if v.SublinearTF {
		for k, c := range x.Data {
			x.Data[k] = math.Log(c) + 1
		}
	}
	if v.IDF != nil {
		for k, c := range x.Indices {
			x.Data[k] *= v.IDF[c]
		}
	}
	rows, _ := x.Dims()
	for i := range rows {
		row := x.Data[x.Indptr[i]:x.Indptr[i+1]]
		var s float64
		switch v.Norm {
		case "", L2:
			for _, a := range row {
				s += a * a
			}
			s = math.Sqrt(s)
		case L1:
			for _, a := range row {
				s += math.Abs(a)
			}
		default:
			continue
		}
		if s == 0 {
			continue
		}
		for k := range row {
			row[k] /= s
		}
	}
}

// Save writes the fitted vectorizer with encoding/gob (the Tokenizer
// function is not saved; set it again after Load).
func (v *TfidfVectorizer) Save(w io.Writer) error {
	if err := gob.NewEncoder(w).Encode(v); err != nil {
		return fmt.Errorf("text: saving vectorizer: %w", err)
	}
	return nil
}

// LoadTfidf reads a vectorizer written by Save.
func LoadTfidf(r io.Reader) (*TfidfVectorizer, error) {
	v := new(TfidfVectorizer)
	if err := gob.NewDecoder(r).Decode(v); err != nil {
		return nil, fmt.Errorf("text: loading vectorizer: %w", err)
	}
	if err := v.Validate(); err != nil {
		return nil, err
	}
	if len(v.Features) != len(v.Vocabulary) || (v.IDF != nil && len(v.IDF) != len(v.Features)) {
		return nil, errors.New("text: loading vectorizer: inconsistent vocabulary")
	}
	return v, nil
}
