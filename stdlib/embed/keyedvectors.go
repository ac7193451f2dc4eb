package embed

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// KeyedVectors maps words to dense float32 vectors, like gensim's
// KeyedVectors. Words are stored most frequent first when they come from
// training.
type KeyedVectors struct {
	Dim     int       // vector size
	Words   []string  // word i has vector Vectors[i*Dim:(i+1)*Dim]
	Vectors []float32 // row-major, len(Words)*Dim
	Counts  []int64   // corpus count of each word; nil when unknown (e.g. loaded from a file)

	mu    sync.Mutex // guards the lazy index and norms, so look-ups are safe from many goroutines
	index map[string]int
	norms []float32 // unit-length copy of Vectors, built on first similarity query
}

// NewKeyedVectors wraps words and their row-major vectors. It returns an
// error if the sizes disagree, a word repeats or a value is not finite.
func NewKeyedVectors(words []string, vectors []float32, dim int) (*KeyedVectors, error) {
	if dim < 1 {
		return nil, fmt.Errorf("embed: vector size %d < 1", dim)
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

// Vector returns the vector of word (a view into Vectors, not a copy) and
// whether the word is known.
func (kv *KeyedVectors) Vector(word string) ([]float32, bool) {
	i, ok := kv.Index(word)
	if !ok {
		return nil, false
	}
	return kv.Vectors[i*kv.Dim : (i+1)*kv.Dim], true
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
func Cosine(a, b []float32) float64 {
	if len(a) != len(b) {
		panic("embed: cosine of vectors of different length")
	}
	var dot, na, nb float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
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
func (kv *KeyedVectors) SimilarByVector(v []float32, topn int) ([]WordScore, error) {
	if len(v) != kv.Dim {
		return nil, fmt.Errorf("embed: query of size %d, vectors have size %d", len(v), kv.Dim)
	}
	return kv.byUnitQuery(v, topn, nil), nil
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
// format, atomically (a temporary file in the same directory renamed over
// path).
func (kv *KeyedVectors) SaveWord2VecFormat(path string, binaryFormat bool) error {
	return writeAtomic(path, func(w io.Writer) error { return kv.WriteWord2VecFormat(w, binaryFormat) })
}

// writeAtomic writes to a temporary file next to path and renames it over
// path only when write and close succeed.
func writeAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("embed: %w", err)
	}
	tmp := f.Name()
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("embed: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("embed: %w", err)
	}
	return nil
}

// ReadWord2VecFormat reads vectors in word2vec text or binary format.
func ReadWord2VecFormat(r io.Reader, binaryFormat bool) (*KeyedVectors, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	header, err := br.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("embed: read word2vec header: %w", err)
	}
	var n, dim int
	if _, err := fmt.Sscanf(strings.TrimSpace(header), "%d %d", &n, &dim); err != nil {
		return nil, fmt.Errorf("embed: bad word2vec header %q: %w", strings.TrimSpace(header), err)
	}
	if n < 0 || dim < 1 || n > 1<<28 || dim > 1<<16 {
		return nil, fmt.Errorf("embed: bad word2vec header %q", strings.TrimSpace(header))
	}
	words := make([]string, 0, n)
	vecs := make([]float32, 0, n*dim)
	buf := make([]byte, 4*dim)
	for i := 0; i < n; i++ {
		if binaryFormat {
			word, err := br.ReadString(' ')
			if err != nil {
				return nil, fmt.Errorf("embed: word %d of %d: %w", i+1, n, err)
			}
			word = strings.TrimLeft(word[:len(word)-1], "\n")
			if _, err := io.ReadFull(br, buf); err != nil {
				return nil, fmt.Errorf("embed: vector of %q: %w", word, err)
			}
			for k := 0; k < dim; k++ {
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
		if len(f) != dim+1 {
			return nil, fmt.Errorf("embed: line %d has %d values, want %d", i+2, len(f)-1, dim)
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
	return NewKeyedVectors(words, vecs, dim)
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
