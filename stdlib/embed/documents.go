package embed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/gonbml/gonbml/stdlib/text"
)

// Documents are texts split into tokenised sentences: Documents[i] holds
// the sentences of document i in reading order. It is the one shape every
// method of the package can read: Joined for the document methods (topic
// model, doc2vec, kNN on whole texts), Running for the methods that learn
// from neighbouring sentences (FastSent, skip-thought).
type Documents []Tokens

// SplitConfig says which texts Split keeps and how much of each. The zero
// value keeps every text whole.
type SplitConfig struct {
	// Sample keeps this many texts drawn at random (without replacement,
	// in their original order). Default (0): every text.
	Sample int
	// Seed seeds the draw. Default (0): seed 0, a seed like any other.
	Seed uint64
	// MaxSentences keeps the first sentences of each text.
	// Default (0): all of them.
	MaxSentences int
	// MaxLen cuts each sentence to its first tokens. Default (0): no cut.
	MaxLen int
}

// Validate reports the first invalid field as an ErrBadConfig naming it.
func (c SplitConfig) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"Sample", c.Sample}, {"MaxSentences", c.MaxSentences}, {"MaxLen", c.MaxLen}} {
		if err := checkNonNeg(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// Split splits texts into sentences (text.Sentences) of tokens
// (text.Tokenize). A text without a single token is dropped, and so is its
// label: the labels returned stay aligned with the documents (labels may be
// nil; then so is the result's). With Sample set, the texts are drawn
// first, among those with a token.
func (c SplitConfig) Split(ctx context.Context, texts []string, labels []int) (Documents, []int, error) {
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	if labels != nil && len(labels) != len(texts) {
		return nil, nil, fmt.Errorf("%w: %d labels for %d texts", ErrBadInput, len(labels), len(texts))
	}
	order := make([]int, len(texts))
	for i := range order {
		order[i] = i
	}
	if c.Sample > 0 {
		rand.New(rand.NewPCG(c.Seed, 0xd0c5)).Shuffle(len(order), func(i, j int) {
			order[i], order[j] = order[j], order[i]
		})
	}
	var docs Documents
	var picked []int
	for _, i := range order {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		var doc Tokens
		for _, s := range text.Sentences(texts[i]) {
			if c.MaxSentences > 0 && len(doc) == c.MaxSentences {
				break
			}
			toks := text.Tokenize(s)
			if c.MaxLen > 0 && len(toks) > c.MaxLen {
				toks = toks[:c.MaxLen]
			}
			if len(toks) > 0 {
				doc = append(doc, toks)
			}
		}
		if len(doc) == 0 {
			continue
		}
		docs = append(docs, doc)
		picked = append(picked, i)
		if c.Sample > 0 && len(docs) == c.Sample {
			break
		}
	}
	if len(docs) == 0 {
		return nil, nil, fmt.Errorf("%w: no text has a token", ErrEmptyCorpus)
	}
	if c.Sample > 0 {
		// Back to the texts' order, so a sample reads like the corpus.
		idx := make([]int, len(docs))
		for k := range idx {
			idx[k] = k
		}
		slices.SortFunc(idx, func(a, b int) int { return picked[a] - picked[b] })
		docs = permuted(docs, idx)
		picked = permuted(picked, idx)
	}
	var out []int
	if labels != nil {
		out = make([]int, len(picked))
		for k, i := range picked {
			out[k] = labels[i]
		}
	}
	return docs, out, nil
}

func permuted[T any](xs []T, idx []int) []T {
	out := make([]T, len(idx))
	for k, i := range idx {
		out[k] = xs[i]
	}
	return out
}

// Joined returns each document as one token list: its sentences one after
// another.
func (d Documents) Joined() Tokens {
	out := make(Tokens, len(d))
	for i, doc := range d {
		for _, s := range doc {
			out[i] = append(out[i], s...)
		}
	}
	return out
}

// Running returns the sentences in reading order with an empty sentence
// between two documents: the corpus FastSentConfig.Fit and
// SkipThoughtConfig.Fit read, where only sentences of one document are
// neighbours.
func (d Documents) Running() Tokens {
	var out Tokens
	for i, doc := range d {
		if i > 0 {
			out = append(out, nil)
		}
		out = append(out, doc...)
	}
	return out
}

// Sentences returns every sentence and the index of its document.
func (d Documents) Sentences() (Tokens, []int) {
	var out Tokens
	var owner []int
	for i, doc := range d {
		for _, s := range doc {
			out = append(out, s)
			owner = append(owner, i)
		}
	}
	return out, owner
}

// Tokens returns the number of tokens of all documents.
func (d Documents) Tokens() int {
	n := 0
	for _, doc := range d {
		for _, s := range doc {
			n += len(s)
		}
	}
	return n
}

// HoldOut splits the documents into every k-th one (documents k-1, 2k-1,
// …), held out, and the rest, both in order: a test set of whole passages
// that the model never read. k must be at least 2.
func (d Documents) HoldOut(k int) (rest, held Documents, err error) {
	if k < 2 {
		return nil, nil, fmt.Errorf("%w: hold out every %d-th document, want k of at least 2", ErrBadInput, k)
	}
	for i, doc := range d {
		if i%k == k-1 {
			held = append(held, doc)
		} else {
			rest = append(rest, doc)
		}
	}
	return rest, held, nil
}

// ShuffleSentences returns the same documents with the same number of
// sentences each, filled with all the sentences drawn in a random order
// across documents: the control corpus in which a sentence's neighbours
// say nothing about it. The words of each sentence stay as they are.
func (d Documents) ShuffleSentences(seed uint64) Documents {
	flat, _ := d.Sentences()
	rand.New(rand.NewPCG(seed, 0x5e7)).Shuffle(len(flat), func(i, j int) {
		flat[i], flat[j] = flat[j], flat[i]
	})
	out := make(Documents, len(d))
	k := 0
	for i, doc := range d {
		out[i] = flat[k : k+len(doc) : k+len(doc)]
		k += len(doc)
	}
	return out
}
