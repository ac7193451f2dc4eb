package vae

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gonbml/gonbml/stdlib/nn"
)

// arch is the gob-serialised shape of a network.
type arch struct {
	Input         int
	Hidden        []int
	DecoderHidden []int
	Latent        int
	Likelihood    Likelihood
	LogVar        float32 // log of the fixed variance (GaussianFixed)
	Variational   bool
	Beta          float64 // effective KL weight (0 with Beta: fit.Off)
}

// network holds the layers of an encoder–decoder pair and the buffers of
// one mini-batch size. Hidden layers use ReLU.
type network struct {
	arch    arch
	enc     []*nn.Dense
	mu, lv  *nn.Dense // lv is nil for a plain autoencoder
	dec     []*nn.Dense
	out     *nn.Dense // logits (Bernoulli) or means (Gaussian)
	outLV   *nn.Dense // per-value log variances (Gaussian only)
	params  []nn.Param
	workers int
	ws      workspace
}

type workspace struct {
	n               int
	h, dh           []*nn.Matrix // h[0] is the input; h[i+1] = ReLU(enc[i])
	mu, lv, std     *nn.Matrix
	eps, z, dz      *nn.Matrix
	dmu, dlv        *nn.Matrix
	g, dg           []*nn.Matrix // g[0] is z; g[i+1] = ReLU(dec[i])
	out, outLV      *nn.Matrix
	dOut, dOutLV    *nn.Matrix
	recRows, klRows []float64
}

// streams of the seeded PCG source, one per use, so that e.g. the number of
// evaluation calls never shifts the training noise.
const (
	streamInit = iota + 1
	streamShuffle
	streamEps
	streamEval
	streamSample
)

func newRand(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x5eed0000+stream))
}

func newNetwork(a arch, seed uint64) *network {
	rng := newRand(seed, streamInit)
	n := &network{arch: a, workers: 1}
	in := a.Input
	for _, h := range a.Hidden {
		n.enc = append(n.enc, nn.NewDense(in, h, nn.InitUniformFanIn, rng))
		in = h
	}
	n.mu = nn.NewDense(in, a.Latent, nn.InitUniformFanIn, rng)
	if a.Variational {
		n.lv = nn.NewDense(in, a.Latent, nn.InitUniformFanIn, rng)
	}
	in = a.Latent
	for _, h := range a.DecoderHidden {
		n.dec = append(n.dec, nn.NewDense(in, h, nn.InitUniformFanIn, rng))
		in = h
	}
	n.out = nn.NewDense(in, a.Input, nn.InitUniformFanIn, rng)
	if a.Likelihood == Gaussian {
		n.outLV = nn.NewDense(in, a.Input, nn.InitUniformFanIn, rng)
	}
	n.collectParams()
	return n
}

func (n *network) layers() []*nn.Dense {
	var ls []*nn.Dense
	ls = append(ls, n.enc...)
	ls = append(ls, n.mu)
	if n.lv != nil {
		ls = append(ls, n.lv)
	}
	ls = append(ls, n.dec...)
	ls = append(ls, n.out)
	if n.outLV != nil {
		ls = append(ls, n.outLV)
	}
	return ls
}

func (n *network) collectParams() {
	n.params = n.params[:0]
	for i, l := range n.layers() {
		n.params = append(n.params, l.Params(layerName(i))...)
	}
}

func layerName(i int) string { return fmt.Sprintf("layer%d", i) }

func ensure(m **nn.Matrix, r, c int) *nn.Matrix {
	if *m == nil {
		*m = nn.NewMatrix(r, c)
	}
	return (*m).Reshape(r, c)
}

