package nn

import "math"

// fastExp returns e^x for x ≤ 0 in float32 with a relative error below
// 2e-7 (a few float32 ulps): x = n·ln2 + r with |r| ≤ ln2/2, then e^r by
// a degree-6 Taylor polynomial and the 2^n scaling by exponent arithmetic.
// The loss kernels call it once per pixel, where math.Exp in float64 would
// cost a noticeable share of an epoch.
func fastExp(x float32) float32 {
	if x < -87 {
		return 0
	}
	const log2e = 1.4426950408889634
	const ln2hi = 0.693145751953125
	const ln2lo = 1.428606765330187e-06
	// Adding 1.5·2²³ rounds to the nearest integer in float32 arithmetic.
	const round = 12582912
	n := (x*log2e + round) - round
	r := x - n*ln2hi - n*ln2lo
	p := 1 + r*(1+r*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720))))))
	return p * math.Float32frombits(uint32(int32(n)+127)<<23)
}

// softplusNegAbs returns log(1+e^−|l|) and σ(|l|) = 1/(1+e^−|l|) for any l,
// the two pieces of the logistic loss and its gradient, with one exp and one
// division. With e = e^−|l| ∈ (0, 1], log(1+e) = 2·atanh(s) for
// s = e/(2+e) ∈ (0, ⅓], whose odd series to s^13 is exact to 2e-8; one
// reciprocal of (1+e)(2+e) yields both s and σ.
func softplusNegAbs(l float32) (sp, sig float32) {
	e := fastExp(-abs32(l))
	a, b := 1+e, 2+e
	r := 1 / (a * b)
	s := e * a * r
	s2 := s * s
	sp = 2 * s * (1 + s2*(1.0/3+s2*(1.0/5+s2*(1.0/7+s2*(1.0/9+s2*(1.0/11+s2*(1.0/13)))))))
	return sp, b * r
}
