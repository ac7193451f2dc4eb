package embed

import (
	"context"
	"fmt"
	"math/rand/v2"
)

// NeighbourLoss measures how well the model predicts the neighbouring
// sentences of passages it did not train on: for each document of docs
// (its sentences in reading order), the mean negative-sampling loss per
// predicted word of decoding every sentence's previous and next sentence
// from its vector, as in training but without updating anything. Lower is
// better. Words outside the model's vocabulary are skipped, sentences are
// cut to Config.MaxLen words, and the noise words come from seed, so two
// models with the same vocabulary are scored on exactly the same
// predictions. A document without two adjacent sentences with known words
// is an error naming it (ErrNoOrder): drop it first.
//
// This is the task skip-thought is trained for, held out: it needs the
// order of sentences, so a model trained on shuffled sentences scores
// worse on it (see Documents.ShuffleSentences).
func (m *SkipThought) NeighbourLoss(ctx context.Context, docs Documents, seed uint64) ([]float64, error) {
	if m == nil || m.WV == nil || m.Encoder == nil {
		return nil, fmt.Errorf("embed: skip-thought model is not trained")
	}
	t := newSTTrainer(m)
	rng := rand.NewPCG(seed, 0x4e1)
	out := make([]float64, len(docs))
	for d, doc := range docs {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		o := &ordered{}
		for _, s := range doc {
			for _, w := range s {
				if id, ok := m.WV.Index(w); ok {
					o.ids = append(o.ids, int32(id))
				}
			}
			o.ends = append(o.ends, int32(len(o.ids)))
			o.boundary = append(o.boundary, false)
		}
		var centres []int
		for i := 0; i < o.n(); i++ {
			if len(o.sent(i)) > 0 && ((i > 0 && len(o.sent(i-1)) > 0) || (i+1 < o.n() && len(o.sent(i+1)) > 0)) {
				centres = append(centres, i)
			}
		}
		var loss float64
		var n int
		for lo := 0; lo < len(centres); lo += t.B {
			bt := t.makeBatch(o, centres[lo:min(lo+t.B, len(centres))], rng)
			l, k := t.forward(bt, false)
			loss += l
			n += k
		}
		if n == 0 {
			return nil, fmt.Errorf("%w: document %d has no two adjacent sentences with known words", ErrNoOrder, d)
		}
		out[d] = loss / float64(n)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%w: no documents to score", ErrBadInput)
	}
	return out, nil
}
