package chart

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/go-echarts/go-echarts/v2/components"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Renderer is what every go-echarts v2 chart (*charts.Line, *charts.Bar, ...)
// and page (*components.Page) implement.
type Renderer interface {
	Render(w io.Writer) error
}

// chartPart is one chart of a rendered go-echarts chart or page.
type chartPart struct {
	id            string
	width, height string // CSS lengths from go-echarts, e.g. "900px"
	script        string // go-echarts' inline script that draws the chart
	option        map[string]any
	title         string
}

// rendered is a go-echarts chart or page taken apart.
type rendered struct {
	pageTitle string
	parts     []chartPart
	// extraJS holds script URLs other than ECharts itself (themes, maps,
	// extensions); they still need the network.
	extraJS []string
}

var rePixels = regexp.MustCompile(`^\s*([0-9]+(?:\.[0-9]+)?)\s*px\s*$`)

// optioner is what every go-echarts chart implements (charts.BaseConfiguration):
// its ECharts option as a Go map, the same value its template encodes.
type optioner interface {
	JSON() map[string]any
}

// chartOptions returns the ECharts option of each of the n charts in c, in
// the order go-echarts renders them: c itself, or a page's charts. An entry
// is nil for a chart that does not expose its option (its PNG is then a
// placeholder).
func chartOptions(c Renderer, n int) ([]map[string]any, error) {
	var charts []any
	if page, ok := c.(*components.Page); ok {
		for _, ch := range page.Charts {
			charts = append(charts, ch)
		}
	} else {
		charts = []any{c}
	}
	if len(charts) != n {
		return nil, fmt.Errorf("chart: go-echarts rendered %d charts but the value holds %d", n, len(charts))
	}
	out := make([]map[string]any, n)
	for i, ch := range charts {
		if o, ok := ch.(optioner); ok {
			out[i] = o.JSON()
		}
	}
	return out, nil
}

// ErrNotChart is returned when the value given to Show renders HTML
// without any go-echarts chart in it.
var ErrNotChart = errors.New("chart: no go-echarts chart in the rendered HTML")

