package sparse

import (
	"bytes"
	"encoding/gob"
	"fmt"
)

// csrWire is the serialised form of a CSR.
type csrWire struct {
	Rows, Cols int
	Indptr     []int
	Indices    []int
	Data       []float64
}

// MarshalBinary encodes m with encoding/gob, so a CSR can be saved inside
// models and cached between notebook cells (GoNB's cache uses gob).
func (m *CSR) MarshalBinary() ([]byte, error) {
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(csrWire{m.rows, m.cols, m.Indptr, m.Indices, m.Data})
	return buf.Bytes(), err
}

// UnmarshalBinary decodes what MarshalBinary wrote and checks it as NewCSR
// does, so a corrupt encoding gives an error, not an invalid matrix.
func (m *CSR) UnmarshalBinary(b []byte) error {
	var w csrWire
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&w); err != nil {
		return fmt.Errorf("sparse: decode CSR: %w", err)
	}
	// Allocate nothing by the encoded dimensions: gob has already sized the
	// slices by the bytes it read. Only a 0-row matrix may omit Indptr
	// (gob drops empty slices; the zero CSR has a nil Indptr).
	if err := checkDims(w.Rows, w.Cols); err != nil {
		return fmt.Errorf("sparse: decode CSR: %w", err)
	}
	if w.Indptr == nil && w.Rows <= 0 {
		w.Indptr = []int{0}
	}
	c, err := NewCSR(w.Rows, w.Cols, w.Indptr, w.Indices, w.Data)
	if err != nil {
		return err
	}
	*m = *c
	return nil
}
