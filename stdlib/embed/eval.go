package embed

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/gonbml/gonbml/stdlib/fit"
	"gonum.org/v1/gonum/mat"
)

// Neighbor is a row index and its cosine similarity to a query.
type Neighbor struct {
	Index int
	Score float64
}

// normalizeRows returns a copy of x with unit-length rows (zero rows stay
// zero).
func normalizeRows(x mat.Matrix) *mat.Dense {
	r, c := x.Dims()
	u := mat.NewDense(r, c, nil)
	u.Copy(x)
	for i := 0; i < r; i++ {
		row := u.RawRowView(i)
		var n float64
		for _, v := range row {
			n += v * v
		}
		if n > 0 {
			n = 1 / math.Sqrt(n)
			for k := range row {
				row[k] *= n
			}
		}
	}
	return u
}

// NearestNeighbors returns, for the query vector q, the k rows of x with the
// highest cosine similarity, best first.
func NearestNeighbors(x mat.Matrix, q []float64, k int) ([]Neighbor, error) {
	r, c := x.Dims()
	if len(q) != c {
		return nil, fmt.Errorf("embed: query of size %d, rows have size %d", len(q), c)
	}
	u := normalizeRows(x)
	qn := normalizeRows(mat.NewDense(1, c, append([]float64(nil), q...)))
	var s mat.VecDense
	s.MulVec(u, qn.RowView(0))
	all := make([]Neighbor, r)
	for i := range all {
		all[i] = Neighbor{i, s.AtVec(i)}
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].Score > all[b].Score })
	return all[:min(k, r)], nil
}

// KNNConfig configures the k-nearest-neighbours classifier. The zero value
// is valid.
type KNNConfig struct {
	// K is the number of neighbours that vote. Default (0): 5.
	K int
}

// Validate reports an invalid field as an ErrBadConfig naming it.
func (c KNNConfig) Validate() error { return checkNonNeg("K", c.K) }

// KNN is a k-nearest-neighbours classifier with cosine similarity and
// majority vote (ties go to the label of the closest neighbour among the
// tied labels).
type KNN struct {
	K      int        // neighbours that vote
	X      *mat.Dense // unit-length training rows
	Labels []int
}

// Fit stores unit-length copies of the training rows x (one per sample)
// and their labels.
func (c KNNConfig) Fit(ctx context.Context, x mat.Matrix, labels []int) (*KNN, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	r, _ := x.Dims()
	if r == 0 || r != len(labels) {
		return nil, fmt.Errorf("embed: knn has %d rows and %d labels", r, len(labels))
	}
	if err := checkFinite(x); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &KNN{K: fit.Or(c.K, 5), X: normalizeRows(x), Labels: append([]int(nil), labels...)}, nil
}

// Save writes the classifier as a versioned gob.
func (m *KNN) Save(w io.Writer) error { return save(w, "KNN", knnVersion, m) }

// SaveFile writes the classifier to path atomically.
func (m *KNN) SaveFile(path string) error { return saveFile(path, "KNN", knnVersion, m) }

// LoadKNN reads a classifier written by Save.
func LoadKNN(r io.Reader) (*KNN, error) {
	return load(r, "KNN", knnVersion, func(m *KNN) bool {
		if m.X == nil || m.K < 1 {
			return false
		}
		n, _ := m.X.Dims()
		return n == len(m.Labels)
	})
}

// LoadKNNFile reads a classifier written by SaveFile.
func LoadKNNFile(path string) (*KNN, error) { return loadFile(path, LoadKNN) }

func checkFinite(x mat.Matrix) error {
	r, c := x.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if v := x.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("embed: non-finite value at row %d, column %d", i, j)
			}
		}
	}
	return nil
}

