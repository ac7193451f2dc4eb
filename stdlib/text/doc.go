// Package text turns documents into features: the tokenizer, a sentence
// splitter, stop words, and bag-of-words and TF-IDF vectorizers producing a
// sparse.CSR matrix, with scikit-learn's defaults and options.
//
// # Tokens
//
// Tokenize lower-cases a document (as Python's str.lower) and returns every
// maximal run of at least two word characters, exactly what
// scikit-learn's default token_pattern (?u)\b\w\w+\b matches: word
// characters are Unicode letters, numbers and the underscore, so "naïve"
// is one token, "e-mail" two, and a decomposed accent (a combining mark)
// splits a word as it does in Python.
//
// Tokenize is the stdlib's one tokenizer: other packages (embed) use it
// rather than their own.
//
// # Vectorizers
//
// In the stdlib's one shape, a config fits and returns the fitted value:
//
//	v, err := text.TfidfConfig{MaxFeatures: 2000}.Fit(ctx, docs)   // *text.Tfidf
//	x, err := v.Transform(ctx, more)                               // *sparse.CSR
//	v, x, err := text.CountConfig{}.FitTransform(ctx, docs)        // *text.Count
//
// CountConfig learns a sorted vocabulary of words or word n-grams
// (NgramRange) with document-frequency bounds (MinDF/MaxDF as counts or
// fractions), MaxFeatures and stop words; TfidfConfig has the same fields
// and adds scikit-learn's TF-IDF weighting:
//
//	idf(t) = ln((1+n) / (1+df(t))) + 1    (ln(n/df(t)) + 1 with PlainIDF)
//
// then an L2 (default), L1 or no row norm. Count and Tfidf have Save,
// SaveFile, LoadCount/LoadTfidf and their File forms (versioned files, see
// stdlib/internal/persist). A saved file keeps the tokenizer's identity when
// it is Tokens (the default), Tokenize or strings.Fields; any other
// function cannot be saved, and Save returns ErrCustomTokenizer. Field names say what
// scikit-learn's keyword does; zero values are scikit-learn's defaults.
// On the same documents the matrix equals scikit-learn 1.2's to 1e-9
// (see the parity tests and bench/peers/tfidf_sklearn.py). One known
// difference: when terms tie on total count at the MaxFeatures cut, ours
// keeps them in vocabulary order, while scikit-learn's unstable argsort
// may pick others; FixedVocabulary reproduces any given choice.
//
// # Data orientation
//
// Rows are documents, columns are terms (FeatureNames gives the column
// order), as in scikit-learn.
//
// # Errors
//
// Invalid settings (Validate, wrapping ErrBadConfig and naming the
// field), no documents, an empty vocabulary and Transform on an unfitted
// value return errors prefixed "text: ". Documents with no
// known terms give empty rows.
package text
