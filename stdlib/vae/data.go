package vae

import (
	"errors"
	"fmt"
	"math"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/nn"
	"gonum.org/v1/gonum/mat"
)

// Errors wrapped by what the package returns, so a caller can branch with
// errors.Is.
var (
	// ErrBadConfig: a Config field is out of range (Config.Validate).
	ErrBadConfig = errors.New("vae: bad config")
	// ErrBadInput: the data has the wrong shape, a NaN or infinite value,
	// or a value outside [0, 1] under the Bernoulli likelihood.
	ErrBadInput = errors.New("vae: bad input")
	// ErrDiverged: the training loss became NaN, infinite or more than
	// tenfold its first value (fit.Diverged); the message names the epoch
	// and batch.
	ErrDiverged = errors.New("vae: loss diverged")
)

// toMatrix32 copies X into a float32 matrix, checking the column count
// (when cols > 0), NaN/Inf and, for Bernoulli, the range [0, 1].
func toMatrix32(name string, X mat.Matrix, cols int, lik Likelihood) (*nn.Matrix, error) {
	if X == nil {
		return nil, fmt.Errorf("%w: %s is nil", ErrBadInput, name)
	}
	r, c := X.Dims()
	if r == 0 || c == 0 {
		return nil, fmt.Errorf("%w: %s is empty (%d×%d)", ErrBadInput, name, r, c)
	}
	if cols > 0 && c != cols {
		return nil, fmt.Errorf("%w: %s has %d columns, the model expects %d", ErrBadInput, name, c, cols)
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
				return nil, fmt.Errorf("%w: %s has %v at row %d, column %d", ErrBadInput, name, v, i, j)
			}
			if lik == Bernoulli && (v < 0 || v > 1) {
				return nil, fmt.Errorf("%w: %s value %v at row %d, column %d is outside [0, 1], which the Bernoulli likelihood needs", ErrBadInput, name, v, i, j)
			}
			out.Data[i*c+j] = float32(v)
		}
	}
	return out, nil
}

// toDense converts a float32 matrix to a gonum matrix, or returns an error
// wrapping fit.ErrNonFinite naming the first NaN or infinite value of what.
func toDense(what string, m *nn.Matrix) (*mat.Dense, error) {
	d := make([]float64, len(m.Data))
	for i, v := range m.Data {
		d[i] = float64(v)
		if !finite(d[i]) {
			return nil, nonFinite(fmt.Sprintf("%s at row %d, column %d", what, i/m.Cols, i%m.Cols), d[i])
		}
	}
	return mat.NewDense(m.Rows, m.Cols, d), nil
}

// nonFinite is the error for a NaN or infinite result v; it wraps
// fit.ErrNonFinite.
func nonFinite(what string, v float64) error {
	return fmt.Errorf("vae: %w (the weights overflow float32 on this input)", fit.Finite(what, v))
}

// finiteTerms returns t, or an error naming its first non-finite term.
func finiteTerms(what string, t Terms) (Terms, error) {
	for _, v := range []struct {
		name string
		v    float64
	}{{"NegELBO", t.NegELBO}, {"Reconstruction", t.Reconstruction}, {"KL", t.KL}} {
		if !finite(v.v) {
			return Terms{}, nonFinite(what+" "+v.name, v.v)
		}
	}
	return t, nil
}

// finiteRows returns vs, or an error naming its first non-finite value.
func finiteRows(what string, vs []float64) ([]float64, error) {
	for i, v := range vs {
		if !finite(v) {
			return nil, nonFinite(fmt.Sprintf("%s of row %d", what, i), v)
		}
	}
	return vs, nil
}

// rowsOf returns rows [lo, hi) of m as a view.
func rowsOf(m *nn.Matrix, lo, hi int) *nn.Matrix {
	return &nn.Matrix{Rows: hi - lo, Cols: m.Cols, Data: m.Data[lo*m.Cols : hi*m.Cols]}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
