package embed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Centre returns a copy of x with the mean row subtracted from every row,
// and that mean. Cosines between centred vectors compare what sets
// documents apart rather than the direction they all share (a small
// skip-thought model's raw vectors all have cosine near 1).
func Centre(x mat.Matrix) (*mat.Dense, []float64) {
	r, c := x.Dims()
	out := mat.DenseCopyOf(x)
	mean := make([]float64, c)
	for i := range r {
		for j, v := range out.RawRowView(i) {
			mean[j] += v / float64(r)
		}
	}
	for i := range r {
		row := out.RawRowView(i)
		for j := range row {
			row[j] -= mean[j]
		}
	}
	return out, mean
}

// Ranks is the result of NeighbourRanks.
type Ranks struct {
	// Cosine[i] is the cosine of the query's and text i's vectors, both
	// centred on the mean vector of the background.
	Cosine []float64
	// Rank[i] is text i's place (1 = nearest) among the background and
	// text i by that cosine to the query.
	Rank []int
	// Of is the number of candidates each rank is among: the background
	// plus one.
	Of int
}

// NeighbourRanks asks how near each of texts is to query under enc, in
// absolute terms (the centred cosine) and relative to a stated candidate
// set (the rank among the background texts). A cosine alone says little: a
// bag-of-words method gives two sentences that share ten of eleven words a
// high cosine whatever they mean, so compare it with controls (a
// paraphrase, an unrelated sentence) and read the rank. A text whose
// vector is zero (no known word) gets cosine 0, not the cosine of −mean.
// background must hold at least one text.
func NeighbourRanks(ctx context.Context, enc Encoder, query []string, texts, background [][]string) (Ranks, error) {
	var res Ranks
	if len(background) == 0 || len(texts) == 0 {
		return res, fmt.Errorf("%w: NeighbourRanks needs texts and a background (have %d and %d)",
			ErrBadInput, len(texts), len(background))
	}
	all := make([][]string, 0, 1+len(texts)+len(background))
	all = append(append(append(all, query), texts...), background...)
	x, err := enc.Encode(ctx, all)
	if err != nil {
		return res, err
	}
	_, c := x.Dims()
	mean := make([]float64, c)
	for i := 1 + len(texts); i < len(all); i++ {
		for j, v := range x.RawRowView(i) {
			mean[j] += v / float64(len(background))
		}
	}
	cos := make([]float64, len(all))
	q := centred(x.RawRowView(0), mean)
	for i := 1; i < len(all); i++ {
		// A text without a known word has no direction: cosine 0 (centred,
		// its zero vector would point along −mean like every other such text).
		if !isZero(x.RawRowView(i)) {
			cos[i] = Cosine(q, centred(x.RawRowView(i), mean))
		}
	}
	bg := cos[1+len(texts):]
	res.Of = len(background) + 1
	for k := range texts {
		s := cos[1+k]
		rank := 1
		for _, b := range bg {
			if b > s {
				rank++
			}
		}
		res.Cosine = append(res.Cosine, s)
		res.Rank = append(res.Rank, rank)
	}
	return res, nil
}

func centred(v, mean []float64) []float64 {
	out := make([]float64, len(v))
	for i := range v {
		out[i] = v[i] - mean[i]
	}
	return out
}

// ShuffleWords returns a copy of each document with its words in a random
// order drawn with seed, different from the original whenever the
// document has two different words.
func ShuffleWords(docs [][]string, seed uint64) Tokens {
	rng := rand.New(rand.NewPCG(seed, 0x5f1))
	out := make(Tokens, len(docs))
	for i, d := range docs {
		s := slices.Clone(d)
		for range 10 { // a permutation equal to the original is redrawn
			rng.Shuffle(len(s), func(a, b int) { s[a], s[b] = s[b], s[a] })
			if !slices.Equal(s, d) {
				break
			}
		}
		out[i] = s
	}
	return out
}

// ReverseWords returns a copy of each document with its words in reverse
// order.
func ReverseWords(docs [][]string) Tokens {
	out := make(Tokens, len(docs))
	for i, d := range docs {
		out[i] = slices.Clone(d)
		slices.Reverse(out[i])
	}
	return out
}

// Drawer is an Encoder whose vectors are one random draw among many, such
// as doc2vec's inference (Doc2Vec.EncodeDraw).
type Drawer interface {
	EncodeDraw(ctx context.Context, docs [][]string, draw uint64) (*mat.Dense, error)
}

// OrderTest is the result of OrderSensitivity: cosine distances (1 −
// cosine) per document.
type OrderTest struct {
	// Changed is the distance between a document's vector and its
	// changed (shuffled, reversed) version's.
	Changed []float64
	// Noise is the distance between two encodings of the same document:
	// two draws for a Drawer, zero for a deterministic encoder.
	Noise []float64
	// Skipped counts the documents left out because a vector was zero
	// (no known word): their distance is undefined.
	Skipped int
}

// MeanChanged is the mean of Changed.
func (t OrderTest) MeanChanged() float64 { return mean(t.Changed) }

// MeanNoise is the mean of Noise.
func (t OrderTest) MeanNoise() float64 { return mean(t.Noise) }

func mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// OrderSensitivity measures whether enc sees word order: changed[i] is
// docs[i] with its words reordered (ShuffleWords, ReverseWords). A method
// that reads a bag of words gives distance 0; a method that sees order
// gives a distance above the noise of its own encoding. For a Drawer, the
// changed document and the second encoding of the original come from the
// same draw, the first encoding from another, so both distances carry the
// inference noise alike.
func OrderSensitivity(ctx context.Context, enc Encoder, docs, changed [][]string) (OrderTest, error) {
	var res OrderTest
	if len(docs) == 0 || len(docs) != len(changed) {
		return res, fmt.Errorf("%w: OrderSensitivity needs as many changed documents as documents (have %d and %d)",
			ErrBadInput, len(changed), len(docs))
	}
	encode := func(d [][]string, draw uint64) (*mat.Dense, error) {
		if dr, ok := enc.(Drawer); ok {
			return dr.EncodeDraw(ctx, d, draw)
		}
		return enc.Encode(ctx, d)
	}
	a, err := encode(docs, 1)
	if err != nil {
		return res, err
	}
	b, err := encode(docs, 2)
	if err != nil {
		return res, err
	}
	c, err := encode(changed, 2)
	if err != nil {
		return res, err
	}
	for i := range docs {
		ra, rb, rc := a.RawRowView(i), b.RawRowView(i), c.RawRowView(i)
		if isZero(ra) || isZero(rb) || isZero(rc) {
			res.Skipped++
			continue
		}
		res.Changed = append(res.Changed, 1-Cosine(ra, rc))
		res.Noise = append(res.Noise, 1-Cosine(ra, rb))
	}
	if len(res.Changed) == 0 {
		return res, fmt.Errorf("%w: no document has a known word", ErrBadInput)
	}
	return res, nil
}

func isZero(v []float64) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

// SignTest compares Changed and Noise document by document: larger counts
// the documents whose changed version moved further than the noise,
// smaller the opposite (ties count for neither), and z is the sign test's
// statistic (larger − smaller)/√(larger + smaller); above 2, "the method
// sees the order" holds at the 5% level (two-sided).
func (t OrderTest) SignTest() (larger, smaller int, z float64) {
	for i := range t.Changed {
		switch {
		case t.Changed[i] > t.Noise[i]:
			larger++
		case t.Changed[i] < t.Noise[i]:
			smaller++
		}
	}
	if larger+smaller == 0 {
		return 0, 0, 0
	}
	return larger, smaller, float64(larger-smaller) / math.Sqrt(float64(larger+smaller))
}