// prepare sizes the workspace for a batch of rows.
func (n *network) prepare(rows int) *workspace {
	w := &n.ws
	if w.n == rows && w.h != nil {
		return w
	}
	w.n = rows
	L := n.arch.Latent
	if len(w.h) != len(n.enc)+1 {
		w.h = make([]*nn.Matrix, len(n.enc)+1)
		w.dh = make([]*nn.Matrix, len(n.enc)+1)
	}
	for i, l := range n.enc {
		ensure(&w.h[i+1], rows, l.Out)
		ensure(&w.dh[i+1], rows, l.Out)
	}
	if len(n.enc) == 0 {
		// The heads read the input directly; dh[0] is never needed.
		w.dh[0] = nil
	}
	ensure(&w.mu, rows, L)
	ensure(&w.lv, rows, L)
	ensure(&w.std, rows, L)
	ensure(&w.eps, rows, L)
	ensure(&w.z, rows, L)
	ensure(&w.dz, rows, L)
	ensure(&w.dmu, rows, L)
	ensure(&w.dlv, rows, L)
	if len(w.g) != len(n.dec)+1 {
		w.g = make([]*nn.Matrix, len(n.dec)+1)
		w.dg = make([]*nn.Matrix, len(n.dec)+1)
	}
	w.dg[0] = w.dz
	for i, l := range n.dec {
		ensure(&w.g[i+1], rows, l.Out)
		ensure(&w.dg[i+1], rows, l.Out)
	}
	D := n.arch.Input
	ensure(&w.out, rows, D)
	ensure(&w.dOut, rows, D)
	if n.outLV != nil {
		ensure(&w.outLV, rows, D)
		ensure(&w.dOutLV, rows, D)
	}
	w.recRows = make([]float64, rows)
	w.klRows = make([]float64, rows)
	return w
}

// encode runs the encoder on x, filling ws.mu and ws.lv (and ws.std).
func (n *network) encode(x *nn.Matrix) *workspace {
	w := n.prepare(x.Rows)
	w.h[0] = x
	for i, l := range n.enc {
		l.Forward(w.h[i+1], w.h[i], n.workers)
		nn.ReLU.Forward(w.h[i+1].Data, w.h[i+1].Data)
	}
	last := w.h[len(n.enc)]
	n.mu.Forward(w.mu, last, n.workers)
	if n.lv != nil {
		n.lv.Forward(w.lv, last, n.workers)
		for i, v := range w.lv.Data {
			w.std.Data[i] = float32(math.Exp(0.5 * float64(v)))
		}
	} else {
		w.lv.Zero()
		for i := range w.std.Data {
			w.std.Data[i] = 0
		}
	}
	return w
}

// decode runs the decoder from ws.z, filling ws.out (and ws.outLV).
func (n *network) decode(w *workspace) {
	w.g[0] = w.z
	for i, l := range n.dec {
		l.Forward(w.g[i+1], w.g[i], n.workers)
		nn.ReLU.Forward(w.g[i+1].Data, w.g[i+1].Data)
	}
	last := w.g[len(n.dec)]
	n.out.Forward(w.out, last, n.workers)
	if n.outLV != nil {
		n.outLV.Forward(w.outLV, last, n.workers)
	}
}

// sampleZ sets z = μ + σ ⊙ ε. With eps == nil, z = μ (and ws.eps is zeroed).
func (w *workspace) sampleZ(eps *nn.Matrix) {
	if eps == nil {
		w.eps.Zero()
		copy(w.z.Data, w.mu.Data)
		return
	}
	copy(w.eps.Data, eps.Data)
	for i, m := range w.mu.Data {
		w.z.Data[i] = m + w.std.Data[i]*w.eps.Data[i]
	}
}

// reconstruction computes −log p(x|z) per row into ws.recRows and, when grad
// is true, scale times its gradient with respect to the decoder outputs.
func (n *network) reconstruction(x *nn.Matrix, w *workspace, grad bool, scale float32) float64 {
	rows := x.Rows
	D := x.Cols
	view := func(m *nn.Matrix, lo, hi int) *nn.Matrix {
		if m == nil {
			return nil
		}
		return &nn.Matrix{Rows: hi - lo, Cols: D, Data: m.Data[lo*D : hi*D]}
	}
	nn.ParallelFor(rows, n.workers, 16, func(lo, hi int) {
		xs, out, recs := view(x, lo, hi), view(w.out, lo, hi), w.recRows[lo:hi]
		var dOut, outLV, dOutLV *nn.Matrix
		if grad {
			dOut = view(w.dOut, lo, hi)
		}
		switch n.arch.Likelihood {
		case Bernoulli:
			nn.BCEWithLogits(dOut, out, xs, scale, recs)
		case Gaussian:
			outLV = view(w.outLV, lo, hi)
			if grad {
				dOutLV = view(w.dOutLV, lo, hi)
			}
			nn.GaussianNLL(dOut, dOutLV, out, outLV, xs, 0, scale, recs)
		case GaussianFixed:
			nn.GaussianNLL(dOut, nil, out, nil, xs, n.arch.LogVar, scale, recs)
		}
	})
	var s float64
	for _, r := range w.recRows[:rows] {
		s += r
	}
	return s
}

