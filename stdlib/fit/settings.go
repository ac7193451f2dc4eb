package fit

import (
	"errors"
	"fmt"
	"math"
	"runtime"
)

// Off, set in a numeric config field whose default is not zero, means
// "explicitly zero / disabled" (a tolerance test switched off, no KL term).
// Any negative value has that meaning; Off is the readable spelling.
const Off = -1

// Workers resolves a Workers setting: 0 means GOMAXPROCS.
func Workers(n int) int {
	if n <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return n
}

// Or returns def when v is 0, 0 when v is negative (Off), else v.
func Or[T int | int64 | float64](v, def T) T {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

// BadConfig returns an error wrapping sentinel (a package's ErrBadConfig)
// that names the field, its value and what is wanted:
//
//	fit.BadConfig(ErrBadConfig, "VectorSize", -3, "at least 1")
//	// embed: bad config: VectorSize is -3, want at least 1
func BadConfig(sentinel error, field string, value any, want string) error {
	return fmt.Errorf("%w: %s is %v, want %s", sentinel, field, value, want)
}

// ErrNonFinite is wrapped by Finite's errors.
var ErrNonFinite = errors.New("not finite")

// Finite returns an error naming what when v is NaN or infinite, so no
// method returns a non-finite result with a nil error.
func Finite(what string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%s is %v: %w", what, v, ErrNonFinite)
	}
	return nil
}

// ExplosionFactor is how far above its first value a loss may rise before
// Diverged calls it an explosion. Losses of these models fall, or rise a
// little with noise; a tenfold rise is a learning rate or data far out of
// range (a VAE at learning rate 1e6 goes 550 → 6.5e32).
const ExplosionFactor = 10

// Diverged reports whether loss has become non-finite or exploded: above
// ExplosionFactor times the first loss (for first > 0), or, for losses
// that may be negative or zero, above first + ExplosionFactor·(|first|+1).
func Diverged(first, loss float64) bool {
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return true
	}
	if math.IsNaN(first) || math.IsInf(first, 0) {
		return false
	}
	if first > 0 {
		return loss > ExplosionFactor*first
	}
	return loss > first+ExplosionFactor*(math.Abs(first)+1)
}
