package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// GradCheck is the outcome of CheckGradient: the worst disagreement between
// an analytic and a finite-difference derivative.
type GradCheck struct {
	MaxRelErr float64 // largest |a − n| / max(|a| + |n|, Floor)
	Param     string  // where it occurred
	Index     int
	Analytic  float64
	Numeric   float64
	Checked   int // number of coordinates compared
}

// GradCheckConfig tunes CheckGradient. The zero value is valid.
type GradCheckConfig struct {
	Eps         float64 // central-difference step; 0 means 1e-2 (float32 needs a large step)
	Floor       float64 // denominator floor of the relative error; 0 means 1e-3
	MaxPerParam int     // coordinates sampled per parameter; 0 means all
	Seed        uint64  // picks the sampled coordinates
}

// CheckGradient compares the analytic gradients already stored in each
// params[i].Grad with central differences (loss(p+ε) − loss(p−ε))/2ε, where
// loss recomputes the forward pass from the current parameter values and
// must not change the gradients. Every value is restored afterwards.
func CheckGradient(loss func() float64, params []Param, cfg GradCheckConfig) (GradCheck, error) {
	eps, floor := cfg.Eps, cfg.Floor
	if eps == 0 {
		eps = 1e-2
	}
	if floor == 0 {
		floor = 1e-3
	}
	if eps < 0 || floor < 0 || cfg.MaxPerParam < 0 {
		return GradCheck{}, fmt.Errorf("nn: negative GradCheckConfig field")
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15))
	var res GradCheck
	for _, p := range params {
		if len(p.Grad) != len(p.Value) {
			return res, fmt.Errorf("nn: parameter %s has %d values but %d gradients", p.Name, len(p.Value), len(p.Grad))
		}
		idx := make([]int, len(p.Value))
		for i := range idx {
			idx[i] = i
		}
		if cfg.MaxPerParam > 0 && cfg.MaxPerParam < len(idx) {
			rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
			idx = idx[:cfg.MaxPerParam]
		}
		for _, i := range idx {
			orig := p.Value[i]
			p.Value[i] = orig + float32(eps)
			up := loss()
			p.Value[i] = orig - float32(eps)
			down := loss()
			p.Value[i] = orig
			// Divide by the step actually taken in float32.
			h := float64(orig+float32(eps)) - float64(orig-float32(eps))
			num := (up - down) / h
			an := float64(p.Grad[i])
			if math.IsNaN(num) || math.IsNaN(an) {
				return res, fmt.Errorf("nn: NaN derivative at %s[%d]", p.Name, i)
			}
			rel := math.Abs(an-num) / max(math.Abs(an)+math.Abs(num), floor)
			res.Checked++
			if rel >= res.MaxRelErr {
				res.MaxRelErr, res.Param, res.Index, res.Analytic, res.Numeric = rel, p.Name, i, an, num
			}
		}
	}
	return res, nil
}

// String summarises the check.
func (g GradCheck) String() string {
	return fmt.Sprintf("max relative error %.2e at %s[%d] (analytic %.6g, numeric %.6g) over %d coordinates",
		g.MaxRelErr, g.Param, g.Index, g.Analytic, g.Numeric, g.Checked)
}
