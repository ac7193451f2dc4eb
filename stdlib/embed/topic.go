package embed

import (
	"context"
	"fmt"
	"strings"

	"github.com/gonbml/gonbml/stdlib/nmf"
	"github.com/gonbml/gonbml/stdlib/sparse"
	"github.com/gonbml/gonbml/stdlib/text"
	"gonum.org/v1/gonum/mat"
)

// TFIDFConfig configures the bag-of-words baseline. The zero value is valid.
type TFIDFConfig struct {
	MinDF       float64 // drop terms in fewer documents (count >= 1 or fraction < 1); default 2
	MaxDF       float64 // drop terms in more documents; default 0.5 (half the documents)
	MaxFeatures int     // keep the most frequent terms; default 5000 (rows are dense)
	StopWords   []string
}

// Validate reports an invalid field.
func (c TFIDFConfig) Validate() error {
	if c.MinDF < 0 || c.MaxDF < 0 || c.MaxFeatures < 0 {
		return fmt.Errorf("embed: TF-IDF MinDF, MaxDF and MaxFeatures must not be negative")
	}
	return nil
}

// TFIDF encodes a document as its L2-normalised TF-IDF row (scikit-learn's
// TfidfVectorizer defaults), the bag-of-words baseline of the article's
// topic-model section.
type TFIDF struct {
	Vectorizer *text.Tfidf
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

// FitTFIDF learns the vocabulary and IDF weights of docs.
func FitTFIDF(ctx context.Context, docs [][]string, cfg TFIDFConfig) (*TFIDF, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, ErrEmptyCorpus
	}
	if cfg.MinDF == 0 {
		cfg.MinDF = 2
	}
	if cfg.MaxDF == 0 {
		cfg.MaxDF = 0.5
	}
	if cfg.MaxFeatures == 0 {
		cfg.MaxFeatures = 5000
	}
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
	Topics int         // NMF components; default 20
	TFIDF  TFIDFConfig // the bag of words factorised
	NMF    nmf.Config  // solver settings; Components is set from Topics. Default: stdlib/nmf's defaults with NNDSVDA init
}

// Topics encodes a document by its NMF topic weights: the TF-IDF row x is
// written as x ≈ w·H with non-negative w over the topics H learnt from the
// training documents, and w is the embedding (the article's section 1).
type Topics struct {
	TFIDF *TFIDF
	Model *nmf.Model
}

// FitTopics learns TF-IDF weights and Topics topics from docs.
func FitTopics(ctx context.Context, docs [][]string, cfg TopicConfig) (*Topics, error) {
	if cfg.Topics < 0 {
		return nil, fmt.Errorf("embed: Topics %d < 1", cfg.Topics)
	}
	if cfg.Topics == 0 {
		cfg.Topics = 20
	}
	t, err := FitTFIDF(ctx, docs, cfg.TFIDF)
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
