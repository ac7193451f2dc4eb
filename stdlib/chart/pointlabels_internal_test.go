package chart

import (
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// textCanvas records the texts drawn on an image canvas.
type textCanvas struct {
	*vgimg.Canvas
	texts []string
}

func (c *textCanvas) FillString(f font.Face, at vg.Point, s string) {
	c.texts = append(c.texts, s)
	c.Canvas.FillString(f, at, s)
}

// Crowded points keep their word: a label that clashes on the right goes
// left, above or below; only one that fits nowhere is left out.
func TestPointLabelsMoveBeforeTheyHide(t *testing.T) {
	texts := []pointText{
		{0.50, 0.50, "harpoon"}, {0.51, 0.50, "senate"}, {0.50, 0.51, "vote"},
		{0.50, 0.50, "ship"}, {0.50, 0.50, "fifth"},
	}
	p := plot.New()
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.Add(&pointLabels{texts: texts})
	c := &textCanvas{Canvas: vgimg.New(px(400), px(300))}
	p.Draw(vgdraw.New(c))
	drawn := map[string]bool{}
	for _, s := range c.texts {
		drawn[s] = true
	}
	for _, w := range []string{"harpoon", "senate", "vote", "ship"} {
		if !drawn[w] {
			t.Errorf("label %q was hidden; drawn: %v", w, c.texts)
		}
	}
	if drawn["fifth"] {
		t.Errorf("a fifth label on the same spot was drawn over the others: %v", c.texts)
	}
}
