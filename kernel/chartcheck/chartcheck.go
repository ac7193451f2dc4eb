// Package chartcheck reads the charts of an executed notebook back from their
// ECharts options and checks them the way a reader looks at a figure: every
// axis is named, the legend sits outside the plot area, and a heat map has a
// colour scale (visualMap).
//
// A chart output of stdlib/chart carries its option JSON only in its
// text/html part (the interactive chart, marked with chart.InteractiveMarker).
// Notebooks saved with `gonbml run --strip-bundle` keep only the image/png
// part, so the checks read the executed copies `make notebooks` writes
// (outputs unstripped) and use the saved notebook to tell whether a copy is
// current: its code cells must be the saved ones.
package chartcheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/gonbml/gonbml/stdlib/chart"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/vg"
)

// Notebook is the part of an .ipynb file the checks read.
type Notebook struct {
	Cells []Cell `json:"cells"`
}

// Cell is one notebook cell.
type Cell struct {
	Type    string   `json:"cell_type"`
	Source  text     `json:"source"`
	Outputs []Output `json:"outputs"`
}

// Output is one cell output; Data maps MIME types to their content.
type Output struct {
	Type string          `json:"output_type"`
	Data map[string]text `json:"data"`
}

// text is a notebook string field, stored as one string or a list of lines.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = text(s)
		return nil
	}
	var lines []string
	if err := json.Unmarshal(b, &lines); err != nil {
		return errors.New("want a string or a list of strings")
	}
	*t = text(strings.Join(lines, ""))
	return nil
}

// Read parses the notebook at path.
func Read(path string) (*Notebook, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb Notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("%s: not a notebook: %v", path, err)
	}
	return &nb, nil
}

// Code returns the sources of the code cells, in order.
func (nb *Notebook) Code() []string {
	var out []string
	for _, c := range nb.Cells {
		if c.Type == "code" {
			out = append(out, string(c.Source))
		}
	}
	return out
}

// Chart is one chart read back from a notebook output.
type Chart struct {
	Cell   int            // index of the cell in the notebook
	Title  string         // the option's title text, "" if none
	Width  float64        // CSS pixels
	Height float64        // CSS pixels
	Option map[string]any // the ECharts option
}

// IsChart reports whether a text/html part is an interactive chart (drawn
// by ECharts from an option).
func IsChart(html string) bool {
	return strings.Contains(html, chart.InteractiveMarker) || strings.Contains(html, "echarts.init(")
}

var (
	optionRe = regexp.MustCompile(`let option_[A-Za-z0-9_]+ = `)
	sizeRe   = regexp.MustCompile(`style="width:([0-9.]+)px;height:([0-9.]+)px;"`)
)

// Charts returns the charts in the text/html part of one output, in order.
func Charts(html string) ([]Chart, error) {
	locs := optionRe.FindAllStringIndex(html, -1)
	if len(locs) == 0 {
		return nil, errors.New("chart output without an ECharts option")
	}
	sizes := sizeRe.FindAllStringSubmatch(html, -1)
	var out []Chart
	for i, loc := range locs {
		var opt map[string]any
		if err := json.NewDecoder(strings.NewReader(html[loc[1]:])).Decode(&opt); err != nil {
			return nil, fmt.Errorf("chart %d: option is not JSON: %v", i+1, err)
		}
		c := Chart{Option: opt, Width: 900, Height: 500} // go-echarts' default size
		if i < len(sizes) {
			c.Width, _ = strconv.ParseFloat(sizes[i][1], 64)
			c.Height, _ = strconv.ParseFloat(sizes[i][2], 64)
		}
		if t, ok := first(opt["title"]).(map[string]any); ok {
			c.Title, _ = t["text"].(string)
		}
		out = append(out, c)
	}
	return out, nil
}

// NotebookCharts returns every chart of the notebook's outputs and the number
// of outputs that carry a picture (image/png).
func NotebookCharts(nb *Notebook) (charts []Chart, pictures int, err error) {
	for i, c := range nb.Cells {
		for _, o := range c.Outputs {
			if _, ok := o.Data["image/png"]; ok {
				pictures++
			}
			html, ok := o.Data["text/html"]
			if !ok || !IsChart(string(html)) {
				continue
			}
			cs, err := Charts(string(html))
			if err != nil {
				return nil, 0, fmt.Errorf("cell %d: %v", i, err)
			}
			for j := range cs {
				cs[j].Cell = i
			}
			charts = append(charts, cs...)
		}
	}
	return charts, pictures, nil
}

