package embed

import (
	"context"

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

// Collect reads a whole corpus into memory.
func Collect(ctx context.Context, c Corpus) (Tokens, error) {
	var out Tokens
	err := c.ForEach(ctx, func(t []string) error {
		out = append(out, append([]string(nil), t...))
		return nil
	})
	return out, err
}
