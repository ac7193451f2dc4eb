package embed

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/safefile"
	"gonum.org/v1/gonum/mat"
)

// KeyedVectors maps words to dense vectors, like gensim's KeyedVectors.
// Words are stored most frequent first when they come from training. The
// vectors are stored as float32 (Vectors, what training updates); Vector
// and the other methods take and return float64.
type KeyedVectors struct {
	Dim     int       // vector size
	Words   []string  // word i has vector Vectors[i*Dim:(i+1)*Dim]
	Vectors []float32 // row-major, len(Words)*Dim
	Counts  []int64   // corpus count of each word; nil when unknown (e.g. loaded from a file)

	mu    sync.Mutex // guards the lazy index and norms, so look-ups are safe from many goroutines
	index map[string]int
	norms []float32 // unit-length copy of Vectors, built on first similarity query
}

// NewKeyedVectors returns vectors of words from the rows of vectors (row i
// is the vector of words[i]). It returns an error if the sizes disagree, a
// word repeats or a value is not finite.
func NewKeyedVectors(words []string, vectors mat.Matrix) (*KeyedVectors, error) {
	r, c := vectors.Dims()
	if r != len(words) {
		return nil, fmt.Errorf("embed: %d rows for %d words", r, len(words))
	}
	v := make([]float32, 0, r*c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			v = append(v, float32(vectors.At(i, j)))
		}
	}
	return newKeyedVectors(words, v, c)
}

func newKeyedVectors(words []string, vectors []float32, dim int) (*KeyedVectors, error) {
	if dim < 1 {
		return nil, fmt.Errorf("embed: vector size %d, want at least 1", dim)
	}
	if len(vectors) != len(words)*dim {
		return nil, fmt.Errorf("embed: %d values for %d words of size %d", len(vectors), len(words), dim)
	}
	for i, x := range vectors {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil, fmt.Errorf("embed: non-finite value in the vector of %q", words[i/dim])
		}
	}
	kv := &KeyedVectors{Dim: dim, Words: words, Vectors: vectors}
	if err := kv.buildIndex(); err != nil {
		return nil, err
	}
	return kv, nil
}

func (kv *KeyedVectors) buildIndex() error {
	kv.index = make(map[string]int, len(kv.Words))
	for i, w := range kv.Words {
		if _, dup := kv.index[w]; dup {
			return fmt.Errorf("embed: word %q appears twice", w)
		}
		kv.index[w] = i
	}
	kv.norms = nil
	return nil
}

// Len returns the number of words.
func (kv *KeyedVectors) Len() int { return len(kv.Words) }

// Index returns the row of word and whether it is known.
func (kv *KeyedVectors) Index(word string) (int, bool) {
	idx := kv.index
	if idx == nil {
		kv.mu.Lock()
		if kv.index == nil {
			kv.buildIndex()
		}
		idx = kv.index
		kv.mu.Unlock()
	}
	i, ok := idx[word]
	return i, ok
}

// Vector returns a copy of the vector of word and whether the word is
// known.
func (kv *KeyedVectors) Vector(word string) ([]float64, bool) {
	i, ok := kv.Index(word)
	if !ok {
		return nil, false
	}
	return f64(kv.Vectors[i*kv.Dim : (i+1)*kv.Dim]), true
}

// Matrix returns the vectors as a Len()×Dim matrix, a row per word (a
// copy).
func (kv *KeyedVectors) Matrix() *mat.Dense {
	return mat.NewDense(kv.Len(), kv.Dim, f64(kv.Vectors))
}

// unit returns unit-length rows (zero rows stay zero).
func (kv *KeyedVectors) unit() []float32 {
	kv.mu.Lock()
	defer kv.mu.Unlock()
	if kv.norms != nil {
		return kv.norms
	}
	u := make([]float32, len(kv.Vectors))
	copy(u, kv.Vectors)
	for i := range kv.Words {
		r := u[i*kv.Dim : (i+1)*kv.Dim]
		if n := blas.Snrm2(kv.Dim, r, 1); n > 0 {
			blas.Sscal(kv.Dim, 1/n, r, 1)
		}
	}
	kv.norms = u
	return u
}

// Similarity returns the cosine similarity of two words.
func (kv *KeyedVectors) Similarity(w1, w2 string) (float64, error) {
	a, ok := kv.Vector(w1)
	if !ok {
		return 0, fmt.Errorf("%w: %q", ErrUnknownWord, w1)
	}
	b, ok := kv.Vector(w2)
	if !ok {
		return 0, fmt.Errorf("%w: %q", ErrUnknownWord, w2)
	}
	return Cosine(a, b), nil
}

