package embed

import (
	"context"

	"github.com/gonbml/gonbml/stdlib/datasets"
	"github.com/gonbml/gonbml/stdlib/text"
)

// TextSentences is a Corpus that splits each text into sentences
// (text.Sentences) and yields each sentence's tokens (text.Tokenize): the
// adapter for running prose such as Moby Dick chapters or State of the
// Union addresses.
type TextSentences []string

// ForEach implements Corpus.
func (t TextSentences) ForEach(ctx context.Context, fn func(tokens []string) error) error {
	for _, doc := range t {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, s := range text.Sentences(doc) {
			if toks := text.Tokenize(s); len(toks) > 0 {
				if err := fn(toks); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// TextDocuments is a Corpus that yields each text as one tokenised document
// (text.Tokenize): the adapter for doc2vec over e-mails or addresses.
type TextDocuments []string

// ForEach implements Corpus.
func (t TextDocuments) ForEach(ctx context.Context, fn func(tokens []string) error) error {
	return Strings{Docs: t, Tokenize: text.Tokenize}.ForEach(ctx, fn)
}

// MobyDickText returns the chapter texts of Moby Dick in reading order.
func MobyDickText(ctx context.Context) ([]string, error) {
	ch, err := datasets.LoadMobyDick(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ch))
	for i, c := range ch {
		out[i] = c.Text
	}
	return out, nil
}

// SOTUText returns the State of the Union addresses in date order.
func SOTUText(ctx context.Context) ([]string, error) {
	as, err := datasets.LoadSOTU(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Text
	}
	return out, nil
}

// SpamAssassinText returns the subject and body of each SpamAssassin
// message and the index of its group in datasets.SpamAssassinGroups.
func SpamAssassinText(ctx context.Context) (texts []string, labels []int, err error) {
	ms, err := datasets.LoadSpamAssassin(ctx)
	if err != nil {
		return nil, nil, err
	}
	group := map[string]int{}
	for i, g := range datasets.SpamAssassinGroups {
		group[g] = i
	}
	for _, m := range ms {
		texts = append(texts, m.Subject+"\n"+m.Body)
		labels = append(labels, group[m.Group])
	}
	return texts, labels, nil
}

// Collect reads a whole corpus into memory.
func Collect(ctx context.Context, c Corpus) (Tokens, error) {
	var out Tokens
	err := c.ForEach(ctx, func(t []string) error {
		out = append(out, append([]string(nil), t...))
		return nil
	})
	return out, err
}
