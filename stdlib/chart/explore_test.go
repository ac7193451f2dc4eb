package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func sliderSpec(t *testing.T, s Slider) controlSpec {
	t.Helper()
	c, err := s.spec()
	if err != nil {
		t.Fatalf("%+v: %v", s, err)
	}
	return c
}

func TestSliderMapsPositionsToRoundValues(t *testing.T) {
	c := sliderSpec(t, Slider{Name: "z", Min: -3, Max: 3, Step: 0.1, Value: 0})
	if c.steps != 60 {
		t.Fatalf("steps = %d, want 60", c.steps)
	}
	if c.pos != 30 {
		t.Errorf("initial position = %d, want 30 (value 0)", c.pos)
	}
	for i := 0; i <= c.steps; i++ {
		want := -3 + float64(i)/10
		got := c.at(i)
		if math.Abs(got-want) > 1e-12 {
			t.Fatalf("at(%d) = %v, want %v", i, got, want)
		}
		// The value is the shortest decimal: 0.3, never 0.30000000000000004.
		if s := fmt.Sprint(got); len(s) > 4 {
			t.Fatalf("at(%d) = %s, not rounded to the step's decimals", i, s)
		}
		if back := c.nearest(got); back != i {
			t.Fatalf("nearest(at(%d)) = %d", i, back)
		}
	}
	if got := c.format(c.at(33)); got != "0.3" {
		t.Errorf("format(at(33)) = %q, want 0.3", got)
	}
}

func TestSliderEdges(t *testing.T) {
	// A range that is not a whole number of steps ends at Max.
	c := sliderSpec(t, Slider{Name: "β", Min: 0, Max: 1, Step: 0.3})
	if c.steps != 4 || c.at(3) != 0.9 || c.at(4) != 1 {
		t.Errorf("steps %d, at(3) %v, at(4) %v; want 4, 0.9, 1", c.steps, c.at(3), c.at(4))
	}
	if got := c.nearest(1); got != 4 {
		t.Errorf("nearest(Max) = %d, want the last position 4", got)
	}
	// Value snaps to the nearest step.
	c = sliderSpec(t, Slider{Name: "k", Min: 5, Max: 50, Step: 5, Value: 12})
	if c.at(c.pos) != 10 {
		t.Errorf("Value 12 with step 5 from 5 starts at %v, want 10", c.at(c.pos))
	}
	// Step 0 means 100 steps.
	c = sliderSpec(t, Slider{Name: "x", Min: 0, Max: 2})
	if c.steps != 100 || c.at(1) != 0.02 {
		t.Errorf("default step: steps %d, at(1) %v; want 100, 0.02", c.steps, c.at(1))
	}
	// Large magnitudes keep their value.
	c = sliderSpec(t, Slider{Name: "n", Min: 1e6, Max: 2e6, Step: 1e5})
	if c.at(3) != 1.3e6 {
		t.Errorf("at(3) = %v, want 1.3e6", c.at(3))
	}
}