// Cosine returns the cosine similarity of a and b, or 0 if either is zero.
// It panics if their lengths differ, as gonum's floats functions do.
func Cosine(a, b []float64) float64 {
	if len(a) != len(b) {
		panic("embed: cosine of vectors of different length")
	}
	var dot, na, nb float64
	for i := range a {
		x, y := a[i], b[i]
		dot += x * y
		na += x * x
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// WordScore is a word and its similarity to a query.
type WordScore struct {
	Word  string
	Score float64
}

// MostSimilar returns the topn words closest (by cosine) to the mean of the
// unit vectors of positive minus those of negative, excluding the query
// words — gensim's most_similar. With positive = [king, woman] and
// negative = [man] it answers the analogy man:king :: woman:?.
func (kv *KeyedVectors) MostSimilar(positive, negative []string, topn int) ([]WordScore, error) {
	if len(positive)+len(negative) == 0 {
		return nil, fmt.Errorf("embed: most similar needs at least one word")
	}
	u := kv.unit()
	q := make([]float32, kv.Dim)
	skip := make(map[int]bool)
	for k, ws := range [][]string{positive, negative} {
		sign := float32(1)
		if k == 1 {
			sign = -1
		}
		for _, w := range ws {
			i, ok := kv.Index(w)
			if !ok {
				return nil, fmt.Errorf("%w: %q", ErrUnknownWord, w)
			}
			skip[i] = true
			blas.Saxpy(kv.Dim, sign, u[i*kv.Dim:(i+1)*kv.Dim], 1, q, 1)
		}
	}
	return kv.byUnitQuery(q, topn, skip), nil
}

// SimilarByVector returns the topn words closest by cosine to v.
func (kv *KeyedVectors) SimilarByVector(v []float64, topn int) ([]WordScore, error) {
	if len(v) != kv.Dim {
		return nil, fmt.Errorf("embed: query of size %d, vectors have size %d", len(v), kv.Dim)
	}
	q := make([]float32, len(v))
	for i, x := range v {
		if err := fit.Finite("query value", x); err != nil {
			return nil, fmt.Errorf("embed: %w", err)
		}
		q[i] = float32(x)
	}
	return kv.byUnitQuery(q, topn, nil), nil
}

func (kv *KeyedVectors) byUnitQuery(q []float32, topn int, skip map[int]bool) []WordScore {
	u := kv.unit()
	qn := blas.Snrm2(kv.Dim, q, 1)
	if qn == 0 {
		qn = 1
	}
	if topn <= 0 {
		topn = 10
	}
	var out []WordScore
	for i := range kv.Words {
		if skip[i] {
			continue
		}
		s := float64(blas.Sdot(kv.Dim, q, 1, u[i*kv.Dim:(i+1)*kv.Dim], 1) / qn)
		if len(out) == topn && s <= out[topn-1].Score {
			continue
		}
		pos := sort.Search(len(out), func(k int) bool { return out[k].Score < s })
		if len(out) < topn {
			out = append(out, WordScore{})
		}
		copy(out[pos+1:], out[pos:len(out)-1])
		out[pos] = WordScore{kv.Words[i], s}
	}
	return out
}

// WriteWord2VecFormat writes the vectors in the word2vec C tool's format: a
// header line "count dim", then per word the word, a space and either dim
// decimal numbers and a newline (text) or dim little-endian float32 values
// followed by a newline (binary).
func (kv *KeyedVectors) WriteWord2VecFormat(w io.Writer, binaryFormat bool) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "%d %d\n", len(kv.Words), kv.Dim)
	buf := make([]byte, 4*kv.Dim)
	num := make([]byte, 0, 32)
	for i, word := range kv.Words {
		if strings.ContainsAny(word, " \n\t") || word == "" {
			return fmt.Errorf("embed: word %q cannot be written in word2vec format", word)
		}
		bw.WriteString(word)
		bw.WriteByte(' ')
		row := kv.Vectors[i*kv.Dim : (i+1)*kv.Dim]
		if binaryFormat {
			for k, x := range row {
				binary.LittleEndian.PutUint32(buf[4*k:], math.Float32bits(x))
			}
			bw.Write(buf)
		} else {
			for k, x := range row {
				if k > 0 {
					bw.WriteByte(' ')
				}
				num = strconv.AppendFloat(num[:0], float64(x), 'g', -1, 32)
				bw.Write(num)
			}
		}
		if err := bw.WriteByte('\n'); err != nil {
			return fmt.Errorf("embed: write vectors: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("embed: write vectors: %w", err)
	}
	return nil
}

// SaveWord2VecFormat writes the vectors to path in word2vec text or binary
// format, atomically (safefile).
func (kv *KeyedVectors) SaveWord2VecFormat(path string, binaryFormat bool) error {
	return safefile.Write(path, func(w io.Writer) error { return kv.WriteWord2VecFormat(w, binaryFormat) })
}

// Limits of ReadWord2VecFormat: a header claiming more words or dimensions
// is rejected before anything is allocated, and storage grows only with the
// vectors actually read. 2^26 words is ten times the largest published
// vocabularies (Google News has 3·10^6); 2^14 dimensions is 16 times the
// largest common size (1000).
const (
	MaxWord2VecWords = 1 << 26
	MaxWord2VecDim   = 1 << 14
)

// ReadWord2VecFormat reads vectors in word2vec text or binary format. The
// header's sizes are checked against MaxWord2VecWords and MaxWord2VecDim.
func ReadWord2VecFormat(r io.Reader, binaryFormat bool) (*KeyedVectors, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	header, err := br.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("embed: read word2vec header: %w", err)
	}
	header = strings.TrimSpace(header)
	f := strings.Fields(header)
	if len(f) != 2 {
		return nil, fmt.Errorf("embed: word2vec header %.40q: want \"<words> <dimensions>\"", header)
	}
	n, err1 := strconv.ParseInt(f[0], 10, 64)
	dim, err2 := strconv.ParseInt(f[1], 10, 64)
	switch {
	case err1 != nil || err2 != nil:
		return nil, fmt.Errorf("embed: word2vec header %.40q: want two integers", header)
	case n < 1 || n > MaxWord2VecWords:
		return nil, fmt.Errorf("embed: word2vec header %.40q: %d words, want 1 to %d", header, n, MaxWord2VecWords)
	case dim < 1 || dim > MaxWord2VecDim:
		return nil, fmt.Errorf("embed: word2vec header %.40q: %d dimensions, want 1 to %d", header, dim, MaxWord2VecDim)
	}
	d := int(dim)
	var words []string
	var vecs []float32
	buf := make([]byte, 4*d)
	for i := 0; i < int(n); i++ {
		if binaryFormat {
			word, err := br.ReadString(' ')
			if err != nil {
				return nil, fmt.Errorf("embed: word %d of %d: %w", i+1, n, err)
			}
			word = strings.TrimLeft(word[:len(word)-1], "\n")
			if _, err := io.ReadFull(br, buf); err != nil {
				return nil, fmt.Errorf("embed: vector %d of %d (%.40q): %w", i+1, n, word, err)
			}
			for k := 0; k < d; k++ {
				vecs = append(vecs, math.Float32frombits(binary.LittleEndian.Uint32(buf[4*k:])))
			}
			words = append(words, word)
			continue
		}
		line, err := br.ReadString('\n')
		if err != nil && (err != io.EOF || line == "") {
			return nil, fmt.Errorf("embed: line %d of %d: %w", i+2, n+1, err)
		}
		f := strings.Fields(line)
		if len(f) != d+1 {
			return nil, fmt.Errorf("embed: line %d has %d values, want %d", i+2, max(len(f)-1, 0), d)
		}
		for _, s := range f[1:] {
			x, err := strconv.ParseFloat(s, 32)
			if err != nil {
				return nil, fmt.Errorf("embed: line %d: %w", i+2, err)
			}
			vecs = append(vecs, float32(x))
		}
		words = append(words, f[0])
	}
	return newKeyedVectors(words, vecs, d)
}

// LoadWord2VecFormat reads a file in word2vec text or binary format.
func LoadWord2VecFormat(path string, binaryFormat bool) (*KeyedVectors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("embed: %w", err)
	}
	defer f.Close()
	return ReadWord2VecFormat(f, binaryFormat)
}

