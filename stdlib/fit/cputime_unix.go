//go:build unix

package fit

import (
	"fmt"
	"syscall"
	"time"
)

// ProcessCPU returns the CPU time (user and system) the process has used
// so far, from getrusage(2). It counts every thread: a fit's worker
// goroutines and the garbage collector, not the other jobs on the
// machine, which is why the notebooks compare solvers by it rather than
// by wall time.
func ProcessCPU() (time.Duration, error) {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0, fmt.Errorf("fit: getrusage: %w", err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano()), nil
}
