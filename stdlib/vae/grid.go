package vae

import (
	"fmt"
	"math"
	"slices"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/nn"
	"gonum.org/v1/gonum/mat"
)

// LatentGrid returns the n×n codes of an evenly spaced grid over the box
// [lo[0], hi[0]] × [lo[1], hi[1]] (both ends included), one code (z₁, z₂)
// per row, in reading order: the first n rows have z₂ = hi[1] (the top row
// of a picture) and z₁ running from lo[0] to hi[0], the last n have z₂ =
// lo[1]. Decoding them (Decode) and drawing the images n per row gives the
// classic manifold picture of a model with a 2-D code.
func LatentGrid(n int, lo, hi []float64) (*mat.Dense, error) {
	if n < 2 {
		return nil, fmt.Errorf("%w: LatentGrid needs at least 2 points per axis, got %d", ErrBadInput, n)
	}
	if len(lo) != 2 || len(hi) != 2 {
		return nil, fmt.Errorf("%w: LatentGrid bounds have %d and %d values, want 2 each (z₁, z₂)", ErrBadInput, len(lo), len(hi))
	}
	for a := range 2 {
		if !finite(lo[a]) || !finite(hi[a]) || lo[a] >= hi[a] {
			return nil, fmt.Errorf("%w: LatentGrid range [%v, %v] of z%d must be finite with lo < hi", ErrBadInput, lo[a], hi[a], a+1)
		}
	}
	z := mat.NewDense(n*n, 2, nil)
	step := [2]float64{(hi[0] - lo[0]) / float64(n-1), (hi[1] - lo[1]) / float64(n-1)}
	for r := 0; r < n; r++ {
		for c := 0; c < n; c++ {
			z.Set(r*n+c, 0, lo[0]+float64(c)*step[0])
			z.Set(r*n+c, 1, hi[1]-float64(r)*step[1])
		}
	}
	return z, nil
}

// GridCounts counts, for every point of LatentGrid(n, lo, hi) (in the same
// order), how many rows of codes (n×2, one code per row) are nearer to it
// than to any other grid point; codes farther than half a step outside the
// grid are not counted. A grid point with a count of zero is a hole: no
// code of the data lands there, so the decoder was never trained to draw
// anything at it.
func GridCounts(codes mat.Matrix, n int, lo, hi []float64) ([]int, error) {
	if _, err := LatentGrid(n, lo, hi); err != nil {
		return nil, err
	}
	r, c := codes.Dims()
	if c != 2 {
		return nil, fmt.Errorf("%w: GridCounts needs 2-D codes, got %d columns", ErrBadInput, c)
	}
	counts := make([]int, n*n)
	for i := 0; i < r; i++ {
		z1, z2 := codes.At(i, 0), codes.At(i, 1)
		if !finite(z1) || !finite(z2) {
			return nil, fmt.Errorf("%w: code %d is (%v, %v)", ErrBadInput, i, z1, z2)
		}
		col := math.Round((z1 - lo[0]) / (hi[0] - lo[0]) * float64(n-1))
		row := math.Round((hi[1] - z2) / (hi[1] - lo[1]) * float64(n-1))
		if col >= 0 && col < float64(n) && row >= 0 && row < float64(n) {
			counts[int(row)*n+int(col)]++
		}
	}
	return counts, nil
}

// GridConfig says where Model.Posterior evaluates p(z|x). The zero value is
// valid.
type GridConfig struct {
	// Step is the grid spacing along each axis in units of q(z|x)'s
	// standard deviation σ on that axis. Default (0): 0.5. Halving it is the
	// way to show that the quadrature has converged.
	Step float64
	// Span is how far the grid reaches around q's mean μ, in σ on each
	// axis. Default (0): 8.
	Span float64
	// Prior makes the grid also cover [−Prior, Prior] on each axis, so that
	// posterior mass away from q (a mode q missed) is counted. Default (0):
	// 4. Off (fit.Off): only μ ± Span·σ. Without it LogPX can miss mass,
	// and then it and KL are both too low by the same amount: KL is still a
	// lower bound on KL(q‖p(z|x)) as long as the grid covers q.
	Prior float64
}

// maxGridPoints caps the grid of one row (at 8 bytes a point, 16 MB).
const maxGridPoints = 2_000_000

