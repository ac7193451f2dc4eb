package chart

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// Options say how a helper chart is labelled and laid out: its title, the
// names and units of its axes, where its legend goes and its size. Every
// helper is a method on Options ([Options.Line], [Options.Bar],
// [Options.Scatter], [Options.HeatMap], [Options.Histogram],
// [Options.ImageGrid]); the data are the method's parameters. The zero
// value is valid.
type Options struct {
	// Title is drawn above the chart. Default (""): no title.
	Title string
	// X and Y name the axes as they are drawn: X is the horizontal axis
	// (for a horizontal Bar, the values), Y the vertical one. For an
	// ImageGrid they name the grid's columns and rows. Default: no name,
	// except where the data give one (a Histogram's Y is "count").
	X, Y Axis
	// Legend places the legend. Default (LegendAuto): outside the plot
	// area, right of it, or below it when the names are too long to fit
	// on the right; no legend for a single series.
	Legend Legend
	// Width and Height are the chart's size in CSS pixels; the PNG has
	// the same size. Default (0): 900 wide, 420 high.
	Width, Height int
	// Horizontal draws a Bar chart's bars from left to right, first label
	// at the top (top words of a topic read best that way). Default
	// (false): vertical bars, first label at the left.
	Horizontal bool
	// Bins is the number of equal-width bins of a Histogram. Default (0):
	// 20.
	Bins int
	// PointLabels puts a text next to each point of a Scatter (the words
	// of a word map); it must have one entry per point, and an empty
	// entry draws no text. In the PNG a label that would overlap an
	// earlier one moves left of, above or below its point, and is left
	// out only where none of those is free; the interactive chart hides
	// overlapping labels and names every point in its tooltip. Default
	// (nil): no text.
	PointLabels []string
	// Image sets how ImageGrid lays out and colours its images.
	Image ImageOptions
}

// Axis names one axis.
type Axis struct {
	// Name is what the axis measures ("epoch", "reconstruction error").
	Name string
	// Unit is appended in parentheses ("nats", "s"). Default (""): none.
	Unit string
}

// Label is the text drawn along the axis: "Name (Unit)".
func (a Axis) Label() string {
	switch {
	case a.Unit == "":
		return a.Name
	case a.Name == "":
		return "(" + a.Unit + ")"
	}
	return a.Name + " (" + a.Unit + ")"
}

// Legend is where a chart's legend goes.
type Legend int

const (
	// LegendAuto puts the legend right of the plot area, or below it when
	// the longest name would take more than a quarter of the width; a
	// chart with a single series gets none.
	LegendAuto Legend = iota
	// LegendRight lists the entries top to bottom right of the plot area.
	LegendRight
	// LegendBottom lists the entries left to right below the x axis.
	LegendBottom
	// LegendTop lists the entries left to right between the title and the
	// plot area.
	LegendTop
	// LegendNone draws no legend.
	LegendNone
)

func (l Legend) String() string {
	switch l {
	case LegendAuto:
		return "auto"
	case LegendRight:
		return "right"
	case LegendBottom:
		return "bottom"
	case LegendTop:
		return "top"
	case LegendNone:
		return "none"
	}
	return fmt.Sprintf("Legend(%d)", int(l))
}

// Default chart size in CSS pixels, and the limits Validate accepts.
const (
	defaultWidth, defaultHeight = 900, 420
	minSize, maxSize            = 200, 4000
)

// Validate reports an option that cannot be used, naming the field.
func (o Options) Validate() error {
	switch {
	case o.Legend < LegendAuto || o.Legend > LegendNone:
		return fmt.Errorf("chart: bad options: Legend is %d, want one of the Legend constants", int(o.Legend))
	case o.Width != 0 && (o.Width < minSize || o.Width > maxSize):
		return fmt.Errorf("chart: bad options: Width is %d, want 0 (900) or %d to %d pixels", o.Width, minSize, maxSize)
	case o.Height != 0 && (o.Height < minSize || o.Height > maxSize):
		return fmt.Errorf("chart: bad options: Height is %d, want 0 (420) or %d to %d pixels", o.Height, minSize, maxSize)
	case o.Bins < 0:
		return fmt.Errorf("chart: bad options: Bins is %d, want at least 1 (or 0 for 20)", o.Bins)
	}
	return o.Image.Validate()
}

