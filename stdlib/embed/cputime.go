package embed

import "time"

var processStart = time.Now()

// wallClock is the time since the package was loaded.
func wallClock() time.Duration { return time.Since(processStart) }

// epochTimer measures the CPU seconds of successive epochs.
type epochTimer struct{ last time.Duration }

func newEpochTimer() *epochTimer { return &epochTimer{last: cpuClock()} }

// lap returns the CPU seconds since the previous lap (or the start).
func (t *epochTimer) lap() float64 {
	now := cpuClock()
	d := now - t.last
	t.last = now
	return d.Seconds()
}
