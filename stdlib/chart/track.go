package chart

import (
	"fmt"
	"math"
	"sync"

	"github.com/gonbml/gonbml/stdlib/fit"
)

// Track returns a progress callback for any trainer or crawl (their
// Progress field) that draws a progress bar titled title: in a notebook one
// output block redrawn in place, elsewhere a line on stderr. It is
// ProgressOptions{}.Track(title).
//
//	cfg.Progress = chart.Track("NMF, k = 20")
func Track(title string) fit.Func { return ProgressOptions{}.Track(title) }

// Track returns a progress callback that draws fit.Progress events as a
// [Progress] bar with these options. The bar is created at a run's first
// event, with that event's unit (unless o.Unit is set) and total, and ends
// in the final event's state ("converged at iteration 60", "stopped: …"),
// so a saved notebook never shows a bar frozen part-way. A run that stops
// early (converged, cancelled) is drawn as complete at the step it reached,
// with "(60 of 200 planned)". After a final event the next event starts a
// new bar, so one callback can watch several fits in turn. The callback
// never stops the work: it returns an error only for options that cannot
// be used.
func (o ProgressOptions) Track(title string) fit.Func {
	var (
		mu  sync.Mutex
		bar *Progress
	)
	return func(p fit.Progress) error {
		mu.Lock()
		defer mu.Unlock()
		if bar == nil {
			opt := o
			if opt.Unit == "" {
				opt.Unit = p.Unit
			}
			var err error
			if bar, err = opt.New(title, int(max(p.Total, 0))); err != nil {
				return err
			}
		}
		s := Step{Done: int(p.Step), Total: int(p.Total)}
		if !math.IsNaN(p.Loss) {
			s.Loss = p.Loss
		}
		if !p.Done {
			bar.Update(s)
			return nil
		}
		s.Note = p.Status
		if p.Total > 0 && p.Step < p.Total {
			s.Note = fmt.Sprintf("%s (%d of %d planned)", p.Status, p.Step, p.Total)
			s.Total = int(p.Step)
			if s.Total == 0 {
				// Stopped before the first unit: keep the planned total,
				// since 0 means "unchanged" to Update.
				s.Total = int(p.Total)
			}
		}
		bar.Update(s)
		bar.Finish()
		bar = nil
		return nil
	}
}