// parseChart renders c with go-echarts and takes the result apart.
func parseChart(c Renderer) (r *rendered, err error) {
	if c == nil {
		return nil, errors.New("chart: nil chart")
	}
	var buf bytes.Buffer
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("chart: go-echarts failed to render: %v", p)
			}
		}()
		err = c.Render(&buf)
	}()
	if err != nil {
		if !strings.HasPrefix(err.Error(), "chart: ") {
			err = fmt.Errorf("chart: rendering: %w", err)
		}
		return nil, err
	}
	doc, err := xhtml.Parse(&buf)
	if err != nil {
		return nil, fmt.Errorf("chart: parsing go-echarts output: %w", err)
	}
	r = &rendered{}
	byID := map[string]int{}
	var scripts []string
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode {
			switch n.DataAtom {
			case atom.Title:
				if n.FirstChild != nil {
					r.pageTitle = n.FirstChild.Data
				}
			case atom.Div:
				if hasClass(n, "item") && attr(n, "id") != "" {
					w, h := styleSize(attr(n, "style"))
					byID[attr(n, "id")] = len(r.parts)
					r.parts = append(r.parts, chartPart{id: attr(n, "id"), width: w, height: h})
				}
			case atom.Script:
				if src := attr(n, "src"); src != "" {
					if !strings.HasSuffix(src, "/echarts.min.js") {
						r.extraJS = append(r.extraJS, src)
					}
				} else if n.FirstChild != nil {
					scripts = append(scripts, n.FirstChild.Data)
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
	if len(r.parts) == 0 {
		return nil, ErrNotChart
	}
	opts, err := chartOptions(c, len(r.parts))
	if err != nil {
		return nil, err
	}
	for i := range r.parts {
		p := &r.parts[i]
		// go-echarts' script for a chart is the one that looks its
		// element up by id.
		for _, s := range scripts {
			if strings.Contains(s, "getElementById('"+p.id+"')") {
				p.script = s
				break
			}
		}
		if opts[i] == nil {
			continue
		}
		b, err := json.Marshal(opts[i])
		if err != nil {
			return nil, fmt.Errorf("chart: chart %s has an option go-echarts cannot encode (NaN or Inf in the data?): %w", p.id, err)
		}
		var decoded map[string]any
		if err := json.Unmarshal(b, &decoded); err != nil {
			return nil, fmt.Errorf("chart: chart %s: decoding its option: %w", p.id, err)
		}
		p.option = decoded
		p.title = optionTitle(decoded)
	}
	for i := range r.parts {
		p := &r.parts[i]
		if p.script == "" {
			return nil, fmt.Errorf("chart: chart %s has no script in the go-echarts output", p.id)
		}
		// go-echarts keeps a chart's id for its life, so showing the same
		// chart twice would put two elements with one id on the page and
		// the second would never be drawn: give every output its own id.
		fresh := p.id + "_" + nextSuffix()
		p.script = strings.ReplaceAll(p.script, p.id, fresh)
		p.id = fresh
	}
	return r, nil
}

var (
	suffixMu   sync.Mutex
	suffixSeq  uint64
	suffixSalt = func() string {
		var b [4]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "0"
		}
		return hex.EncodeToString(b[:])
	}()
)

// nextSuffix returns a string unique to this output: a per-process random
// salt (GoNB runs every cell as a new process) and a counter.
func nextSuffix() string {
	suffixMu.Lock()
	defer suffixMu.Unlock()
	suffixSeq++
	return suffixSalt + strconv.FormatUint(suffixSeq, 36)
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *xhtml.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// styleSize pulls width and height out of an inline style attribute.
func styleSize(style string) (w, h string) {
	w, h = "900px", "500px" // go-echarts' defaults
	for _, decl := range strings.Split(style, ";") {
		k, v, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(strings.ToLower(k)) {
		case "width":
			w = strings.TrimSpace(v)
		case "height":
			h = strings.TrimSpace(v)
		}
	}
	return w, h
}

// pixels converts a CSS length to pixels for the PNG; lengths that are not
// in px (percentages, em) get def.
func pixels(css string, def int) int {
	m := rePixels.FindStringSubmatch(css)
	if m == nil {
		return def
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil || v < 16 || v > 8000 {
		return def
	}
	return int(v)
}

// size returns the part's size in pixels.
func (p *chartPart) size() (w, h int) {
	return pixels(p.width, 900), pixels(p.height, 500)
}

// fragment is the HTML of one chart for a notebook output or a page: a
// container holding the PNG picture, and a script that replaces the picture
// with the interactive chart once ECharts is loaded.
func (p *chartPart) fragment(pngData []byte) string {
	w, h := p.size()
	var b strings.Builder
	fmt.Fprintf(&b, "<div class=\"gonbml-chart\" style=\"max-width:100%%;overflow-x:auto\">\n")
	fmt.Fprintf(&b, "<div id=\"%s\" %s=\"1\" style=\"width:%s;height:%s;\">", html.EscapeString(p.id), InteractiveMarker, html.EscapeString(p.width), html.EscapeString(p.height))
	if pngData == nil {
		fmt.Fprintf(&b, "<p style=\"color:#666;font:13px sans-serif\">%s: interactive chart; without JavaScript see this output's image/png</p>", html.EscapeString(altText(p.title)))
	} else {
		fmt.Fprintf(&b, "<img alt=\"%s\" width=\"%d\" height=\"%d\" style=\"max-width:none\" src=\"data:image/png;base64,%s\">",
			html.EscapeString(altText(p.title)), w, h, base64.StdEncoding.EncodeToString(pngData))
	}
	b.WriteString("</div>\n</div>\n<script type=\"text/javascript\">\n")
	b.WriteString(queueJS)
	fmt.Fprintf(&b, "\nwindow.gonbmlWhenECharts(function () {\nvar el = document.getElementById(%q);\nif (!el || el.getAttribute(\"data-gonbml-drawn\")) { return; }\nel.setAttribute(\"data-gonbml-drawn\", \"1\");\nel.innerHTML = \"\";\n", p.id)
	b.WriteString(escapeScript(strings.TrimSpace(p.script)))
	b.WriteString("\n});\n</script>\n")
	return b.String()
}

func altText(title string) string {
	if title == "" {
		return "chart"
	}
	return title
}

// prepared is a chart ready to display: HTML fragment and PNG.
type prepared struct {
	html    string
	png     []byte
	title   string
	extraJS []string
}

// prepare renders c and draws its PNG fallback.
func prepare(c Renderer) (*prepared, error) {
	r, err := parseChart(c)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	for _, src := range r.extraJS {
		fmt.Fprintf(&b, "<script type=\"text/javascript\" src=\"%s\"></script>\n", html.EscapeString(src))
	}
	pngs := make([][]byte, len(r.parts))
	for i := range r.parts {
		p := &r.parts[i]
		w, h := p.size()
		img, err := rasterize(p.option, w, h)
		if err != nil {
			return nil, err
		}
		pngs[i], err = encodePNG(img)
		if err != nil {
			return nil, err
		}
		b.WriteString(p.fragment(nil)) // the PNG goes once, as image/png (see InteractiveMarker)
	}
	title := r.parts[0].title
	if title == "" {
		title = r.pageTitle
	}
	all, err := stackPNGs(pngs)
	if err != nil {
		return nil, err
	}
	return &prepared{html: b.String(), png: all, title: title, extraJS: r.extraJS}, nil
}

// ChartHTML returns the HTML fragment Show displays for c: the chart containers
// with their PNG pictures and scripts, without the ECharts bundle (see
// WritePage for a standalone page).
func ChartHTML(c Renderer) (string, error) {
	p, err := prepare(c)
	if err != nil {
		return "", err
	}
	return p.html, nil
}

// PNG returns the picture of c that Show attaches as image/png: each chart
// of a page drawn with gonum/plot, stacked vertically.
func PNG(c Renderer) ([]byte, error) {
	p, err := prepare(c)
	if err != nil {
		return nil, err
	}
	return p.png, nil
}

// WritePage writes a standalone HTML page with the ECharts bundle inlined
// and every chart in order; it needs no network to display.
func WritePage(w io.Writer, title string, charts ...Renderer) error {
	js, err := loadBundle()
	if err != nil {
		return err
	}
	var body strings.Builder
	for _, c := range charts {
		p, err := prepare(c)
		if err != nil {
			return err
		}
		body.WriteString(p.html)
	}
	return writePage(w, title, js, body.String())
}

func writePage(w io.Writer, title, js, body string) error {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n")
	fmt.Fprintf(&b, "<title>%s</title>\n</head>\n<body style=\"font-family:sans-serif\">\n", html.EscapeString(title))
	b.WriteString(bundleScript(js))
	b.WriteString("\n")
	b.WriteString(body)
	b.WriteString("</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("chart: writing page: %w", err)
	}
	return nil
}

// Show displays a go-echarts chart or page. In a notebook it is one output
// with text/html (interactive chart with a PNG inside until the script
// runs) and image/png; the ECharts bundle is sent first if this kernel
// session has not sent it yet. Outside a notebook Show writes a standalone
// HTML page into OutputDir and prints its path to Stdout.
func Show(c Renderer) error {
	p, err := prepare(c)
	if err != nil {
		return err
	}
	fe := current()
	if fe == nil {
		js, err := loadBundle()
		if err != nil {
			return err
		}
		var page bytes.Buffer
		if err := writePage(&page, altText(p.title), js, p.html); err != nil {
			return err
		}
		path, err := writeOutputFile("chart", ".html", page.Bytes())
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout(), "chart:", path)
		return nil
	}
	if err := ensureBundle(fe); err != nil {
		return err
	}
	fe.display(map[string]any{
		"text/html":  p.html,
		"image/png":  p.png,
		"text/plain": altText(p.title),
	}, "")
	fe.sync()
	return nil
}
