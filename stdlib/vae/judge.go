package vae

import (
	"context"
	"fmt"
	"io"
	"math"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/internal/persist"
	"github.com/gonbml/gonbml/stdlib/nn"
	"gonum.org/v1/gonum/mat"
)

// JudgeConfig configures a Judge. The zero value is valid.
type JudgeConfig struct {
	// K is the number of nearest reference images that vote. Default (0):
	// 10.
	K int
	// Workers is the number of goroutines of the distance products.
	// Default (0): GOMAXPROCS.
	Workers int
}

// Judge says how much an image looks like the reference images it was
// fitted on (real digits): a k-nearest-neighbour classifier in Euclidean
// pixel distance that also reports how sure its vote is and how far the
// image is from its nearest reference. It is how the notebooks measure
// whether a reconstruction is recognisable and whether a decoded sample is
// digit-like.
type Judge struct {
	k, workers int
	ref        *nn.Matrix
	refNorm    []float32
	labels     []int
	classes    int
}

// Verdict is the Judge's answer for one image.
type Verdict struct {
	// Label is the majority label of the K nearest references (ties go to
	// the label of the nearest among the tied ones).
	Label int
	// Confidence is the share of the K nearest references that carry Label,
	// in [1/K, 1].
	Confidence float64
	// Distance is the Euclidean distance to the nearest reference.
	Distance float64
}

// Fit keeps the reference rows of X (one image per row) and their labels
// (0 or more).
func (c JudgeConfig) Fit(ctx context.Context, X mat.Matrix, labels []int) (*Judge, error) {
	switch {
	case c.K < 0:
		return nil, fit.BadConfig(ErrBadConfig, "JudgeConfig.K", c.K, "0 (default 10) or more")
	case c.Workers < 0:
		return nil, fit.BadConfig(ErrBadConfig, "JudgeConfig.Workers", c.Workers, "0 (GOMAXPROCS) or more")
	}
	ref, err := toMatrix32("reference images", X, 0, GaussianFixed)
	if err != nil {
		return nil, err
	}
	if len(labels) != ref.Rows {
		return nil, fmt.Errorf("%w: %d reference images but %d labels", ErrBadInput, ref.Rows, len(labels))
	}
	j := &Judge{k: min(fit.Or(c.K, 10), ref.Rows), workers: fit.Workers(c.Workers), ref: ref,
		labels: append([]int(nil), labels...), refNorm: rowNorms(ref)}
	for i, l := range labels {
		if l < 0 {
			return nil, fmt.Errorf("%w: label %d of reference %d is negative", ErrBadInput, l, i)
		}
		j.classes = max(j.classes, l+1)
	}
	return j, ctx.Err()
}

func rowNorms(m *nn.Matrix) []float32 {
	out := make([]float32, m.Rows)
	for i := range out {
		var s float32
		for _, v := range m.Row(i) {
			s += v * v
		}
		out[i] = s
	}
	return out
}

// Judge returns a Verdict for every row of X. Values so large that their
// squared distances overflow float32 return an error wrapping
// fit.ErrNonFinite.
func (j *Judge) Judge(X mat.Matrix) ([]Verdict, error) {
	x, err := toMatrix32("X", X, j.ref.Cols, GaussianFixed)
	if err != nil {
		return nil, err
	}
	out := make([]Verdict, x.Rows)
	const chunk = 128
	dots := nn.NewMatrix(chunk, j.ref.Rows)
	norms := rowNorms(x)
	votes := make([]int, j.classes)
	best := make([]int, j.k)
	for lo := 0; lo < x.Rows; lo += chunk {
		hi := min(lo+chunk, x.Rows)
		d := dots.Reshape(hi-lo, j.ref.Rows)
		nn.MatMul(d, rowsOf(x, lo, hi), j.ref, nn.MatMulOptions{TransB: true, Workers: j.workers})
		for i := lo; i < hi; i++ {
			row := d.Row(i - lo)
			// Squared distances |x|² + |r|² − 2x·r, in place.
			for r := range row {
				row[r] = max(0, norms[i]+j.refNorm[r]-2*row[r])
			}
			out[i] = j.vote(row, best, votes)
			if !finite(out[i].Distance) {
				return nil, nonFinite(fmt.Sprintf("distance of row %d to its nearest reference", i), out[i].Distance)
			}
		}
	}
	return out, nil
}

