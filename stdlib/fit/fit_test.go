package fit_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gonbml/gonbml/stdlib/fit"
)

func TestReporterThrottlesButKeepsFirstAndFinal(t *testing.T) {
	var got []fit.Progress
	r := fit.NewReporter(func(p fit.Progress) error { got = append(got, p); return nil }, time.Hour)
	for i := 1; i <= 100; i++ {
		if err := r.Report(fit.Progress{Step: int64(i), Total: 100}); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Finish(fit.Progress{Step: 60, Total: 100}, "converged at iteration 60"); err != nil {
		t.Fatal(err)
	}
	// An hour's interval lets only the first event through, then the final.
	if len(got) != 2 || got[0].Step != 1 || !got[1].Done || got[1].Status != "converged at iteration 60" {
		t.Fatalf("delivered %+v", got)
	}
	var all int
	r = fit.NewReporter(func(fit.Progress) error { all++; return nil }, fit.Off)
	for i := 0; i < 10; i++ {
		r.Report(fit.Progress{})
	}
	if all != 10 {
		t.Fatalf("Off interval delivered %d of 10", all)
	}
}

func TestReporterStopsOnCallbackError(t *testing.T) {
	stop := errors.New("stop")
	r := fit.NewReporter(func(fit.Progress) error { return stop }, 0)
	if err := r.Report(fit.Progress{}); !errors.Is(err, stop) {
		t.Fatalf("err = %v", err)
	}
	var nilReporter *fit.Reporter
	if err := nilReporter.Report(fit.Progress{}); err != nil {
		t.Fatal(err)
	}
}

func TestDiverged(t *testing.T) {
	for _, tc := range []struct {
		first, loss float64
		want        bool
	}{
		{550, 6.5e32, true}, // the VAE at learning rate 1e6 from the issue
		{550, 540, false},
		{550, 5400, false},
		{550, 5600, true},
		{550, math.NaN(), true},
		{550, math.Inf(1), true},
		{-3, -2, false}, // log-likelihood-like losses may be negative
		{-3, 100, true},
	} {
		if got := fit.Diverged(tc.first, tc.loss); got != tc.want {
			t.Errorf("Diverged(%v, %v) = %v, want %v", tc.first, tc.loss, got, tc.want)
		}
	}
}

func TestSettings(t *testing.T) {
	if fit.Or(0, 1e-4) != 1e-4 || fit.Or(float64(fit.Off), 1e-4) != 0 || fit.Or(3, 7) != 3 {
		t.Fatal("Or does not follow zero=default, Off=zero")
	}
	if fit.Workers(0) < 1 || fit.Workers(3) != 3 {
		t.Fatal("Workers")
	}
	sentinel := errors.New("embed: bad config")
	err := fit.BadConfig(sentinel, "VectorSize", -3, "at least 1")
	if !errors.Is(err, sentinel) || err.Error() != "embed: bad config: VectorSize is -3, want at least 1" {
		t.Fatalf("BadConfig = %v", err)
	}
	if err := fit.Finite("NegELBO", math.NaN()); !errors.Is(err, fit.ErrNonFinite) || !strings.Contains(err.Error(), "NegELBO") {
		t.Fatalf("Finite = %v", err)
	}
	p := fit.Progress{Step: 3, Total: 10, Unit: "epoch", Loss: 112.4, Metrics: map[string]float64{"kl": 24.1}, Elapsed: 1200 * time.Millisecond}
	if s := p.String(); s != "epoch 3/10 loss 112.4 kl 24.1 (1.2s)" {
		t.Fatalf("String = %q", s)
	}
}
