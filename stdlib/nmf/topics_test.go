package nmf_test

import (
	"errors"
	"testing"

	"github.com/gonbml/gonbml/stdlib/nmf"
	"gonum.org/v1/gonum/mat"
)

func TestMeanShares(t *testing.T) {
	w := mat.NewDense(4, 2, []float64{
		3, 1, // a: shares 0.75 0.25
		0, 2, // b: 0 1
		1, 1, // a: 0.5 0.5
		0, 0, // b: all zero, left out
	})
	got, err := nmf.MeanShares(w, []string{"a", "b", "a", "b"}, []string{"b", "a", "c"})
	if err != nil {
		t.Fatal(err)
	}
	want := mat.NewDense(3, 2, []float64{0, 1, 0.625, 0.375, 0, 0})
	if !mat.EqualApprox(got, want, 1e-15) {
		t.Errorf("MeanShares =\n%v\nwant\n%v", mat.Formatted(got), mat.Formatted(want))
	}
	if _, err := nmf.MeanShares(w, []string{"a"}, []string{"a"}); !errors.Is(err, nmf.ErrBadInput) {
		t.Errorf("too few labels: %v", err)
	}
	if _, err := nmf.MeanShares(w, []string{"a", "b", "a", "z"}, []string{"a", "b"}); !errors.Is(err, nmf.ErrBadInput) {
		t.Errorf("unknown label: %v", err)
	}
}

func TestTopicNames(t *testing.T) {
	m := &nmf.Model{H: mat.NewDense(2, 3, []float64{0.1, 0.9, 0.5, 3, 0, 1})}
	got, err := m.TopicNames([]string{"x", "y", "z"}, 2)
	if err != nil || len(got) != 2 || got[0] != "1: y z" || got[1] != "2: x z" {
		t.Errorf("TopicNames = %q, %v", got, err)
	}
}
