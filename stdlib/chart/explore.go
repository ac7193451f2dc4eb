package chart

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gonbml/gonbml/stdlib/fit"
)

// Control is one input of an explorer: a [Slider], a [Select] or a
// [TextInput].
type Control interface {
	// spec checks the control and returns its normalised form.
	spec() (controlSpec, error)
}

// Slider is a horizontal slider over real values from Min to Max in steps
// of Step, starting at Value; the draw function reads it with
// [Values.Float]. On the page it is an integer position 0…n (n = the number
// of steps) that the explorer maps to Min + position·Step, rounded to the
// decimals of Min and Step (so 0.1 steps give 0.3, not 0.30000000000000004)
// and never beyond Max.
type Slider struct {
	Name     string
	Min, Max float64
	// Step is the distance between two positions. Default (0): (Max−Min)/100.
	Step float64
	// Value is the starting value; it snaps to the nearest step.
	// Default (0): 0, or Min when 0 is outside Min…Max.
	Value float64
}

// Select is a drop-down list; the draw function reads the chosen index
// with [Values.Int] and the option's text with [Values.Text].
type Select struct {
	Name    string
	Options []string
	// Value is the index of the option chosen at the start.
	Value int
}

// TextInput is a one-line text box; the draw function reads it with
// [Values.Text]. The explorer redraws as the user types (coalesced like
// the slider) and on Enter.
type TextInput struct {
	Name  string
	Value string
}

// HTML is a fragment of HTML that an explorer's draw function (or
// [Row]) shows as it is.
type HTML string

// Layout is what [Row] returns: pictures side by side.
type Layout struct {
	parts []any
}

// Row lays out parts side by side, left to right, top-aligned: each part is
// what a draw function may return (an image.Image, a go-echarts chart,
// [HTML], or another Row).
func Row(parts ...any) Layout { return Layout{parts: parts} }

// maxSliderSteps bounds the number of positions of a slider: more than a
// slider's width in pixels cannot be chosen with the mouse anyway.
const maxSliderSteps = 10000

// maxTextInput bounds the text a TextInput accepts from the page.
const maxTextInput = 10000

type controlKind int

const (
	kindSlider controlKind = iota
	kindSelect
	kindText
)

func (k controlKind) String() string {
	switch k {
	case kindSlider:
		return "Slider"
	case kindSelect:
		return "Select"
	}
	return "TextInput"
}

// controlSpec is a validated control.
type controlSpec struct {
	kind controlKind
	name string
	// Slider: positions 0…steps map to min + i·step, clamped to max and
	// rounded to decimals.
	min, max, step float64
	steps          int
	decimals       int
	// Select.
	options []string
	// Initial state: a slider position or select index in pos, or the text.
	pos  int
	text string
}

// value is the state of one control: a slider position, a select index or
// a text.
type value struct {
	pos  int
	text string
}

func (s Slider) spec() (controlSpec, error) {
	bad := func(field string, v any, want string) error {
		return fit.BadConfig(ErrBadConfig, fmt.Sprintf("Slider %q: %s", s.Name, field), v, want)
	}
	if err := checkName("Slider", s.Name); err != nil {
		return controlSpec{}, err
	}
	for _, f := range []struct {
		field string
		v     float64
	}{{"Min", s.Min}, {"Max", s.Max}, {"Step", s.Step}, {"Value", s.Value}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return controlSpec{}, bad(f.field, f.v, "a finite number")
		}
	}
	if !(s.Min < s.Max) {
		return controlSpec{}, bad("Min", s.Min, fmt.Sprintf("less than Max (%g)", s.Max))
	}
	step := s.Step
	if step == 0 {
		step = (s.Max - s.Min) / 100
	}
	if step < 0 {
		return controlSpec{}, bad("Step", s.Step, "more than 0")
	}
	if s.Value == 0 && (s.Min > 0 || s.Max < 0) {
		s.Value = s.Min
	}
	if s.Value < s.Min || s.Value > s.Max {
		return controlSpec{}, bad("Value", s.Value, fmt.Sprintf("from Min (%g) to Max (%g)", s.Min, s.Max))
	}
	span := (s.Max - s.Min) / step
	if span > maxSliderSteps {
		return controlSpec{}, bad("Step", s.Step, fmt.Sprintf("at least (Max−Min)/%d = %g", maxSliderSteps, (s.Max-s.Min)/maxSliderSteps))
	}
	// A range that is a whole number of steps up to rounding error has
	// that many; otherwise the last position is Max itself.
	steps := int(math.Ceil(span - 1e-9))
	if steps < 1 {
		steps = 1
	}
	c := controlSpec{
		kind: kindSlider, name: s.Name,
		min: s.Min, max: s.Max, step: step, steps: steps,
		decimals: max(decimals(step), decimals(s.Min)),
	}
	c.pos = c.nearest(s.Value)
	return c, nil
}

