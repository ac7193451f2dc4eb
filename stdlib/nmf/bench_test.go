package nmf_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/gonbml/gonbml/stdlib/nmf"
	"github.com/gonbml/gonbml/stdlib/sparse"
)

// tfidfLike is a 6,000×2,000 matrix with 455k stored values, the shape and
// density of the SpamAssassin TF-IDF matrix of issue 5, rows L2-normalised
// as TF-IDF rows are.
func tfidfLike(b *testing.B) *sparse.CSR {
	rng := rand.New(rand.NewPCG(1, 5))
	const m, n, nnz = 6000, 2000, 455000
	var ts []sparse.Triplet
	for len(ts) < nnz {
		// Zipf-like column popularity, as term frequencies are.
		j := int(float64(n) * rng.Float64() * rng.Float64())
		ts = append(ts, sparse.Triplet{Row: rng.IntN(m), Col: j, Val: rng.Float64()})
	}
	x, err := sparse.FromTriplets(m, n, ts)
	if err != nil {
		b.Fatal(err)
	}
	norms := x.RowNorms()
	for i := 0; i < m; i++ {
		_, vals := x.Row(i)
		for p := range vals {
			vals[p] /= norms[i]
		}
	}
	return x
}

// BenchmarkIteration reports the time per iteration and the GFLOP/s of
// the two sparse products (4·nnz·k flops per iteration) for each solver.
func BenchmarkIteration(b *testing.B) {
	x := tfidfLike(b)
	const k, iters = 20, 20
	w0, h0, err := nmf.Config{Components: k}.Start(x)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range []nmf.Solver{nmf.MU, nmf.CD, nmf.HALS} {
		b.Run(s.String(), func(b *testing.B) {
			cfg := nmf.Config{Components: k, Solver: s, MaxIter: iters, Tol: -1, Init: nmf.InitCustom, W: w0, H: h0}
			for b.Loop() {
				if _, err := cfg.Fit(context.Background(), x); err != nil {
					b.Fatal(err)
				}
			}
			perIter := b.Elapsed().Seconds() / float64(b.N*iters)
			b.ReportMetric(perIter*1e3, "ms/iter")
			b.ReportMetric(4*float64(x.NNZ()*k)/perIter/1e9, "GFLOP/s")
		})
	}
}
