package chart

import (
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gonbml/gonbml/stdlib/fit"

	"github.com/janpfeifer/gonb/gonbui"
)

// Step is one progress report: how much of how much is done, and
// optionally the current loss and a short note.
type Step struct {
	// Done is the number of units finished (iterations, epochs, pages).
	Done int
	// Total is the number of units expected; 0 keeps the previous total
	// (or means unknown: no percentage and no ETA).
	Total int
	// Loss is shown when it is not zero.
	Loss float64
	// Note is shown at the end of the line when not empty.
	Note string
}

// ProgressOptions configures a progress bar. The zero value is valid.
type ProgressOptions struct {
	// Interval is the minimum time between two redraws; the first and the
	// final state are always drawn. Default 250ms, or 2s when writing
	// lines to something that is not a terminal.
	Interval time.Duration
	// Unit names what is counted in the rate, e.g. "epoch", "page".
	// Default "it".
	Unit string
	// Writer receives the progress line outside a notebook. Default
	// os.Stderr. On a terminal the line is redrawn in place; otherwise
	// each redraw is a new line.
	Writer io.Writer
	// Clock returns the current time. Default time.Now.
	Clock func() time.Time
}

// ErrBadConfig is wrapped by the errors of ImageOptions.Validate and
// ProgressOptions.Validate.
var ErrBadConfig = errors.New("chart: bad config")

// Validate reports an option that cannot be used, wrapping ErrBadConfig
// and naming the field.
func (o ProgressOptions) Validate() error {
	if o.Interval < 0 {
		return fit.BadConfig(ErrBadConfig, "ProgressOptions.Interval", o.Interval, "at least 0")
	}
	return nil
}

// Progress is a progress bar. In a notebook it is one output block that
// every redraw replaces (its display id is stable); outside, a terminal
// line. It is safe for concurrent use.
type Progress struct {
	mu       sync.Mutex
	title    string
	o        ProgressOptions
	tty      bool
	id       string
	start    time.Time
	last     time.Time
	drawn    bool
	finished bool
	s        Step
}

// NewProgress returns a progress bar with default options for total units
// (0 if unknown).
func NewProgress(title string, total int) *Progress {
	p, _ := ProgressOptions{}.New(title, total) // zero options are valid
	return p
}

// New returns a progress bar with these options for total units (0 if
// unknown).
func (o ProgressOptions) New(title string, total int) (*Progress, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if total < 0 {
		return nil, fmt.Errorf("chart: progress total is %d, want >= 0", total)
	}
	if o.Unit == "" {
		o.Unit = "it"
	}
	if o.Writer == nil {
		o.Writer = os.Stderr
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	p := &Progress{title: title, o: o, s: Step{Total: total}}
	p.tty = isTerminal(o.Writer)
	if p.o.Interval == 0 {
		p.o.Interval = 250 * time.Millisecond
		if current() == nil && !p.tty {
			p.o.Interval = 2 * time.Second
		}
	}
	p.start = o.Clock()
	if current() != nil {
		p.id = "gonbml-progress-" + gonbui.UniqueId()
	}
	return p, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Update records s and redraws if Interval has passed since the last
// redraw, or if the work is complete (Done reached Total).
func (p *Progress) Update(s Step) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s.Total == 0 {
		s.Total = p.s.Total
	}
	p.s = s
	now := p.o.Clock()
	complete := s.Total > 0 && s.Done >= s.Total
	if p.drawn && !complete && now.Sub(p.last) < p.o.Interval {
		return
	}
	p.drawLocked(now, complete)
}

// Set is Update with only Done changed.
func (p *Progress) Set(done int) {
	p.mu.Lock()
	s := p.s
	p.mu.Unlock()
	s.Done = done
	p.Update(s)
}

// Finish draws the final state (whatever the throttle says) and ends the
// terminal line. Later calls do nothing.
func (p *Progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return
	}
	p.drawLocked(p.o.Clock(), true)
}

