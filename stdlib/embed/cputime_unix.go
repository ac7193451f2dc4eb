//go:build unix

package embed

import (
	"syscall"
	"time"
)

// cpuClock is the CPU time (user + system) this process has used so far:
// the clock EpochCPU is read from. It counts every thread, so a training
// run's figure includes its worker goroutines and the garbage collector.
func cpuClock() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return wallClock()
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
