package nn

import (
	"fmt"
	"math"
)

// Activation is an element-wise nonlinearity.
type Activation int

const (
	Identity Activation = iota // f(x) = x
	ReLU                       // f(x) = max(x, 0)
	Tanh                       // f(x) = tanh(x)
	Sigmoid                    // f(x) = 1/(1+e^−x)
	Softplus                   // f(x) = log(1+e^x)
)

// String returns the activation's name.
func (a Activation) String() string {
	switch a {
	case Identity:
		return "identity"
	case ReLU:
		return "relu"
	case Tanh:
		return "tanh"
	case Sigmoid:
		return "sigmoid"
	case Softplus:
		return "softplus"
	}
	return fmt.Sprintf("Activation(%d)", int(a))
}

// Forward sets y[i] = f(x[i]); y and x may be the same slice.
func (a Activation) Forward(y, x []float32) {
	y = y[:len(x)]
	switch a {
	case Identity:
		copy(y, x)
	case ReLU:
		for i, v := range x {
			y[i] = max(v, 0)
		}
	case Tanh:
		for i, v := range x {
			y[i] = float32(math.Tanh(float64(v)))
		}
	case Sigmoid:
		for i, v := range x {
			y[i] = SigmoidScalar(v)
		}
	case Softplus:
		for i, v := range x {
			y[i] = SoftplusScalar(v)
		}
	default:
		panic("nn: unknown activation " + a.String())
	}
}

// Backward sets dx[i] = dy[i]·f′(x[i]) given x and y = f(x); dx may alias dy.
func (a Activation) Backward(dx, x, y, dy []float32) {
	dx = dx[:len(dy)]
	switch a {
	case Identity:
		copy(dx, dy)
	case ReLU:
		y = y[:len(dy)]
		for i, g := range dy {
			if y[i] <= 0 {
				g = 0
			}
			dx[i] = g
		}
	case Tanh:
		y = y[:len(dy)]
		for i, g := range dy {
			dx[i] = g * (1 - y[i]*y[i])
		}
	case Sigmoid:
		y = y[:len(dy)]
		for i, g := range dy {
			dx[i] = g * y[i] * (1 - y[i])
		}
	case Softplus:
		x = x[:len(dy)]
		for i, g := range dy {
			dx[i] = g * SigmoidScalar(x[i])
		}
	default:
		panic("nn: unknown activation " + a.String())
	}
}

// SigmoidScalar is 1/(1+e^−x), computed without overflow.
func SigmoidScalar(x float32) float32 {
	if x >= 0 {
		return float32(1 / (1 + math.Exp(-float64(x))))
	}
	e := math.Exp(float64(x))
	return float32(e / (1 + e))
}

// SoftplusScalar is log(1+e^x), computed without overflow.
func SoftplusScalar(x float32) float32 {
	v := float64(x)
	return float32(max(v, 0) + math.Log1p(math.Exp(-math.Abs(v))))
}