func (s Select) spec() (controlSpec, error) {
	if err := checkName("Select", s.Name); err != nil {
		return controlSpec{}, err
	}
	if len(s.Options) == 0 {
		return controlSpec{}, fit.BadConfig(ErrBadConfig, fmt.Sprintf("Select %q: Options", s.Name), "empty", "at least one option")
	}
	if s.Value < 0 || s.Value >= len(s.Options) {
		return controlSpec{}, fit.BadConfig(ErrBadConfig, fmt.Sprintf("Select %q: Value", s.Name), s.Value,
			fmt.Sprintf("an option's index, 0 to %d", len(s.Options)-1))
	}
	return controlSpec{kind: kindSelect, name: s.Name, options: append([]string(nil), s.Options...), pos: s.Value}, nil
}

func (t TextInput) spec() (controlSpec, error) {
	if err := checkName("TextInput", t.Name); err != nil {
		return controlSpec{}, err
	}
	if len(t.Value) > maxTextInput || !utf8.ValidString(t.Value) {
		return controlSpec{}, fit.BadConfig(ErrBadConfig, fmt.Sprintf("TextInput %q: Value", t.Name), "too long or not UTF-8",
			fmt.Sprintf("UTF-8 text of at most %d bytes", maxTextInput))
	}
	return controlSpec{kind: kindText, name: t.Name, text: t.Value}, nil
}

func checkName(kind, name string) error {
	if strings.TrimSpace(name) == "" {
		return fit.BadConfig(ErrBadConfig, kind+".Name", `""`, "a name the draw function reads the value by")
	}
	return nil
}

// decimals returns the number of decimals x needs (at most 10).
func decimals(x float64) int {
	x = math.Abs(x)
	for d := 0; d < 10; d++ {
		s := x * math.Pow(10, float64(d))
		if math.Abs(s-math.Round(s)) <= 1e-9*math.Max(1, s) {
			return d
		}
	}
	return 10
}

// at returns the slider's value at position i.
func (c *controlSpec) at(i int) float64 {
	v := c.min + float64(i)*c.step
	if i >= c.steps || v > c.max {
		v = c.max
	}
	p := math.Pow(10, float64(c.decimals))
	r := math.Round(v*p) / p
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return v
	}
	return math.Min(math.Max(r, c.min), c.max)
}

// nearest returns the slider position closest to v.
func (c *controlSpec) nearest(v float64) int {
	i := int(math.Round((v - c.min) / c.step))
	i = min(max(i, 0), c.steps)
	// Max may sit closer than a whole step to the last regular position.
	if i == c.steps-1 && math.Abs(c.max-v) < math.Abs(c.at(i)-v) {
		i = c.steps
	}
	return i
}

// format writes a slider value with the slider's decimals.
func (c *controlSpec) format(v float64) string {
	return strconv.FormatFloat(v, 'f', c.decimals, 64)
}

// parse turns what the page sent for this control into its state.
func (c *controlSpec) parse(raw string) (value, error) {
	switch c.kind {
	case kindSlider, kindSelect:
		i, err := strconv.Atoi(strings.TrimSpace(raw))
		if err != nil {
			return value{}, fmt.Errorf("chart: explorer control %q: position %q is not an integer", c.name, raw)
		}
		hi := c.steps
		if c.kind == kindSelect {
			hi = len(c.options) - 1
		}
		if i < 0 || i > hi {
			return value{}, fmt.Errorf("chart: explorer control %q: position %d is outside 0…%d", c.name, i, hi)
		}
		return value{pos: i}, nil
	default:
		if len(raw) > maxTextInput || !utf8.ValidString(raw) {
			return value{}, fmt.Errorf("chart: explorer control %q: text longer than %d bytes or not UTF-8", c.name, maxTextInput)
		}
		return value{text: raw}, nil
	}
}

// describe writes the control's current value for the status line.
func (c *controlSpec) describe(v value) string {
	switch c.kind {
	case kindSlider:
		return c.name + " = " + c.format(c.at(v.pos))
	case kindSelect:
		return c.name + " = " + c.options[v.pos]
	}
	return fmt.Sprintf("%s = %q", c.name, v.text)
}

