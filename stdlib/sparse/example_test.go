package sparse_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gonbml/gonbml/stdlib/sparse"
	"gonum.org/v1/gonum/mat"
)

func ExampleFromTriplets() {
	m, _ := sparse.FromTriplets(2, 3, []sparse.Triplet{{0, 0, 1}, {1, 2, 2}, {1, 2, 3}})
	r, c := m.Dims()
	fmt.Println(r, c, m.NNZ(), m.At(1, 2))
	// Output: 2 3 2 5
}

func ExampleNewCSR() {
	// Row 0 holds column 1; row 1 holds columns 0 and 2.
	m, err := sparse.NewCSR(2, 3, []int{0, 1, 3}, []int{1, 0, 2}, []float64{4, 5, 6})
	fmt.Println(err, mat.Formatted(m))
	// Output:
	// <nil> ⎡0  4  0⎤
	// ⎣5  0  6⎦
}

func ExampleCSR_MulDenseTo() {
	m, _ := sparse.FromTriplets(2, 3, []sparse.Triplet{{0, 0, 1}, {1, 2, 2}})
	b := mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 6})
	dst := mat.NewDense(2, 2, nil)
	m.MulDenseTo(dst, b, 2)
	fmt.Println(mat.Formatted(dst))
	// Output:
	// ⎡ 1   2⎤
	// ⎣10  12⎦
}

func ExampleCSR_MulTDenseTo() {
	m, _ := sparse.FromTriplets(2, 3, []sparse.Triplet{{0, 0, 1}, {1, 2, 2}})
	b := mat.NewDense(2, 1, []float64{3, 4})
	dst := mat.NewDense(3, 1, nil)
	m.MulTDenseTo(dst, b, 1) // mᵀ·b without building mᵀ
	fmt.Println(mat.Formatted(dst.T()))
	// Output: [3  0  8]
}

func ExampleCSR_RowNorms() {
	m, _ := sparse.FromTriplets(2, 2, []sparse.Triplet{{0, 0, 3}, {0, 1, 4}, {1, 1, 2}})
	fmt.Println(m.RowNorms(), m.ColSums(), m.RowSums(), m.ColNorms()[0])
	// Output: [5 2] [3 6] [7 2] 3
}

func ExampleWriteMatrixMarket() {
	m, _ := sparse.FromTriplets(2, 2, []sparse.Triplet{{1, 0, 0.5}})
	var buf bytes.Buffer
	sparse.WriteMatrixMarket(&buf, m)
	fmt.Print(buf.String())
	back, _ := sparse.ReadMatrixMarket(&buf)
	fmt.Println(back.At(1, 0))
	// Output:
	// %%MatrixMarket matrix coordinate real general
	// 2 2 1
	// 2 1 0.5
	// 0.5
}

func ExampleFromDense() {
	m, _ := sparse.FromDense(mat.NewDense(2, 2, []float64{0, 1, 2, 0}))
	fmt.Println(m.NNZ(), mat.Formatted(m.ToDense()))
	// Output:
	// 2 ⎡0  1⎤
	// ⎣2  0⎦
}

func ExampleCSR_MulDense() {
	m, _ := sparse.FromTriplets(2, 2, []sparse.Triplet{{0, 1, 2}, {1, 0, 3}})
	fmt.Println(mat.Formatted(m.MulDense(mat.NewDense(2, 1, []float64{10, 20}), 0)))
	// Output:
	// ⎡40⎤
	// ⎣30⎦
}

func ExampleCSR_MulTDense() {
	m, _ := sparse.FromTriplets(2, 2, []sparse.Triplet{{0, 1, 2}, {1, 0, 3}})
	fmt.Println(mat.Formatted(m.MulTDense(mat.NewDense(2, 1, []float64{10, 20}), 0)))
	// Output:
	// ⎡60⎤
	// ⎣20⎦
}

func ExampleCSR_Sum() {
	m, _ := sparse.FromTriplets(2, 2, []sparse.Triplet{{0, 0, 3}, {1, 1, 4}})
	fmt.Println(m.Sum(), m.SquaredNorm())
	// Output: 7 25
}

func ExampleWriteMatrixMarketFile() {
	dir, _ := os.MkdirTemp("", "mtx")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "x.mtx.gz") // .gz: gzip-compressed
	m, _ := sparse.FromTriplets(2, 3, []sparse.Triplet{{1, 2, 0.25}})
	if err := sparse.WriteMatrixMarketFile(path, m); err != nil {
		fmt.Println(err)
	}
	back, err := sparse.ReadMatrixMarketFile(path)
	fmt.Println(err, back.At(1, 2), back.NNZ())
	// Output: <nil> 0.25 1
}

func ExampleReadMatrixMarket() {
	in := "%%MatrixMarket matrix coordinate pattern symmetric\n3 3 1\n3 1\n"
	m, err := sparse.ReadMatrixMarket(strings.NewReader(in))
	fmt.Println(err, m.At(2, 0), m.At(0, 2))
	// Output: <nil> 1 1
}

func ExampleCSR_MarshalBinary() {
	m, _ := sparse.FromTriplets(2, 2, []sparse.Triplet{{0, 1, 5}})
	raw, _ := m.MarshalBinary() // what gob (and GoNB's cache) uses
	var back sparse.CSR
	err := back.UnmarshalBinary(raw)
	fmt.Println(err, back.At(0, 1))
	// Output: <nil> 5
}

func ExampleCSR_Transpose() {
	m, _ := sparse.FromTriplets(2, 3, []sparse.Triplet{{0, 2, 1}, {1, 0, 2}})
	fmt.Println(mat.Formatted(m.Transpose()))
	// Output:
	// ⎡0  2⎤
	// ⎢0  0⎥
	// ⎣1  0⎦
}
