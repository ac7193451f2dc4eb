package embed

import (
	"bufio"
	"context"
	"fmt"
	"os"

	"github.com/gonbml/gonbml/stdlib/text"
)

// Corpus streams tokenised sentences or documents. ForEach calls fn once per
// sentence (or document) in a fixed order and stops at the first error fn
// returns, which it returns. The slice passed to fn may be reused after fn
// returns, so fn must copy what it keeps. Training walks a Corpus once to
// build the vocabulary and once per epoch, so ForEach must be repeatable and
// give the same sequence each time.
type Corpus interface {
	ForEach(ctx context.Context, fn func(tokens []string) error) error
}

// CorpusFunc adapts a function to the Corpus interface, for example to stream
// a crawl or a database cursor.
type CorpusFunc func(ctx context.Context, fn func(tokens []string) error) error

// ForEach calls f(ctx, fn).
func (f CorpusFunc) ForEach(ctx context.Context, fn func(tokens []string) error) error {
	return f(ctx, fn)
}

// Tokens is a Corpus of already tokenised sentences held in memory.
type Tokens [][]string

// ForEach calls fn for each sentence in order.
func (t Tokens) ForEach(ctx context.Context, fn func(tokens []string) error) error {
	for i, s := range t {
		if i&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	return nil
}

// Strings is a Corpus over raw strings, tokenised on the fly. Each string is
// one sentence or document.
type Strings struct {
	Docs []string
	// Tokenize splits a string into tokens. Default (nil): text.Tokenize
	// (lower case, tokens of two or more letters or digits, as
	// scikit-learn's default pattern).
	Tokenize func(string) []string
}

// ForEach tokenises each string and calls fn with its tokens.
func (s Strings) ForEach(ctx context.Context, fn func(tokens []string) error) error {
	tok := s.Tokenize
	if tok == nil {
		tok = text.Tokenize
	}
	for i, d := range s.Docs {
		if i&255 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := fn(tok(d)); err != nil {
			return err
		}
	}
	return nil
}

// LineFile is a Corpus read from a text file with one tokenised sentence (or
// document) per line, tokens separated by white space — the format of the
// word2vec C tool and of gensim's LineSentence. The file is re-read on every
// pass, so it never has to fit in memory.
type LineFile string

// ForEach reads the file line by line and calls fn with each line's fields.
// Empty lines are passed as empty sentences so that line numbers and
// document indices agree.
func (p LineFile) ForEach(ctx context.Context, fn func(tokens []string) error) error {
	f, err := os.Open(string(p))
	if err != nil {
		return fmt.Errorf("embed: open corpus: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<28)
	toks := make([]string, 0, 256)
	n := 0
	for sc.Scan() {
		n++
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		toks = splitFields(sc.Text(), toks[:0])
		if err := fn(toks); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("embed: read corpus %s: %w", string(p), err)
	}
	return nil
}

// splitFields appends the ASCII-white-space separated fields of s to dst.
func splitFields(s string, dst []string) []string {
	i := 0
	for i < len(s) {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !isSpace(s[j]) {
			j++
		}
		if j > i {
			dst = append(dst, s[i:j])
		}
		i = j
	}
	return dst
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}