func (o Options) size() (w, h int) {
	w, h = o.Width, o.Height
	if w == 0 {
		w = defaultWidth
	}
	if h == 0 {
		h = defaultHeight
	}
	return w, h
}

// Palette is the categorical palette of the helpers, in the order series
// and classes take it: the eight colours of Okabe and Ito ("Color
// Universal Design", 2008), yellow moved back because it is faint on
// white, extended to ten by two of Paul Tol's colours, wine (#882255) and
// indigo (#332288). Every pair stays at least 16 CIE76 ΔE apart for normal
// vision and for simulated protanopia, deuteranopia and tritanopia
// (Machado et al. 2009; TestPaletteSeparatesTenClasses); a grey tenth
// would come within 7 of the reddish purple for deuteranopes.
// More than ten classes get evenly spaced hues instead.
var Palette = []string{
	"#0072B2", // blue
	"#E69F00", // orange
	"#009E73", // bluish green
	"#CC79A7", // reddish purple
	"#56B4E9", // sky blue
	"#D55E00", // vermillion
	"#000000", // black
	"#F0E442", // yellow
	"#882255", // wine (Tol)
	"#332288", // indigo (Tol)
}

// paletteFor returns the palette for n series or classes.
func paletteFor(n int) []string {
	if n <= len(Palette) {
		return Palette
	}
	return huePalette(n)
}

// Font sizes in CSS pixels the option and the PNG share.
const (
	titlePx = 16
	labelPx = 12 // tick labels and legend entries
	namePx  = 13 // axis names
)

var sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// textPx estimates the width in CSS pixels of s drawn at size px: Liberation
// Sans metrics (the PNG's font), widened by a tenth because browsers often
// fall back to a wider sans-serif (DejaVu Sans).
func textPx(s string, px float64) float64 {
	face := font.DefaultCache.Lookup(sansFont, vg.Length(px*72/96))
	return float64(face.Width(s)) * 96 / 72 * 1.1
}

func widest(names []string, px float64) float64 {
	w := 0.0
	for _, s := range names {
		w = math.Max(w, textPx(s, px))
	}
	return w
}

// categoryLayout is how category labels along the x axis are drawn so they
// never overlap: flat, rotated, or rotated and thinned.
type categoryLayout struct {
	rotate float64 // degrees, counter-clockwise
	every  int     // draw every n-th label
	height float64 // vertical space the labels take, px
}

// layoutCategories chooses the label layout for labels on an axis of the
// given length (px). thin keeps them flat and draws every n-th (numbers
// along a histogram); otherwise they are rotated 45° or 90° so that every
// one is drawn, and thinned only when even upright ones cannot fit.
func layoutCategories(labels []string, axisPx float64, thin bool) categoryLayout {
	n := len(labels)
	if n == 0 {
		return categoryLayout{every: 1, height: labelPx + 4}
	}
	slot := math.Max(axisPx, 1) / float64(n)
	w := widest(labels, labelPx)
	lineH := float64(labelPx) + 4
	switch {
	case w+8 <= slot:
		return categoryLayout{every: 1, height: lineH}
	case thin:
		return categoryLayout{every: int(math.Ceil((w + 12) / slot)), height: lineH}
	case lineH*math.Sqrt2 <= slot:
		// At 45° a label's horizontal footprint is its line height × √2.
		return categoryLayout{rotate: 45, every: 1, height: w/math.Sqrt2 + lineH}
	}
	// Vertical labels, thinned to every k-th so they keep a line apart.
	return categoryLayout{rotate: 90, every: int(math.Ceil(lineH / slot)), height: w + 6}
}