func (p *Progress) drawLocked(now time.Time, final bool) {
	if p.finished {
		return
	}
	p.last, p.drawn = now, true
	line := p.textLocked(now)
	if fe := current(); fe != nil {
		fe.display(map[string]any{"text/html": p.htmlLocked(now), "text/plain": line}, p.id)
		if final {
			fe.sync()
		}
	} else if p.tty {
		fmt.Fprintf(p.o.Writer, "\r%s\x1b[K", line)
		if final {
			fmt.Fprintln(p.o.Writer)
		}
	} else {
		fmt.Fprintln(p.o.Writer, line)
	}
	if final {
		p.finished = true
	}
}

// String returns the progress line as printed outside a notebook.
func (p *Progress) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.textLocked(p.o.Clock())
}

// fraction is done/total in [0, 1], or -1 when the total is unknown.
func (p *Progress) fractionLocked() float64 {
	if p.s.Total <= 0 {
		return -1
	}
	return math.Max(0, math.Min(1, float64(p.s.Done)/float64(p.s.Total)))
}

// statsLocked returns the "12/100  3.4 it/s  ETA 0:27  loss 0.123" part.
func (p *Progress) statsLocked(now time.Time) []string {
	var parts []string
	if p.s.Total > 0 {
		parts = append(parts, fmt.Sprintf("%d/%d", p.s.Done, p.s.Total))
	} else {
		parts = append(parts, fmt.Sprintf("%d", p.s.Done))
	}
	elapsed := now.Sub(p.start).Seconds()
	if elapsed > 0 && p.s.Done > 0 {
		rate := float64(p.s.Done) / elapsed
		parts = append(parts, fmt.Sprintf("%s %s/s", formatRate(rate), p.o.Unit))
		if p.s.Total > 0 && p.s.Done < p.s.Total {
			eta := time.Duration(float64(p.s.Total-p.s.Done) / rate * float64(time.Second))
			parts = append(parts, "ETA "+formatDuration(eta))
		} else {
			parts = append(parts, "in "+formatDuration(now.Sub(p.start)))
		}
	}
	if p.s.Loss != 0 {
		parts = append(parts, fmt.Sprintf("loss %.4g", p.s.Loss))
	}
	if p.s.Note != "" {
		parts = append(parts, p.s.Note)
	}
	return parts
}

func formatRate(r float64) string {
	switch {
	case r >= 100:
		return fmt.Sprintf("%.0f", r)
	case r >= 10:
		return fmt.Sprintf("%.1f", r)
	default:
		return fmt.Sprintf("%.2f", r)
	}
}

// formatDuration prints m:ss or h:mm:ss.
func formatDuration(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

func (p *Progress) textLocked(now time.Time) string {
	const width = 24
	var b strings.Builder
	if p.title != "" {
		b.WriteString(p.title + " ")
	}
	if f := p.fractionLocked(); f >= 0 {
		n := int(math.Round(f * width))
		fmt.Fprintf(&b, "%3.0f%% [%s%s] ", 100*f, strings.Repeat("#", n), strings.Repeat(" ", width-n))
	}
	b.WriteString(strings.Join(p.statsLocked(now), "  "))
	return b.String()
}

func (p *Progress) htmlLocked(now time.Time) string {
	f := p.fractionLocked()
	pct := ""
	var bar string
	if f >= 0 {
		pct = fmt.Sprintf("%.0f", 100*f)
		bar = fmt.Sprintf("<span style=\"display:inline-block;width:240px;height:10px;background:#e6e6e6;border-radius:3px;vertical-align:middle;overflow:hidden\"><span style=\"display:block;width:%.1f%%;height:100%%;background:#5470c6\"></span></span> %s%% ", 100*f, pct)
	}
	return fmt.Sprintf("<div class=\"gonbml-progress\" data-gonbml-progress=\"%s\" style=\"font-family:monospace;font-size:13px;line-height:1.8\"><b>%s</b> %s%s</div>",
		pct, html.EscapeString(p.title), bar, html.EscapeString(strings.Join(p.statsLocked(now), " · ")))
}
