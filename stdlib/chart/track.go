package chart

import (
	"fmt"
	"math"

	"github.com/gonbml/gonbml/stdlib/fit"
)

// Track returns a progress callback for any trainer or crawl (their
// Progress field) that draws a progress bar titled title: in a notebook one
// output block redrawn in place, elsewhere a line on stderr. The bar is
// created at the first event, with that event's unit and total, and ends in
// the final event's state ("converged at iteration 60", "stopped: …"), so a
// saved notebook never shows a bar frozen part-way.
//
//	cfg.Progress = chart.Track("NMF, k = 20")
func Track(title string) fit.Func {
	var bar *Progress
	return func(p fit.Progress) error {
		if bar == nil {
			var err error
			bar, err = ProgressOptions{Unit: p.Unit}.New(title, int(p.Total))
			if err != nil {
				return err
			}
		}
		s := Step{Done: int(p.Step), Total: int(p.Total)}
		if !math.IsNaN(p.Loss) {
			s.Loss = p.Loss
		}
		if p.Done {
			s.Note = p.Status
			if p.Total > 0 && p.Step < p.Total {
				// Stopped early (converged, cancelled): show where it
				// ended as the whole, so the bar reads finished.
				s.Note = fmt.Sprintf("%s (%d of %d planned)", p.Status, p.Step, p.Total)
				s.Total = int(p.Step)
			}
			bar.Update(s)
			bar.Finish()
			return nil
		}
		bar.Update(s)
		return nil
	}
}
