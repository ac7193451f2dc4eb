// Package text turns documents into features: a tokenizer, a sentence
// splitter, stop words, and CountVectorizer / TfidfVectorizer producing a
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
// # Vectorizers
//
// CountVectorizer learns a sorted vocabulary of words or word n-grams
// (NgramRange) with document-frequency
// bounds (MinDF/MaxDF as counts or fractions), MaxFeatures and stop words;
// TfidfVectorizer adds scikit-learn's TF-IDF weighting:
//
//	idf(t) = ln((1+n) / (1+df(t))) + 1    (ln(n/df(t)) + 1 with NoSmoothIDF)
//
// then an L2 (default), L1 or no row norm. Field names say what
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
// Invalid settings (Validate), no documents, an empty vocabulary and
// Transform before Fit return errors prefixed "text: ". Documents with no
// known terms give empty rows.
package text
