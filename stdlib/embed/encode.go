package embed

import (
	"context"
	"fmt"
	"io"

	"github.com/gonbml/gonbml/stdlib/fit"
	"gonum.org/v1/gonum/mat"
)

// Encoder turns tokenised documents into one row vector each. Every sentence
// embedding method of the package implements it, so evaluation code and
// notebooks can swap methods freely.
type Encoder interface {
	Encode(ctx context.Context, docs [][]string) (*mat.Dense, error)
}

// Mean encodes a document as the plain average of the vectors of its known
// words. A document without a known word gets a zero row (see EncodeMask).
type Mean struct {
	KV *KeyedVectors
}

// Encode implements Encoder.
func (m Mean) Encode(ctx context.Context, docs [][]string) (*mat.Dense, error) {
	x, _, err := m.EncodeMask(ctx, docs)
	return x, err
}

// EncodeMask is Encode that also reports which documents had no known word
// (their rows are zero).
func (m Mean) EncodeMask(ctx context.Context, docs [][]string) (*mat.Dense, []bool, error) {
	return weightedMean(ctx, m.KV, docs, nil)
}

func checkDocs(kv *KeyedVectors, docs [][]string) error {
	if kv == nil || kv.Dim < 1 {
		return fmt.Errorf("embed: encoder has no word vectors")
	}
	if len(docs) == 0 {
		return fmt.Errorf("embed: no documents to encode")
	}
	return nil
}

// weightedMean averages word vectors with weights weight[i] (1 when nil).
func weightedMean(ctx context.Context, kv *KeyedVectors, docs [][]string, weight []float64) (*mat.Dense, []bool, error) {
	if err := checkDocs(kv, docs); err != nil {
		return nil, nil, err
	}
	x := mat.NewDense(len(docs), kv.Dim, nil)
	empty := make([]bool, len(docs))
	row := make([]float64, kv.Dim)
	for d, doc := range docs {
		if d&255 == 0 {
			if err := ctx.Err(); err != nil {
				return x, empty, err
			}
		}
		clear(row)
		n := 0
		for _, w := range doc {
			i, ok := kv.Index(w)
			if !ok {
				continue
			}
			wt := 1.0
			if weight != nil {
				wt = weight[i]
			}
			for k, v := range kv.Vectors[i*kv.Dim : (i+1)*kv.Dim] {
				row[k] += wt * float64(v)
			}
			n++
		}
		if n == 0 {
			empty[d] = true
			continue
		}
		for k := range row {
			row[k] /= float64(n)
		}
		x.SetRow(d, row)
	}
	return x, empty, nil
}

// SIF is the smooth inverse frequency sentence embedding of Arora, Liang and
// Ma (2017): a weighted average of word vectors with weights a/(a+p(w)), p(w)
// the word's corpus frequency, followed by removal of the projection on the
// first principal component of the training documents' averages. Build one
// with SIFConfig.Fit.
type SIF struct {
	KV     *KeyedVectors
	A      float64   // the smoothing parameter a
	Weight []float64 // a/(a+p(w)) for each word of KV
	PC     []float64 // unit first principal component removed from every row; nil if none
}

// SIFConfig configures SIF. The zero value is valid.
type SIFConfig struct {
	// A is the smoothing a in a/(a+p(w)). Default (0): 1e-3.
	A float64
	// RemovePC is the number of principal components removed from every
	// row. Default (0): 1, the first (the paper's setting). Off: none.
	// At most 1.
	RemovePC int
	// Counts gives each word's corpus count, aligned with KV.Words.
	// Default (nil): KV.Counts. Required when KV has no counts (vectors
	// read from a word2vec file).
	Counts []int64
}

// Validate reports the first invalid field as an ErrBadConfig naming it.
func (c SIFConfig) Validate() error {
	if err := checkFiniteSetting("A", c.A, true); err != nil {
		return err
	}
	if c.RemovePC > 1 {
		return fit.BadConfig(ErrBadConfig, "RemovePC", c.RemovePC, "at most 1 (only the first component is computed)")
	}
	return nil
}