// cartesian are the series types drawn on x and y axes.
var cartesian = map[string]bool{
	"line": true, "bar": true, "scatter": true, "effectScatter": true,
	"heatmap": true, "boxplot": true, "candlestick": true,
}

// Check returns what reads badly in c, one sentence each; none for a good
// chart:
//   - every shown x and y axis of a chart with axes has a name;
//   - a shown legend does not overlap the plot area (the grid);
//   - a heat map has a visualMap (its colour scale).
func Check(c Chart) []string {
	var problems []string
	axes, heat := false, false
	var names []string
	for _, s := range list(c.Option["series"]) {
		m, _ := s.(map[string]any)
		typ, _ := m["type"].(string)
		axes = axes || cartesian[typ]
		heat = heat || typ == "heatmap"
		if n, ok := m["name"].(string); ok {
			names = append(names, n)
		}
	}
	if axes {
		for _, dim := range []string{"xAxis", "yAxis"} {
			as := list(c.Option[dim])
			if len(as) == 0 {
				problems = append(problems, fmt.Sprintf("no %s: its axis cannot be named", dim))
			}
			for i, a := range as {
				m, _ := a.(map[string]any)
				if shown(m) && strings.TrimSpace(str(m["name"])) == "" {
					problems = append(problems, fmt.Sprintf("%s %d has no name", dim, i))
				}
			}
		}
	}
	if p := legendProblem(c, names); p != "" {
		problems = append(problems, p)
	}
	if heat {
		vm := list(c.Option["visualMap"])
		ok := false
		for _, v := range vm {
			m, _ := v.(map[string]any)
			ok = ok || shown(m)
		}
		if !ok {
			problems = append(problems, "heat map without a shown visualMap (no colour scale)")
		}
	}
	return problems
}

// rect is a box in CSS pixels from the chart's top left corner.
type rect struct{ x0, y0, x1, y1 float64 }

func (a rect) overlaps(b rect) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

// ECharts' legend metrics (its defaults): per entry a 25 px icon, a 5 px
// gap and 12 px text; entries 14 px high, 10 px apart; 5 px of padding
// around the legend.
const (
	legendIconPx   = 30
	legendTextPx   = 12
	legendItemPx   = 14
	legendGapPx    = 10
	legendPadPx    = 5
	echartsGridTop = 60 // ECharts' default grid.top and grid.bottom
)

// fonts measures legend text with Liberation Sans, the font of the charts'
// PNG pictures.
var fonts = font.NewCache(liberation.Collection())

// textWidth is the width in CSS pixels of s at size px in Liberation Sans,
// widened by a tenth for browsers that fall back to a wider sans-serif
// (DejaVu Sans): a near miss counts as overlap.
func textWidth(s string, px float64) float64 {
	face := fonts.Lookup(font.Font{Typeface: "Liberation", Variant: "Sans"}, vg.Length(px*72/96))
	return float64(face.Width(s)) * 96 / 72 * 1.1
}

// legendExtent is the length of n entries of size item in a row or column.
func legendExtent(n, item float64) float64 {
	return n*item + (n-1)*legendGapPx + 2*legendPadPx
}

