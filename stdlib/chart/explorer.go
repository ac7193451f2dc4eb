package chart

import (
	"bytes"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"
)

// Explore shows an explorer: the controls, and below them the picture that
// draw returns for their values, redrawn in place whenever a value changes.
//
//	err := chart.Explore("Decoded digit: AE vs VAE", func(v chart.Values) (any, error) {
//		z := []float64{v.Float("z₁"), v.Float("z₂")}
//		ae, err := aeModel.Decode(z)   // image.Image
//		if err != nil {
//			return nil, err
//		}
//		vae, err := vaeModel.Decode(z)
//		if err != nil {
//			return nil, err
//		}
//		return chart.Row(ae, vae), nil
//	}, chart.Slider{Name: "z₁", Min: -3, Max: 3, Step: 0.1, Value: 0},
//		chart.Slider{Name: "z₂", Min: -3, Max: 3, Step: 0.1, Value: 0})
//
// draw returns an image.Image (small images are enlarged with sharp pixels
// to at least 140 pixels a side), a go-echarts chart (anything with
// Render(io.Writer) error), [HTML], or [Row] of those. Controls are
// [Slider], [Select] and [TextInput]; draw reads them by name from
// [Values].
//
// In a live notebook page, Explore blocks: it redraws as the controls move,
// at most one draw at a time and at most one every 50 ms, always for the
// latest values (intermediate positions of a dragged slider are dropped,
// never queued). A draw that fails shows its error under the picture and
// the explorer carries on. The Stop button (or the kernel's interrupt)
// ends it: the controls become one line with their last values, the last
// picture stays, and Explore returns nil.
//
// Without a live page — `gonbml run`, nbconvert, `make test`, where
// nothing answers the explorer's greeting within 2 s, or a plain `go run`
// outside a notebook — Explore draws the initial state once as a static
// picture (outside a notebook: a file in [OutputDir]), prints one line
// saying the explorer is static here, and returns nil.
//
// Bad controls (an empty name, Min ≥ Max, a Value out of range, two
// controls with one name), a nil draw, and an error of the first draw
// return an error; nothing panics.
func Explore(title string, draw func(Values) (any, error), controls ...Control) error {
	if draw == nil {
		return fmt.Errorf("%w: Explore's draw function is nil", ErrBadConfig)
	}
	ctl, err := specs(controls)
	if err != nil {
		return err
	}
	if strings.TrimSpace(title) == "" {
		title = "explorer"
	}
	e := &explorer{title: title, draw: draw, ctl: ctl, interval: exploreInterval}
	cur := initialState(ctl)
	pic, err := e.drawAt(cur)
	if err != nil {
		return err
	}
	fe := current()
	if fe == nil {
		return e.showFile(pic, cur)
	}
	if pic.chart {
		if err := ensureBundle(fe); err != nil {
			return err
		}
	}
	uid := gonbui.UniqueId()
	e.ids = exploreIDs{
		address:  "/gonbml/explore/" + uid,
		controls: "gonbml-explore-" + uid,
		picture:  "gonbml-explore-pic-" + uid,
		status:   "gonbml-explore-status-" + uid,
	}
	s := newSession(ctl, cur)
	lk := newLink()
	stopListening := lk.listen(e.ids.address, s.receive)
	fe.display(map[string]any{"text/html": helloHTML(e.ids), "text/plain": e.title}, e.ids.controls)
	if !s.waitHello(lk.settled(), handshakeWait, handshakeGrace) {
		stopListening()
		fe.display(pic.data(), e.ids.controls)
		fmt.Fprintf(stdout(), "chart: explorer %q is static here (no live notebook page answered within %v): it shows its initial state, %s\n",
			e.title, handshakeWait, newValues(ctl, cur))
		fe.sync()
		return nil
	}
	defer stopListening()
	return e.live(fe, s, pic, cur)
}

// Timing of the explorer; variables so tests can shorten them.
var (
	// exploreInterval is the least time between two draws.
	exploreInterval = 50 * time.Millisecond
	// handshakeWait is how long the explorer waits for the page's answer
	// after sending its greeting.
	handshakeWait = 2 * time.Second
	// handshakeGrace is how long it still waits after GoNB has passed
	// the greeting on (GoNB itself waits up to 3 s for a page before it
	// gives up, and holds later outputs meanwhile).
	handshakeGrace = 750 * time.Millisecond
	// handshakeLimit bounds the wait if GoNB never confirms.
	handshakeLimit = 10 * time.Second
)

type exploreIDs struct {
	address                   string // comms address the page sends to
	controls, picture, status string // display ids and HTML ids
}

type explorer struct {
	title    string
	draw     func(Values) (any, error)
	ctl      []controlSpec
	interval time.Duration
	ids      exploreIDs
}