// kl computes KL(q(z|x) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²) per row.
func (n *network) kl(w *workspace) float64 {
	L := n.arch.Latent
	var s float64
	for i := 0; i < w.n; i++ {
		var k float64
		if n.arch.Variational {
			for j := 0; j < L; j++ {
				m, lv, sd := float64(w.mu.Data[i*L+j]), float64(w.lv.Data[i*L+j]), float64(w.std.Data[i*L+j])
				k += -0.5 * (1 + lv - m*m - sd*sd)
			}
		}
		w.klRows[i] = k
		s += k
	}
	return s
}

// lossAndGrad runs a forward pass on the batch x with noise eps (nil: z = μ)
// and returns the summed reconstruction and KL terms. With grad it also
// fills every parameter gradient of the mean loss (rec + β·KL)/rows.
func (n *network) lossAndGrad(x, eps *nn.Matrix, grad bool) (rec, kl float64) {
	w := n.encode(x)
	w.sampleZ(eps)
	n.decode(w)
	scale := float32(1 / float64(x.Rows))
	rec = n.reconstruction(x, w, grad, scale)
	kl = n.kl(w)
	if grad {
		n.backward(x, w, scale)
	}
	return rec, kl
}

func (n *network) backward(x *nn.Matrix, w *workspace, scale float32) {
	// Every layer's gradient is overwritten, so none needs clearing.
	last := len(n.dec)
	n.out.BackwardOverwrite(w.dg[last], w.g[last], w.dOut, false, n.workers)
	if n.outLV != nil {
		n.outLV.BackwardOverwrite(w.dg[last], w.g[last], w.dOutLV, true, n.workers)
	}
	for i := last - 1; i >= 0; i-- {
		reluMask(w.dg[i+1], w.g[i+1])
		n.dec[i].BackwardOverwrite(w.dg[i], w.g[i], w.dg[i+1], false, n.workers)
	}
	dz := w.dg[0]
	L := len(n.enc)
	if n.arch.Variational {
		beta := float32(n.arch.Beta) * scale
		for i, g := range dz.Data {
			m, sd := w.mu.Data[i], w.std.Data[i]
			// z = μ + σε with σ = exp(½ log σ²): ∂z/∂μ = 1, ∂z/∂log σ² = ½σε.
			// KL per value: −½(1 + log σ² − μ² − σ²): ∂/∂μ = μ, ∂/∂log σ² = ½(σ² − 1).
			w.dmu.Data[i] = g + beta*m
			w.dlv.Data[i] = g*0.5*sd*w.eps.Data[i] + beta*0.5*(sd*sd-1)
		}
		n.mu.BackwardOverwrite(w.dh[L], w.h[L], w.dmu, false, n.workers)
		n.lv.BackwardOverwrite(w.dh[L], w.h[L], w.dlv, true, n.workers)
	} else {
		n.mu.BackwardOverwrite(w.dh[L], w.h[L], dz, false, n.workers)
	}
	for i := L - 1; i >= 0; i-- {
		reluMask(w.dh[i+1], w.h[i+1])
		var dx *nn.Matrix
		if i > 0 {
			dx = w.dh[i]
		}
		n.enc[i].BackwardOverwrite(dx, w.h[i], w.dh[i+1], false, n.workers)
	}
}

// reluMask zeroes d where the ReLU output y is not positive.
func reluMask(d, y *nn.Matrix) {
	yd := y.Data[:len(d.Data)]
	for i, v := range yd {
		if v <= 0 {
			d.Data[i] = 0
		}
	}
}
