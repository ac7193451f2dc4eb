package vae

import (
	"errors"
	"fmt"
	"math"

	"github.com/gonbml/gonbml/stdlib/nn"
	"gonum.org/v1/gonum/mat"
)

// ErrDiverged is wrapped by the error Train returns when the loss becomes
// NaN or infinite; the message names the epoch and batch.
var ErrDiverged = errors.New("vae: loss diverged")

// toMatrix32 copies X into a float32 matrix, checking the column count
// (when cols > 0), NaN/Inf and, for Bernoulli, the range [0, 1].
func toMatrix32(name string, X mat.Matrix, cols int, lik Likelihood) (*nn.Matrix, error) {
	if X == nil {
		return nil, fmt.Errorf("vae: %s is nil", name)
	}
	r, c := X.Dims()
	if r == 0 || c == 0 {
		return nil, fmt.Errorf("vae: %s is empty (%d×%d)", name, r, c)
	}
	if cols > 0 && c != cols {
		return nil, fmt.Errorf("vae: %s has %d columns, the model expects %d", name, c, cols)
	}
	out := nn.NewMatrix(r, c)
	var raw []float64
	stride := 0
	if d, ok := X.(*mat.Dense); ok {
		rm := d.RawMatrix()
		raw, stride = rm.Data, rm.Stride
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			var v float64
			if raw != nil {
				v = raw[i*stride+j]
			} else {
				v = X.At(i, j)
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("vae: %s has %v at row %d, column %d", name, v, i, j)
			}
			if lik == Bernoulli && (v < 0 || v > 1) {
				return nil, fmt.Errorf("vae: %s value %v at row %d, column %d is outside [0, 1], which the Bernoulli likelihood needs", name, v, i, j)
			}
			out.Data[i*c+j] = float32(v)
		}
	}
	return out, nil
}

// toDense converts a float32 matrix to a gonum matrix.
func toDense(m *nn.Matrix) *mat.Dense {
	d := make([]float64, len(m.Data))
	for i, v := range m.Data {
		d[i] = float64(v)
	}
	return mat.NewDense(m.Rows, m.Cols, d)
}

// rowsOf returns rows [lo, hi) of m as a view.
func rowsOf(m *nn.Matrix, lo, hi int) *nn.Matrix {
	return &nn.Matrix{Rows: hi - lo, Cols: m.Cols, Data: m.Data[lo*m.Cols : hi*m.Cols]}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
