// Package depcheck holds the test that keeps the stdlib's dependency
// directions (CONTRIBUTING.md, "Dependencies") from drifting: algorithm
// packages stay free of GoNB and chart, embed and chart do not pull in the
// data sets, nothing under stdlib/ reaches kernel/, and the linter does not
// link the chart package.
package depcheck
