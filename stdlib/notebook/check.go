package notebook

import (
	"fmt"
	"io"
	"math"
	"os"
)

// Output is where checks and errors print (the cell's stdout).
var Output io.Writer = os.Stdout

// Fail ends the cell after a failed check or error: by default it exits
// with status 1, which the kernel reports as the cell's error. Tests
// replace it.
var Fail = func(msg string) { os.Exit(1) }

// Check prints "✓ claim" when ok holds; otherwise it prints "✗ claim" and
// fails the cell. claim is formatted with args like fmt.Sprintf. It returns
// ok for callers that go on after a failure (when Fail returns).
func Check(ok bool, claim string, args ...any) bool {
	msg := fmt.Sprintf(claim, args...)
	if ok {
		fmt.Fprintln(Output, "✓ "+msg)
		return true
	}
	fmt.Fprintln(Output, "✗ "+msg)
	Fail(msg)
	return false
}

// AtLeast checks got ≥ min: "✓ what: 0.912 ≥ 0.800 (why)". why says
// where the threshold comes from (a baseline, the article, a measured run)
// and may be empty.
func AtLeast(what string, got, min float64, why string) bool {
	return Check(!math.IsNaN(got) && got >= min, "%s: %s ≥ %s%s", what, num(got), num(min), because(why))
}

// AtMost checks got ≤ max.
func AtMost(what string, got, max float64, why string) bool {
	return Check(!math.IsNaN(got) && got <= max, "%s: %s ≤ %s%s", what, num(got), num(max), because(why))
}

// Less checks a < b, naming both: "✓ VAE loss 112.3 < AE loss 118.9".
func Less(whatA string, a float64, whatB string, b float64) bool {
	return Check(!math.IsNaN(a) && !math.IsNaN(b) && a < b, "%s %s < %s %s", whatA, num(a), whatB, num(b))
}

// Near checks |got − want| ≤ tol.
func Near(what string, got, want, tol float64) bool {
	return Check(!math.IsNaN(got) && math.Abs(got-want) <= tol, "%s: %s within %s of %s", what, num(got), num(tol), num(want))
}

// Must returns v, or prints "✗ error: …" and fails the cell when err is
// not nil. It replaces the check(err) helpers notebooks used to define.
func Must[T any](v T, err error) T {
	OK(err)
	return v
}

// OK fails the cell with the error's message when err is not nil.
func OK(err error) {
	if err != nil {
		fmt.Fprintln(Output, "✗ error: "+err.Error())
		Fail(err.Error())
	}
}

func because(why string) string {
	if why == "" {
		return ""
	}
	return " (" + why + ")"
}

// num formats a figure for a claim: integers as integers, others with six
// significant digits, very small or large ones in scientific form.
func num(x float64) string {
	switch a := math.Abs(x); {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return fmt.Sprint(x)
	case x == math.Trunc(x) && a < 1e15:
		return fmt.Sprintf("%.0f", x)
	case a != 0 && (a < 1e-3 || a >= 1e6):
		return fmt.Sprintf("%.3e", x)
	default:
		return fmt.Sprintf("%.6g", x)
	}
}
