// Package notebook is what every gonbml notebook needs, so that cells stay a
// few lines long: training that is cached across runs (Cached), claims that
// are checked where they are made (Check and friends), and errors that stop
// the cell with one readable line (Must, OK).
//
// # Cached training
//
// GoNB rebuilds and re-runs the program for every cell, so nothing trained
// in one cell survives to the next. Cached returns the model saved by an
// earlier run when one was trained with an identical configuration on
// identical data, and otherwise trains it (with a progress bar), saves it
// atomically under the data dir and returns it. The Run it returns says
// which happened and carries what the training reported (wall time and the
// progress events, loss history included), saved beside the model, so a
// warm run can still show the training curve.
//
// The cache key is Key(values...): a SHA-256 over a canonical encoding of
// the values, stable across processes and machines. Numbers are encoded by
// their bits, strings and slices by content, pointers by the value they
// point to, maps in sorted key order, gonum matrices by their dimensions and
// elements (not their stride or capacity), other structs field by field
// (unexported fields included). Left out, because they do not change what
// is trained: fields of func or chan type, and fields whose name starts with
// "Progress" (the progress callback and its interval).
//
// # Checked claims
//
// A notebook is course material: every result its text states is computed
// in a cell and checked there. Check(ok, claim, args...) prints
//
//	✓ <claim>
//
// when ok holds, and otherwise prints "✗ <claim>" and fails the cell (the
// kernel reports the cell as an error, so Run All, `gonbml run` and
// `make test` stop there). AtLeast, AtMost, Less and Near format the
// numbers for the common comparisons.
package notebook
