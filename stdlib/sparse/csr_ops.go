package sparse

// Transpose returns mᵀ as a new CSR (the columns of m become rows), built in
// O(nnz) by counting. The kernels never need it — MulTDenseTo works on m
// itself — but an algorithm that multiplies by mᵀ many times can trade the
// memory for gather-only products (nmf does).
func (m *CSR) Transpose() *CSR {
	indptr := make([]int, m.cols+1)
	for _, j := range m.Indices {
		indptr[j+1]++
	}
	for j := 0; j < m.cols; j++ {
		indptr[j+1] += indptr[j]
	}
	next := make([]int, m.cols)
	copy(next, indptr[:m.cols])
	indices := make([]int, len(m.Indices))
	data := make([]float64, len(m.Data))
	for i := 0; i < m.rows; i++ {
		for p := m.Indptr[i]; p < m.Indptr[i+1]; p++ {
			j := m.Indices[p]
			q := next[j]
			indices[q] = i
			data[q] = m.Data[p]
			next[j]++
		}
	}
	return &CSR{rows: m.cols, cols: m.rows, Indptr: indptr, Indices: indices, Data: data}
}