// drawAt calls draw for the state cur and renders the result; a panic in
// draw becomes an error.
func (e *explorer) drawAt(cur []value) (pic *picture, err error) {
	v := newValues(e.ctl, cur)
	var x any
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("chart: explorer %q: draw panicked: %v", e.title, p)
			}
		}()
		x, err = e.draw(v)
	}()
	if verr := v.err(); verr != nil {
		return nil, verr
	}
	if err != nil {
		if !strings.HasPrefix(err.Error(), "chart: ") {
			err = fmt.Errorf("chart: explorer %q: draw: %w", e.title, err)
		}
		return nil, err
	}
	pic, err = render(x)
	if err != nil {
		return nil, err
	}
	if pic.title == "" {
		pic.title = e.title
	}
	return pic, nil
}

// showFile writes the initial picture into OutputDir, outside a notebook.
func (e *explorer) showFile(pic *picture, cur []value) error {
	var path string
	var err error
	if pic.png != nil && !pic.chart && !pic.htmlOnly {
		path, err = writeOutputFile("explorer", ".png", pic.png)
	} else {
		js := ""
		if pic.chart {
			if js, err = loadBundle(); err != nil {
				return err
			}
		}
		var page bytes.Buffer
		if err = writePage(&page, e.title, js, pic.html); err != nil {
			return err
		}
		path, err = writeOutputFile("explorer", ".html", page.Bytes())
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout(), "chart: explorer %q is static here (not in a notebook): its initial state, %s, is in %s\n",
		e.title, newValues(e.ctl, cur), path)
	return nil
}

// pageLink is an explorer's channel from the page: messages the page sends
// to an address.
type pageLink interface {
	// listen delivers every message sent to address until stop is called.
	listen(address string, deliver func(msg string)) (stop func())
	// settled is closed once GoNB has handled everything sent so far.
	settled() <-chan struct{}
}

// newLink returns the link to the notebook page; tests replace it.
var newLink = func() pageLink { return gonbLink{} }

type gonbLink struct{}

func (gonbLink) listen(address string, deliver func(string)) func() {
	id := comms.Subscribe(address, func(_ string, msg string) { deliver(msg) })
	var once sync.Once
	return func() { once.Do(func() { comms.Unsubscribe(id) }) }
}

func (gonbLink) settled() <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		gonbui.Sync()
		close(ch)
	}()
	return ch
}

// Messages from the page: "hello" answers the greeting, "stop" is the Stop
// button, and "v␟seq␟i␟value" is control i's new value (seq orders them,
// since GoNB may deliver two messages out of order).
const (
	msgHello = "hello"
	msgStop  = "stop"
	msgSep   = "\x1f"
)

// session is the state the page reports: the controls' latest values.
type session struct {
	mu   sync.Mutex
	ctl  []controlSpec
	cur  []value
	seq  []int64
	gen  uint64 // bumped at every accepted change
	bad  string // the last malformed message
	wake chan struct{}

	hello, stop         chan struct{}
	helloOnce, stopOnce sync.Once
}

func newSession(ctl []controlSpec, cur []value) *session {
	return &session{
		ctl: ctl, cur: append([]value(nil), cur...), seq: make([]int64, len(ctl)),
		wake: make(chan struct{}, 1), hello: make(chan struct{}), stop: make(chan struct{}),
	}
}

// receive handles one message from the page.
func (s *session) receive(msg string) {
	switch msg {
	case msgHello:
		s.helloOnce.Do(func() { close(s.hello) })
		return
	case msgStop:
		s.stopOnce.Do(func() { close(s.stop) })
		return
	}
	parts := strings.SplitN(msg, msgSep, 4)
	if len(parts) != 4 || parts[0] != "v" {
		s.setBad(fmt.Sprintf("chart: explorer: unknown message %.40q from the page", msg))
		return
	}
	seq, err1 := strconv.ParseInt(parts[1], 10, 64)
	i, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || i < 0 || i >= len(s.ctl) {
		s.setBad(fmt.Sprintf("chart: explorer: malformed message %.40q from the page", msg))
		return
	}
	v, err := s.ctl[i].parse(parts[3])
	if err != nil {
		s.setBad(err.Error())
		return
	}
	s.mu.Lock()
	if seq <= s.seq[i] {
		s.mu.Unlock()
		return // an older value arriving late
	}
	s.seq[i] = seq
	if s.cur[i] == v {
		s.mu.Unlock()
		return
	}
	s.cur[i] = v
	s.gen++
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default: // a wake-up is already pending: it will see this value
	}
}

