package pca_test

import (
	"context"
	"fmt"

	"github.com/gonbml/gonbml/stdlib/pca"
	"gonum.org/v1/gonum/mat"
)

func ExampleConfig_Fit() {
	// Points on the line (1, 2) + t·(0.6, 0.8): one direction holds all the variance.
	x := mat.NewDense(3, 2, []float64{0.4, 1.2, 1, 2, 1.6, 2.8})
	m, err := pca.Config{Components: 1}.Fit(context.Background(), x)
	if err != nil {
		fmt.Println(err)
		return
	}
	z, _ := m.Transform(x)
	fmt.Printf("axis %.1f, ratio %.2f, scores %.1f\n", m.Components.RawRowView(0), m.ExplainedVarianceRatio(), mat.Col(nil, 0, z))
	// Output: axis [0.6 0.8], ratio [1.00], scores [-1.0 0.0 1.0]
}