func (g GridConfig) withDefaults() (GridConfig, error) {
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	switch {
	case g.Step < 0 || bad(g.Step):
		return g, fit.BadConfig(ErrBadConfig, "GridConfig.Step", g.Step, "a positive number (0: 0.5)")
	case g.Span < 0 || bad(g.Span):
		return g, fit.BadConfig(ErrBadConfig, "GridConfig.Span", g.Span, "a positive number (0: 8)")
	case bad(g.Prior):
		return g, fit.BadConfig(ErrBadConfig, "GridConfig.Prior", g.Prior, "a finite number (0: 4, fit.Off: none)")
	}
	g.Step = fit.Or(g.Step, 0.5)
	g.Span = fit.Or(g.Span, 8)
	g.Prior = fit.Or(g.Prior, 4)
	return g, nil
}

// Posterior is the true posterior p(z|x) of one input under a model with a
// 2-D code, evaluated by quadrature on a grid (Model.Posterior).
type Posterior struct {
	// Z1 and Z2 are the grid's coordinates along z₁ (ascending) and z₂
	// (descending, so that row 0 is the top of a picture, as in
	// LatentGrid); Step holds the two spacings.
	Z1, Z2 []float64
	Step   [2]float64
	// Mu and Sigma are the mean and standard deviation of q(z|x).
	Mu, Sigma [2]float64
	// LogJoint holds log p(x, z) = log p(x|z) + log p(z) at grid point
	// (Z1[j], Z2[i]) in row i, column j.
	LogJoint *mat.Dense
	// LogPX is log p(x) = log Σ exp(LogJoint) · Step[0] · Step[1], by
	// log-sum-exp.
	LogPX float64
	// KL is KL(q(z|x) ‖ p(z|x)) = Σ q(z) [log q(z) − log p(z|x)] · Step[0] ·
	// Step[1] on the same grid, with log p(z|x) = LogJoint − LogPX.
	KL float64
	// QMass is Σ q(z|x) · Step[0] · Step[1]: close to 1 when the grid covers
	// q, as the defaults do.
	QMass float64
}

// Density returns p(z|x) on the grid (rows along Z2, columns along Z1).
func (p *Posterior) Density() *mat.Dense {
	r, c := p.LogJoint.Dims()
	d := mat.NewDense(r, c, nil)
	d.Apply(func(_, _ int, v float64) float64 { return math.Exp(v - p.LogPX) }, p.LogJoint)
	return d
}

// QDensity returns the encoder's q(z|x) on the same grid, to compare with
// Density.
func (p *Posterior) QDensity() *mat.Dense {
	d := mat.NewDense(len(p.Z2), len(p.Z1), nil)
	mu := []float32{float32(p.Mu[0]), float32(p.Mu[1])}
	sd := []float32{float32(p.Sigma[0]), float32(p.Sigma[1])}
	for r, z2 := range p.Z2 {
		for c, z1 := range p.Z1 {
			d.Set(r, c, math.Exp(logNormal2(z1, z2, mu, sd)))
		}
	}
	return d
}

