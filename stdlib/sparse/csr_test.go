package sparse_test

import (
	"math"
	"testing"

	"github.com/gonbml/gonbml/stdlib/sparse"
	"gonum.org/v1/gonum/mat"
)

func TestFromTripletsSumsDuplicates(t *testing.T) {
	m, err := sparse.FromTriplets(2, 3, []sparse.Triplet{{1, 2, 1}, {0, 1, 2}, {1, 2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.At(1, 2); got != 4 { // 1 + 3 summed, as scipy does
		t.Errorf("At(1,2) = %v, want 4", got)
	}
	if got := m.At(0, 0); got != 0 {
		t.Errorf("At(0,0) = %v, want 0", got)
	}
	if m.NNZ() != 2 {
		t.Errorf("NNZ = %d, want 2", m.NNZ())
	}
}

func TestNewCSRRejectsBadInput(t *testing.T) {
	for _, tc := range []struct {
		name    string
		indptr  []int
		indices []int
		data    []float64
	}{
		{"short indptr", []int{0, 1}, []int{0}, []float64{1}},
		{"column out of range", []int{0, 1, 1}, []int{3}, []float64{1}},
		{"unsorted row", []int{0, 2, 2}, []int{1, 0}, []float64{1, 1}},
		{"nan", []int{0, 1, 1}, []int{0}, []float64{math.NaN()}},
		{"ragged", []int{0, 2, 1}, []int{0}, []float64{1}},
	} {
		if _, err := sparse.NewCSR(2, 3, tc.indptr, tc.indices, tc.data); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestRowsDense(t *testing.T) {
	d := mat.NewDense(3, 3, []float64{1, 0, 2, 0, 0, 0, 0, 3, 0})
	m, err := sparse.FromDense(d)
	if err != nil {
		t.Fatal(err)
	}
	got := m.RowsDense(1, 3)
	if want := mat.NewDense(2, 3, []float64{0, 0, 0, 0, 3, 0}); !mat.Equal(got, want) {
		t.Errorf("RowsDense(1, 3) = %v, want %v", mat.Formatted(got), mat.Formatted(want))
	}
	defer func() {
		if recover() == nil {
			t.Error("RowsDense(2, 4) did not panic")
		}
	}()
	m.RowsDense(2, 4)
}
