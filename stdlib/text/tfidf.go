package text

import (
	"context"
	"fmt"
	"math"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/sparse"
)

// Norm is the row normalisation of Tfidf.
type Norm string

// Row normalisations.
const (
	L2     Norm = "l2" // the default ("" means L2)
	L1     Norm = "l1"
	NoNorm Norm = "none"
)

// IDFMode selects the inverse document frequency weighting of Tfidf.
type IDFMode int

const (
	// SmoothIDF is ln((1+n)/(1+df)) + 1, as if one more document held every
	// term (scikit-learn's default smooth_idf=True).
	SmoothIDF IDFMode = iota
	// PlainIDF is ln(n/df) + 1 (smooth_idf=False).
	PlainIDF
	// IDFOff weights every term 1 (use_idf=False).
	IDFOff
)

// TfidfConfig configures TF-IDF features: the bag of words of CountConfig
// (the same fields), then scikit-learn's TF-IDF weighting and row
// normalisation; the zero value is scikit-learn's TfidfVectorizer():
// smooth idf, raw tf, L2 rows.
type TfidfConfig struct {
	// KeepCase … FixedVocabulary are CountConfig's fields (see there).
	KeepCase        bool
	Tokenizer       func(string) []string
	NgramRange      [2]int
	StopWords       []string
	MinDF, MaxDF    float64
	MaxFeatures     int
	Binary          bool
	FixedVocabulary []string

	// Norm normalises each row. Default (""): L2; also L1 or NoNorm.
	Norm Norm
	// IDFMode is the idf weighting. Default (0): SmoothIDF.
	IDFMode IDFMode
	// SublinearTF replaces tf by 1 + ln(tf). Default (false): raw tf.
	SublinearTF bool
}

// Count returns the bag-of-words part of c.
func (c TfidfConfig) Count() CountConfig {
	return CountConfig{KeepCase: c.KeepCase, Tokenizer: c.Tokenizer, NgramRange: c.NgramRange,
		StopWords: c.StopWords, MinDF: c.MinDF, MaxDF: c.MaxDF, MaxFeatures: c.MaxFeatures,
		Binary: c.Binary, FixedVocabulary: c.FixedVocabulary}
}

// Validate reports the first invalid field, naming it.
func (c TfidfConfig) Validate() error {
	switch c.Norm {
	case "", L2, L1, NoNorm:
	default:
		return fit.BadConfig(ErrBadConfig, "Norm", fmt.Sprintf("%q", c.Norm), "l2, l1 or none")
	}
	if c.IDFMode < SmoothIDF || c.IDFMode > IDFOff {
		return fit.BadConfig(ErrBadConfig, "IDFMode", int(c.IDFMode), "SmoothIDF, PlainIDF or IDFOff")
	}
	return c.Count().Validate()
}

// Tfidf is a fitted TF-IDF vectorizer (TfidfConfig.Fit).
type Tfidf struct {
	// Config is the configuration it was fitted with.
	Config TfidfConfig
	// Vocabulary maps each term to its column.
	Vocabulary map[string]int
	// Features lists the terms in column order.
	Features []string
	// IDF holds the weight of each column (nil with IDFOff).
	IDF []float64
}

// Fit learns the vocabulary and IDF weights of docs. Cancelling ctx returns
// ctx.Err() (no partial vocabulary).
func (c TfidfConfig) Fit(ctx context.Context, docs []string) (*Tfidf, error) {
	v, _, err := c.FitTransform(ctx, docs)
	return v, err
}

// FitTransform learns the vocabulary and IDF weights and returns them with
// the len(docs)×terms TF-IDF matrix.
func (c TfidfConfig) FitTransform(ctx context.Context, docs []string) (*Tfidf, *sparse.CSR, error) {
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	cv, x, err := c.Count().FitTransform(ctx, docs)
	if err != nil {
		return nil, nil, err
	}
	v := &Tfidf{Config: c, Vocabulary: cv.Vocabulary, Features: cv.Features}
	if c.IDFMode != IDFOff {
		_, cols := x.Dims()
		df := make([]float64, cols)
		for _, j := range x.Indices {
			df[j]++
		}
		n := float64(len(docs))
		if c.IDFMode == SmoothIDF {
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
	return v, x, nil
}

// count is the bag of words inside v.
func (v *Tfidf) count() *Count {
	return &Count{Config: v.Config.Count(), Vocabulary: v.Vocabulary, Features: v.Features}
}

// Transform returns the TF-IDF matrix of docs with the fitted vocabulary
// and weights; unknown terms are ignored. Cancelling ctx returns ctx.Err().
func (v *Tfidf) Transform(ctx context.Context, docs []string) (*sparse.CSR, error) {
	if v == nil || v.Vocabulary == nil {
		return nil, ErrNotFitted
	}
	x, err := v.count().Transform(ctx, docs)
	if err != nil {
		return nil, err
	}
	v.weight(x)
	return x, nil
}

// FeatureNames returns the terms in column order (scikit-learn's
// get_feature_names_out).
func (v *Tfidf) FeatureNames() []string { return v.count().FeatureNames() }

// weight applies sublinear tf, idf and the row norm to x in place.
func (v *Tfidf) weight(x *sparse.CSR) {
	if v.Config.SublinearTF {
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
		switch v.Config.Norm {
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
