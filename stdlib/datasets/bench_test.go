package datasets_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/gonbml/gonbml/stdlib/datasets"
)

// BenchmarkLoadSpamAssassin measures a warm load (tarball already in the
// cache) of the whole corpus: sha512 check, gunzip, tar walk and parsing.
func BenchmarkLoadSpamAssassin(b *testing.B) {
	needData(b, datasets.SpamAssassin)
	cpu0 := cpuTime()
	for b.Loop() {
		msgs, err := datasets.LoadSpamAssassin(context.Background())
		if err != nil || len(msgs) != 6046 {
			b.Fatal(len(msgs), err)
		}
	}
	b.ReportMetric(6046*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	// CPU seconds per load: on a shared machine wall time mostly measures
	// the neighbours; this does not.
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

// cpuTime returns the user+system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkLoadMNIST measures a load after the first: the digits read
// from the idx cache (BenchmarkDecodeMNIST measures the first, from JSON).
func BenchmarkLoadMNIST(b *testing.B) {
	needData(b, datasets.MNIST)
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := datasets.LoadMNIST(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}