func TestControlsBadInputIsAnError(t *testing.T) {
	draw := func(Values) (any, error) { return HTML("x"), nil }
	cases := []struct {
		name     string
		controls []Control
		want     string
	}{
		{"none", nil, "at least one control"},
		{"nil control", []Control{nil}, "control 0 is nil"},
		{"no name", []Control{Slider{Min: 0, Max: 1}}, "Slider.Name"},
		{"min ≥ max", []Control{Slider{Name: "a", Min: 1, Max: 1}}, "Min is 1, want less than Max"},
		{"NaN", []Control{Slider{Name: "a", Min: math.NaN(), Max: 1}}, "a finite number"},
		{"negative step", []Control{Slider{Name: "a", Min: 0, Max: 1, Step: -0.1}}, "Step is -0.1"},
		{"too many steps", []Control{Slider{Name: "a", Min: 0, Max: 1, Step: 1e-9}}, "Step is 1e-09"},
		{"value out of range", []Control{Slider{Name: "a", Min: 0, Max: 1, Value: 2}}, "Value is 2"},
		{"empty select", []Control{Select{Name: "s"}}, "Options is empty"},
		{"select value", []Control{Select{Name: "s", Options: []string{"a"}, Value: 1}}, "Value is 1"},
		{"text no name", []Control{TextInput{Value: "x"}}, "TextInput.Name"},
		{"duplicate", []Control{Slider{Name: "a", Min: 0, Max: 1}, TextInput{Name: "a"}}, `two controls are named "a"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Explore("t", draw, c.controls...)
			if err == nil || !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want ErrBadConfig containing %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
	if err := Explore("t", nil, Slider{Name: "a", Min: 0, Max: 1}); err == nil || !strings.Contains(err.Error(), "draw function is nil") {
		t.Errorf("nil draw: %v", err)
	}
}

func TestValuesReadEachControlKind(t *testing.T) {
	ctl, err := specs([]Control{
		Slider{Name: "z₁", Min: -3, Max: 3, Step: 0.1, Value: 0.5},
		Select{Name: "topic", Options: []string{"space", "cars", "mail"}, Value: 2},
		TextInput{Name: "q", Value: "I love this movie"},
	})
	if err != nil {
		t.Fatal(err)
	}
	v := newValues(ctl, initialState(ctl))
	if v.Float("z₁") != 0.5 || v.Int("z₁") != 1 || v.Text("z₁") != "0.5" {
		t.Errorf("slider: Float %v Int %v Text %q", v.Float("z₁"), v.Int("z₁"), v.Text("z₁"))
	}
	if v.Int("topic") != 2 || v.Text("topic") != "mail" {
		t.Errorf("select: Int %v Text %q", v.Int("topic"), v.Text("topic"))
	}
	if v.Text("q") != "I love this movie" {
		t.Errorf("text: %q", v.Text("q"))
	}
	if err := v.err(); err != nil {
		t.Fatalf("correct reads recorded %v", err)
	}
	if got, want := v.String(), `z₁ = 0.5, topic = mail, q = "I love this movie"`; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	// Misuse is recorded, not a panic.
	if v.Float("topic") != 0 || v.Int("q") != 0 || v.Float("nope") != 0 {
		t.Error("misuse should read zero")
	}
	err = v.err()
	for _, want := range []string{`Float("topic"): "topic" is a Select`, `Int("q"): "q" is a TextInput`, `Float("nope"): no control has that name`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to contain %q", err, want)
		}
	}
}

// digit is a synthetic picture whose content depends on x.
func digit(x float64) image.Image {
	img := image.NewGray(image.Rect(0, 0, 28, 28))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	c := int(14 + 10*x/3)
	for y := 4; y < 24; y++ {
		for dx := -2; dx <= 2; dx++ {
			img.SetGray(min(max(c+dx, 0), 27), y, color.Gray{})
		}
	}
	return img
}

func TestRenderKinds(t *testing.T) {
	p, err := render(digit(0))
	if err != nil {
		t.Fatal(err)
	}
	d := p.data()
	if _, ok := d["text/html"]; ok {
		t.Error("an image alone should be image/png only")
	}
	img, err := png.Decode(bytes.NewReader(d["image/png"].([]byte)))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() < minPictureSide || img.Bounds().Dx()%28 != 0 {
		t.Errorf("28-pixel image enlarged to %d pixels, want a multiple of 28 ≥ %d", img.Bounds().Dx(), minPictureSide)
	}

	p, err = render(HTML("<b>space</b>"))
	if err != nil || p.data()["text/html"] != "<b>space</b>" || p.data()["image/png"] != nil {
		t.Errorf("HTML: %v %v", p, err)
	}

	p, err = render(Row(digit(-3), digit(3)))
	if err != nil {
		t.Fatal(err)
	}
	d = p.data()
	if _, ok := d["text/html"]; ok {
		t.Error("a Row of images should be one image/png")
	}
	img, err = png.Decode(bytes.NewReader(d["image/png"].([]byte)))
	if err != nil {
		t.Fatal(err)
	}
	one := enlarge(digit(0)).Bounds().Dx()
	if img.Bounds().Dx() != 2*one+rowGap {
		t.Errorf("Row width %d, want %d", img.Bounds().Dx(), 2*one+rowGap)
	}

	p, err = render(Row(HTML("<i>words</i>"), digit(1)))
	if err != nil {
		t.Fatal(err)
	}
	h, _ := p.data()["text/html"].(string)
	if !strings.Contains(h, "<i>words</i>") || !strings.Contains(h, "data:image/png;base64,") {
		t.Errorf("Row with HTML: %q", h)
	}

	c, err := Options{Title: "curve"}.Line(Series{Name: "a", Y: []float64{1, 2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	p, err = render(Row(c, digit(0)))
	if err != nil {
		t.Fatal(err)
	}
	if !p.chart || p.data()["image/png"] == nil || !strings.Contains(p.data()["text/html"].(string), InteractiveMarker) {
		t.Errorf("Row with a chart: chart %v, keys %v", p.chart, p.data())
	}

	var nilImg *image.RGBA
	for _, bad := range []any{nil, 42, "text", Row(), Row(digit(0), nil), nilImg, image.NewRGBA(image.Rect(0, 0, 0, 5))} {
		if _, err := render(bad); err == nil || !strings.HasPrefix(err.Error(), "chart: ") {
			t.Errorf("render(%#v) = %v, want a chart: error", bad, err)
		}
	}
}

// captureStdout makes the package print into a buffer for the test.
func captureStdout(t *testing.T) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	old := Stdout
	Stdout = &buf
	t.Cleanup(func() { Stdout = old })
	return &buf
}

func TestExploreOutsideNotebookWritesInitialState(t *testing.T) {
	frontMu.Lock()
	old := front
	front = nil
	frontMu.Unlock()
	t.Cleanup(func() { frontMu.Lock(); front = old; frontMu.Unlock() })
	dir := t.TempDir()
	oldDir := OutputDir
	OutputDir = dir
	t.Cleanup(func() { OutputDir = oldDir })
	out := captureStdout(t)

	var calls []float64
	err := Explore("digit", func(v Values) (any, error) {
		calls = append(calls, v.Float("z"))
		return digit(v.Float("z")), nil
	}, Slider{Name: "z", Min: -3, Max: 3, Step: 0.1, Value: 1.2})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 1 || calls[0] != 1.2 {
		t.Errorf("draw calls %v, want one at 1.2", calls)
	}
	line := out.String()
	if strings.Count(line, "\n") != 1 || !strings.Contains(line, "static here") || !strings.Contains(line, "z = 1.2") {
		t.Fatalf("printed %q, want one line saying it is static with the values", line)
	}
	path := strings.TrimSpace(line[strings.LastIndex(line, " in ")+4:])
	if filepath.Dir(path) != dir || filepath.Ext(path) != ".png" {
		t.Fatalf("file %q not a PNG in %s", path, dir)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := render(digit(1.2))
	if !bytes.Equal(b, want.png) {
		t.Error("the file is not the initial picture")
	}
}

// fakeLink is a page: answering the greeting when live, then whatever the
// test sends.
type fakeLink struct {
	live    bool
	mu      sync.Mutex
	deliver func(string)
	stopped atomic.Bool
	addr    string
}

func (f *fakeLink) listen(address string, deliver func(string)) func() {
	f.mu.Lock()
	f.deliver, f.addr = deliver, address
	f.mu.Unlock()
	if f.live {
		go deliver(msgHello)
	}
	return func() { f.stopped.Store(true) }
}

func (f *fakeLink) settled() <-chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}

func (f *fakeLink) send(msg string) {
	f.mu.Lock()
	d := f.deliver
	f.mu.Unlock()
	d(msg)
}

func withLink(t *testing.T, f *fakeLink) {
	t.Helper()
	old := newLink
	newLink = func() pageLink { return f }
	oldWait, oldGrace := handshakeWait, handshakeGrace
	handshakeWait, handshakeGrace = 200*time.Millisecond, 50*time.Millisecond
	t.Cleanup(func() { newLink = old; handshakeWait, handshakeGrace = oldWait, oldGrace })
}

func TestExploreHeadlessNotebookShowsStaticPicture(t *testing.T) {
	r := inNotebook(t)
	f := &fakeLink{}
	withLink(t, f)
	out := captureStdout(t)
	start := time.Now()
	err := Explore("digit", func(v Values) (any, error) { return digit(v.Float("z")), nil },
		Slider{Name: "z", Min: -3, Max: 3, Step: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("headless Explore took %v with a 200 ms handshake", took)
	}
	if !f.stopped.Load() {
		t.Error("the explorer kept listening after the handshake failed")
	}
	if !strings.Contains(out.String(), "static here") || strings.Count(out.String(), "\n") != 1 {
		t.Errorf("printed %q", out.String())
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	// The greeting, then the picture in its place: one output block.
	if len(r.outs) != 2 || r.outs[0].id == "" || r.outs[0].id != r.outs[1].id {
		t.Fatalf("outputs %d, ids %v", len(r.outs), r.outs)
	}
	if !strings.Contains(r.outs[0].data["text/html"].(string), "gonb_comm") {
		t.Error("first output is not the greeting")
	}
	if _, ok := r.outs[1].data["image/png"]; !ok || r.outs[1].data["text/html"] != nil {
		t.Errorf("final output keys %v, want the picture as image/png only", r.outs[1].data)
	}
	if r.syncs == 0 {
		t.Error("no sync before returning")
	}
}

func TestExploreFirstDrawErrorIsReturned(t *testing.T) {
	inNotebook(t)
	withLink(t, &fakeLink{})
	err := Explore("x", func(v Values) (any, error) { return nil, errors.New("model not loaded") },
		Select{Name: "s", Options: []string{"a"}})
	if err == nil || !strings.Contains(err.Error(), "model not loaded") || !strings.HasPrefix(err.Error(), "chart: ") {
		t.Errorf("err = %v", err)
	}
	err = Explore("x", func(v Values) (any, error) { return nil, nil }, Select{Name: "s", Options: []string{"a"}})
	if err == nil || !strings.Contains(err.Error(), "draw returned nil") {
		t.Errorf("nil picture: err = %v", err)
	}
	err = Explore("x", func(v Values) (any, error) { panic("boom") }, Select{Name: "s", Options: []string{"a"}})
	if err == nil || !strings.Contains(err.Error(), "draw panicked: boom") {
		t.Errorf("panic: err = %v", err)
	}
	err = Explore("x", func(v Values) (any, error) { return HTML(v.Text("nope")), nil }, Select{Name: "s", Options: []string{"a"}})
	if err == nil || !strings.Contains(err.Error(), `Text("nope")`) {
		t.Errorf("misuse: err = %v", err)
	}
}

func vmsg(seq, i int, v string) string {
	return fmt.Sprintf("v%s%d%s%d%s%s", msgSep, seq, msgSep, i, msgSep, v)
}

func TestSessionKeepsLatestValueAndIgnoresLateOnes(t *testing.T) {
	ctl, _ := specs([]Control{Slider{Name: "z", Min: 0, Max: 10, Step: 1}, TextInput{Name: "q"}})
	s := newSession(ctl, initialState(ctl))
	s.receive(vmsg(2, 0, "7"))
	s.receive(vmsg(1, 0, "3")) // sent before 7, delivered after
	s.receive(vmsg(1, 1, "hello world"))
	cur, gen, bad := s.snapshot()
	if cur[0].pos != 7 || cur[1].text != "hello world" || gen != 2 || bad != "" {
		t.Errorf("cur %v gen %d bad %q; want position 7, the text, 2 changes", cur, gen, bad)
	}
	for _, m := range []string{"garbage", vmsg(3, 0, "11"), vmsg(3, 0, "x"), vmsg(3, 5, "1"), "v" + msgSep + "z" + msgSep + "0" + msgSep + "1"} {
		s.receive(m)
		if cur, _, bad := s.snapshot(); bad == "" || cur[0].pos != 7 {
			t.Errorf("message %q: bad %q, position %d; want an error and no change", m, bad, cur[0].pos)
		}
	}
}

func TestLoopCoalescesAndThrottles(t *testing.T) {
	ctl, _ := specs([]Control{Slider{Name: "z", Min: 0, Max: 1000, Step: 1}})
	s := newSession(ctl, initialState(ctl))
	var mu sync.Mutex
	var drawn []int
	var times []time.Time
	done := make(chan string)
	const interval = 20 * time.Millisecond
	go func() {
		done <- s.loop(interval, nil, func(cur []value, bad string) {
			mu.Lock()
			drawn = append(drawn, cur[0].pos)
			times = append(times, time.Now())
			mu.Unlock()
			time.Sleep(15 * time.Millisecond) // a slow draw
		})
	}()
	// A drag: 300 positions in about 300 ms.
	for i := 1; i <= 300; i++ {
		s.receive(vmsg(i, 0, fmt.Sprint(i)))
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	s.receive(msgStop)
	if end := <-done; end != endStop {
		t.Errorf("ended %q", end)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(drawn) == 0 || drawn[len(drawn)-1] != 300 {
		t.Fatalf("draws %v; the last must be the last position, 300", drawn)
	}
	if len(drawn) > 300/5 {
		t.Errorf("%d draws for 300 moves: intermediate positions were queued, not dropped", len(drawn))
	}
	for i := 1; i < len(drawn); i++ {
		if drawn[i] <= drawn[i-1] {
			t.Errorf("draws went back: %v", drawn)
		}
		if gap := times[i].Sub(times[i-1]); gap < interval {
			t.Errorf("draws %d and %d only %v apart, want ≥ %v", i-1, i, gap, interval)
		}
	}
	t.Logf("%d draws for 300 moves", len(drawn))
}

func TestLoopStopDrawsPendingChangeAndInterruptEnds(t *testing.T) {
	ctl, _ := specs([]Control{Select{Name: "s", Options: []string{"a", "b", "c"}}})
	s := newSession(ctl, initialState(ctl))
	var last atomic.Int64
	last.Store(-1)
	// A change and Stop at once: the long interval holds the draw back,
	// and Stop draws it.
	s.receive(vmsg(1, 0, "2"))
	s.receive(msgStop)
	end := s.loop(time.Hour, nil, func(cur []value, _ string) { last.Store(int64(cur[0].pos)) })
	if end != endStop || last.Load() != 2 {
		t.Errorf("end %q, last drawn %d; want stopped with the pending change drawn", end, last.Load())
	}

	s = newSession(ctl, initialState(ctl))
	intr := make(chan os.Signal, 1)
	intr <- os.Interrupt
	if end := s.loop(time.Millisecond, intr, func([]value, string) { t.Error("drew with nothing changed") }); end != endInterrupt {
		t.Errorf("end %q, want interrupted", end)
	}
}

func TestExploreLiveRedrawsInPlaceUntilStop(t *testing.T) {
	r := inNotebook(t)
	f := &fakeLink{live: true}
	withLink(t, f)
	out := captureStdout(t)
	oldInterval := exploreInterval
	exploreInterval = time.Millisecond
	t.Cleanup(func() { exploreInterval = oldInterval })
	done := make(chan error)
	go func() {
		done <- Explore("digit", func(v Values) (any, error) {
			if v.Float("z") == 3 {
				return nil, errors.New("no model at 3")
			}
			return digit(v.Float("z")), nil
		}, Slider{Name: "z", Min: -3, Max: 3, Step: 0.5})
	}()
	waitFor := func(what string, ok func([]output) bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			r.mu.Lock()
			outs := append([]output(nil), r.outs...)
			r.mu.Unlock()
			if ok(outs) {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatalf("timed out waiting for %s", what)
	}
	lastWith := func(outs []output, id string) (output, int) {
		n, o := 0, output{}
		for _, x := range outs {
			if x.id == id {
				o = x
				n++
			}
		}
		return o, n
	}
	var ids exploreIDs
	waitFor("the controls", func(outs []output) bool {
		for _, o := range outs {
			if h, _ := o.data["text/html"].(string); strings.Contains(h, `type="range"`) {
				ids.controls = o.id
				return true
			}
		}
		return false
	})
	waitFor("the picture", func(outs []output) bool { return len(outs) >= 4 })
	r.mu.Lock()
	ids.picture, ids.status = r.outs[2].id, r.outs[3].id
	first := r.outs[2].data["image/png"].([]byte)
	r.mu.Unlock()
	if ids.picture == "" || ids.picture == ids.controls || ids.status == ids.picture {
		t.Fatalf("ids %+v", ids)
	}
	f.send(vmsg(1, 0, "2")) // z = -2
	waitFor("a redraw", func(outs []output) bool {
		o, n := lastWith(outs, ids.picture)
		return n == 2 && !bytes.Equal(o.data["image/png"].([]byte), first)
	})
	want, _ := render(digit(-2))
	r.mu.Lock()
	o, _ := lastWith(r.outs, ids.picture)
	r.mu.Unlock()
	if !bytes.Equal(o.data["image/png"].([]byte), want.png) {
		t.Error("the redraw is not the picture for z = -2")
	}
	f.send(vmsg(2, 0, "12")) // z = 3: draw fails
	waitFor("the error under the picture", func(outs []output) bool {
		o, _ := lastWith(outs, ids.status)
		h, _ := o.data["text/html"].(string)
		return strings.Contains(h, "no model at 3")
	})
	f.send(msgStop)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Explore did not return after Stop")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	ctl, _ := lastWith(r.outs, ids.controls)
	if h := ctl.data["text/html"].(string); strings.Contains(h, "<input") || !strings.Contains(h, "stopped") || !strings.Contains(h, "z = 3") {
		t.Errorf("after Stop the controls block is %q", h)
	}
	if o, n := lastWith(r.outs, ids.picture); n != 2 || !bytes.Equal(o.data["image/png"].([]byte), want.png) {
		t.Errorf("the last picture should stay (z = -2): %d pictures", n)
	}
	if !f.stopped.Load() {
		t.Error("still listening after Stop")
	}
	if out.Len() != 0 {
		t.Errorf("a live explorer printed %q", out.String())
	}
}
