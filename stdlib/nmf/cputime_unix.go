//go:build unix

package nmf

import (
	"fmt"
	"syscall"
	"time"
)

// ProcessCPU returns the CPU time (user and system) the process has used
// so far, from getrusage(2).
func ProcessCPU() (time.Duration, error) {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0, fmt.Errorf("nmf: getrusage: %w", err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano()), nil
}