// Save writes the vectors (with their counts) as a versioned gob
// (stdlib/internal/persist); WriteWord2VecFormat writes the C tool's
// format instead.
func (kv *KeyedVectors) Save(w io.Writer) error { return save(w, "KeyedVectors", kvVersion, kv) }

// SaveFile writes the vectors to path atomically.
func (kv *KeyedVectors) SaveFile(path string) error {
	return saveFile(path, "KeyedVectors", kvVersion, kv)
}

// LoadKeyedVectors reads vectors written by Save.
func LoadKeyedVectors(r io.Reader) (*KeyedVectors, error) {
	return load(r, "KeyedVectors", kvVersion, func(kv *KeyedVectors) bool { return kv.Dim >= 1 })
}

// LoadKeyedVectorsFile reads vectors written by SaveFile.
func LoadKeyedVectorsFile(path string) (*KeyedVectors, error) {
	return loadFile(path, LoadKeyedVectors)
}

// MeanCosine returns the mean cosine similarity of pairs random pairs of
// distinct words drawn (with seed) from the frequency band [from, to) of
// the vocabulary — words are stored most frequent first. Unrelated words
// should be near 0; a mean far above it says the vectors share one
// direction (they have collapsed towards it) and that a nearest neighbour
// at a high cosine means little. to must exceed from by at least 2.
func (kv *KeyedVectors) MeanCosine(from, to, pairs int, seed uint64) (float64, error) {
	if from < 0 || to > kv.Len() || to-from < 2 || pairs < 1 {
		return 0, fmt.Errorf("%w: MeanCosine of %d pairs in words [%d, %d) of %d", ErrBadInput, pairs, from, to, kv.Len())
	}
	u := kv.unit()
	rng := rand.New(rand.NewPCG(seed, 0xc05))
	var sum float64
	for range pairs {
		a := from + rng.IntN(to-from)
		b := from + rng.IntN(to-from-1)
		if b >= a {
			b++
		}
		sum += float64(blas.Sdot(kv.Dim, u[a*kv.Dim:(a+1)*kv.Dim], 1, u[b*kv.Dim:(b+1)*kv.Dim], 1))
	}
	return sum / float64(pairs), nil
}
