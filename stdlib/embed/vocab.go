package embed

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
)

// Sentinel errors callers can branch on with errors.Is.
var (
	// ErrEmptyCorpus is returned when a corpus has no tokens at all.
	ErrEmptyCorpus = errors.New("embed: empty corpus")
	// ErrEmptyVocab is returned when no word reaches MinCount.
	ErrEmptyVocab = errors.New("embed: vocabulary empty after MinCount")
	// ErrUnknownWord is returned by KeyedVectors look-ups of a word that is
	// not in the vocabulary.
	ErrUnknownWord = errors.New("embed: word not in vocabulary")
	// ErrBadInput is returned for arguments that cannot be used: labels
	// not aligned with texts, an empty candidate set, a word outside the
	// vocabulary where one is needed.
	ErrBadInput = errors.New("embed: bad input")
)

// maxSentenceLen is gensim's MAX_WORDS_IN_BATCH: longer sentences are split
// into chunks of this many words for training.
const maxSentenceLen = 10000

// vocab is the training vocabulary: words sorted by decreasing count.
type vocab struct {
	words      []string
	counts     []int64
	index      map[string]int32
	totalRaw   int64 // all tokens in the corpus, known or not
	totalKept  int64 // tokens of words that survived MinCount
	sentences  int64 // number of sentences/documents (empty ones included)
	sampleInts []uint32
}

// buildVocab counts words in one pass over the corpus and keeps those with
// count >= minCount, most frequent first (ties by word, so the order is
// deterministic).
func buildVocab(ctx context.Context, c Corpus, minCount int) (*vocab, error) {
	if c == nil {
		return nil, fmt.Errorf("embed: nil corpus")
	}
	counts := make(map[string]int64)
	var total, sentences int64
	err := c.ForEach(ctx, func(toks []string) error {
		sentences++
		for _, t := range toks {
			counts[t]++
		}
		total += int64(len(toks))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if total == 0 {
		return nil, ErrEmptyCorpus
	}
	v := &vocab{totalRaw: total, sentences: sentences}
	for w, n := range counts {
		if n >= int64(minCount) {
			v.words = append(v.words, w)
		}
	}
	if len(v.words) == 0 {
		return nil, fmt.Errorf("%w (%d distinct words, none with count >= %d)", ErrEmptyVocab, len(counts), minCount)
	}
	sort.Slice(v.words, func(i, j int) bool {
		ci, cj := counts[v.words[i]], counts[v.words[j]]
		if ci != cj {
			return ci > cj
		}
		return v.words[i] < v.words[j]
	})
	v.counts = make([]int64, len(v.words))
	v.index = make(map[string]int32, len(v.words))
	for i, w := range v.words {
		v.counts[i] = counts[w]
		v.index[w] = int32(i)
		v.totalKept += counts[w]
	}
	return v, nil
}

// setSample computes the probability of keeping each word under frequent-word
// subsampling with threshold sample, using the formula of the word2vec C tool
// and gensim: keep = (sqrt(c/t)+1) * t/c with t = sample*total, capped at 1.
// The probability is stored scaled to 2^32 so a worker compares it with a
// random uint32. sample <= 0 keeps every word.
func (v *vocab) setSample(sample float64) {
	v.sampleInts = make([]uint32, len(v.counts))
	t := sample * float64(v.totalKept)
	for i, c := range v.counts {
		p := 1.0
		if sample > 0 {
			p = (math.Sqrt(float64(c)/t) + 1) * t / float64(c)
		}
		if p >= 1 {
			v.sampleInts[i] = math.MaxUint32
		} else {
			v.sampleInts[i] = uint32(p * (1 << 32))
		}
	}
}

// NoiseTable is the unigram^exponent noise distribution of negative
// sampling as a Walker alias table: draw a word i uniformly, keep it with
// probability Keep[i]/2^32, else take Alias[i]. It samples the same
// distribution as the C tool's 10^8-entry table but takes 8 bytes per word,
// so it stays in cache and a draw costs one random number and one look-up.
// It is exported because trained models carry it (and save it).
type NoiseTable struct {
	Keep  []uint32
	Alias []int32
}

// draw maps a random 64-bit value to a word.
func (t *NoiseTable) draw(r uint64) int32 {
	i := (r >> 32) * uint64(len(t.Keep)) >> 32
	if uint32(r) < t.Keep[i] {
		return int32(i)
	}
	return t.Alias[i]
}

// negTable builds the alias table with Vose's method.
func (v *vocab) negTable(exponent float64) NoiseTable {
	n := len(v.counts)
	p := make([]float64, n)
	var norm float64
	for i, c := range v.counts {
		p[i] = math.Pow(float64(c), exponent)
		norm += p[i]
	}
	t := NoiseTable{Keep: make([]uint32, n), Alias: make([]int32, n)}
	var small, large []int
	for i := range p {
		p[i] *= float64(n) / norm
		t.Alias[i] = int32(i)
		if p[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		t.Keep[s] = uint32(p[s] * (1 << 32))
		t.Alias[s] = int32(l)
		p[l] -= 1 - p[s]
		if p[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What remains has probability 1 up to rounding.
	for _, i := range append(small, large...) {
		t.Keep[i] = math.MaxUint32
	}
	return t
}
