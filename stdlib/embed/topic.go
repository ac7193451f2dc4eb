package embed

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/gonbml/gonbml/stdlib/fit"

	"github.com/gonbml/gonbml/stdlib/nmf"
	"github.com/gonbml/gonbml/stdlib/sparse"
	"github.com/gonbml/gonbml/stdlib/text"
	"gonum.org/v1/gonum/mat"
)

// TFIDFConfig configures the bag-of-words baseline. The zero value is valid.
type TFIDFConfig struct {
	// MinDF drops terms in fewer documents (a count if at least 1, else a
	// fraction of the documents). Default (0): 2. Off: keep them all.
	MinDF float64
	// MaxDF drops terms in more documents. Default (0): 0.5, half the
	// documents.
	MaxDF float64
	// MaxFeatures keeps the most frequent terms. Default (0): 5000 (rows
	// are dense). Off: all terms.
	MaxFeatures int
	// StopWords are left out. Default (nil): none.
	StopWords []string
}

// Validate reports the first invalid field as an ErrBadConfig naming it.
func (c TFIDFConfig) Validate() error {
	if err := checkFiniteSetting("MinDF", c.MinDF, false); err != nil {
		return err
	}
	return checkFiniteSetting("MaxDF", c.MaxDF, true)
}

// TFIDF encodes a document as its L2-normalised TF-IDF row (scikit-learn's
// TfidfVectorizer defaults), the bag-of-words baseline of the article's
// topic-model section.
type TFIDF struct {
	Vectorizer *text.Tfidf
}

// asGiven makes v split documents on spaces and keep case, so tokens are
// taken as given (set again after loading: gob does not carry functions).
func asGiven(v *text.Tfidf) {
	v.Config.KeepCase, v.Config.Tokenizer = true, strings.Fields
}

// joinDocs turns tokenised documents back into strings the vectorizer splits
// on spaces again, so tokens are taken as given.
func joinDocs(docs [][]string) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = strings.Join(d, " ")
	}
	return out
}

// Fit learns the vocabulary and IDF weights of docs.
func (cfg TFIDFConfig) Fit(ctx context.Context, docs [][]string) (*TFIDF, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, ErrEmptyCorpus
	}
	cfg.MinDF = fit.Or(cfg.MinDF, 2)
	cfg.MaxDF = fit.Or(cfg.MaxDF, 0.5)
	cfg.MaxFeatures = fit.Or(cfg.MaxFeatures, 5000)
	v, err := text.TfidfConfig{
		KeepCase: true, Tokenizer: strings.Fields, StopWords: cfg.StopWords,
		MinDF: cfg.MinDF, MaxDF: cfg.MaxDF, MaxFeatures: cfg.MaxFeatures}.Fit(ctx, joinDocs(docs))
	if err != nil {
		return nil, fmt.Errorf("embed: tf-idf: %w", err)
	}
	return &TFIDF{Vectorizer: v}, nil
}

// Sparse returns the TF-IDF matrix of docs without densifying it.
func (t *TFIDF) Sparse(ctx context.Context, docs [][]string) (*sparse.CSR, error) {
	if len(docs) == 0 {
		return nil, fmt.Errorf("embed: no documents to encode")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	x, err := t.Vectorizer.Transform(ctx, joinDocs(docs))
	if err != nil {
		return nil, fmt.Errorf("embed: tf-idf: %w", err)
	}
	return x, nil
}

// Encode implements Encoder with dense TF-IDF rows.
func (t *TFIDF) Encode(ctx context.Context, docs [][]string) (*mat.Dense, error) {
	x, err := t.Sparse(ctx, docs)
	if err != nil {
		return nil, err
	}
	r, c := x.Dims()
	d := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		row := d.RawRowView(i)
		for k := x.Indptr[i]; k < x.Indptr[i+1]; k++ {
			row[x.Indices[k]] = x.Data[k]
		}
	}
	return d, nil
}

