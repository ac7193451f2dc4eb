package chart

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/janpfeifer/gonb/gonbui"
)

// LiveCurve is a line chart that redraws in place as points arrive: a
// training curve that grows epoch by epoch. Redraws are throttled to one
// per Interval; Flush draws the final state. It is safe for concurrent use.
type LiveCurve struct {
	// Interval is the minimum time between two redraws. Default 1s.
	Interval time.Duration
	// Clock returns the current time. Default time.Now.
	Clock func() time.Time
	// Options name the axes and place the legend, as for Options.Line.
	// Default: the title NewLiveCurve got, no axis names.
	Options Options

	mu     sync.Mutex
	title  string
	names  []string
	series map[string]*Series
	id     string
	last   time.Time
	drawn  bool
	dirty  bool
}

// NewLiveCurve returns an empty live curve; series appear in the order of
// their first point.
func NewLiveCurve(title string) *LiveCurve {
	return &LiveCurve{title: title, series: map[string]*Series{}}
}

// Add appends the point (x, y) to the named series and redraws if Interval
// has passed since the last redraw.
func (l *LiveCurve) Add(series string, x, y float64) error {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) {
		return fmt.Errorf("chart: live curve point (%v, %v) of %q is not finite", x, y, series)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.series == nil {
		l.series = map[string]*Series{}
	}
	s, ok := l.series[series]
	if !ok {
		s = &Series{Name: series}
		l.series[series] = s
		l.names = append(l.names, series)
	}
	s.X = append(s.X, x)
	s.Y = append(s.Y, y)
	l.dirty = true
	now := l.now()
	interval := l.Interval
	if interval == 0 {
		interval = time.Second
	}
	if l.drawn && now.Sub(l.last) < interval {
		return nil
	}
	if current() == nil {
		// Outside a notebook only Flush writes the file.
		return nil
	}
	return l.redrawLocked(now)
}

func (l *LiveCurve) now() time.Time {
	if l.Clock != nil {
		return l.Clock()
	}
	return time.Now()
}

// Line returns the curve's current chart.
func (l *LiveCurve) Line() (*charts.Line, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lineLocked()
}

func (l *LiveCurve) lineLocked() (*charts.Line, error) {
	if len(l.names) == 0 {
		return nil, errors.New("chart: live curve has no points yet")
	}
	ss := make([]Series, len(l.names))
	for i, n := range l.names {
		ss[i] = *l.series[n]
	}
	o := l.Options
	if o.Title == "" {
		o.Title = l.title
	}
	return o.Line(ss...)
}

func (l *LiveCurve) redrawLocked(now time.Time) error {
	c, err := l.lineLocked()
	if err != nil {
		return err
	}
	fe := current()
	if fe == nil {
		return nil
	}
	p, err := prepare(c)
	if err != nil {
		return err
	}
	if !l.drawn {
		if err := ensureBundle(fe); err != nil {
			return err
		}
		l.id = "gonbml-live-" + gonbui.UniqueId()
	}
	fe.display(map[string]any{"text/html": p.html, "image/png": p.png, "text/plain": altText(p.title)}, l.id)
	l.last, l.drawn, l.dirty = now, true, false
	return nil
}

// Flush draws the current state now. In a notebook it replaces the live
// output; outside it writes the chart's HTML page into OutputDir and prints
// its path, like Show.
func (l *LiveCurve) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	fe := current()
	if fe == nil {
		c, err := l.lineLocked()
		if err != nil {
			return err
		}
		return Show(c)
	}
	if l.drawn && !l.dirty {
		fe.sync()
		return nil
	}
	if err := l.redrawLocked(l.now()); err != nil {
		return err
	}
	fe.sync()
	return nil
}