// Posterior evaluates, for every row x of X, the true posterior p(z|x) ∝
// p(x|z) p(z) of a model with a 2-D code on a grid that covers q(z|x) and
// the bulk of the prior (GridConfig), and from it log p(x) and
// KL(q(z|x) ‖ p(z|x)) by quadrature. With them the identity log p(x) = ELBO + KL(q(z|x) ‖ p(z|x))
// can be checked number by number. A model whose code is not 2-D returns an
// error wrapping ErrBadInput.
func (m *Model) Posterior(X mat.Matrix, g GridConfig) ([]Posterior, error) {
	if m.net.arch.Latent != 2 {
		return nil, fmt.Errorf("%w: Posterior needs a model with a 2-D code, this one has %d", ErrBadInput, m.net.arch.Latent)
	}
	g, err := g.withDefaults()
	if err != nil {
		return nil, err
	}
	x, err := toMatrix32("X", X, m.net.arch.Input, m.net.arch.Likelihood)
	if err != nil {
		return nil, err
	}
	mu, sd := encodeAll(m.net, x)
	out := make([]Posterior, x.Rows)
	for i := range out {
		p := &out[i]
		var axes [2][]float64
		for a := range 2 {
			c, s := float64(mu.Data[2*i+a]), float64(sd.Data[2*i+a])
			lo, hi := c-g.Span*s, c+g.Span*s
			if g.Prior > 0 {
				lo, hi = min(lo, -g.Prior), max(hi, g.Prior)
			}
			// The points are μ + k·h, from the last at or below lo to the
			// first at or above hi: anchored at q's mean, so a wider grid
			// holds every point of a narrower one and a halved step every
			// point of the coarser grid within its range. Comparing two
			// grids then measures mass or resolution added, not points moved.
			h := g.Step * s
			first, last := math.Floor((lo-c)/h), math.Ceil((hi-c)/h)
			n := int(min(last-first+1, maxGridPoints)) // too many is caught below
			p.Step[a] = h
			axes[a] = make([]float64, n)
			for k := range axes[a] {
				axes[a][k] = c + (first+float64(k))*h
			}
			p.Mu[a], p.Sigma[a] = c, s
		}
		slices.Reverse(axes[1])
		p.Z1, p.Z2 = axes[0], axes[1]
		n1, n2 := len(p.Z1), len(p.Z2)
		if n1*n2 > maxGridPoints {
			return nil, fmt.Errorf("%w: the grid of row %d would have %d×%d points, more than %d: raise GridConfig.Step", ErrBadInput, i, n1, n2, maxGridPoints)
		}
		codes := nn.NewMatrix(n1*n2, 2)
		for r := 0; r < n2; r++ {
			for c := 0; c < n1; c++ {
				codes.Data[2*(r*n1+c)] = float32(p.Z1[c])
				codes.Data[2*(r*n1+c)+1] = float32(p.Z2[r])
			}
		}
		logPXZ := logPXGivenCodes(m.net, x.Row(i), codes)
		p.LogJoint = mat.NewDense(n2, n1, nil)
		logCell := math.Log(p.Step[0] * p.Step[1])
		terms := make([]float64, n1*n2)
		for r := 0; r < n2; r++ {
			for c := 0; c < n1; c++ {
				z1, z2 := p.Z1[c], p.Z2[r]
				lj := logPXZ[r*n1+c] - 0.5*(z1*z1+z2*z2) - math.Log(2*math.Pi)
				p.LogJoint.Set(r, c, lj)
				terms[r*n1+c] = lj + logCell
			}
		}
		p.LogPX = logSumExp(terms)
		for r := 0; r < n2; r++ {
			for c := 0; c < n1; c++ {
				lq := logNormal2(p.Z1[c], p.Z2[r], mu.Data[2*i:2*i+2], sd.Data[2*i:2*i+2])
				w := math.Exp(lq + logCell)
				p.QMass += w
				p.KL += w * (lq - (p.LogJoint.At(r, c) - p.LogPX))
			}
		}
		if !finite(p.LogPX) || !finite(p.KL) {
			return nil, nonFinite(fmt.Sprintf("log p(x) or KL of row %d", i), p.LogPX+p.KL)
		}
	}
	return out, nil
}

// logNormal2 is log N((z1, z2); μ, diag σ²).
func logNormal2(z1, z2 float64, mu, sd []float32) float64 {
	var s float64
	for a, z := range [2]float64{z1, z2} {
		m, d := float64(mu[a]), float64(sd[a])
		e := (z - m) / d
		s += -0.5*e*e - math.Log(d)
	}
	return s - math.Log(2*math.Pi)
}

// logPXGivenCodes returns log p(x|z) of the single input x for every row z
// of codes.
func logPXGivenCodes(net *network, x []float32, codes *nn.Matrix) []float64 {
	D := net.arch.Input
	out := make([]float64, codes.Rows)
	target := nn.NewMatrix(min(evalBatch, codes.Rows), D)
	for r := 0; r < target.Rows; r++ {
		copy(target.Row(r), x)
	}
	for lo := 0; lo < codes.Rows; lo += evalBatch {
		hi := min(lo+evalBatch, codes.Rows)
		w := net.prepare(hi - lo)
		copy(w.z.Data, codes.Data[lo*codes.Cols:hi*codes.Cols])
		net.decode(w)
		net.reconstruction(rowsOf(target, 0, hi-lo), w, false, 1)
		for k := lo; k < hi; k++ {
			out[k] = -w.recRows[k-lo]
		}
	}
	return out
}
