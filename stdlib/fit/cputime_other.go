//go:build !unix

package fit

import (
	"errors"
	"time"
)

// ProcessCPU is not available here: it needs getrusage(2).
func ProcessCPU() (time.Duration, error) {
	return 0, errors.New("fit: process CPU time is not available on this system")
}