// formatTicks formats tick values for their range: integers as integers,
// decimals to the step's precision, and scientific notation for values
// below 1e-3 or from 1e6 in magnitude.
func formatTicks(ts []float64) []string {
	out := make([]string, len(ts))
	if len(ts) == 0 {
		return out
	}
	step := 0.0
	maxAbs := 0.0
	for i, t := range ts {
		maxAbs = math.Max(maxAbs, math.Abs(t))
		if i > 0 {
			d := math.Abs(t - ts[i-1])
			if step == 0 || (d > 0 && d < step) {
				step = d
			}
		}
	}
	if step == 0 {
		step = math.Max(maxAbs, 1)
	}
	// The fewest digits that place every value within a tenth of the step:
	// round ticks come out exact, bin centres to the bin width's precision.
	exact := func(format func(float64) string) bool {
		for _, t := range ts {
			v, err := strconv.ParseFloat(format(t), 64)
			if err != nil || math.Abs(v-t) > step/10 {
				return false
			}
		}
		return true
	}
	if maxAbs >= 1e6 || (maxAbs > 0 && maxAbs < 1e-3) {
		d := 0
		for ; d < 6 && !exact(func(v float64) string { return sci(v, d) }); d++ {
		}
		for i, t := range ts {
			out[i] = sci(t, d)
		}
		return out
	}
	d := max(0, int(math.Ceil(-math.Log10(step)-1e-9)))
	for ; d < 10 && !exact(func(v float64) string { return strconv.FormatFloat(v, 'f', d, 64) }); d++ {
	}
	for i, t := range ts {
		s := strconv.FormatFloat(t, 'f', d, 64)
		if strings.Trim(s, "-0.") == "" {
			s = strings.TrimPrefix(s, "-") // no "-0"
		}
		out[i] = s
	}
	return out
}

// sci formats v as "2.5e-5": no plus sign, no leading zeros in the
// exponent.
func sci(v float64, digits int) string {
	if v == 0 {
		return "0"
	}
	s := fmt.Sprintf("%.*e", digits, v)
	mant, exp, _ := strings.Cut(s, "e")
	neg := strings.HasPrefix(exp, "-")
	exp = strings.TrimLeft(exp, "+-0")
	if exp == "" {
		return mant
	}
	if neg {
		exp = "-" + exp
	}
	return mant + "e" + exp
}

// niceTicks returns about target evenly spaced round values (steps of 1, 2
// or 5 × 10^k) covering [lo, hi].
func niceTicks(lo, hi float64, target int) []float64 {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	if hi == lo {
		return []float64{lo}
	}
	mult, exp := niceStep(lo, hi, target)
	mag := math.Pow(10, exp)
	step := mult * mag
	// Tick i is i·mult·10^exp, divided by 10^−exp when exp < 0: a power
	// of ten divides exactly where multiplying by 0.01 does not, so the
	// ticks are the round numbers themselves (0.05, not 0.05000000000000002).
	at := func(i float64) float64 {
		if exp < 0 {
			return i * mult / math.Pow(10, -exp)
		}
		return i * mult * mag
	}
	first := math.Ceil(lo/step - 1e-9)
	var ts []float64
	for k := 0; ; k++ {
		t := at(first + float64(k))
		if t > hi+step*1e-9 || k > 1000 {
			break
		}
		if math.Abs(t) < step*1e-9 {
			t = 0
		}
		ts = append(ts, t)
	}
	return ts
}

// niceStep is the step of niceTicks, mult × 10^exp with mult 1, 2, 5 or
// 10: the smallest such step at least (hi − lo)/target.
func niceStep(lo, hi float64, target int) (mult, exp float64) {
	raw := (hi - lo) / float64(max(target, 1))
	exp = math.Floor(math.Log10(raw))
	mag := math.Pow(10, exp)
	for _, m := range []float64{1, 2, 5, 10} {
		// Within rounding: (0.05 − (−0.1))/3 is 0.05000000000000001, and
		// must take the step 0.05, not 0.1 (which left one tick and 0).
		if m*mag >= raw*(1-1e-9) {
			return m, exp
		}
	}
	return 10, exp
}
