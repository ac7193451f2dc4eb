// Package pca is principal component analysis in the stdlib's one shape:
//
//	m, err := pca.Config{Components: 2}.Fit(ctx, X)   // *pca.Model
//	z, err := m.Transform(X)                          // scores, rows×k
//	back, err := m.InverseTransform(z)                // rows×cols
//	m.ExplainedVarianceRatio()                        // share of variance per component
//
// Rows of X are samples, columns features (as scikit-learn). Fit centres X
// and takes the singular value decomposition of the centred data (gonum's
// stat.PC); the components are the right singular vectors, largest
// variance first, each with its sign fixed so that its entry of largest
// magnitude is positive (results do not depend on the SVD routine's
// choice of signs). Explained variances use the n−1 denominator, as
// scikit-learn's explained_variance_.
//
// Models save and load with Save/SaveFile and Load/LoadFile in the
// stdlib's versioned model format (stdlib/internal/persist).
package pca

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/internal/persist"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// ErrBadConfig is wrapped by every error Validate returns.
var ErrBadConfig = errors.New("pca: bad config")

// ErrBadInput is wrapped by every error about the data.
var ErrBadInput = errors.New("pca: bad input")

// Config describes a PCA. The zero value is valid: every component.
type Config struct {
	// Components is the number of principal components kept. Default (0):
	// min(rows, cols). It must not exceed min(rows, cols).
	Components int
}

// Validate reports an invalid field, naming it.
func (c Config) Validate() error {
	if c.Components < 0 {
		return fit.BadConfig(ErrBadConfig, "Components", c.Components, "at least 1 (or 0 for all)")
	}
	return nil
}

// Model is a fitted PCA.
type Model struct {
	// Mean is the mean of each feature, subtracted before projecting.
	Mean []float64
	// Components is k×cols: the principal axes, one per row, largest
	// variance first (scikit-learn's components_).
	Components *mat.Dense
	// ExplainedVariance is the variance of the data along each component
	// (n−1 denominator).
	ExplainedVariance []float64
	// TotalVariance is the sum of the variances of all features.
	TotalVariance float64
}

// Fit computes the principal components of X (rows are samples). X is not
// modified. ctx is checked before the decomposition, which cannot be
// interrupted part-way (it takes well under a second for thousands of rows
// and hundreds of columns).
func (c Config) Fit(ctx context.Context, X mat.Matrix) (*Model, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if X == nil {
		return nil, fmt.Errorf("%w: X is nil", ErrBadInput)
	}
	rows, cols := X.Dims()
	if rows < 2 || cols < 1 {
		return nil, fmt.Errorf("%w: X is %d×%d, want at least 2 rows and 1 column", ErrBadInput, rows, cols)
	}
	k := c.Components
	if k == 0 {
		k = min(rows, cols)
	}
	if k > min(rows, cols) {
		return nil, fit.BadConfig(ErrBadConfig, "Components", k, fmt.Sprintf("at most min(rows, cols) = %d", min(rows, cols)))
	}
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			if v := X.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: non-finite value %v at row %d, column %d", ErrBadInput, v, i, j)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var pc stat.PC
	if !pc.PrincipalComponents(X, nil) {
		return nil, fmt.Errorf("%w: the singular value decomposition did not converge", ErrBadInput)
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs) // cols×min(rows, cols), one component per column
	vars := pc.VarsTo(nil)
	m := &Model{Mean: make([]float64, cols), Components: mat.NewDense(k, cols, nil), ExplainedVariance: make([]float64, k)}
	for j := 0; j < cols; j++ {
		m.Mean[j] = stat.Mean(mat.Col(nil, j, X), nil)
	}
	for r := 0; r < k; r++ {
		row := m.Components.RawRowView(r)
		mat.Col(row, r, &vecs)
		big := 0
		for j, v := range row {
			if math.Abs(v) > math.Abs(row[big]) {
				big = j
			}
		}
		if row[big] < 0 {
			for j := range row {
				row[j] = -row[j]
			}
		}
		m.ExplainedVariance[r] = max(vars[r], 0)
	}
	for _, v := range vars {
		m.TotalVariance += max(v, 0)
	}
	return m, nil
}

// ExplainedVarianceRatio returns each component's share of the total
// variance (all of them sum to 1 when Components is min(rows, cols)).
func (m *Model) ExplainedVarianceRatio() []float64 {
	out := make([]float64, len(m.ExplainedVariance))
	if m.TotalVariance == 0 {
		return out
	}
	for i, v := range m.ExplainedVariance {
		out[i] = v / m.TotalVariance
	}
	return out
}

// Transform returns the scores of X on the components, (X − Mean)·Cᵀ:
// rows×k.
func (m *Model) Transform(X mat.Matrix) (*mat.Dense, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	rows, cols := X.Dims()
	if cols != len(m.Mean) {
		return nil, fmt.Errorf("%w: X has %d columns, the model %d", ErrBadInput, cols, len(m.Mean))
	}
	centred := mat.NewDense(rows, cols, nil)
	for i := 0; i < rows; i++ {
		row := centred.RawRowView(i)
		for j := range row {
			row[j] = X.At(i, j) - m.Mean[j]
		}
	}
	var z mat.Dense
	z.Mul(centred, m.Components.T())
	return &z, nil
}

// InverseTransform maps scores Z (rows×k) back to the data space:
// Z·C + Mean.
func (m *Model) InverseTransform(Z mat.Matrix) (*mat.Dense, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	k, _ := m.Components.Dims()
	if _, c := Z.Dims(); c != k {
		return nil, fmt.Errorf("%w: Z has %d columns, the model %d components", ErrBadInput, c, k)
	}
	var x mat.Dense
	x.Mul(Z, m.Components)
	rows, _ := x.Dims()
	for i := 0; i < rows; i++ {
		row := x.RawRowView(i)
		for j := range row {
			row[j] += m.Mean[j]
		}
	}
	return &x, nil
}

func (m *Model) check() error {
	if m == nil || m.Components == nil {
		return errors.New("pca: model is not fitted")
	}
	k, cols := m.Components.Dims()
	if cols != len(m.Mean) || k != len(m.ExplainedVariance) {
		return fmt.Errorf("pca: inconsistent model: %d×%d components, %d means, %d variances", k, cols, len(m.Mean), len(m.ExplainedVariance))
	}
	return nil
}

// codec is the model's file format: kind pca.Model, version 1 (see
// stdlib/internal/persist); check rejects a corrupt file.
var codec = persist.Codec[Model]{Pkg: "pca", Kind: "pca.Model", Version: 1, Check: (*Model).check}

// Save writes the model in the stdlib's versioned model format.
func (m *Model) Save(w io.Writer) error { return codec.Save(w, m) }

// SaveFile writes the model to path atomically (see Save).
func (m *Model) SaveFile(path string) error { return codec.SaveFile(path, m) }

// Load reads a model written by Save. A file of another kind or format
// version fails with an error naming what it holds.
func Load(r io.Reader) (*Model, error) { return codec.Load(r) }

// LoadFile reads a model saved with SaveFile.
func LoadFile(path string) (*Model, error) { return codec.LoadFile(path) }