// Predict returns a label for each row of x.
func (m *KNN) Predict(x mat.Matrix) ([]int, error) {
	_, c := x.Dims()
	if _, tc := m.X.Dims(); c != tc {
		return nil, fmt.Errorf("embed: knn rows have size %d, trained on %d", c, tc)
	}
	if err := checkFinite(x); err != nil {
		return nil, err
	}
	u := normalizeRows(x)
	var s mat.Dense
	s.Mul(u, m.X.T())
	r, n := s.Dims()
	out := make([]int, r)
	idx := make([]int, n)
	for i := 0; i < r; i++ {
		row := s.RawRowView(i)
		for j := range idx {
			idx[j] = j
		}
		k := min(m.K, n)
		// Partial selection of the k best.
		for a := 0; a < k; a++ {
			best := a
			for b := a + 1; b < n; b++ {
				if row[idx[b]] > row[idx[best]] {
					best = b
				}
			}
			idx[a], idx[best] = idx[best], idx[a]
		}
		votes := map[int]int{}
		top := 0
		for a := 0; a < k; a++ {
			votes[m.Labels[idx[a]]]++
			if votes[m.Labels[idx[a]]] > top {
				top = votes[m.Labels[idx[a]]]
			}
		}
		for a := 0; a < k; a++ {
			if votes[m.Labels[idx[a]]] == top {
				out[i] = m.Labels[idx[a]]
				break
			}
		}
	}
	return out, nil
}

// CVResult holds per-fold and mean accuracy of a cross-validation.
type CVResult struct {
	FoldAccuracy []float64
	Accuracy     float64 // mean over folds
}

// CVConfig configures CrossValidateKNN. The zero value is valid.
type CVConfig struct {
	// K is the number of neighbours of the classifier. Default (0): 5.
	K int
	// Folds is the number of folds. Default (0): 5 (scikit-learn's cv=5).
	Folds int
	// Seed shuffles the rows before they are cut into folds. Default (0):
	// seed 0, a seed like any other.
	Seed uint64
}

// Validate reports the first invalid field as an ErrBadConfig naming it.
func (c CVConfig) Validate() error {
	if err := checkNonNeg("K", c.K); err != nil {
		return err
	}
	if c.Folds < 0 || c.Folds == 1 {
		return fit.BadConfig(ErrBadConfig, "Folds", c.Folds, "at least 2 (0: the default 5)")
	}
	return nil
}

// CrossValidateKNN estimates the accuracy of a cosine kNN classifier by
// shuffled (not stratified) cross-validation: rows shuffled with Seed, then
// cut into Folds contiguous parts, each predicted by a classifier fitted on
// the others.
func CrossValidateKNN(ctx context.Context, x mat.Matrix, labels []int, cfg CVConfig) (CVResult, error) {
	if err := cfg.Validate(); err != nil {
		return CVResult{}, err
	}
	folds, seed := fit.Or(cfg.Folds, 5), cfg.Seed
	r, c := x.Dims()
	if r != len(labels) {
		return CVResult{}, fmt.Errorf("embed: %d rows and %d labels", r, len(labels))
	}
	if folds > r {
		return CVResult{}, fmt.Errorf("embed: %d folds for %d rows", folds, r)
	}
	perm := rand.New(rand.NewPCG(seed, 0)).Perm(r)
	var res CVResult
	for f := 0; f < folds; f++ {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		lo, hi := f*r/folds, (f+1)*r/folds
		train := mat.NewDense(r-(hi-lo), c, nil)
		test := mat.NewDense(hi-lo, c, nil)
		var trainY, testY []int
		for p, i := range perm {
			row := mat.Row(nil, i, x)
			if p >= lo && p < hi {
				test.SetRow(len(testY), row)
				testY = append(testY, labels[i])
			} else {
				train.SetRow(len(trainY), row)
				trainY = append(trainY, labels[i])
			}
		}
		m, err := KNNConfig{K: cfg.K}.Fit(ctx, train, trainY)
		if err != nil {
			return res, err
		}
		pred, err := m.Predict(test)
		if err != nil {
			return res, err
		}
		correct := 0
		for i, p := range pred {
			if p == testY[i] {
				correct++
			}
		}
		acc := float64(correct) / float64(len(pred))
		res.FoldAccuracy = append(res.FoldAccuracy, acc)
		res.Accuracy += acc / float64(folds)
	}
	return res, nil
}

// MajorityBaseline is the accuracy of always predicting the most frequent
// label: the score every classifier's accuracy is to be read against
// (0 for no labels).
func MajorityBaseline(labels []int) float64 {
	count := map[int]int{}
	best := 0
	for _, l := range labels {
		count[l]++
		best = max(best, count[l])
	}
	if len(labels) == 0 {
		return 0
	}
	return float64(best) / float64(len(labels))
}
