package datasets

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/gonbml/gonbml/stdlib/safefile"
	"gonum.org/v1/gonum/mat"
)

// The decoded MNIST digits are kept next to the tarball in two files of the
// idx format MNIST is distributed in, so that a later process (GoNB runs
// every cell as one) reads 16 MB of integers instead of parsing 60 MB of
// JSON: the images as int16 thousandths (the JSON holds at most three
// decimals, so k/1000 is exactly the value parsed), the labels as bytes.
//
// An idx file is a header — two zero bytes, a type byte, the number of
// dimensions, then each dimension as a big-endian uint32 — and the values,
// big-endian, row-major.
const (
	idxUint8 = 0x08
	idxInt16 = 0x0B

	// maxIdxDims caps the dimension count of an idx header (MNIST needs
	// 3: images × rows × columns).
	maxIdxDims = 4
	// maxIdxValues caps the number of values an idx header may announce:
	// 2^26 (67 million) holds the full 70,000-image MNIST (55 million
	// pixels) with room to spare, and bounds what a corrupt header can
	// make a reader allocate.
	maxIdxValues = 1 << 26
)

// ErrBadIdx is wrapped by every error reading an idx file.
var ErrBadIdx = errors.New("datasets: bad idx file")

// idxArray is one idx file's content.
type idxArray struct {
	typ  byte
	dims []int
	data []byte // big-endian values
}

// readIdx reads an idx file of the given type. The header is checked
// before anything is allocated for the values: at most maxIdxDims
// dimensions, each at least 1, at most maxIdxValues values in all; the
// value buffer then grows only with what is read, and must end exactly
// where the header says.
func readIdx(r io.Reader, wantType byte) (*idxArray, error) {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, fmt.Errorf("%w: header (magic number): %v", ErrBadIdx, err)
	}
	if head[0] != 0 || head[1] != 0 || head[2] != wantType {
		return nil, fmt.Errorf("%w: header magic % x, want 00 00 %02x (type)", ErrBadIdx, head, wantType)
	}
	n := int(head[3])
	if n < 1 || n > maxIdxDims {
		return nil, fmt.Errorf("%w: header says %d dimensions, want 1 to %d", ErrBadIdx, n, maxIdxDims)
	}
	dims := make([]int, n)
	total := 1
	for i := range dims {
		var d uint32
		if err := binary.Read(r, binary.BigEndian, &d); err != nil {
			return nil, fmt.Errorf("%w: header dimension %d: %v", ErrBadIdx, i, err)
		}
		if d == 0 || uint64(d)*uint64(total) > maxIdxValues {
			return nil, fmt.Errorf("%w: header dimension %d is %d: want at least 1 and at most %d values in all",
				ErrBadIdx, i, d, maxIdxValues)
		}
		dims[i] = int(d)
		total *= int(d)
	}
	size := total
	if wantType == idxInt16 {
		size *= 2
	}
	// ReadAll grows its buffer with the data actually there, so a header
	// promising more than the file holds costs no more than the file.
	data, err := io.ReadAll(io.LimitReader(r, int64(size)+1))
	if err != nil {
		return nil, fmt.Errorf("%w: values: %v", ErrBadIdx, err)
	}
	if len(data) != size {
		return nil, fmt.Errorf("%w: header dimensions %v announce %d bytes of values, the file has %d%s",
			ErrBadIdx, dims, size, min(len(data), size), map[bool]string{true: " or more", false: ""}[len(data) > size])
	}
	return &idxArray{typ: wantType, dims: dims, data: data}, nil
}

// writeIdx writes an idx file: header, then data (already big-endian).
func writeIdx(w io.Writer, typ byte, dims []int, data []byte) error {
	bw := bufio.NewWriter(w)
	bw.Write([]byte{0, 0, typ, byte(len(dims))})
	for _, d := range dims {
		binary.Write(bw, binary.BigEndian, uint32(d))
	}
	bw.Write(data)
	return bw.Flush()
}

