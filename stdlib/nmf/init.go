package nmf

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// nndsvdEps is scikit-learn's eps in _initialize_nmf: NNDSVD entries below
// it become zero.
const nndsvdEps = 1e-6

// initialize returns W (m×k) and Hᵀ (n×k), both row-major.
func initialize(p *problem, cfg Config) (w, ht []float64, err error) {
	m, n, k := p.m, p.n, p.k
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6e6d66)) // second word: "nmf"
	switch cfg.Init {
	case InitCustom:
		if r, c := cfg.W.Dims(); r != m || c != k {
			return nil, nil, fmt.Errorf("%w: custom W is %d×%d, want %d×%d", ErrBadConfig, r, c, m, k)
		}
		if r, c := cfg.H.Dims(); r != k || c != n {
			return nil, nil, fmt.Errorf("%w: custom H is %d×%d, want %d×%d", ErrBadConfig, r, c, k, n)
		}
		w = make([]float64, m*k)
		ht = make([]float64, n*k)
		for i := 0; i < m; i++ {
			for r := 0; r < k; r++ {
				w[i*k+r] = cfg.W.At(i, r)
			}
		}
		for r := 0; r < k; r++ {
			for j := 0; j < n; j++ {
				ht[j*k+r] = cfg.H.At(r, j)
			}
		}
		for name, s := range map[string][]float64{"W": w, "H": ht} {
			for _, v := range s {
				if !(v >= 0) || math.IsInf(v, 0) {
					return nil, nil, fmt.Errorf("%w: custom %s holds %v, want finite values ≥ 0", ErrBadConfig, name, v)
				}
			}
		}
		return w, ht, nil
	case InitRandom:
		avg := math.Sqrt(p.mean() / float64(k))
		ht = make([]float64, n*k)
		for r := 0; r < k; r++ { // H first, row by row, as scikit-learn draws it
			for j := 0; j < n; j++ {
				ht[j*k+r] = avg * math.Abs(rng.NormFloat64())
			}
		}
		w = make([]float64, m*k)
		for i := range w {
			w[i] = avg * math.Abs(rng.NormFloat64())
		}
		return w, ht, nil
	}
	u, s, vt := randomizedSVD(p, k, rng)
	w = make([]float64, m*k)
	ht = make([]float64, n*k)
	xp, xn := make([]float64, m), make([]float64, m)
	yp, yn := make([]float64, n), make([]float64, n)
	for c := 0; c < k; c++ {
		for i := 0; i < m; i++ {
			x := u.At(i, c)
			xp[i], xn[i] = max(x, 0), -min(x, 0)
		}
		for j := 0; j < n; j++ {
			y := vt.At(c, j)
			yp[j], yn[j] = max(y, 0), -min(y, 0)
		}
		var uu, vv []float64
		var sigma float64
		if c == 0 { // the leading singular pair is non-negative up to sign
			for i := range xp {
				xp[i] += xn[i]
			}
			for j := range yp {
				yp[j] += yn[j]
			}
			uu, vv, sigma = xp, yp, 1
		} else {
			xpn, ypn, xnn, ynn := norm2(xp), norm2(yp), norm2(xn), norm2(yn)
			mp, mn := xpn*ypn, xnn*ynn
			if mp > mn {
				uu, vv, sigma = scaled(xp, 1/xpn), scaled(yp, 1/ypn), mp
			} else {
				uu, vv, sigma = scaled(xn, 1/xnn), scaled(yn, 1/ynn), mn
			}
			if sigma == 0 { // a zero singular vector part: leave the column at zero, never NaN
				continue
			}
		}
		lbd := math.Sqrt(s[c] * sigma)
		for i := 0; i < m; i++ {
			if v := lbd * uu[i]; v >= nndsvdEps {
				w[i*k+c] = v
			}
		}
		for j := 0; j < n; j++ {
			if v := lbd * vv[j]; v >= nndsvdEps {
				ht[j*k+c] = v
			}
		}
	}
	switch cfg.Init {
	case InitNNDSVDA:
		avg := p.mean()
		fillZeros(w, func() float64 { return avg })
		fillZeros(ht, func() float64 { return avg })
	case InitNNDSVDAR:
		avg := p.mean()
		fillZeros(w, func() float64 { return math.Abs(avg * rng.NormFloat64() / 100) })
		fillZeros(ht, func() float64 { return math.Abs(avg * rng.NormFloat64() / 100) })
	}
	return w, ht, nil
}

