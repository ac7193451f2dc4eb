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
// # Kernels
//
// MulDenseTo (A·B) and MulTDenseTo (Aᵀ·B, without forming Aᵀ) run over
// blocks of rows balanced by stored values, one goroutine per block, with a
// worker count (0 means GOMAXPROCS). Their inner loops live in
// stdlib/internal/kern (shared with nmf's fused updates) and use AVX2/FMA
// assembly on amd64 when the CPU has it (build tag purego disables it).
// Results are deterministic for a given worker count; different worker
// counts may differ in the last bits because sums are grouped differently.
// RowNorms, ColNorms, RowSums, ColSums, Sum and SquaredNorm summarise a
// matrix.
//
// # Matrix Market
//
// ReadMatrixMarket reads coordinate (general, symmetric; real, integer,
// pattern) and array files, gzip-compressed or not; WriteMatrixMarketFile
// writes atomically and compresses when the name ends in .gz. The reader
// trusts no size in the file: it allocates by what it has read, refuses
// dimensions above MaxDim and entry counts above MaxNNZ (or above what the
// dimensions can hold), and names the size line in the error, so a short
// file with a huge header fails at once instead of exhausting memory.
//
// # Serialisation
//
// A CSR implements encoding.BinaryMarshaler (gob), so it can sit inside
// saved models and GoNB's cache; decoding re-checks the invariants and the
// same limits as the Matrix Market reader.
//
// # Errors
//
// Bad input (an index out of range, NaN or Inf, ragged or unsorted rows)
// returns an error; a wrong-sized destination is a programmer error and
// panics, as in gonum.
package sparse
