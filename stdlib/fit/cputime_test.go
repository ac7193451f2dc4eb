package fit_test

import (
	"math"
	"testing"

	"github.com/gonbml/gonbml/stdlib/fit"
)

// A busy loop of known length shows up in the process CPU time.
func TestProcessCPUAdvancesOverWork(t *testing.T) {
	before, err := fit.ProcessCPU()
	if err != nil {
		t.Fatal(err)
	}
	x := 0.0
	for i := range 50_000_000 {
		x += math.Sqrt(float64(i))
	}
	after, err := fit.ProcessCPU()
	if err != nil {
		t.Fatal(err)
	}
	if after <= before || x == 0 {
		t.Errorf("ProcessCPU did not advance over a busy loop: %v → %v", before, after)
	}
}
