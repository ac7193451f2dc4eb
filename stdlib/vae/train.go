package vae

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/nn"
	"gonum.org/v1/gonum/mat"
)

// Fit trains a variational autoencoder on the rows of X by minimising
// −ELBO = reconstruction + β·KL with Adam on shuffled mini-batches, one
// reparameterised sample z = μ + σ ⊙ ε per row and step.
//
// Cancelling ctx, or an error from c.Progress, stops after the current
// mini-batch and returns the model trained so far with that error. A loss
// that turns NaN or infinite, or grows past tenfold its first value
// (fit.Diverged), stops with an error wrapping ErrDiverged that names the
// epoch and batch; the returned model then holds the weights of the last
// finished epoch.
func (c Config) Fit(ctx context.Context, X mat.Matrix) (*Model, error) {
	t, err := c.train(ctx, X, true)
	if t == nil {
		return nil, err
	}
	return &Model{net: t.net, History: t.history, cfg: t.cfg}, err
}

type trained struct {
	net     *network
	history []Epoch
	cfg     Config
}

func (c Config) train(ctx context.Context, X mat.Matrix, variational bool) (*trained, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c = c.withDefaults() // a copy: the caller's config is never changed
	x, err := toMatrix32("X", X, c.Input, c.Likelihood)
	if err != nil {
		return nil, err
	}
	var val *nn.Matrix
	if c.Validation != nil {
		if val, err = toMatrix32("Validation", c.Validation, x.Cols, c.Likelihood); err != nil {
			return nil, err
		}
	}
	beta := c.Beta
	if !variational {
		beta = 0
	}
	a := arch{Input: x.Cols, Hidden: c.Hidden, DecoderHidden: c.DecoderHidden, Latent: c.Latent,
		Likelihood: c.Likelihood, LogVar: float32(math.Log(c.Variance)), Variational: variational, Beta: beta}
	net := newNetwork(a, c.Seed)
	net.workers = c.Workers
	saved := c
	saved.Validation, saved.Progress = nil, nil
	t := &trained{net: net, cfg: saved}

	rep := fit.NewReporter(c.Progress, c.ProgressInterval)
	last := fit.Progress{Unit: "epoch", Total: int64(c.Epochs), Loss: math.NaN()}
	err = t.epochs(ctx, x, val, c, rep, &last)
	status := fmt.Sprintf("finished %d epochs", c.Epochs)
	if ferr := rep.Finish(last, fit.Status(err, status)); err == nil {
		err = ferr
	}
	return t, err
}

// epochs runs the training loop of train, recording each finished epoch in
// t.history and *last.
func (t *trained) epochs(ctx context.Context, x, val *nn.Matrix, c Config, rep *fit.Reporter, last *fit.Progress) error {
	net, beta := t.net, t.net.arch.Beta
	opt := &nn.Adam{LR: c.LearningRate, Workers: c.Workers}
	shuffle := newRand(c.Seed, streamShuffle)
	noise := newRand(c.Seed, streamEps)
	n := x.Rows
	bs := min(c.BatchSize, n)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	batch := nn.NewMatrix(bs, x.Cols)
	eps := nn.NewMatrix(bs, c.Latent)
	good := snapshot(net.params, nil)
	first := math.NaN() // the first mini-batch's loss, per sample
	for epoch := 1; epoch <= c.Epochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		t0 := time.Now()
		shuffle.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		var recSum, klSum float64
		for lo, b := 0, 0; lo < n; lo, b = lo+bs, b+1 {
			if err := ctx.Err(); err != nil {
				return err
			}
			hi := min(lo+bs, n)
			xb := batch.Reshape(hi-lo, x.Cols)
			for i, p := range perm[lo:hi] {
				copy(xb.Row(i), x.Row(p))
			}
			var e *nn.Matrix
			if net.arch.Variational {
				e = eps.Reshape(hi-lo, c.Latent)
				for i := range e.Data {
					e.Data[i] = float32(noise.NormFloat64())
				}
			}
			rec, kl := net.lossAndGrad(xb, e, true)
			loss := (rec + beta*kl) / float64(hi-lo)
			if math.IsNaN(first) {
				first = loss
			}
			if fit.Diverged(first, loss) || !gradsFinite(net.params) {
				restore(net.params, good)
				return fmt.Errorf("%w at epoch %d, batch %d (loss %.4g per sample, first %.4g): lower Config.LearningRate or check the data scale",
					ErrDiverged, epoch, b+1, loss, first)
			}
			opt.Step(net.params)
			recSum += rec
			klSum += kl
		}
		ep := Epoch{Epoch: epoch, Train: terms(recSum/float64(n), klSum/float64(n)), Seconds: time.Since(t0).Seconds()}
		if val != nil {
			ep.Validation, ep.HasValidation = evaluate(net, val, c.Seed), true
		}
		if !paramsFinite(net.params) {
			restore(net.params, good)
			return fmt.Errorf("%w at epoch %d: weights are no longer finite", ErrDiverged, epoch)
		}
		good = snapshot(net.params, good)
		t.history = append(t.history, ep)
		*last = epochProgress(ep, c.Epochs)
		if err := rep.Report(*last); err != nil {
			return err
		}
	}
	return nil
}

