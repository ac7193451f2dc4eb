package embed

import (
	"context"
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Index answers "which of these texts are nearest to this one?" under one
// encoder: it encodes a fixed set of texts once, centres their vectors on
// their mean (see Centre), and ranks them by cosine to a query encoded and
// centred the same way. It is what a search box over a corpus needs: one
// Encode of the query per look-up.
type Index struct {
	enc   Encoder
	x     *mat.Dense // centred vectors of the texts
	mean  []float64
	empty int // texts without a known word: their rows are zero, never returned
}

// NewIndex encodes texts with enc. texts must not be empty.
func NewIndex(ctx context.Context, enc Encoder, texts [][]string) (*Index, error) {
	if len(texts) == 0 {
		return nil, fmt.Errorf("%w: an index needs at least one text", ErrBadInput)
	}
	x, err := enc.Encode(ctx, texts)
	if err != nil {
		return nil, err
	}
	c, mean := Centre(x)
	ix := &Index{enc: enc, x: c, mean: mean}
	for i := range texts {
		if isZero(x.RawRowView(i)) {
			// Centred, a zero row would be −mean for every such text: a
			// direction shared by texts that have nothing in common.
			clear(c.RawRowView(i))
			ix.empty++
		}
	}
	return ix, nil
}

// Nearest returns the k texts nearest to query, best first: Index is the
// text's position in the texts NewIndex was given, Score the cosine of the
// centred vectors. Texts without a known word are never returned. A query
// without a known word is an error.
func (ix *Index) Nearest(ctx context.Context, query []string, k int) ([]Neighbor, error) {
	q, err := ix.enc.Encode(ctx, [][]string{query})
	if err != nil {
		return nil, err
	}
	v := q.RawRowView(0)
	if isZero(v) {
		return nil, fmt.Errorf("%w: no word of the query is known to the model", ErrUnknownWord)
	}
	near, err := NearestNeighbors(ix.x, centred(v, ix.mean), k+ix.empty)
	if err != nil {
		return nil, err
	}
	out := near[:0]
	for _, n := range near {
		if len(out) < k && !isZero(ix.x.RawRowView(n.Index)) {
			out = append(out, n)
		}
	}
	return out, nil
}
