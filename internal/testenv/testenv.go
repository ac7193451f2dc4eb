// Package testenv is the tests' one rule for real components: a test
// whose component (Jupyter, Chromium, npm data, redis-server) is missing is
// skipped on a developer's machine and fails under CI=true, so CI never
// passes by skipping.
package testenv

import (
	"os"
	"testing"
)

// InCI reports whether the tests run under CI (CI=true).
func InCI() bool { return os.Getenv("CI") == "true" }

// Require skips t (fails it under CI) when err says the component what is
// missing.
func Require(t testing.TB, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if InCI() {
		t.Fatalf("%s is required under CI=true: %v", what, err)
	}
	t.Skipf("%s not available: %v", what, err)
}