func (s *session) setBad(msg string) {
	s.mu.Lock()
	s.bad = msg
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// snapshot returns the latest values, their generation and the last
// malformed message (cleared).
func (s *session) snapshot() ([]value, uint64, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	bad := s.bad
	s.bad = ""
	return append([]value(nil), s.cur...), s.gen, bad
}

// waitHello waits for the page's answer: at least wait, and at least
// grace after GoNB has passed the greeting on (settled), but never more
// than handshakeLimit.
func (s *session) waitHello(settled <-chan struct{}, wait, grace time.Duration) bool {
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	limit := time.NewTimer(handshakeLimit)
	defer limit.Stop()
	var graceC <-chan time.Time
	waited, graced := false, false
	for {
		select {
		case <-s.hello:
			return true
		case <-limit.C:
			return false
		case <-deadline.C:
			waited = true
		case <-settled:
			settled = nil
			g := time.NewTimer(grace)
			defer g.Stop()
			graceC = g.C
		case <-graceC:
			graceC = nil
			graced = true
		}
		if waited && graced {
			return false
		}
	}
}

// How a live explorer ended.
const (
	endStop      = "stopped"
	endInterrupt = "interrupted"
)

// loop redraws for the latest values until the page's Stop or an interrupt:
// at most one redraw at a time, at least interval apart, each for the
// values current when it starts (coalescing). On Stop a change not drawn
// yet is drawn once more, so the picture matches the controls. The caller
// has drawn the initial state (generation 0).
func (s *session) loop(interval time.Duration, interrupt <-chan os.Signal, redraw func(cur []value, bad string)) string {
	var drawn uint64
	var last time.Time
	for {
		select {
		case <-s.stop:
			if cur, gen, bad := s.snapshot(); gen != drawn || bad != "" {
				redraw(cur, bad)
			}
			return endStop
		case <-interrupt:
			return endInterrupt
		case <-s.wake:
		}
		if wait := interval - time.Since(last); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-s.stop:
				t.Stop()
				if cur, gen, bad := s.snapshot(); gen != drawn || bad != "" {
					redraw(cur, bad)
				}
				return endStop
			case <-interrupt:
				t.Stop()
				return endInterrupt
			case <-t.C:
			}
		}
		cur, gen, bad := s.snapshot()
		if gen == drawn && bad == "" {
			continue
		}
		redraw(cur, bad)
		drawn = gen
		last = time.Now()
	}
}

// live runs the explorer in a live page until Stop or the interrupt.
func (e *explorer) live(fe frontEnd, s *session, pic *picture, cur []value) error {
	fe.display(map[string]any{"text/html": controlsHTML(e.title, e.ids, e.ctl, cur), "text/plain": e.title}, e.ids.controls)
	fe.display(pic.data(), e.ids.picture)
	draws := 1
	e.status(fe, draws, newValues(e.ctl, cur).String(), "")
	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt)
	defer signal.Stop(interrupt)
	bundleSent := pic.chart
	ended := s.loop(e.interval, interrupt, func(cur []value, bad string) {
		start := time.Now()
		p, err := e.drawAt(cur)
		if err == nil && p.chart && !bundleSent {
			err = ensureBundle(fe)
			bundleSent = err == nil
		}
		desc := newValues(e.ctl, cur).String()
		if err != nil {
			e.status(fe, draws, desc, err.Error())
			return
		}
		fe.display(p.data(), e.ids.picture)
		draws++
		msg := ""
		if bad != "" {
			msg = bad
		}
		e.status(fe, draws, fmt.Sprintf("%s · drawn in %v", desc, time.Since(start).Round(time.Millisecond)), msg)
	})
	final, _, _ := s.snapshot()
	fe.display(map[string]any{
		"text/html":  fmt.Sprintf(`<div style="font:13px sans-serif;color:#555">%s — explorer %s; last values: %s</div>`, escapeText(e.title), ended, escapeText(newValues(e.ctl, final).String())),
		"text/plain": fmt.Sprintf("%s — explorer %s; last values: %s", e.title, ended, newValues(e.ctl, final)),
	}, e.ids.controls)
	fe.display(map[string]any{"text/html": "", "text/plain": ""}, e.ids.status)
	fe.sync()
	return nil
}

// status shows the line under the picture: the values drawn, or an error.
func (e *explorer) status(fe frontEnd, draws int, desc, errMsg string) {
	style := "font:12px sans-serif;color:#555"
	text := desc
	if errMsg != "" {
		style = "font:12px sans-serif;color:#b00020;white-space:pre-wrap"
		text = errMsg
	}
	fe.display(map[string]any{
		"text/html":  fmt.Sprintf(`<div id="%s" data-gonbml-draws="%d" style="%s">%s</div>`, e.ids.status, draws, style, escapeText(text)),
		"text/plain": text,
	}, e.ids.status)
}