// Fit computes SIF weights from word counts and the principal component
// from docs (the training documents).
func (cfg SIFConfig) Fit(ctx context.Context, kv *KeyedVectors, docs [][]string) (*SIF, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := checkDocs(kv, docs); err != nil {
		return nil, err
	}
	a := fit.Or(cfg.A, 1e-3)
	counts := cfg.Counts
	if counts == nil {
		counts = kv.Counts
	}
	if len(counts) != len(kv.Words) {
		return nil, fmt.Errorf("embed: SIF needs a count per word: have %d counts for %d words", len(counts), len(kv.Words))
	}
	var total float64
	for _, c := range counts {
		if c < 0 {
			return nil, fmt.Errorf("embed: SIF negative word count %d", c)
		}
		total += float64(c)
	}
	if total == 0 {
		return nil, fmt.Errorf("embed: SIF word counts are all zero")
	}
	s := &SIF{KV: kv, A: a, Weight: make([]float64, len(counts))}
	for i, c := range counts {
		s.Weight[i] = a / (a + float64(c)/total)
	}
	if fit.Or(cfg.RemovePC, 1) == 0 {
		return s, nil
	}
	x, empty, err := weightedMean(ctx, kv, docs, s.Weight)
	if err != nil {
		return nil, err
	}
	s.PC = firstPC(x, empty)
	return s, nil
}

// firstPC returns the first right singular vector of the non-empty rows of x
// (uncentred, as in the SIF paper's code), by power iteration on X^T X.
func firstPC(x *mat.Dense, empty []bool) []float64 {
	_, c := x.Dims()
	var xtx mat.SymDense
	var rows []int
	for i, e := range empty {
		if !e {
			rows = append(rows, i)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	sub := mat.NewDense(len(rows), c, nil)
	for k, i := range rows {
		sub.SetRow(k, x.RawRowView(i))
	}
	xtx.SymOuterK(1, sub.T())
	var eig mat.EigenSym
	if !eig.Factorize(&xtx, true) {
		return nil
	}
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	pc := mat.Col(nil, c-1, &vecs) // eigenvalues ascend
	return pc
}

// Encode implements Encoder.
func (s *SIF) Encode(ctx context.Context, docs [][]string) (*mat.Dense, error) {
	x, _, err := s.EncodeMask(ctx, docs)
	return x, err
}

// EncodeMask is Encode that also reports which documents had no known word
// (their rows are zero).
func (s *SIF) EncodeMask(ctx context.Context, docs [][]string) (*mat.Dense, []bool, error) {
	x, empty, err := weightedMean(ctx, s.KV, docs, s.Weight)
	if err != nil || s.PC == nil {
		return x, empty, err
	}
	for i := range empty {
		if empty[i] {
			continue
		}
		r := x.RawRowView(i)
		var p float64
		for k, v := range r {
			p += v * s.PC[k]
		}
		for k := range r {
			r[k] -= p * s.PC[k]
		}
	}
	return x, empty, nil
}

// Save writes the SIF encoder (with its word vectors) as a versioned gob.
func (s *SIF) Save(w io.Writer) error { return save(w, "SIF", sifVersion, s) }

// SaveFile writes the encoder to path atomically.
func (s *SIF) SaveFile(path string) error { return saveFile(path, "SIF", sifVersion, s) }

// LoadSIF reads an encoder written by Save.
func LoadSIF(r io.Reader) (*SIF, error) {
	return load(r, "SIF", sifVersion, func(s *SIF) bool {
		return s.KV != nil && len(s.Weight) == s.KV.Len() && (s.PC == nil || len(s.PC) == s.KV.Dim)
	})
}

// LoadSIFFile reads an encoder written by SaveFile.
func LoadSIFFile(path string) (*SIF, error) { return loadFile(path, LoadSIF) }

// WordWeight returns the weight a/(a+p(w)) SIF gives word, and whether the
// word is in the vocabulary.
func (s *SIF) WordWeight(word string) (float64, bool) {
	i, ok := s.KV.Index(word)
	if !ok {
		return 0, false
	}
	return s.Weight[i], true
}