// vote picks the k smallest of dist (squared distances) and returns the
// verdict.
func (j *Judge) vote(dist []float32, best, votes []int) Verdict {
	best = best[:0]
	for r, v := range dist {
		if len(best) == j.k && v >= dist[best[j.k-1]] {
			continue
		}
		// Insert r into best, kept sorted by distance.
		pos := len(best)
		if pos < j.k {
			best = append(best, r)
		} else {
			pos--
		}
		for pos > 0 && dist[best[pos-1]] > v {
			best[pos] = best[pos-1]
			pos--
		}
		best[pos] = r
	}
	clear(votes)
	top := 0
	for _, r := range best {
		votes[j.labels[r]]++
		top = max(top, votes[j.labels[r]])
	}
	v := Verdict{Distance: math.Sqrt(float64(dist[best[0]]))}
	for _, r := range best {
		if votes[j.labels[r]] == top {
			v.Label = j.labels[r]
			break
		}
	}
	v.Confidence = float64(top) / float64(len(best))
	return v
}

// judgeFile is the gob layout of a saved Judge, after persist's header.
type judgeFile struct {
	K, Workers int
	Cols       int
	Ref        []float32 // reference images, row after row
	Labels     []int
}

var judgeCodec = persist.Codec[judgeFile]{Pkg: "vae", Kind: "vae.Judge", Version: 1,
	Check: func(f *judgeFile) error {
		n := len(f.Labels)
		switch {
		case n == 0 || f.Cols <= 0 || len(f.Ref) != n*f.Cols:
			return fmt.Errorf("%w: judge file has %d values for %d labels of %d columns", ErrBadInput, len(f.Ref), n, f.Cols)
		case f.K < 1 || f.K > n || f.Workers < 1:
			return fmt.Errorf("%w: judge file has K %d and Workers %d for %d references", ErrBadInput, f.K, f.Workers, n)
		}
		for i, l := range f.Labels {
			if l < 0 {
				return fmt.Errorf("%w: judge file label %d is %d", ErrBadInput, i, l)
			}
		}
		for i, v := range f.Ref {
			if !finite(float64(v)) {
				return fmt.Errorf("%w: judge file value %d is %v", ErrBadInput, i, v)
			}
		}
		return nil
	}}

func (j *Judge) file() *judgeFile {
	return &judgeFile{K: j.k, Workers: j.workers, Cols: j.ref.Cols, Ref: j.ref.Data, Labels: j.labels}
}

func judgeFromFile(f *judgeFile) *Judge {
	ref := &nn.Matrix{Rows: len(f.Labels), Cols: f.Cols, Data: f.Ref}
	j := &Judge{k: f.K, workers: f.Workers, ref: ref, refNorm: rowNorms(ref), labels: f.Labels}
	for _, l := range f.Labels {
		j.classes = max(j.classes, l+1)
	}
	return j
}

// Save writes the judge (its reference images and labels) in persist's
// format ("gonbml vae.Judge v1", then gob).
func (j *Judge) Save(w io.Writer) error { return judgeCodec.Save(w, j.file()) }

// SaveFile writes the judge to path atomically.
func (j *Judge) SaveFile(path string) error { return judgeCodec.SaveFile(path, j.file()) }

// LoadJudge reads a judge written by Save.
func LoadJudge(r io.Reader) (*Judge, error) {
	f, err := judgeCodec.Load(r)
	if err != nil {
		return nil, err
	}
	return judgeFromFile(f), nil
}

// LoadJudgeFile reads a judge written by SaveFile.
func LoadJudgeFile(path string) (*Judge, error) {
	f, err := judgeCodec.LoadFile(path)
	if err != nil {
		return nil, err
	}
	return judgeFromFile(f), nil
}