func fillZeros(s []float64, f func() float64) {
	for i, v := range s {
		if v == 0 {
			s[i] = f()
		}
	}
}

func norm2(s []float64) float64 {
	var ss float64
	for _, v := range s {
		ss += v * v
	}
	return math.Sqrt(ss)
}

// scaled scales s in place and returns it (its buffers are reused per column).
func scaled(s []float64, f float64) []float64 {
	for i := range s {
		s[i] *= f
	}
	return s
}

// randomizedSVD returns the k leading singular triplets of X (U m×k, S, Vᵀ
// k×n) by Halko, Martinsson and Tropp's randomized range finder with
// scikit-learn's settings: 10 oversamples, 7 power iterations when k <
// 0.1·min(m, n) else 4, signs flipped so each column of U has its largest
// entry positive. X is touched only through the sparse products.
func randomizedSVD(p *problem, k int, rng *rand.Rand) (*mat.Dense, []float64, *mat.Dense) {
	m, n := p.m, p.n
	l := min(k+10, min(m, n))
	iters := 4
	if float64(k) < 0.1*float64(min(m, n)) {
		iters = 7
	}
	omega := mat.NewDense(n, l, nil)
	for i := range omega.RawMatrix().Data {
		omega.RawMatrix().Data[i] = rng.NormFloat64()
	}
	y := mat.NewDense(m, l, nil)
	z := mat.NewDense(n, l, nil)
	p.x.MulDenseTo(y, omega, p.workers)
	for it := 0; it < iters; it++ {
		orthonormalize(y)
		p.x.MulTDenseTo(z, y, p.workers)
		orthonormalize(z)
		p.x.MulDenseTo(y, z, p.workers)
	}
	orthonormalize(y)                // Q, m×l
	p.x.MulTDenseTo(z, y, p.workers) // Bᵀ = Xᵀ Q, n×l
	var svd mat.SVD
	if !svd.Factorize(z.T(), mat.SVDThin) { // B = Ub S Vᵀ, l×n
		// The SVD of an l×n matrix practically never fails to converge;
		// if it does, NNDSVD degrades to zero columns (filled by the A/AR
		// variants) rather than NaN.
		return firstCols(y, k), make([]float64, k), mat.NewDense(k, n, nil)
	}
	var ub, v mat.Dense
	svd.UTo(&ub)
	svd.VTo(&v)
	s := svd.Values(nil)
	var u mat.Dense
	u.Mul(y, &ub) // m×l
	uk := firstCols(&u, k)
	vt := mat.NewDense(k, n, nil)
	for c := 0; c < k; c++ {
		big, sign := 0.0, 1.0
		for i := 0; i < m; i++ {
			if a := math.Abs(uk.At(i, c)); a > big {
				big = a
				sign = math.Copysign(1, uk.At(i, c))
			}
		}
		for i := 0; i < m; i++ {
			uk.Set(i, c, sign*uk.At(i, c))
		}
		for j := 0; j < n; j++ {
			vt.Set(c, j, sign*v.At(j, c))
		}
	}
	return uk, s[:k], vt
}

func firstCols(a *mat.Dense, k int) *mat.Dense {
	r, _ := a.Dims()
	out := mat.NewDense(r, k, nil)
	out.Copy(a.Slice(0, r, 0, k))
	return out
}

// orthonormalize replaces the columns of a with an orthonormal basis of
// their span by modified Gram-Schmidt applied twice (enough for double
// precision); a column that vanishes is replaced by zeros.
func orthonormalize(a *mat.Dense) {
	r, c := a.Dims()
	raw := a.RawMatrix()
	col := func(j int) []float64 {
		v := make([]float64, r)
		for i := 0; i < r; i++ {
			v[i] = raw.Data[i*raw.Stride+j]
		}
		return v
	}
	cols := make([][]float64, c)
	for j := range cols {
		cols[j] = col(j)
	}
	for pass := 0; pass < 2; pass++ {
		for j := 0; j < c; j++ {
			v := cols[j]
			for q := 0; q < j; q++ {
				var d float64
				for i, x := range cols[q] {
					d += x * v[i]
				}
				for i, x := range cols[q] {
					v[i] -= d * x
				}
			}
			nv := norm2(v)
			if nv < 1e-300 {
				clear(v)
				continue
			}
			scaled(v, 1/nv)
		}
	}
	for j, v := range cols {
		for i := 0; i < r; i++ {
			raw.Data[i*raw.Stride+j] = v[i]
		}
	}
}
