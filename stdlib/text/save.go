package text

import (
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"github.com/gonbml/gonbml/stdlib/internal/persist"
)

// ErrCustomTokenizer is returned by Save when the Tokenizer is a function
// other than the ones Save can name (Tokens, Tokenize, strings.Fields): a
// function cannot be written to a file, and a file that loaded with
// another tokenizer would give other columns without a word of warning.
var ErrCustomTokenizer = errors.New("text: a custom Tokenizer function cannot be saved")

// namedTokenizers are the tokenizers whose identity a saved file keeps.
var namedTokenizers = []struct {
	name string
	fn   func(string) []string
}{{"tokens", Tokens}, {"tokenize", Tokenize}, {"strings.Fields", strings.Fields}}

// tokenizerName returns the saved name of fn ("" for nil, the default).
func tokenizerName(fn func(string) []string) (string, error) {
	if fn == nil {
		return "", nil
	}
	p := reflect.ValueOf(fn).Pointer()
	for _, t := range namedTokenizers {
		if reflect.ValueOf(t.fn).Pointer() == p {
			return t.name, nil
		}
	}
	return "", ErrCustomTokenizer
}

func tokenizerByName(name string) (func(string) []string, error) {
	if name == "" {
		return nil, nil
	}
	for _, t := range namedTokenizers {
		if t.name == name {
			return t.fn, nil
		}
	}
	return nil, fmt.Errorf("unknown tokenizer %q", name)
}

// Kinds and format versions of saved vectorizers (stdlib/internal/persist).
// Version 1 is the first with a header.
const (
	countKind, countVersion = "text.Count", 1
	tfidfKind, tfidfVersion = "text.Tfidf", 1
)

// savedCount and savedTfidf are the files' contents: the config (gob skips
// the Tokenizer function), the tokenizer's name and the fitted columns.
type savedCount struct {
	Config    CountConfig
	Tokenizer string
	Features  []string
}

type savedTfidf struct {
	Config    TfidfConfig
	Tokenizer string
	Features  []string
	IDF       []float64
}

// Save writes the fitted bag of words; see ErrCustomTokenizer.
func (v *Count) Save(w io.Writer) error {
	return save(v.saved, func(s *savedCount) error { return persist.Save(w, countKind, countVersion, s) })
}

// SaveFile writes the fitted bag of words to path atomically.
func (v *Count) SaveFile(path string) error {
	return save(v.saved, func(s *savedCount) error { return persist.SaveFile(path, countKind, countVersion, s) })
}

func (v *Count) saved() (*savedCount, error) {
	if v == nil || v.Vocabulary == nil {
		return nil, ErrNotFitted
	}
	name, err := tokenizerName(v.Config.Tokenizer)
	return &savedCount{Config: v.Config, Tokenizer: name, Features: v.Features}, err
}

// LoadCount reads a bag of words written by Count.Save. A file of another
// kind or format version fails with an error naming what it holds.
func LoadCount(r io.Reader) (*Count, error) {
	var s savedCount
	if err := persist.Load(r, countKind, countVersion, &s); err != nil {
		return nil, fmt.Errorf("text: load: %w", err)
	}
	fn, err := tokenizerByName(s.Tokenizer)
	if err != nil {
		return nil, fmt.Errorf("text: load: %w", err)
	}
	s.Config.Tokenizer = fn
	v := &Count{Config: s.Config, Features: s.Features}
	if err := loaded(s.Config.Validate(), v.index(), len(v.Features), -1); err != nil {
		return nil, err
	}
	return v, nil
}

// LoadCountFile reads a bag of words saved with Count.SaveFile.
func LoadCountFile(path string) (*Count, error) { return loadFile(path, LoadCount) }

// Save writes the fitted TF-IDF vectorizer; see ErrCustomTokenizer.
func (v *Tfidf) Save(w io.Writer) error {
	return save(v.saved, func(s *savedTfidf) error { return persist.Save(w, tfidfKind, tfidfVersion, s) })
}

// SaveFile writes the fitted TF-IDF vectorizer to path atomically.
func (v *Tfidf) SaveFile(path string) error {
	return save(v.saved, func(s *savedTfidf) error { return persist.SaveFile(path, tfidfKind, tfidfVersion, s) })
}

func (v *Tfidf) saved() (*savedTfidf, error) {
	if v == nil || v.Vocabulary == nil {
		return nil, ErrNotFitted
	}
	name, err := tokenizerName(v.Config.Tokenizer)
	return &savedTfidf{Config: v.Config, Tokenizer: name, Features: v.Features, IDF: v.IDF}, err
}

// LoadTfidf reads a TF-IDF vectorizer written by Tfidf.Save.
func LoadTfidf(r io.Reader) (*Tfidf, error) {
	var s savedTfidf
	if err := persist.Load(r, tfidfKind, tfidfVersion, &s); err != nil {
		return nil, fmt.Errorf("text: load: %w", err)
	}
	fn, err := tokenizerByName(s.Tokenizer)
	if err != nil {
		return nil, fmt.Errorf("text: load: %w", err)
	}
	s.Config.Tokenizer = fn
	c := &Count{Features: s.Features}
	idf := len(s.IDF)
	if s.IDF == nil && s.Config.IDFMode == IDFOff {
		idf = -1
	}
	if err := loaded(s.Config.Validate(), c.index(), len(s.Features), idf); err != nil {
		return nil, err
	}
	return &Tfidf{Config: s.Config, Vocabulary: c.Vocabulary, Features: s.Features, IDF: s.IDF}, nil
}

// LoadTfidfFile reads a TF-IDF vectorizer saved with Tfidf.SaveFile.
func LoadTfidfFile(path string) (*Tfidf, error) { return loadFile(path, LoadTfidf) }

// loaded checks a decoded vectorizer: a valid config, distinct terms, at
// least one, and (idf ≥ 0) one weight per term.
func loaded(cfgErr, vocabErr error, terms, idf int) error {
	switch {
	case cfgErr != nil:
		return fmt.Errorf("text: load: %w", cfgErr)
	case vocabErr != nil:
		return fmt.Errorf("text: load: %w", vocabErr)
	case terms == 0:
		return errors.New("text: load: the file has no terms")
	case idf >= 0 && idf != terms:
		return fmt.Errorf("text: load: %d idf weights for %d terms", idf, terms)
	}
	return nil
}

// save writes what saved returns with write, or returns saved's error
// (not fitted, a custom tokenizer) without writing anything.
func save[S any](saved func() (S, error), write func(S) error) error {
	s, err := saved()
	if err != nil {
		return err
	}
	if err := write(s); err != nil {
		return fmt.Errorf("text: save: %w", err)
	}
	return nil
}

func loadFile[T any](path string, load func(io.Reader) (T, error)) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("text: load: %w", err)
	}
	defer f.Close()
	v, err := load(f)
	if err != nil {
		return v, fmt.Errorf("%w (file %s)", err, path)
	}
	return v, nil
}
