package embed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
)

// PredictWord is PV-DM's own guess of a missing word: it forms the input
// the model trains on — the paragraph vector dv averaged with the context
// words' vectors (summed with DMSum) — and ranks every word of the
// vocabulary by the output layer's probability σ(h·out(w)) that w is the
// word in the gap. It returns the topn best (all words when topn ≤ 0),
// most probable first. Context words outside the vocabulary are skipped.
// It needs a PV-DM model with the mean or the sum (not DMConcat, not
// DBOW: PV-DBOW predicts from the paragraph vector alone, and this method
// is the article's explanation of PV-DM).
func (m *Doc2Vec) PredictWord(dv []float64, context []string, topn int) ([]WordScore, error) {
	h, err := m.gapInput(dv, context)
	if err != nil {
		return nil, err
	}
	scores := m.outputScores(h)
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return scores[order[a]] > scores[order[b]] })
	if topn <= 0 || topn > len(order) {
		topn = len(order)
	}
	out := make([]WordScore, topn)
	for k, i := range order[:topn] {
		out[k] = WordScore{Word: m.WV.Words[i], Score: sigmoid64(scores[i])}
	}
	return out, nil
}

func sigmoid64(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// gapInput is the hidden vector PV-DM predicts a word from.
func (m *Doc2Vec) gapInput(dv []float64, context []string) ([]float32, error) {
	if m == nil || m.WV == nil {
		return nil, fmt.Errorf("embed: doc2vec model is not trained")
	}
	if m.method() != methodDMMean {
		return nil, fmt.Errorf("%w: PredictWord needs a PV-DM model with the mean or sum of vectors (not DBOW or DMConcat)", ErrBadInput)
	}
	dim := m.Config.VectorSize
	if len(dv) != dim {
		return nil, fmt.Errorf("%w: paragraph vector of size %d, model has %d", ErrBadInput, len(dv), dim)
	}
	h := make([]float32, dim)
	for k, v := range dv {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: paragraph vector value %d is %v", ErrBadInput, k, v)
		}
		h[k] = float32(v)
	}
	count := float32(1)
	for _, w := range context {
		if i, ok := m.WV.Index(w); ok {
			blas.Saxpy(dim, 1, m.WV.Vectors[i*dim:(i+1)*dim], 1, h, 1)
			count++
		}
	}
	if !m.Config.DMSum {
		blas.Sscal(dim, 1/count, h, 1)
	}
	return h, nil
}

// outputScores returns h·out(w) for every word.
func (m *Doc2Vec) outputScores(h []float32) []float64 {
	dim := len(h)
	s := make([]float64, m.WV.Len())
	for i := range s {
		s[i] = float64(blas.Sdot(dim, h, 1, m.Syn1Neg[i*dim:(i+1)*dim], 1))
	}
	return s
}

// MissingWords is the result of Doc2Vec.MissingWords: for each gap, the
// rank (1 = the model's first guess) of the true word among the whole
// vocabulary, predicted from the context with the document's own
// paragraph vector, and with the mean paragraph vector of all training
// documents instead (the same input, minus what is particular to the
// document).
type MissingWords struct {
	Words    []string // the hidden word of each gap
	Docs     []int    // the document it was taken from
	Pos      []int    // its position in the document
	Own      []int    // rank with the document's paragraph vector
	Mean     []int    // rank with the mean paragraph vector
	Window   int      // context words taken on each side
	VocabLen int      // the number of candidates
}

// TopK returns the share of gaps whose true word is among the first k
// guesses, with the own and with the mean paragraph vector.
func (r MissingWords) TopK(k int) (own, mean float64) {
	for i := range r.Own {
		if r.Own[i] <= k {
			own++
		}
		if r.Mean[i] <= k {
			mean++
		}
	}
	n := math.Max(float64(len(r.Own)), 1)
	return own / n, mean / n
}

