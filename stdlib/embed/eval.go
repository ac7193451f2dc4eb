package embed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

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

// KNN is a k-nearest-neighbours classifier with cosine similarity and
// majority vote (ties go to the label of the closest neighbour among the
// tied labels).
type KNN struct {
	K      int        // neighbours; default 5
	X      *mat.Dense // unit-length training rows
	Labels []int
}

// FitKNN stores unit-length copies of the training rows.
func FitKNN(x mat.Matrix, labels []int, k int) (*KNN, error) {
	r, _ := x.Dims()
	if r == 0 || r != len(labels) {
		return nil, fmt.Errorf("embed: knn has %d rows and %d labels", r, len(labels))
	}
	if k <= 0 {
		k = 5
	}
	if err := checkFinite(x); err != nil {
		return nil, err
	}
	return &KNN{K: k, X: normalizeRows(x), Labels: append([]int(nil), labels...)}, nil
}

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

// CrossValidateKNN estimates the accuracy of a cosine kNN classifier with
// k neighbours by stratified-free shuffled folds-fold cross-validation
// (rows shuffled with seed, then cut into folds contiguous parts).
func CrossValidateKNN(ctx context.Context, x mat.Matrix, labels []int, k, folds int, seed uint64) (CVResult, error) {
	r, c := x.Dims()
	if r != len(labels) {
		return CVResult{}, fmt.Errorf("embed: %d rows and %d labels", r, len(labels))
	}
	if folds < 2 || folds > r {
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
		m, err := FitKNN(train, trainY, k)
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
