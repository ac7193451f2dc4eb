package sparse_test

import (
	"bytes"
	"compress/gzip"
	"encoding/gob"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/sparse"
	"gonum.org/v1/gonum/mat"
)

func TestMatrixMarketRoundTrip(t *testing.T) {
	m, err := sparse.FromTriplets(3, 4, []sparse.Triplet{{0, 0, 1.5}, {2, 3, 1.0 / 3}, {1, 1, -2e-300}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"m.mtx", "m.mtx.gz"} {
		path := filepath.Join(dir, name)
		if err := sparse.WriteMatrixMarketFile(path, m); err != nil {
			t.Fatal(err)
		}
		got, err := sparse.ReadMatrixMarketFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !mat.Equal(got, m) { // shortest 'g' formatting reads back bit-exactly
			t.Errorf("%s: round trip changed the matrix", name)
		}
		raw, _ := os.ReadFile(path)
		if gz := bytes.HasPrefix(raw, []byte{0x1f, 0x8b}); gz != strings.HasSuffix(name, ".gz") {
			t.Errorf("%s: gzip = %v", name, gz)
		}
	}
	// A dense matrix goes out in array format and comes back equal.
	d := mat.NewDense(2, 3, []float64{1, 0, 2, 0, 3, 0})
	var buf bytes.Buffer
	if err := sparse.WriteMatrixMarket(&buf, d); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "%%MatrixMarket matrix array real general\n2 3\n") {
		t.Errorf("dense header: %q", buf.String()[:50])
	}
	got, err := sparse.ReadMatrixMarket(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(got, d) || got.NNZ() != 3 {
		t.Errorf("array round trip: %v", mat.Formatted(got))
	}
}

func TestMatrixMarketVariants(t *testing.T) {
	sym := "%%MatrixMarket matrix coordinate real symmetric\n% comment\n3 3 2\n2 1 5\n3 3 1\n"
	m, err := sparse.ReadMatrixMarket(strings.NewReader(sym))
	if err != nil {
		t.Fatal(err)
	}
	if m.At(0, 1) != 5 || m.At(1, 0) != 5 || m.At(2, 2) != 1 || m.NNZ() != 3 {
		t.Errorf("symmetric: %v", mat.Formatted(m))
	}
	pat := "%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 2\n"
	if m, err = sparse.ReadMatrixMarket(strings.NewReader(pat)); err != nil || m.At(0, 1) != 1 {
		t.Errorf("pattern: %v %v", m, err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("%%MatrixMarket matrix coordinate integer general\n1 1 1\n1 1 7\n"))
	zw.Close()
	if m, err = sparse.ReadMatrixMarket(&gz); err != nil || m.At(0, 0) != 7 {
		t.Errorf("gzip integer: %v %v", m, err)
	}
}

func TestMatrixMarketBadInput(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "empty input"},
		{"header", "%%MatrixMarket tensor coordinate real general\n", "bad header"},
		{"complex", "%%MatrixMarket matrix coordinate complex general\n1 1 1\n1 1 1 0\n", "unsupported field"},
		{"truncated", "%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n", "file ends after 1"},
		{"range", "%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 1\n", "out of range"},
		{"nan", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 nan\n", "non-finite"},
		{"bad number", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 x 1\n", "bad integer"},
		{"short array", "%%MatrixMarket matrix array real general\n2 2\n1\n2\n", "want 4 values"},
		// Headers that claim more than the file holds: each used to kill the
		// process with "fatal error: runtime: out of memory". The 60-byte
		// files of the issue; the error names the size line (line 2).
		{"huge dims", "%%MatrixMarket matrix coordinate real general\n100000000000 100000000000 1\n1 1 1\n", "line 2: 100000000000×100000000000 exceeds the limit"},
		{"huge nnz", "%%MatrixMarket matrix coordinate real general\n3 3 2000000000\n1 1 1\n", "line 2: a 3×3 matrix cannot hold 2000000000 entries"},
		{"huge nnz, room for it", "%%MatrixMarket matrix coordinate real general\n60000 60000 2000000000\n1 1 1\n", "want 2000000000 entries, file ends after 1"},
		{"nnz over limit", "%%MatrixMarket matrix coordinate real general\n60000000 60000000 3000000000\n", "line 2: 3000000000 entries exceed the limit"},
		{"huge array", "%%MatrixMarket matrix array real general\n100000000000 2\n1\n", "line 2: 100000000000×2 exceeds"},
		{"array over limit", "%%MatrixMarket matrix array real general\n60000000 60000000\n1\n", "line 2: 60000000×60000000 = 3600000000000000 values exceed"},
	} {
		_, err := sparse.ReadMatrixMarket(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}

func TestWriteMatrixMarketFileIsAtomic(t *testing.T) {
	dir := t.TempDir()
	// A parent that is a file cannot hold the matrix: an error, no file.
	blocker := filepath.Join(dir, "not-a-dir")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(blocker, "m.mtx")
	if err := sparse.WriteMatrixMarketFile(path, mat.NewDense(1, 1, []float64{1})); err == nil {
		t.Fatal("no error writing below a file")
	}
	path = filepath.Join(dir, "m.mtx")
	if err := sparse.WriteMatrixMarketFile(path, mat.NewDense(1, 1, []float64{1})); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 { // m.mtx and the blocking file
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestGobRoundTrip(t *testing.T) {
	m, _ := sparse.FromTriplets(3, 5, []sparse.Triplet{{0, 4, 1.5}, {2, 0, -2}})
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(struct{ X *sparse.CSR }{m}); err != nil {
		t.Fatal(err)
	}
	var back struct{ X *sparse.CSR }
	if err := gob.NewDecoder(&buf).Decode(&back); err != nil {
		t.Fatal(err)
	}
	if r, c := back.X.Dims(); r != 3 || c != 5 || !mat.Equal(back.X, m) {
		t.Errorf("gob round trip: %d×%d %v", r, c, mat.Formatted(back.X))
	}
	bad, _ := sparse.FromTriplets(1, 1, nil)
	raw, _ := m.MarshalBinary()
	raw[len(raw)-3] ^= 0xff // corrupt the data
	if err := bad.UnmarshalBinary(raw[:len(raw)-5]); err == nil {
		t.Error("a truncated encoding decoded without error")
	}
}

// TestGobHugeDims decodes an encoding whose dimensions claim a huge matrix
// but whose slices are empty: it used to allocate rows+1 row pointers
// before checking anything.
func TestGobHugeDims(t *testing.T) {
	type csrWire struct { // the same field names as sparse's wire form
		Rows, Cols int
		Indptr     []int
		Indices    []int
		Data       []float64
	}
	for _, tc := range []struct {
		w    csrWire
		want string
	}{
		{csrWire{Rows: 100000000000, Cols: 3}, "exceeds the limit"},
		{csrWire{Rows: 1000, Cols: 3}, "indptr has 0 entries"},
		{csrWire{Rows: -1, Cols: 3}, "negative dimensions"},
	} {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(tc.w); err != nil {
			t.Fatal(err)
		}
		var m sparse.CSR
		err := m.UnmarshalBinary(buf.Bytes())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want it to mention %q", tc.w, err, tc.want)
		}
	}
}

// FuzzReadMatrixMarket feeds the reader arbitrary bytes: it must return a
// matrix that satisfies the CSR invariants or an error, never panic or
// allocate by a header's claim.
func FuzzReadMatrixMarket(f *testing.F) {
	for _, seed := range []string{
		"%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1.5\n2 2 -3\n",
		"%%MatrixMarket matrix coordinate pattern symmetric\n3 3 1\n3 1\n",
		"%%MatrixMarket matrix coordinate integer general\n1 1 1\n1 1 7\n",
		"%%MatrixMarket matrix array real general\n2 2\n1\n0\n2\n3\n",
		"%%MatrixMarket matrix coordinate real general\n100000000000 100000000000 1\n1 1 1\n",
		"%%MatrixMarket matrix coordinate real general\n3 3 2000000000\n",
		"%%MatrixMarket matrix coordinate real general\n% c\n\n2 2 1\n1 3 1\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := sparse.ReadMatrixMarket(bytes.NewReader(in))
		if err != nil {
			return
		}
		r, c := m.Dims()
		if _, err := sparse.NewCSR(r, c, m.Indptr, m.Indices, m.Data); err != nil {
			t.Fatalf("reader returned an invalid matrix: %v", err)
		}
	})
}