// MissingWords hides gaps words of the training documents docs (document
// i must be the one whose vector is DV row i: pass the corpus Fit read),
// one at a time at random positions drawn with seed, and asks PredictWord
// for each from the Config.Window words on either side: the article's
// "I have a pet ___" test of what the paragraph vector adds to the
// context.
func (m *Doc2Vec) MissingWords(ctx context.Context, docs [][]string, gaps int, seed uint64) (MissingWords, error) {
	var res MissingWords
	if m == nil || m.DV == nil || m.WV == nil {
		return res, fmt.Errorf("embed: doc2vec model is not trained")
	}
	res.Window = m.Config.Window
	rows, _ := m.DV.Dims()
	if len(docs) != rows {
		return res, fmt.Errorf("%w: %d documents for %d paragraph vectors: pass the training corpus", ErrBadInput, len(docs), rows)
	}
	if gaps < 1 {
		return res, fmt.Errorf("%w: %d gaps, want at least 1", ErrBadInput, gaps)
	}
	if len(docs) == 0 {
		return res, fmt.Errorf("%w: no documents", ErrBadInput)
	}
	mean := m.MeanVector()
	res.VocabLen = m.WV.Len()
	rng := rand.New(rand.NewPCG(seed, 0x6a9))
	for tries := 0; len(res.Own) < gaps && tries < 100*gaps; tries++ {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		d := rng.IntN(rows)
		doc := docs[d]
		if len(doc) < 2 {
			continue
		}
		p := rng.IntN(len(doc))
		target, ok := m.WV.Index(doc[p])
		if !ok {
			continue
		}
		res.Docs, res.Pos = append(res.Docs, d), append(res.Pos, p)
		context := res.Context(docs, len(res.Docs)-1)
		own, err := m.rankOf(m.DV.RawRowView(d), context, target)
		if err != nil {
			return res, err
		}
		avg, err := m.rankOf(mean, context, target)
		if err != nil {
			return res, err
		}
		res.Words = append(res.Words, doc[p])
		res.Own = append(res.Own, own)
		res.Mean = append(res.Mean, avg)
	}
	if len(res.Own) < gaps {
		return res, fmt.Errorf("%w: found %d gaps with a known word of %d wanted", ErrBadInput, len(res.Own), gaps)
	}
	return res, nil
}

// rankOf is the 1-based rank of word target under PredictWord.
func (m *Doc2Vec) rankOf(dv []float64, context []string, target int) (int, error) {
	h, err := m.gapInput(dv, context)
	if err != nil {
		return 0, err
	}
	s := m.outputScores(h)
	rank := 1
	for i, v := range s {
		if v > s[target] || (v == s[target] && i < target) {
			rank++
		}
	}
	return rank, nil
}

// SignTest compares the two ranks gap by gap: better counts the gaps whose
// true word ranks higher with the document's own paragraph vector than
// with the mean one, worse the opposite (ties count for neither), and z is
// the sign test's statistic (better − worse)/√(better + worse): above 2,
// "the own vector helps" holds at the 5% level (two-sided), whatever the
// ranks' distribution.
func (r MissingWords) SignTest() (better, worse int, z float64) {
	for i := range r.Own {
		switch {
		case r.Own[i] < r.Mean[i]:
			better++
		case r.Own[i] > r.Mean[i]:
			worse++
		}
	}
	if better+worse == 0 {
		return 0, 0, 0
	}
	return better, worse, float64(better-worse) / math.Sqrt(float64(better+worse))
}

// MeanVector returns the mean paragraph vector of the training documents:
// the "average document" MissingWords compares the own vector with.
func (m *Doc2Vec) MeanVector() []float64 {
	rows, dim := m.DV.Dims()
	mean := make([]float64, dim)
	for i := range rows {
		for k, v := range m.DV.RawRowView(i) {
			mean[k] += v / float64(rows)
		}
	}
	return mean
}

// Context returns the context words of gap i in docs (the corpus passed to
// MissingWords): Window words on each side, the hidden word left out.
func (r MissingWords) Context(docs [][]string, i int) []string {
	doc, p := docs[r.Docs[i]], r.Pos[i]
	lo, hi := max(0, p-r.Window), min(len(doc), p+r.Window+1)
	return append(append([]string(nil), doc[lo:p]...), doc[p+1:hi]...)
}

// Gap returns the text around gap i with the hidden word as "___".
func (r MissingWords) Gap(docs [][]string, i int) string {
	doc, p := docs[r.Docs[i]], r.Pos[i]
	lo, hi := max(0, p-r.Window), min(len(doc), p+r.Window+1)
	return strings.Join(append(append(append([]string(nil), doc[lo:p]...), "___"), doc[p+1:hi]...), " ")
}
