// Package fit holds what every trainer in the stdlib shares, so that nmf,
// vae, embed, text and crawl read the same way: the progress event and its
// throttle, the Off setting, configuration errors that name the field, and
// the test for a loss that has exploded.
//
// It is a leaf: it imports only the standard library, so algorithm packages
// use it without importing chart or GoNB. stdlib/chart turns a fit.Func into
// a notebook progress bar (chart.Track) and stdlib/notebook records it.
//
// # Progress
//
// A long-running call (a Fit, a Crawl) reports through the Progress field of
// its config, of type Func, throttled by the ProgressInterval field (default
// DefaultInterval). The trainer calls it with a Reporter, which always
// delivers the first event, at most one event every interval after that, and
// always the final one: the final event has Done set and a Status saying how
// the work ended ("converged at iteration 60", "stopped: context canceled"),
// so a progress bar never stays frozen part-way. Returning an error from the
// Func stops the work; the trainer returns its partial result and that error.
//
// # Settings
//
// A config's zero value is valid and every field documents its default. A
// numeric field whose default is not zero takes Off (a negative value) to
// mean "explicitly zero / disabled"; packages have no No* booleans and no
// pointer fields for this. Seed 0 is a seed like any other: the same seed
// gives the same result (with one worker). Workers 0 means GOMAXPROCS.
//
// # Errors
//
// Every package has ErrBadConfig; BadConfig wraps it with a message that
// names the field, its value and what is wanted. Diverged tells a finite
// explosion of the loss, which trainers report as their package's
// ErrDiverged naming the step.
package fit
