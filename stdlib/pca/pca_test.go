package pca_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/internal/persist"
	"github.com/gonbml/gonbml/stdlib/pca"
	"gonum.org/v1/gonum/mat"
)

var ctx = context.Background()

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// onALine is five points x = (1, 2) + t·(0.6, 0.8) for t = -2…2: the data
// vary along one direction only. By hand: component 1 is (0.6, 0.8) (a
// 3-4-5 triangle), its variance Σt²/(n−1) = 10/4 = 2.5, component 2 has
// variance 0, and the scores are t itself.
func onALine() *mat.Dense {
	x := mat.NewDense(5, 2, nil)
	for i, t := range []float64{-2, -1, 0, 1, 2} {
		x.Set(i, 0, 1+0.6*t)
		x.Set(i, 1, 2+0.8*t)
	}
	return x
}

func TestPointsOnALine(t *testing.T) {
	x := onALine()
	m, err := pca.Config{}.Fit(ctx, x)
	if err != nil {
		t.Fatal(err)
	}
	c := m.Components.RawRowView(0)
	if !near(c[0], 0.6) || !near(c[1], 0.8) {
		t.Errorf("first component %v, want [0.6 0.8]", c)
	}
	if !near(m.Mean[0], 1) || !near(m.Mean[1], 2) {
		t.Errorf("mean %v, want [1 2]", m.Mean)
	}
	if !near(m.ExplainedVariance[0], 2.5) || !near(m.ExplainedVariance[1], 0) {
		t.Errorf("variances %v, want [2.5 0]", m.ExplainedVariance)
	}
	if r := m.ExplainedVarianceRatio(); !near(r[0], 1) || !near(r[1], 0) {
		t.Errorf("ratios %v, want [1 0]", r)
	}
	z, err := m.Transform(x)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{-2, -1, 0, 1, 2} {
		if !near(z.At(i, 0), want) || !near(z.At(i, 1), 0) {
			t.Errorf("scores of row %d: %v, want [%v 0]", i, z.RawRowView(i), want)
		}
	}
	// One component reconstructs points on a line exactly.
	one, err := pca.Config{Components: 1}.Fit(ctx, x)
	if err != nil {
		t.Fatal(err)
	}
	z1, _ := one.Transform(x)
	back, err := one.InverseTransform(z1)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.EqualApprox(back, x, 1e-12) {
		t.Errorf("reconstruction %v, want %v", mat.Formatted(back), mat.Formatted(x))
	}
}

// TestAxisAlignedCross: (±1, 0) and (0, ±2) have mean 0 and variances
// 2/3 along x and 8/3 along y (n−1 = 3), so y comes first with 80%.
func TestAxisAlignedCross(t *testing.T) {
	x := mat.NewDense(4, 2, []float64{1, 0, -1, 0, 0, 2, 0, -2})
	m, err := pca.Config{}.Fit(ctx, x)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Components.RawMatrix().Data; !near(got[0], 0) || !near(got[1], 1) || !near(got[2], 1) || !near(got[3], 0) {
		t.Errorf("components %v, want [[0 1] [1 0]]", got)
	}
	if r := m.ExplainedVarianceRatio(); !near(r[0], 0.8) || !near(r[1], 0.2) {
		t.Errorf("ratios %v, want [0.8 0.2]", r)
	}
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  pca.Config
		x    mat.Matrix
		want error
		text string
	}{
		{"negative k", pca.Config{Components: -1}, onALine(), pca.ErrBadConfig, "Components is -1"},
		{"k too big", pca.Config{Components: 3}, onALine(), pca.ErrBadConfig, "at most min(rows, cols) = 2"},
		{"one row", pca.Config{}, mat.NewDense(1, 2, nil), pca.ErrBadInput, "at least 2 rows"},
		{"NaN", pca.Config{}, mat.NewDense(2, 1, []float64{1, math.NaN()}), pca.ErrBadInput, "row 1, column 0"},
	} {
		_, err := tc.cfg.Fit(ctx, tc.x)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%s: err = %v, want %v mentioning %q", tc.name, err, tc.want, tc.text)
		}
	}
	m, _ := pca.Config{}.Fit(ctx, onALine())
	if _, err := m.Transform(mat.NewDense(1, 3, nil)); !errors.Is(err, pca.ErrBadInput) {
		t.Errorf("Transform with 3 columns: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := (pca.Config{}).Fit(cancelled, onALine()); !errors.Is(err, context.Canceled) {
		t.Errorf("Fit with a cancelled context: %v", err)
	}
}

func TestSaveLoad(t *testing.T) {
	m, err := pca.Config{Components: 1}.Fit(ctx, onALine())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "pca.model")
	if err := m.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	back, err := pca.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(back.Components, m.Components) || back.Mean[1] != m.Mean[1] || back.TotalVariance != m.TotalVariance {
		t.Error("SaveFile/LoadFile changed the model")
	}
	var buf bytes.Buffer
	if err := persist.Save(&buf, "pca.Model", 2, m); err != nil {
		t.Fatal(err)
	}
	if _, err := pca.Load(&buf); !errors.Is(err, persist.ErrFormat) || !strings.Contains(err.Error(), "version 2") {
		t.Errorf("Load of a version-2 file: %v", err)
	}
}
