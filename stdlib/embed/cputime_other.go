//go:build !unix

package embed

import "time"

// cpuClock falls back to the wall clock where getrusage is missing, so
// EpochCPU there is elapsed time (see FastSent.EpochCPU).
func cpuClock() time.Duration { return wallClock() }
