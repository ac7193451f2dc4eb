package notebook

import (
	"context"

	"github.com/gonbml/gonbml/stdlib/datasets"
)

// MNISTSplit is a training and a test set of MNIST digits.
type MNISTSplit struct{ Train, Test *datasets.Digits }

// MNIST returns the split the notebooks share: the 10,000 digits split
// 9,000/1,000, stratified and seeded (datasets.LoadMNISTSplit with test
// fraction 0.1, seed 0), so cached models trained in one notebook match the
// data of another. It fails the cell when the data set cannot be loaded.
func MNIST() MNISTSplit {
	train, test, err := datasets.LoadMNISTSplit(context.Background(), 0.1, 0)
	OK(err)
	return MNISTSplit{train, test}
}
