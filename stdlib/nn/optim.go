package nn

import (
	"fmt"
	"math"
)

// Optimizer updates parameters from their gradients. Step must be called
// with the same parameter list, in the same order, every time.
type Optimizer interface {
	Step(params []Param)
}

// SGD is stochastic gradient descent with optional momentum:
// v ← μ·v + g, p ← p − lr·v.
type SGD struct {
	LR       float64 // learning rate; 0 means 0.01
	Momentum float64 // μ; default 0 (plain SGD)
	vel      [][]float32
}

// Step applies one update.
func (o *SGD) Step(params []Param) {
	lr := float32(o.LR)
	if lr == 0 {
		lr = 0.01
	}
	mu := float32(o.Momentum)
	if mu == 0 {
		for _, p := range params {
			g := p.Grad[:len(p.Value)]
			for i := range p.Value {
				p.Value[i] -= lr * g[i]
			}
		}
		return
	}
	if o.vel == nil {
		o.vel = make([][]float32, len(params))
		for i, p := range params {
			o.vel[i] = make([]float32, len(p.Value))
		}
	}
	for k, p := range params {
		v := o.vel[k][:len(p.Value)]
		g := p.Grad[:len(p.Value)]
		for i := range p.Value {
			v[i] = mu*v[i] + g[i]
			p.Value[i] -= lr * v[i]
		}
	}
}

// Adam is the optimiser of Kingma and Ba (2015) with bias correction, with
// PyTorch's defaults.
type Adam struct {
	LR      float64 // learning rate; 0 means 0.001
	Beta1   float64 // first-moment decay; 0 means 0.9
	Beta2   float64 // second-moment decay; 0 means 0.999
	Epsilon float64 // added to √v; 0 means 1e-8
	// Workers splits large parameter tensors between goroutines; 0 means 1.
	Workers int

	t    int
	m, v [][]float32
}

// Validate reports out-of-range settings.
func (o *Adam) Validate() error {
	switch {
	case o.LR < 0 || math.IsNaN(o.LR):
		return fmt.Errorf("nn: Adam.LR %v is negative", o.LR)
	case o.Beta1 < 0 || o.Beta1 >= 1:
		return fmt.Errorf("nn: Adam.Beta1 %v is outside [0, 1)", o.Beta1)
	case o.Beta2 < 0 || o.Beta2 >= 1:
		return fmt.Errorf("nn: Adam.Beta2 %v is outside [0, 1)", o.Beta2)
	case o.Epsilon < 0:
		return fmt.Errorf("nn: Adam.Epsilon %v is negative", o.Epsilon)
	}
	return nil
}

// Step applies one Adam update.
func (o *Adam) Step(params []Param) {
	lr, b1, b2, eps := o.LR, o.Beta1, o.Beta2, o.Epsilon
	if lr == 0 {
		lr = 1e-3
	}
	if b1 == 0 {
		b1 = 0.9
	}
	if b2 == 0 {
		b2 = 0.999
	}
	if eps == 0 {
		eps = 1e-8
	}
	if o.m == nil {
		o.m = make([][]float32, len(params))
		o.v = make([][]float32, len(params))
		for i, p := range params {
			o.m[i] = make([]float32, len(p.Value))
			o.v[i] = make([]float32, len(p.Value))
		}
	}
	o.t++
	// p ← p − lr·m̂/(√v̂ + ε) with m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ), folded into
	// one step size and a rescaled ε.
	c1 := 1 - math.Pow(b1, float64(o.t))
	c2 := 1 - math.Pow(b2, float64(o.t))
	step := float32(lr / c1 * math.Sqrt(c2))
	epsHat := float32(eps * math.Sqrt(c2))
	fb1, fb2 := float32(b1), float32(b2)
	for k, p := range params {
		m, v := o.m[k], o.v[k]
		parallelFor(len(p.Value), o.Workers, 1<<15, func(lo, hi int) {
			adamUpdate(p.Value[lo:hi], p.Grad[lo:hi], m[lo:hi], v[lo:hi], fb1, fb2, step, epsHat)
		})
	}
}

func adamUpdateGo(w, g, m, v []float32, b1, b2, step, eps float32) {
	g = g[:len(w)]
	m = m[:len(w)]
	v = v[:len(w)]
	for i := range w {
		gi := g[i]
		mi := b1*m[i] + (1-b1)*gi
		vi := b2*v[i] + (1-b2)*gi*gi
		m[i], v[i] = mi, vi
		w[i] -= step * mi / (float32(math.Sqrt(float64(vi))) + eps)
	}
}