// legendProblem says how the legend covers the plot area, or "" if it
// does not (or there is none).
func legendProblem(c Chart, names []string) string {
	var lg map[string]any
	for _, l := range list(c.Option["legend"]) {
		if m, ok := l.(map[string]any); ok {
			lg = m
			break
		}
	}
	if lg == nil || !shown(lg) {
		return "" // ECharts draws no legend without a legend component
	}
	if d := list(lg["data"]); len(d) > 0 {
		names = names[:0]
		for _, e := range d {
			switch v := e.(type) {
			case string:
				names = append(names, v)
			case map[string]any:
				names = append(names, str(v["name"]))
			}
		}
	}
	if len(names) == 0 {
		return ""
	}
	W, H := c.Width, c.Height
	widest, total := 0.0, 0.0
	for _, n := range names {
		w := legendIconPx + textWidth(n, legendTextPx)
		widest = math.Max(widest, w)
		total += w + legendGapPx
	}
	var box rect
	if str(lg["orient"]) == "vertical" {
		w := widest + 2*legendPadPx
		h := legendExtent(float64(len(names)), legendItemPx)
		x0 := pos(lg["left"], W, w, math.NaN())
		if r := pos(lg["right"], W, w, math.NaN()); !math.IsNaN(r) && math.IsNaN(x0) {
			x0 = W - r - w
		}
		if math.IsNaN(x0) {
			x0 = (W - w) / 2 // ECharts' default: left "auto", centred
		}
		y0 := pos(lg["top"], H, h, math.NaN())
		if b := pos(lg["bottom"], H, h, math.NaN()); !math.IsNaN(b) && math.IsNaN(y0) {
			y0 = H - b - h
		}
		if math.IsNaN(y0) {
			y0 = 0
		}
		box = rect{x0, y0, x0 + w, math.Min(y0+h, H)}
	} else {
		// A horizontal legend wraps (or scrolls) within the width; count
		// the rows a plain legend would take.
		rows := 1.0
		if str(lg["type"]) != "scroll" {
			rows = math.Max(1, math.Ceil(total/W))
		}
		h := legendExtent(rows, legendItemPx)
		y0 := pos(lg["top"], H, h, math.NaN())
		if b := pos(lg["bottom"], H, h, math.NaN()); !math.IsNaN(b) && math.IsNaN(y0) {
			y0 = H - b - h
		}
		if math.IsNaN(y0) {
			y0 = 0 // ECharts' default: top
		}
		box = rect{0, y0, W, y0 + h}
	}
	grid := rect{0.1 * W, echartsGridTop, 0.9 * W, H - echartsGridTop} // ECharts' defaults
	for _, g := range list(c.Option["grid"]) {
		m, ok := g.(map[string]any)
		if !ok {
			continue
		}
		grid.x0 = pos(m["left"], W, 0, grid.x0)
		grid.x1 = W - pos(m["right"], W, 0, W-grid.x1)
		grid.y0 = pos(m["top"], H, 0, grid.y0)
		grid.y1 = H - pos(m["bottom"], H, 0, H-grid.y1)
		break
	}
	if box.overlaps(grid) {
		return fmt.Sprintf("legend (%s, %d entries, about %.0f×%.0f px at %.0f,%.0f) overlaps the plot area (%.0f,%.0f to %.0f,%.0f)",
			orient(lg), len(names), box.x1-box.x0, box.y1-box.y0, box.x0, box.y0, grid.x0, grid.y0, grid.x1, grid.y1)
	}
	return ""
}

func orient(lg map[string]any) string {
	if str(lg["orient"]) == "vertical" {
		return "vertical"
	}
	return "horizontal"
}

// pos reads an ECharts position (pixels as a number or string, "10%",
// "center", "middle") along an extent of size total for a box of size box;
// def is returned when the value is absent or "auto".
func pos(v any, total, box, def float64) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case string:
		switch x {
		case "", "auto":
			return def
		case "center", "middle":
			return (total - box) / 2
		case "left", "top":
			return 0
		case "right", "bottom":
			return total - box
		}
		if p, ok := strings.CutSuffix(x, "%"); ok {
			f, err := strconv.ParseFloat(p, 64)
			if err != nil {
				return def
			}
			return f / 100 * total
		}
		f, err := strconv.ParseFloat(strings.TrimSuffix(x, "px"), 64)
		if err != nil {
			return def
		}
		return f
	}
	return def
}

// shown reports whether a component is drawn: present and not show:false.
func shown(m map[string]any) bool {
	if m == nil {
		return false
	}
	b, ok := m["show"].(bool)
	return !ok || b
}

// list returns v as a list: ECharts accepts one component or an array.
func list(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

func first(v any) any {
	if l := list(v); len(l) > 0 {
		return l[0]
	}
	return nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
