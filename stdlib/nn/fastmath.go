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
	n := float32(math.Floor(float64(x*log2e + 0.5)))
	r := x - n*ln2hi - n*ln2lo
	p := 1 + r*(1+r*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720))))))
	return p * math.Float32frombits(uint32(int32(n)+127)<<23)
}

// fastLog1p returns log(1+x) for x ∈ [0, 1] in float32. It splits
// 1+x = m·2^e with m ∈ [√½, √2) and evaluates log m = 2·atanh(s),
// s = (m−1)/(m+1), by its odd series to s^9 (|s| ≤ 0.172, so the
// truncation error is below 1e-8). Small x use the series of log1p directly
// to keep relative accuracy.
func fastLog1p(x float32) float32 {
	if x < 1e-4 {
		return x * (1 - x*(0.5-x*(1.0/3)))
	}
	y := 1 + x
	bits := math.Float32bits(y)
	e := int32(bits>>23) - 127
	m := math.Float32frombits(bits&0x007fffff | 127<<23)
	if m > 1.4142135 {
		m *= 0.5
		e++
	}
	// Correct for the rounding of 1+x: log(1+x) = log(y) + (x − (y−1))/y.
	corr := (x - (y - 1)) / y
	s := (m - 1) / (m + 1)
	s2 := s * s
	l := 2 * s * (1 + s2*(1.0/3+s2*(1.0/5+s2*(1.0/7+s2*(1.0/9)))))
	return l + float32(e)*0.6931471805599453 + corr
}
