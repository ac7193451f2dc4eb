package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Init names a weight initialisation scheme.
type Init int

const (
	// InitUniformFanIn draws weights and biases from U(−1/√in, 1/√in), the
	// default of PyTorch's nn.Linear. It is the zero value.
	InitUniformFanIn Init = iota
	// InitXavier draws weights from U(−a, a) with a = √(6/(in+out)) (Glorot
	// and Bengio 2010), suited to tanh and sigmoid layers; biases are 0.
	InitXavier
	// InitHe draws weights from N(0, 2/in) (He et al. 2015), suited to ReLU
	// layers; biases are 0.
	InitHe
)

// String returns the scheme's name.
func (i Init) String() string {
	switch i {
	case InitUniformFanIn:
		return "uniform-fan-in"
	case InitXavier:
		return "xavier"
	case InitHe:
		return "he"
	}
	return fmt.Sprintf("Init(%d)", int(i))
}

// InitWeights fills the in×out weight matrix w and bias b (which may be nil)
// by scheme s, drawing from rng.
func InitWeights(s Init, w *Matrix, b []float32, rng *rand.Rand) {
	in, out := w.Rows, w.Cols
	switch s {
	case InitXavier:
		a := math.Sqrt(6 / float64(in+out))
		for i := range w.Data {
			w.Data[i] = float32((2*rng.Float64() - 1) * a)
		}
		clear(b)
	case InitHe:
		sd := math.Sqrt(2 / float64(in))
		for i := range w.Data {
			w.Data[i] = float32(rng.NormFloat64() * sd)
		}
		clear(b)
	default:
		a := 1 / math.Sqrt(float64(in))
		for i := range w.Data {
			w.Data[i] = float32((2*rng.Float64() - 1) * a)
		}
		for i := range b {
			b[i] = float32((2*rng.Float64() - 1) * a)
		}
	}
}

// Dense is a fully connected layer y = x·W + b with W stored In×Out.
// It keeps no activations: the caller passes the layer input back to
// Backward, which lets a model own and reuse all its buffers.
type Dense struct {
	In, Out int
	W       *Matrix   // In×Out weights
	B       []float32 // Out biases
	GradW   *Matrix   // gradient of the loss with respect to W
	GradB   []float32 // gradient of the loss with respect to B
}

// NewDense returns an in→out layer initialised by scheme s from rng.
func NewDense(in, out int, s Init, rng *rand.Rand) *Dense {
	d := &Dense{In: in, Out: out, W: NewMatrix(in, out), B: make([]float32, out),
		GradW: NewMatrix(in, out), GradB: make([]float32, out)}
	InitWeights(s, d.W, d.B, rng)
	return d
}

// Forward sets y = x·W + b. y must be x.Rows×Out.
func (d *Dense) Forward(y, x *Matrix, workers int) {
	MatMul(y, x, d.W, MatMulOptions{Workers: workers})
	AddBias(y, d.B)
}

// Backward adds xᵀ·dy to GradW and the column sums of dy to GradB, and sets
// dx = dy·Wᵀ unless dx is nil (the first layer needs no input gradient).
func (d *Dense) Backward(dx, x, dy *Matrix, workers int) {
	MatMul(d.GradW, x, dy, MatMulOptions{TransA: true, Add: true, Workers: workers})
	gb := d.GradB[:dy.Cols]
	for i := 0; i < dy.Rows; i++ {
		row := dy.Data[i*dy.Cols : (i+1)*dy.Cols]
		for j, v := range row {
			gb[j] += v
		}
	}
	if dx != nil {
		MatMul(dx, dy, d.W, MatMulOptions{TransB: true, Workers: workers})
	}
}

// BackwardOverwrite is Backward but sets GradW and GradB to this batch's
// gradients instead of adding to them, which saves clearing them first.
// dx (if not nil) is set, or added to when addDx is true.
func (d *Dense) BackwardOverwrite(dx, x, dy *Matrix, addDx bool, workers int) {
	MatMul(d.GradW, x, dy, MatMulOptions{TransA: true, Workers: workers})
	gb := d.GradB[:dy.Cols]
	clear(gb)
	for i := 0; i < dy.Rows; i++ {
		row := dy.Data[i*dy.Cols : (i+1)*dy.Cols]
		for j, v := range row {
			gb[j] += v
		}
	}
	if dx != nil {
		MatMul(dx, dy, d.W, MatMulOptions{TransB: true, Add: addDx, Workers: workers})
	}
}

// BackwardAdd is Backward but adds dy·Wᵀ to dx instead of overwriting it,
// for an input that feeds several layers.
func (d *Dense) BackwardAdd(dx, x, dy *Matrix, workers int) {
	d.Backward(nil, x, dy, workers)
	MatMul(dx, dy, d.W, MatMulOptions{TransB: true, Add: true, Workers: workers})
}

// Params returns the layer's parameters with their gradients, prefixed by name.
func (d *Dense) Params(name string) []Param {
	return []Param{{Name: name + ".W", Value: d.W.Data, Grad: d.GradW.Data},
		{Name: name + ".b", Value: d.B, Grad: d.GradB}}
}

// AddBias adds b to every row of y.
func AddBias(y *Matrix, b []float32) {
	b = b[:y.Cols]
	for i := 0; i < y.Rows; i++ {
		row := y.Data[i*y.Cols : (i+1)*y.Cols]
		for j := range row {
			row[j] += b[j]
		}
	}
}

// Param is one parameter tensor flattened, with its gradient of the same length.
type Param struct {
	Name  string
	Value []float32
	Grad  []float32
}

// ZeroGrads clears the gradients of params.
func ZeroGrads(params []Param) {
	for _, p := range params {
		clear(p.Grad)
	}
}