// TopicConfig configures topic embeddings. The zero value is valid.
type TopicConfig struct {
	// Topics is the number of NMF components. Default (0): 20.
	Topics int
	// TFIDF configures the bag of words factorised. Default (zero): see
	// TFIDFConfig.
	TFIDF TFIDFConfig
	// NMF holds the solver settings; Components is set from Topics.
	// Default (zero): stdlib/nmf's defaults with NNDSVDA initialisation.
	NMF nmf.Config
}

// Validate reports the first invalid field as an ErrBadConfig naming it.
func (c TopicConfig) Validate() error {
	if err := checkNonNeg("Topics", c.Topics); err != nil {
		return err
	}
	return c.TFIDF.Validate()
}

// Topics encodes a document by its NMF topic weights: the TF-IDF row x is
// written as x ≈ w·H with non-negative w over the topics H learnt from the
// training documents, and w is the embedding (the article's section 1).
type Topics struct {
	TFIDF *TFIDF
	Model *nmf.Model
}

// Fit learns TF-IDF weights and Topics topics from docs.
func (cfg TopicConfig) Fit(ctx context.Context, docs [][]string) (*Topics, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.Topics = fit.Or(cfg.Topics, 20)
	t, err := cfg.TFIDF.Fit(ctx, docs)
	if err != nil {
		return nil, err
	}
	x, err := t.Sparse(ctx, docs)
	if err != nil {
		return nil, err
	}
	nc := cfg.NMF
	nc.Components = cfg.Topics
	if nc.Init == nmf.InitAuto {
		nc.Init = nmf.InitNNDSVDA
	}
	m, err := nc.Fit(ctx, x)
	if err != nil {
		return nil, fmt.Errorf("embed: topics: %w", err)
	}
	return &Topics{TFIDF: t, Model: m}, nil
}

// Encode implements Encoder: the topic weights of each document.
func (t *Topics) Encode(ctx context.Context, docs [][]string) (*mat.Dense, error) {
	x, err := t.TFIDF.Sparse(ctx, docs)
	if err != nil {
		return nil, err
	}
	w, err := t.Model.Transform(ctx, x)
	if err != nil {
		return nil, fmt.Errorf("embed: topics: %w", err)
	}
	return w, nil
}

// Save writes the TF-IDF encoder as a versioned gob.
func (t *TFIDF) Save(w io.Writer) error { return save(w, "TFIDF", tfidfVersion, t) }

// SaveFile writes the encoder to path atomically.
func (t *TFIDF) SaveFile(path string) error { return saveFile(path, "TFIDF", tfidfVersion, t) }

// LoadTFIDF reads an encoder written by Save.
func LoadTFIDF(r io.Reader) (*TFIDF, error) {
	t, err := load(r, "TFIDF", tfidfVersion, func(t *TFIDF) bool {
		return t.Vectorizer != nil && len(t.Vectorizer.IDF) == len(t.Vectorizer.Features)
	})
	if err == nil {
		asGiven(t.Vectorizer)
	}
	return t, err
}

// LoadTFIDFFile reads an encoder written by SaveFile.
func LoadTFIDFFile(path string) (*TFIDF, error) { return loadFile(path, LoadTFIDF) }

// Save writes the topic encoder (TF-IDF and NMF) as a versioned gob.
func (t *Topics) Save(w io.Writer) error { return save(w, "Topics", topicsVersion, t) }

// SaveFile writes the encoder to path atomically.
func (t *Topics) SaveFile(path string) error { return saveFile(path, "Topics", topicsVersion, t) }

// LoadTopics reads an encoder written by Save.
func LoadTopics(r io.Reader) (*Topics, error) {
	t, err := load(r, "Topics", topicsVersion, func(t *Topics) bool {
		if t.TFIDF == nil || t.TFIDF.Vectorizer == nil || t.Model == nil || t.Model.H == nil {
			return false
		}
		_, c := t.Model.H.Dims()
		return c == len(t.TFIDF.Vectorizer.Features)
	})
	if err == nil {
		asGiven(t.TFIDF.Vectorizer)
	}
	return t, err
}

// LoadTopicsFile reads an encoder written by SaveFile.
func LoadTopicsFile(path string) (*Topics, error) { return loadFile(path, LoadTopics) }
