package embed

import (
	"time"

	"github.com/gonbml/gonbml/stdlib/fit"
)

var processStart = time.Now()

// cpuClock is the CPU time (user + system) this process has used so far:
// the clock EpochCPU is read from. It counts every thread, so a training
// run's figure includes its worker goroutines and the garbage collector.
// Where the system cannot say, it is the wall time since the package was
// loaded (see FastSent.EpochCPU).
func cpuClock() time.Duration {
	if d, err := fit.ProcessCPU(); err == nil {
		return d
	}
	return time.Since(processStart)
}

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
