package nn

import (
	"fmt"
	"math"
)

// Log2Pi is log(2π), the constant in the Gaussian log-density.
const Log2Pi = 1.8378770664093453

func checkSameShape(name string, a, b *Matrix) {
	if a.Rows != b.Rows || a.Cols != b.Cols {
		panic(fmt.Sprintf("nn: %s shapes %d×%d and %d×%d differ", name, a.Rows, a.Cols, b.Rows, b.Cols))
	}
}

// BCEWithLogits returns the binary cross-entropy Σ softplus(l) − t·l of
// targets t ∈ [0, 1] under Bernoulli logits l, summed over all elements. It
// is −log p(t) for a Bernoulli with p = σ(l), computed stably from the logits.
// If grad is not nil it is set to scale·(σ(l) − t), the gradient of scale
// times the sum. If rows is not nil, rows[i] receives the sum of row i.
func BCEWithLogits(grad, logits, target *Matrix, scale float32, rows []float64) float64 {
	checkSameShape("BCEWithLogits", logits, target)
	if grad != nil {
		checkSameShape("BCEWithLogits grad", grad, logits)
	}
	var total float64
	c := logits.Cols
	for i := 0; i < logits.Rows; i++ {
		l := logits.Data[i*c : (i+1)*c]
		t := target.Data[i*c : (i+1)*c]
		var g []float32
		if grad != nil {
			g = grad.Data[i*c : (i+1)*c]
		}
		s := bceRow(l, t, g, scale)
		if rows != nil {
			rows[i] = float64(s)
		}
		total += float64(s)
	}
	return total
}

// SquaredError returns ½ Σ (p − t)² over all elements. If grad is not nil it
// is set to scale·(p − t). If rows is not nil, rows[i] receives row i's sum.
func SquaredError(grad, pred, target *Matrix, scale float32, rows []float64) float64 {
	checkSameShape("SquaredError", pred, target)
	if grad != nil {
		checkSameShape("SquaredError grad", grad, pred)
	}
	var total float64
	c := pred.Cols
	for i := 0; i < pred.Rows; i++ {
		p := pred.Data[i*c : (i+1)*c]
		t := target.Data[i*c : (i+1)*c]
		var s float64
		for j, v := range p {
			d := v - t[j]
			s += float64(d * d)
			if grad != nil {
				grad.Data[i*c+j] = scale * d
			}
		}
		if rows != nil {
			rows[i] = s / 2
		}
		total += s / 2
	}
	return total
}

// GaussianNLL returns the negative Gaussian log-likelihood
// Σ ½(log 2π + v + (t − m)²·e^−v) of targets t under means m and log
// variances v, summed over all elements. If logVar is nil, every element
// uses the fixed log variance fixedLogVar. gradMean and gradLogVar (either
// may be nil; gradLogVar is ignored when logVar is nil) receive scale times
// the gradients. If rows is not nil, rows[i] receives row i's sum.
func GaussianNLL(gradMean, gradLogVar, mean, logVar, target *Matrix, fixedLogVar float32, scale float32, rows []float64) float64 {
	checkSameShape("GaussianNLL", mean, target)
	if logVar != nil {
		checkSameShape("GaussianNLL logVar", logVar, mean)
	}
	if gradMean != nil {
		checkSameShape("GaussianNLL gradMean", gradMean, mean)
	}
	if gradLogVar != nil && logVar != nil {
		checkSameShape("GaussianNLL gradLogVar", gradLogVar, mean)
	}
	var total float64
	c := mean.Cols
	fixedPrec := math.Exp(-float64(fixedLogVar))
	for i := 0; i < mean.Rows; i++ {
		var s float64
		for j := 0; j < c; j++ {
			k := i*c + j
			v, prec := float64(fixedLogVar), fixedPrec
			if logVar != nil {
				v = float64(logVar.Data[k])
				prec = math.Exp(-v)
			}
			d := float64(target.Data[k] - mean.Data[k])
			s += 0.5 * (Log2Pi + v + d*d*prec)
			if gradMean != nil {
				gradMean.Data[k] = scale * float32(-d*prec)
			}
			if gradLogVar != nil && logVar != nil {
				gradLogVar.Data[k] = scale * float32(0.5*(1-d*d*prec))
			}
		}
		if rows != nil {
			rows[i] = s
		}
		total += s
	}
	return total
}

func abs32(x float32) float32 { return math.Float32frombits(math.Float32bits(x) &^ (1 << 31)) }

// bceRowGo is the portable body of BCEWithLogits for one row.
func bceRowGo(l, t, g []float32, scale float32) float32 {
	var s float32
	t = t[:len(l)]
	if g == nil {
		for j, v := range l {
			sp, _ := softplusNegAbs(v)
			s += max(v, 0) - t[j]*v + sp
		}
		return s
	}
	g = g[:len(l)]
	for j, v := range l {
		sp, p := softplusNegAbs(v) // p = σ(|l|)
		s += max(v, 0) - t[j]*v + sp
		if v < 0 {
			p = 1 - p // σ(l) = 1 − σ(−l)
		}
		g[j] = scale * (p - t[j])
	}
	return s
}