// specs validates controls: at least one, names unique.
func specs(controls []Control) ([]controlSpec, error) {
	if len(controls) == 0 {
		return nil, fmt.Errorf("%w: an explorer needs at least one control (Slider, Select or TextInput)", ErrBadConfig)
	}
	out := make([]controlSpec, len(controls))
	seen := map[string]bool{}
	for i, c := range controls {
		if c == nil {
			return nil, fmt.Errorf("%w: control %d is nil", ErrBadConfig, i)
		}
		s, err := c.spec()
		if err != nil {
			return nil, err
		}
		if seen[s.name] {
			return nil, fmt.Errorf("%w: two controls are named %q; names must differ", ErrBadConfig, s.name)
		}
		seen[s.name] = true
		out[i] = s
	}
	return out, nil
}

// Values is the state of an explorer's controls, given to its draw
// function. Reading a name no control has, or reading a control the wrong
// way (Float of a Select or TextInput, Int of a TextInput), returns the
// zero value and makes that draw fail with an error naming the mistake.
type Values struct {
	ctl  []controlSpec
	cur  []value
	errs *valueErrors
}

type valueErrors struct {
	mu   sync.Mutex
	errs []string
}

func (v Values) misuse(format string, args ...any) {
	if v.errs == nil {
		return
	}
	v.errs.mu.Lock()
	defer v.errs.mu.Unlock()
	if len(v.errs.errs) < 3 {
		v.errs.errs = append(v.errs.errs, fmt.Sprintf(format, args...))
	}
}

func (v Values) err() error {
	if v.errs == nil {
		return nil
	}
	v.errs.mu.Lock()
	defer v.errs.mu.Unlock()
	if len(v.errs.errs) == 0 {
		return nil
	}
	return errors.New("chart: explorer: " + strings.Join(v.errs.errs, "; "))
}

func (v Values) find(method, name string) (*controlSpec, value, bool) {
	for i := range v.ctl {
		if v.ctl[i].name == name {
			return &v.ctl[i], v.cur[i], true
		}
	}
	names := make([]string, len(v.ctl))
	for i := range v.ctl {
		names[i] = strconv.Quote(v.ctl[i].name)
	}
	v.misuse("%s(%q): no control has that name (controls: %s)", method, name, strings.Join(names, ", "))
	return nil, value{}, false
}

// Float returns the value of the Slider called name.
func (v Values) Float(name string) float64 {
	c, x, ok := v.find("Float", name)
	if !ok {
		return 0
	}
	if c.kind != kindSlider {
		v.misuse("Float(%q): %q is a %v; read it with Int or Text", name, name, c.kind)
		return 0
	}
	return c.at(x.pos)
}

// Int returns the index of the option chosen in the Select called name,
// or the value of the Slider called name rounded to an integer.
func (v Values) Int(name string) int {
	c, x, ok := v.find("Int", name)
	if !ok {
		return 0
	}
	switch c.kind {
	case kindSelect:
		return x.pos
	case kindSlider:
		return int(math.Round(c.at(x.pos)))
	}
	v.misuse("Int(%q): %q is a TextInput; read it with Text", name, name)
	return 0
}

// Text returns the text of the TextInput called name, the option chosen in
// the Select called name, or the value of the Slider called name as it is
// shown beside the slider.
func (v Values) Text(name string) string {
	c, x, ok := v.find("Text", name)
	if !ok {
		return ""
	}
	switch c.kind {
	case kindSelect:
		return c.options[x.pos]
	case kindSlider:
		return c.format(c.at(x.pos))
	}
	return x.text
}

// String lists the values, e.g. `z₁ = 0.3, topic = space`.
func (v Values) String() string {
	parts := make([]string, len(v.ctl))
	for i := range v.ctl {
		parts[i] = v.ctl[i].describe(v.cur[i])
	}
	return strings.Join(parts, ", ")
}

// newValues returns the values of controls in their state cur.
func newValues(ctl []controlSpec, cur []value) Values {
	return Values{ctl: ctl, cur: append([]value(nil), cur...), errs: &valueErrors{}}
}

// initialState returns each control's starting state.
func initialState(ctl []controlSpec) []value {
	cur := make([]value, len(ctl))
	for i, c := range ctl {
		cur[i] = value{pos: c.pos, text: c.text}
	}
	return cur
}
