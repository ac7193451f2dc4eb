package chart

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"image"
	"image/draw"
	"image/png"
	"strings"

	xdraw "golang.org/x/image/draw"
)

// minPictureSide is the size below which an image returned by a draw
// function is enlarged (by a whole factor, pixels kept sharp): a 28×28
// digit would otherwise be a speck on the page.
const minPictureSide = 140

// rowGap is the space in pixels between the parts of a Row.
const rowGap = 12

// picture is what a draw function returned, ready to display.
type picture struct {
	// html shows the picture in a page (nil-able: a plain image has none
	// unless it sits in a Row with HTML).
	html string
	// png is the picture as an image (empty for HTML alone).
	png []byte
	// chart reports whether html holds an interactive chart (which needs
	// the ECharts bundle on the page).
	chart bool
	// htmlOnly reports whether some part has no picture (HTML), so the
	// output must carry text/html.
	htmlOnly bool
	title    string
}

// data returns the display data of p: image/png when the picture is one,
// text/html when it needs the page (a chart, or HTML).
func (p *picture) data() map[string]any {
	d := map[string]any{"text/plain": altText(p.title)}
	if p.png != nil {
		d["image/png"] = p.png
	}
	if p.chart || p.htmlOnly || p.png == nil {
		d["text/html"] = p.html
	}
	return d
}

// render turns a draw function's result into a picture.
func render(x any) (*picture, error) {
	switch v := x.(type) {
	case nil:
		return nil, fmt.Errorf("chart: explorer: draw returned nil; want an image.Image, a go-echarts chart, chart.HTML or chart.Row(…)")
	case HTML:
		return &picture{html: string(v), htmlOnly: true}, nil
	case Layout:
		return renderRow(v)
	case *Layout:
		if v == nil {
			return nil, fmt.Errorf("chart: explorer: draw returned a nil *chart.Layout")
		}
		return renderRow(*v)
	case image.Image:
		if isNilImage(v) {
			return nil, fmt.Errorf("chart: explorer: draw returned a nil %T", v)
		}
		b := v.Bounds()
		if b.Dx() <= 0 || b.Dy() <= 0 {
			return nil, fmt.Errorf("chart: explorer: draw returned an empty image (%d×%d)", b.Dx(), b.Dy())
		}
		img := enlarge(v)
		data, err := encodePNG(img)
		if err != nil {
			return nil, err
		}
		w, h := img.Bounds().Dx(), img.Bounds().Dy()
		return &picture{
			png:  data,
			html: fmt.Sprintf(`<img alt="picture" width="%d" height="%d" style="max-width:none;image-rendering:pixelated" src="data:image/png;base64,%s">`, w, h, base64.StdEncoding.EncodeToString(data)),
		}, nil
	case Renderer:
		p, err := prepare(v)
		if err != nil {
			return nil, err
		}
		return &picture{html: p.html, png: p.png, chart: true, title: p.title}, nil
	}
	return nil, fmt.Errorf("chart: explorer: draw returned %T; want an image.Image, a go-echarts chart, chart.HTML or chart.Row(…)", x)
}

// isNilImage reports whether img is a typed nil pointer (a nil *image.RGBA
// satisfies image.Image but panics when used).
func isNilImage(img image.Image) (isNil bool) {
	defer func() {
		if recover() != nil {
			isNil = true
		}
	}()
	_ = img.Bounds()
	return false
}

// enlarge scales img up by the smallest whole factor that makes its shorter
// side at least minPictureSide, with nearest-neighbour pixels.
func enlarge(img image.Image) image.Image {
	b := img.Bounds()
	side := min(b.Dx(), b.Dy())
	if side >= minPictureSide {
		return img
	}
	f := (minPictureSide + side - 1) / side
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()*f, b.Dy()*f))
	xdraw.NearestNeighbor.Scale(out, out.Bounds(), img, b, xdraw.Src, nil)
	return out
}

// renderRow lays the parts out side by side: in HTML as a flex row, and as
// one image of the parts that are pictures.
func renderRow(l Layout) (*picture, error) {
	if len(l.parts) == 0 {
		return nil, fmt.Errorf("chart: explorer: chart.Row() has no parts")
	}
	out := &picture{}
	var imgs []image.Image
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="gonbml-row" style="display:flex;flex-wrap:wrap;gap:%dpx;align-items:flex-start">`, rowGap)
	var titles []string
	for i, x := range l.parts {
		p, err := render(x)
		if err != nil {
			return nil, fmt.Errorf("%w (part %d of the Row)", err, i+1)
		}
		fmt.Fprintf(&b, "<div>%s</div>", p.html)
		out.chart = out.chart || p.chart
		out.htmlOnly = out.htmlOnly || p.htmlOnly
		if p.title != "" {
			titles = append(titles, p.title)
		}
		if p.png != nil {
			img, err := png.Decode(bytes.NewReader(p.png))
			if err != nil {
				return nil, fmt.Errorf("chart: explorer: %w", err)
			}
			imgs = append(imgs, img)
		}
	}
	b.WriteString("</div>")
	out.html = b.String()
	out.title = strings.Join(titles, " | ")
	if len(imgs) > 0 {
		data, err := encodePNG(sideBySide(imgs))
		if err != nil {
			return nil, err
		}
		out.png = data
	}
	return out, nil
}

// sideBySide joins images left to right on white, top-aligned.
func sideBySide(imgs []image.Image) image.Image {
	if len(imgs) == 1 {
		return imgs[0]
	}
	w, h := rowGap*(len(imgs)-1), 0
	for _, img := range imgs {
		w += img.Bounds().Dx()
		h = max(h, img.Bounds().Dy())
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	x := 0
	for _, img := range imgs {
		r := image.Rect(x, 0, x+img.Bounds().Dx(), img.Bounds().Dy())
		draw.Draw(out, r, img, img.Bounds().Min, draw.Src)
		x += img.Bounds().Dx() + rowGap
	}
	return out
}

// escapeText escapes s for HTML text.
func escapeText(s string) string { return html.EscapeString(s) }
