package nmf

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// TopicNames names each component by its n heaviest features, heaviest
// first, numbered from 1: "3: mortgage credit rates".
func (m *Model) TopicNames(featureNames []string, n int) ([]string, error) {
	top, err := m.TopTerms(featureNames, n)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(top))
	for i, words := range top {
		names[i] = fmt.Sprintf("%d: %s", i+1, strings.Join(words, " "))
	}
	return names, nil
}

// MeanShares scales each row of W (rows×k) to sum to one — a sample's
// share of each component — and averages those rows over the samples of
// each label: row g of the result is the mean share of the samples whose
// label is order[g]. Samples with an all-zero row are left out; a label
// with no sample gets a zero row. labels has one entry per row of W, each
// of them in order.
func MeanShares(W mat.Matrix, labels, order []string) (*mat.Dense, error) {
	rows, k := W.Dims()
	if len(labels) != rows {
		return nil, fmt.Errorf("%w: %d labels for %d rows", ErrBadInput, len(labels), rows)
	}
	index := map[string]int{}
	for i, l := range order {
		index[l] = i
	}
	out := mat.NewDense(len(order), k, nil)
	counts := make([]float64, len(order))
	row := make([]float64, k)
	for i, l := range labels {
		g, ok := index[l]
		if !ok {
			return nil, fmt.Errorf("%w: label %q of row %d is not in order", ErrBadInput, l, i)
		}
		mat.Row(row, i, W)
		total := floats.Sum(row)
		if total == 0 {
			continue
		}
		floats.AddScaled(out.RawRowView(g), 1/total, row)
		counts[g]++
	}
	for g := range order {
		floats.Scale(1/max(counts[g], 1), out.RawRowView(g))
	}
	return out, nil
}