// epochProgress is the progress event of a finished epoch.
func epochProgress(ep Epoch, epochs int) fit.Progress {
	m := map[string]float64{MetricReconstruction: ep.Train.Reconstruction, MetricKL: ep.Train.KL}
	if ep.HasValidation {
		m[MetricValidation] = ep.Validation.NegELBO
	}
	return fit.Progress{Unit: "epoch", Step: int64(ep.Epoch), Total: int64(epochs), Loss: ep.Train.NegELBO, Metrics: m}
}

func terms(rec, kl float64) Terms { return Terms{NegELBO: rec + kl, Reconstruction: rec, KL: kl} }

// evaluate returns the mean −ELBO terms of x with one seeded ε per row.
func evaluate(net *network, x *nn.Matrix, seed uint64) Terms {
	rows := evaluateRows(net, x, seed)
	var rec, kl float64
	for _, r := range rows {
		rec += r.Reconstruction
		kl += r.KL
	}
	return terms(rec/float64(len(rows)), kl/float64(len(rows)))
}

// evalBatch is the row count of inference passes.
const evalBatch = 256

func evaluateRows(net *network, x *nn.Matrix, seed uint64) []Terms {
	rng := newRand(seed, streamEval)
	out := make([]Terms, x.Rows)
	eps := nn.NewMatrix(evalBatch, net.arch.Latent)
	for lo := 0; lo < x.Rows; lo += evalBatch {
		hi := min(lo+evalBatch, x.Rows)
		var e *nn.Matrix
		if net.arch.Variational {
			e = eps.Reshape(hi-lo, net.arch.Latent)
			for i := range e.Data {
				e.Data[i] = float32(rng.NormFloat64())
			}
		}
		net.lossAndGrad(rowsOf(x, lo, hi), e, false)
		for i := 0; i < hi-lo; i++ {
			out[lo+i] = terms(net.ws.recRows[i], net.ws.klRows[i])
		}
	}
	return out
}

func snapshot(params []nn.Param, dst [][]float32) [][]float32 {
	if dst == nil {
		dst = make([][]float32, len(params))
	}
	for i, p := range params {
		dst[i] = append(dst[i][:0], p.Value...)
	}
	return dst
}

func restore(params []nn.Param, src [][]float32) {
	for i, p := range params {
		copy(p.Value, src[i])
	}
}

func gradsFinite(params []nn.Param) bool {
	for _, p := range params {
		// Only biases are scanned: a NaN anywhere upstream reaches every
		// bias gradient of the layers below it within the same step, and
		// scanning all weights every step would cost a noticeable share.
		if len(p.Grad) > 4096 {
			continue
		}
		for _, g := range p.Grad {
			if math.IsNaN(float64(g)) || math.IsInf(float64(g), 0) {
				return false
			}
		}
	}
	return true
}

func paramsFinite(params []nn.Param) bool {
	for _, p := range params {
		for _, v := range p.Value {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return false
			}
		}
	}
	return true
}
