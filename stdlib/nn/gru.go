package nn

import (
	"math"
	"math/rand/v2"
)

// GRU is a gated recurrent unit cell (Cho et al. 2014) for a batch of rows:
//
//	r  = σ(x·Wxr + h·Whr + br)          reset gate
//	u  = σ(x·Wxu + h·Whu + bu)          update gate
//	c  = tanh(x·Wxn + bn + r ⊙ (h·Whn)) candidate
//	h′ = (1 − u) ⊙ c + u ⊙ h
//
// The three gates are stored side by side in Wx (In×3H), Wh (H×3H) and
// B (3H), in the order r, u, n.
type GRU struct {
	In, Hidden     int
	Wx, Wh         *Matrix
	B              []float32
	GradWx, GradWh *Matrix
	GradB          []float32
}

// GRUStep holds what one Forward call needs to keep for Backward.
type GRUStep struct {
	X, H       *Matrix // inputs of the step (aliased, not copied)
	R, U, C    *Matrix // gates and candidate
	GhN        *Matrix // h·Whn, the part of the candidate gated by r
	HNew       *Matrix // the new hidden state
	gx, gh, dG *Matrix
}

// NewGRU returns a cell with Xavier-initialised weights and zero biases.
func NewGRU(in, hidden int, rng *rand.Rand) *GRU {
	g := &GRU{In: in, Hidden: hidden,
		Wx: NewMatrix(in, 3*hidden), Wh: NewMatrix(hidden, 3*hidden), B: make([]float32, 3*hidden),
		GradWx: NewMatrix(in, 3*hidden), GradWh: NewMatrix(hidden, 3*hidden), GradB: make([]float32, 3*hidden)}
	InitWeights(InitXavier, g.Wx, nil, rng)
	InitWeights(InitXavier, g.Wh, nil, rng)
	return g
}

// Params returns the cell's parameters with their gradients.
func (g *GRU) Params(name string) []Param {
	return []Param{{Name: name + ".Wx", Value: g.Wx.Data, Grad: g.GradWx.Data},
		{Name: name + ".Wh", Value: g.Wh.Data, Grad: g.GradWh.Data},
		{Name: name + ".b", Value: g.B, Grad: g.GradB}}
}

func ensure(m **Matrix, r, c int) *Matrix {
	if *m == nil {
		*m = NewMatrix(r, c)
	}
	return (*m).Reshape(r, c)
}

// Forward computes the new hidden state for inputs x (n×In) and previous
// state h (n×Hidden), recording what Backward needs in st, and returns
// st.HNew. st may be reused between calls of the same batch size.
func (g *GRU) Forward(st *GRUStep, x, h *Matrix, workers int) *Matrix {
	n, H := x.Rows, g.Hidden
	st.X, st.H = x, h
	gx := ensure(&st.gx, n, 3*H)
	gh := ensure(&st.gh, n, 3*H)
	r, u, c := ensure(&st.R, n, H), ensure(&st.U, n, H), ensure(&st.C, n, H)
	ghn, hn := ensure(&st.GhN, n, H), ensure(&st.HNew, n, H)
	MatMul(gx, x, g.Wx, MatMulOptions{Workers: workers})
	AddBias(gx, g.B)
	MatMul(gh, h, g.Wh, MatMulOptions{Workers: workers})
	for i := 0; i < n; i++ {
		gxi, ghi := gx.Row(i), gh.Row(i)
		for j := 0; j < H; j++ {
			rv := SigmoidScalar(gxi[j] + ghi[j])
			uv := SigmoidScalar(gxi[H+j] + ghi[H+j])
			cv := float32(math.Tanh(float64(gxi[2*H+j] + rv*ghi[2*H+j])))
			k := i*H + j
			r.Data[k], u.Data[k], c.Data[k], ghn.Data[k] = rv, uv, cv, ghi[2*H+j]
			hn.Data[k] = (1-uv)*cv + uv*h.Data[k]
		}
	}
	return hn
}

// Backward takes dhNew, the loss gradient with respect to st.HNew, adds the
// parameter gradients to GradWx, GradWh and GradB, and sets dx and dh (either
// may be nil) to the gradients with respect to the step's x and h.
func (g *GRU) Backward(dx, dh *Matrix, st *GRUStep, dhNew *Matrix, workers int) {
	n, H := dhNew.Rows, g.Hidden
	dG := ensure(&st.dG, n, 3*H) // gate pre-activation gradients for x·Wx + b
	dGh := ensure(&st.gh, n, 3*H)
	var direct []float32
	if dh != nil {
		direct = make([]float32, n*H)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < H; j++ {
			k := i*H + j
			d := dhNew.Data[k]
			rv, uv, cv := st.R.Data[k], st.U.Data[k], st.C.Data[k]
			dc := d * (1 - uv)
			du := d * (st.H.Data[k] - cv)
			dan := dc * (1 - cv*cv)
			dar := dan * st.GhN.Data[k] * rv * (1 - rv)
			dau := du * uv * (1 - uv)
			row := dG.Data[i*3*H:]
			row[j], row[H+j], row[2*H+j] = dar, dau, dan
			rowh := dGh.Data[i*3*H:]
			rowh[j], rowh[H+j], rowh[2*H+j] = dar, dau, dan*rv
			if direct != nil {
				direct[k] = d * uv
			}
		}
	}
	MatMul(g.GradWx, st.X, dG, MatMulOptions{TransA: true, Add: true, Workers: workers})
	MatMul(g.GradWh, st.H, dGh, MatMulOptions{TransA: true, Add: true, Workers: workers})
	for i := 0; i < n; i++ {
		for j, v := range dG.Row(i) {
			g.GradB[j] += v
		}
	}
	if dx != nil {
		MatMul(dx, dG, g.Wx, MatMulOptions{TransB: true, Workers: workers})
	}
	if dh != nil {
		MatMul(dh, dGh, g.Wh, MatMulOptions{TransB: true, Workers: workers})
		for k, v := range direct {
			dh.Data[k] += v
		}
	}
}
