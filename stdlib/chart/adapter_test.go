package chart

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gonbml/gonbml/stdlib/fit"
)

// Track draws the fit.Progress events every trainer and the crawler send,
// and always ends in the final event's state.
func TestTrackEndsInFinalState(t *testing.T) {
	type ev = fit.Progress
	cases := []struct {
		name   string
		events []ev
		want   []string // substrings of the output, in order
		last   string   // the last line must contain this
	}{
		{"converged early", []ev{
			{Step: 1, Total: 200, Unit: "iteration", Loss: 50},
			{Step: 60, Total: 200, Unit: "iteration", Loss: 12.5, Done: true, Status: "converged at iteration 60"},
		}, []string{"nmf   0% ", "1/200", "loss 50"}, "100% [########################] 60/60"},
		{"finished", []ev{
			{Step: 1, Total: 10, Unit: "epoch", Loss: 120},
			{Step: 10, Total: 10, Unit: "epoch", Loss: 98.2, Done: true, Status: "finished 10 epochs"},
		}, []string{"epoch/s"}, "10/10"},
		{"unknown total", []ev{
			{Step: 3, Unit: "page", Loss: math.NaN()},
			{Step: 9, Unit: "page", Loss: math.NaN(), Done: true, Status: "crawled 9 pages"},
		}, []string{"nmf 3\n"}, "crawled 9 pages"},
		{"stopped before the first unit", []ev{
			{Step: 0, Total: 5, Unit: "epoch", Loss: math.NaN(), Done: true, Status: "stopped: context canceled"},
		}, nil, "stopped: context canceled (0 of 5 planned)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			track := ProgressOptions{Writer: &buf, Interval: time.Hour, Clock: func() time.Time { return now }}.Track("nmf")
			for _, e := range c.events {
				now = now.Add(time.Second)
				if err := track(e); err != nil {
					t.Fatalf("callback returned %v, want nil (the bar never stops the work)", err)
				}
			}
			out := buf.String()
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if last := lines[len(lines)-1]; !strings.Contains(last, c.last) {
				t.Errorf("last line %q, want it to contain %q", last, c.last)
			}
			if strings.Contains(out, "loss NaN") {
				t.Errorf("NaN loss drawn:\n%s", out)
			}
		})
	}
}

// One callback watches several fits in turn: a final event closes the bar
// and the next event opens a new one.
func TestTrackTwoRuns(t *testing.T) {
	var buf bytes.Buffer
	track := ProgressOptions{Writer: &buf, Interval: time.Hour}.Track("fit")
	for run := 0; run < 2; run++ {
		_ = track(fit.Progress{Step: 1, Total: 2, Unit: "epoch", Loss: 1})
		_ = track(fit.Progress{Step: 2, Total: 2, Unit: "epoch", Loss: 0.5, Done: true, Status: "finished 2 epochs"})
	}
	if n := strings.Count(buf.String(), "finished 2 epochs"); n != 2 {
		t.Fatalf("%d final lines, want 2:\n%s", n, buf.String())
	}
	if n := strings.Count(buf.String(), "1/2"); n != 2 {
		t.Fatalf("%d first lines, want 2 (a new bar per run):\n%s", n, buf.String())
	}
}

func TestTrackBadOptions(t *testing.T) {
	err := ProgressOptions{Interval: -time.Second}.Track("x")(fit.Progress{Step: 1})
	if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), "ProgressOptions.Interval is -1s") {
		t.Fatalf("err = %v, want ErrBadConfig naming Interval", err)
	}
	for _, o := range []ImageOptions{{Cols: -1}, {Scale: 65}, {Gap: -2}, {Min: math.Inf(1)}, {Min: 2, Max: 1}} {
		if err := o.Validate(); !errors.Is(err, ErrBadConfig) {
			t.Errorf("%+v: err = %v, want ErrBadConfig", o, err)
		}
	}
}
