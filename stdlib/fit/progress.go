package fit

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// DefaultInterval is the default of every config's ProgressInterval: at most
// four events a second, enough for a smooth bar without flooding a cell.
const DefaultInterval = 250 * time.Millisecond

// Progress is one report from long-running work.
type Progress struct {
	// Phase names what is running, e.g. "fit", "epoch", "crawl".
	Phase string
	// Step counts completed units (iterations, epochs, pages, words) and
	// Total is their planned number; Total is 0 when it is not known.
	Step, Total int64
	// Unit names what Step counts ("iteration", "epoch", "page", "word").
	Unit string
	// Loss is the objective after Step (NaN when the work has none).
	Loss float64
	// Metrics holds further named figures (validation loss, words/s,
	// pages/s); nil when there are none.
	Metrics map[string]float64
	// Elapsed is the time since the work started.
	Elapsed time.Duration
	// Done is set on the final event only, and Status then says how the
	// work ended.
	Done   bool
	Status string
}

// String formats the event on one line, e.g.
// "epoch 3/10 loss 112.400 kl 24.100 (1.2s)".
func (p Progress) String() string {
	var b strings.Builder
	unit := p.Unit
	if unit == "" {
		unit = "step"
	}
	if p.Total > 0 {
		fmt.Fprintf(&b, "%s %d/%d", unit, p.Step, p.Total)
	} else {
		fmt.Fprintf(&b, "%s %d", unit, p.Step)
	}
	if !math.IsNaN(p.Loss) {
		fmt.Fprintf(&b, " loss %.4g", p.Loss)
	}
	keys := make([]string, 0, len(p.Metrics))
	for k := range p.Metrics {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s %.4g", k, p.Metrics[k])
	}
	fmt.Fprintf(&b, " (%.1fs)", p.Elapsed.Seconds())
	if p.Done && p.Status != "" {
		b.WriteString(": " + p.Status)
	}
	return b.String()
}

// Func receives progress; returning an error stops the work.
type Func func(Progress) error

// Reporter throttles a Func for one run of work. The zero Reporter (nil
// Func) reports nothing and costs a comparison per call.
type Reporter struct {
	fn       Func
	interval time.Duration
	start    time.Time
	last     time.Time
	sent     bool
}

// NewReporter starts the clock for one run. interval 0 means
// DefaultInterval; a negative interval (Off) reports every event.
func NewReporter(fn Func, interval time.Duration) *Reporter {
	if interval == 0 {
		interval = DefaultInterval
	}
	return &Reporter{fn: fn, interval: interval, start: time.Now()}
}

// Elapsed is the time since NewReporter.
func (r *Reporter) Elapsed() time.Duration { return time.Since(r.start) }

// Report delivers p (with Elapsed filled in) if the interval has passed
// since the last delivery, or if it is the first event. It returns the
// Func's error.
func (r *Reporter) Report(p Progress) error {
	if r == nil || r.fn == nil {
		return nil
	}
	now := time.Now()
	if r.sent && r.interval > 0 && now.Sub(r.last) < r.interval {
		return nil
	}
	r.sent, r.last = true, now
	p.Elapsed = now.Sub(r.start)
	return r.fn(p)
}

// Finish delivers the final event: p with Done set and the status. Call it
// once, whatever the outcome (it is not throttled); its error is returned
// only when the work itself succeeded, so a caller can write
//
//	err = r.Finish(last, fit.Status(err, "converged at iteration 60"))
func (r *Reporter) Finish(p Progress, status string) error {
	if r == nil || r.fn == nil {
		return nil
	}
	p.Done, p.Status = true, status
	p.Elapsed = time.Since(r.start)
	return r.fn(p)
}

// Status is the final status line for err: "stopped: <err>" when the work
// failed or was cancelled, else ok.
func Status(err error, ok string) string {
	if err != nil {
		return "stopped: " + err.Error()
	}
	return ok
}
