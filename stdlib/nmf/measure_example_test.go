package nmf_test

import (
	"fmt"

	"github.com/gonbml/gonbml/stdlib/nmf"
	"gonum.org/v1/gonum/mat"
)

func ExampleAgreement() {
	a := mat.NewDense(2, 3, []float64{1, 0, 0, 0, 1, 1})
	b := mat.NewDense(2, 3, []float64{0, 2, 2, 3, 0, 0}) // a's rows, swapped and scaled
	s, _ := nmf.Agreement(a, b)
	fmt.Printf("%.3f\n", s)
	// Output: 1.000
}

func ExampleNearZero() {
	h := mat.NewDense(2, 4, []float64{
		1, 0, 0, 0.5, // a part: half its pixels empty
		-1, 1, -0.5, 0.5, // a signed, spread pattern
	})
	share, _ := nmf.NearZero(h, 0.01)
	fmt.Println(share)
	// Output: [0.5 0]
}

func ExampleMeanShares() {
	w := mat.NewDense(3, 2, []float64{3, 1, 0, 2, 1, 1})
	shares, _ := nmf.MeanShares(w, []string{"ham", "spam", "ham"}, []string{"ham", "spam"})
	fmt.Println(mat.Formatted(shares))
	// Output:
	// ⎡0.625  0.375⎤
	// ⎣    0      1⎦
}