// digitsFromIdx builds Digits from an images (int16 thousandths, n×28×28)
// and a labels (uint8, n) array.
func digitsFromIdx(images, labels *idxArray) (*Digits, error) {
	if len(images.dims) != 3 || images.dims[1] != MNISTSide || images.dims[2] != MNISTSide {
		return nil, fmt.Errorf("%w: images header dimensions %v, want N×%d×%d", ErrBadIdx, images.dims, MNISTSide, MNISTSide)
	}
	if len(labels.dims) != 1 || labels.dims[0] != images.dims[0] {
		return nil, fmt.Errorf("%w: labels header dimensions %v, want [%d] (one per image)", ErrBadIdx, labels.dims, images.dims[0])
	}
	n := images.dims[0]
	pix := make([]float64, n*MNISTPixels)
	for i := range pix {
		v := int16(binary.BigEndian.Uint16(images.data[2*i:]))
		if v < 0 || v > 1000 {
			return nil, fmt.Errorf("%w: pixel %d is %d thousandths, outside [0, 1000]", ErrBadIdx, i, v)
		}
		pix[i] = float64(v) / 1000
	}
	lab := make([]int, n)
	for i, b := range labels.data {
		if b > 9 {
			return nil, fmt.Errorf("%w: label %d is %d, want 0 to 9", ErrBadIdx, i, b)
		}
		lab[i] = int(b)
	}
	return &Digits{Images: mat.NewDense(n, MNISTPixels, pix), Labels: lab}, nil
}

// digitsToIdx encodes d for the cache; ok is false when a pixel is not a
// whole number of thousandths (it would not round-trip exactly).
func digitsToIdx(d *Digits) (images, labels []byte, ok bool) {
	raw := d.Images.RawMatrix()
	images = make([]byte, 0, 2*len(d.Labels)*MNISTPixels)
	for i := range d.Labels {
		for _, v := range raw.Data[i*raw.Stride : i*raw.Stride+MNISTPixels] {
			k := math.Round(v * 1000)
			if k < 0 || k > 1000 || k/1000 != v {
				return nil, nil, false
			}
			images = binary.BigEndian.AppendUint16(images, uint16(k))
		}
	}
	labels = make([]byte, len(d.Labels))
	for i, l := range d.Labels {
		labels[i] = byte(l)
	}
	return images, labels, true
}

// mnistCachePaths returns where the decoded digits of MNIST are cached.
func mnistCachePaths() (images, labels string, err error) {
	dir, err := Dir()
	if err != nil {
		return "", "", err
	}
	base := filepath.Join(dir, "mnist-"+MNIST.Version)
	return base + "-images.idx", base + "-labels.idx", nil
}

// readMNISTCache reads the decoded digits, or returns an error (a missing
// file wraps fs.ErrNotExist).
func readMNISTCache() (*Digits, error) {
	ip, lp, err := mnistCachePaths()
	if err != nil {
		return nil, err
	}
	read := func(path string, typ byte) (*idxArray, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		a, err := readIdx(bufio.NewReader(f), typ)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return a, nil
	}
	images, err := read(ip, idxInt16)
	if err != nil {
		return nil, err
	}
	labels, err := read(lp, idxUint8)
	if err != nil {
		return nil, err
	}
	return digitsFromIdx(images, labels)
}

// writeMNISTCache writes the decoded digits atomically (labels last, so a
// labels file never pairs with images from another write).
func writeMNISTCache(d *Digits) error {
	ip, lp, err := mnistCachePaths()
	if err != nil {
		return err
	}
	images, labels, ok := digitsToIdx(d)
	if !ok {
		return fmt.Errorf("datasets: mnist pixels are not whole thousandths; not cached")
	}
	n := len(d.Labels)
	if err := safefile.Write(ip, func(w io.Writer) error {
		return writeIdx(w, idxInt16, []int{n, MNISTSide, MNISTSide}, images)
	}); err != nil {
		return err
	}
	return safefile.Write(lp, func(w io.Writer) error { return writeIdx(w, idxUint8, []int{n}, labels) })
}
