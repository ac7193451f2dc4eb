package crawl

import (
	"math/rand/v2"
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"", 0, false},
		{"7", 7 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true}, // a date in the past: retry now
	} {
		h := http.Header{}
		if tc.value != "" {
			h.Set("Retry-After", tc.value)
		}
		got, ok := retryAfter(h, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Retry-After %q = %v, %v; want %v, %v", tc.value, got, ok, tc.want, tc.ok)
		}
	}
}

// TestBackoff: attempt k waits between half and all of base·2^k, capped.
func TestBackoff(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	base, maxWait := 100*time.Millisecond, time.Second
	for attempt := 0; attempt < 40; attempt++ {
		full := min(base<<min(attempt, 30), maxWait)
		if attempt > 30 {
			full = maxWait
		}
		for range 50 {
			d := backoff(base, maxWait, attempt, rng)
			if d < full/2 || d > full {
				t.Fatalf("attempt %d: backoff %v outside [%v, %v]", attempt, d, full/2, full)
			}
		}
	}
}
