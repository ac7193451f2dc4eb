// Package sparse provides a compressed sparse row (CSR) matrix that
// implements gonum's mat.Matrix, with the fast products NMF and the
// embeddings need.
//
// # Data orientation
//
// Rows are samples (documents), columns are features (terms), as in
// scikit-learn. A CSR stores, for row i, the column indices
// Indices[Indptr[i]:Indptr[i+1]] (strictly increasing) and the matching
// values in Data.
//
// # Invariants
//
// A CSR built by NewCSR or FromTriplets is valid: len(Indptr) == rows+1,
// Indptr is non-decreasing, every index is in [0, cols), indices in a row
// are strictly increasing and every value is finite. Methods never modify
// their inputs; methods that write into a destination end in To.
//
// # Errors
//
// Bad input (an index out of range, NaN or Inf, ragged or unsorted rows)
// returns an error; a wrong-sized destination is a programmer error and
// panics, as in gonum.
package sparse
