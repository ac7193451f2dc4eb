package relay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-zeromq/zmq4"
	"golang.org/x/sys/unix"
)

// startTimeout bounds how long GoNB may take to bind its ports, and
// startAttempts how often GoNB is started when it exits before that.
const (
	startTimeout  = 2 * time.Minute
	startAttempts = 3
)

// Config says how to run GoNB behind the relay.
type Config struct {
	ConnectionFile string        // Jupyter's connection file (the kernelspec's {connection_file})
	Gonb           string        // path of the gonb binary
	GonbArgs       []string      // extra arguments after --kernel FILE (e.g. --raw_error)
	Env            []string      // GoNB's environment; nil inherits the relay's
	Log            io.Writer     // GoNB's output and the relay's own lines; nil is os.Stderr
	ReplyWait      time.Duration // how long an execute_reply waits for its iopub idle; 0 is 2s
	StopWait       time.Duration // how long GoNB gets to exit after SIGTERM/SIGHUP before it is killed; 0 is 3s
	// Notice, if set, is shown once, on stderr of the first executed cell:
	// how a user learns what the launcher found (e.g. offline with the
	// checksum lookups missing), since the kernel's own log is out of sight.
	Notice string
}

// Run starts GoNB, relays between Jupyter and it until GoNB exits, then
// stops every process GoNB left behind. It returns GoNB's exit code (1 if
// GoNB died of a signal); err is set only when the relay could not start.
func Run(cfg Config) (int, error) {
	if cfg.Log == nil {
		cfg.Log = os.Stderr
	}
	if cfg.ReplyWait == 0 {
		cfg.ReplyWait = 2 * time.Second
	}
	if cfg.StopWait == 0 {
		cfg.StopWait = 3 * time.Second
	}
	front, err := ReadConnection(cfg.ConnectionFile)
	if err != nil {
		return 1, err
	}
	sg, err := newSigner(front.SignatureScheme, front.Key)
	if err != nil {
		return 1, err
	}
	// Orphans (gopls and its helpers, anything a cell started in the
	// background) are reparented to the relay instead of init, so it can
	// stop them when the kernel stops.
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		fmt.Fprintf(cfg.Log, "gonbml relay: cannot become a child subreaper (%v): processes GoNB leaves behind may outlive the kernel\n", err)
	}
	r := &relay{cfg: cfg, sg: sg, execs: map[string]*execState{}, log: log.New(cfg.Log, "gonbml relay: ", 0)}

	// GoNB's ports are free when chosen but released before GoNB binds
	// them; on a busy machine another process can take one in between, and
	// GoNB exits. So GoNB exiting before the relay reached it is retried on
	// new ports.
	var child *gonbProcess
	for attempt := 1; ; attempt++ {
		back, err := backConnection(front)
		if err != nil {
			return 1, err
		}
		backFile, backDir, err := writeBackConnection(back, cfg.ConnectionFile)
		if err != nil {
			return 1, err
		}
		defer os.RemoveAll(backDir)
		if child, err = r.startGonb(backFile); err != nil {
			return 1, err
		}
		// Dialling GoNB gives up when GoNB exits or does not bind in time:
		// closing a socket ends its dial loop.
		backs := r.newBack()
		connected := make(chan struct{})
		go func(c *gonbProcess) {
			select {
			case <-connected:
				return
			case <-c.done:
			case <-time.After(startTimeout):
			}
			for _, s := range backs {
				s.Close()
			}
		}(child)
		err = r.connectBack(back)
		close(connected)
		exited := child.exited()
		if err == nil {
			break
		}
		r.stopGonb(child)
		<-child.done
		r.closeSockets()
		killDescendants()
		if !exited {
			return 1, err
		}
		if attempt == startAttempts {
			return 1, fmt.Errorf("relay: gonb exited before it could be reached, %d times (last: %v)", attempt, child.err)
		}
		r.log.Printf("gonb exited before it could be reached (%v); starting it again on other ports", child.err)
	}
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(signals)
	if err := r.listenFront(front); err != nil {
		r.stopGonb(child)
		<-child.done
		r.closeSockets()
		killDescendants()
		return 1, err
	}
	r.serve()

	// Orphans reparented to the relay are reaped as they exit.
	sigchld := make(chan os.Signal, 1)
	signal.Notify(sigchld, syscall.SIGCHLD)
	defer signal.Stop(sigchld)
	for running := true; running; {
		select {
		case sig := <-signals:
			_ = child.cmd.Process.Signal(sig)
			if sig != syscall.SIGINT {
				go func() {
					select {
					case <-child.done:
					case <-time.After(cfg.StopWait):
						r.stopGonb(child)
					}
				}()
			}
		case <-sigchld:
			reapOrphans(child.cmd.Process.Pid)
		case <-child.done:
			running = false
		}
	}
	r.closeSockets()
	killDescendants()
	return child.code(), nil
}

// gonbProcess is the running GoNB.
type gonbProcess struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error // from Wait, set before done is closed
}

func (p *gonbProcess) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func (p *gonbProcess) code() int {
	if p.cmd.ProcessState == nil {
		return 1
	}
	if c := p.cmd.ProcessState.ExitCode(); c >= 0 {
		return c
	}
	return 1
}

// startGonb starts GoNB in its own process group. If the relay itself is
// killed (SIGKILL: Jupyter's shutdown_kernel(now=True)), the kernel sends
// GoNB SIGTERM, on which GoNB exits cleanly and stops its gopls. The
// goroutine that starts GoNB stays locked to its OS thread until GoNB
// exits, because that parent-death signal is tied to the thread that
// forked.
func (r *relay) startGonb(connFile string) (*gonbProcess, error) {
	p := &gonbProcess{done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		args := append([]string{"--kernel", connFile}, r.cfg.GonbArgs...)
		p.cmd = exec.Command(r.cfg.Gonb, args...)
		p.cmd.Env = r.cfg.Env
		p.cmd.Stdout, p.cmd.Stderr = r.cfg.Log, r.cfg.Log
		p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
		if err := p.cmd.Start(); err != nil {
			started <- fmt.Errorf("relay: starting gonb: %w", err)
			return
		}
		started <- nil
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	return p, <-started
}

// stopGonb kills GoNB's whole process group.
func (r *relay) stopGonb(p *gonbProcess) {
	if p.cmd.Process != nil {
		_ = unix.Kill(-p.cmd.Process.Pid, unix.SIGKILL)
	}
}

// relay holds the sockets and what it tracks of the session.
type relay struct {
	cfg Config
	sg  *signer
	log *log.Logger

	fShell, fControl, fStdin, fIOPub, fHB zmq4.Socket // Jupyter's side (bound)
	bShell, bControl, bStdin, bIOPub      zmq4.Socket // GoNB's side (dialled)
	backID                                []byte

	fShellMu, bShellMu, fIOPubMu sync.Mutex
	noticeOnce                   sync.Once // Config.Notice, shown once

	mu       sync.Mutex
	execs    map[string]*execState // execute_requests by msg_id, until answered
	inflight string                // msg_id of the execute_request GoNB is running
	queue    []*message            // execute_requests waiting for it
	hist     history
}

// execState is one execute_request on its way through GoNB.
type execState struct {
	req         *message
	code        string
	stopOnError bool
	silent      bool
	interrupted bool            // an interrupt_request came while it ran
	stderr      strings.Builder // the program's stderr, for the panic
	fail        *failure        // set when GoNB's exit line was seen
	idle        chan struct{}   // closed when iopub status idle was seen
}

// newBack creates the sockets towards GoNB (not yet connected).
func (r *relay) newBack() []zmq4.Socket {
	quiet := zmq4.WithLogger(log.New(io.Discard, "", 0))
	dial := []zmq4.Option{quiet, zmq4.WithDialerRetry(20 * time.Millisecond), zmq4.WithDialerMaxRetries(-1)}
	r.backID = []byte("gonbml-relay-" + newID())
	id := zmq4.WithID(zmq4.SocketIdentity(r.backID))
	// One identity for shell, control and stdin: GoNB sends input_request
	// on stdin to the identities of the execute_request that came on shell.
	bg := context.Background()
	r.bShell = zmq4.NewDealer(bg, append(dial, id)...)
	r.bControl = zmq4.NewDealer(bg, append(dial, id)...)
	r.bStdin = zmq4.NewDealer(bg, append(dial, id)...)
	r.bIOPub = zmq4.NewSub(bg, dial...)
	return []zmq4.Socket{r.bShell, r.bControl, r.bStdin, r.bIOPub}
}

// connectBack dials GoNB's ports.
func (r *relay) connectBack(back Connection) error {
	for _, d := range []struct {
		s    zmq4.Socket
		port int
	}{{r.bIOPub, back.IOPubPort}, {r.bShell, back.ShellPort}, {r.bControl, back.ControlPort}, {r.bStdin, back.StdinPort}} {
		if err := d.s.Dial(back.addr(d.port)); err != nil {
			return fmt.Errorf("relay: reaching gonb: %w", err)
		}
	}
	if err := r.bIOPub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	return nil
}

// listenFront binds the ports of Jupyter's connection file.
func (r *relay) listenFront(front Connection) error {
	quiet := zmq4.WithLogger(log.New(io.Discard, "", 0))
	bg := context.Background()
	r.fShell = zmq4.NewRouter(bg, quiet)
	r.fControl = zmq4.NewRouter(bg, quiet)
	r.fStdin = zmq4.NewRouter(bg, quiet)
	r.fIOPub = zmq4.NewPub(bg, quiet)
	r.fHB = zmq4.NewRep(bg, quiet)
	for _, l := range []struct {
		s    zmq4.Socket
		port int
		name string
	}{{r.fIOPub, front.IOPubPort, "iopub"}, {r.fHB, front.HBPort, "hb"}, {r.fShell, front.ShellPort, "shell"}, {r.fControl, front.ControlPort, "control"}, {r.fStdin, front.StdinPort, "stdin"}} {
		if err := l.s.Listen(front.addr(l.port)); err != nil {
			return fmt.Errorf("relay: cannot listen on the %s port %d of the connection file: %w", l.name, l.port, err)
		}
	}
	return nil
}

func (r *relay) closeSockets() {
	for _, s := range []*zmq4.Socket{&r.fShell, &r.fControl, &r.fStdin, &r.fIOPub, &r.fHB, &r.bShell, &r.bControl, &r.bStdin, &r.bIOPub} {
		if *s != nil {
			(*s).Close()
			*s = nil
		}
	}
}

// serve starts one goroutine per direction; they end when the sockets close.
func (r *relay) serve() {
	go r.loop(r.fShell, r.fromClientShell)
	go r.loop(r.bShell, r.fromGonbShell)
	go r.loop(r.fControl, r.fromClientControl)
	go r.loop(r.bControl, func(f [][]byte) { _ = r.fControl.Send(zmq4.NewMsgFrom(f...)) })
	go r.loop(r.fStdin, func(f [][]byte) { _ = r.bStdin.Send(zmq4.NewMsgFrom(f...)) })
	go r.loop(r.bStdin, func(f [][]byte) { _ = r.fStdin.Send(zmq4.NewMsgFrom(f...)) })
	go r.loop(r.bIOPub, r.fromGonbIOPub)
	go r.loop(r.fHB, func(f [][]byte) { _ = r.fHB.Send(zmq4.NewMsgFrom(f...)) })
}

func (r *relay) loop(s zmq4.Socket, handle func([][]byte)) {
	for {
		m, err := s.Recv()
		if err != nil {
			return
		}
		handle(m.Frames)
	}
}

func (r *relay) sendClientShell(m *message) {
	r.fShellMu.Lock()
	defer r.fShellMu.Unlock()
	_ = r.fShell.Send(zmq4.NewMsgFrom(m.frames(r.sg)...))
}

func (r *relay) sendGonbShell(frames [][]byte) {
	r.bShellMu.Lock()
	defer r.bShellMu.Unlock()
	_ = r.bShell.Send(zmq4.NewMsgFrom(frames...))
}

func (r *relay) publish(frames [][]byte) {
	r.fIOPubMu.Lock()
	defer r.fIOPubMu.Unlock()
	_ = r.fIOPub.Send(zmq4.NewMsgFrom(frames...))
}

// publishStatus publishes a kernel status for a request the relay answers
// without GoNB (aborted execute_requests).
func (r *relay) publishStatus(req *message, state string) {
	m := reply(req, "status", map[string]string{"execution_state": state})
	m.ids = [][]byte{[]byte("kernel.status")}
	r.publish(m.frames(r.sg))
}

// answer sends the relay's own reply to req between the busy and idle
// statuses every shell request gets (JupyterLab waits for the idle).
func (r *relay) answer(req, rep *message) {
	r.publishStatus(req, "busy")
	r.sendClientShell(rep)
	r.publishStatus(req, "idle")
}

// fromClientShell handles a message from a Jupyter client on shell.
func (r *relay) fromClientShell(frames [][]byte) {
	m, ok := parse(frames)
	if !ok {
		return
	}
	switch m.hdr.MsgType {
	case "is_complete_request":
		if !r.sg.verify(m) {
			return
		}
		var c struct {
			Code string `json:"code"`
		}
		_ = json.Unmarshal(m.content, &c)
		status, indent := IsComplete(c.Code)
		content := map[string]string{"status": status}
		if status == "incomplete" {
			content["indent"] = indent
		}
		r.answer(m, reply(m, "is_complete_reply", content))
		return
	case "history_request":
		if !r.sg.verify(m) {
			return
		}
		var req historyRequest
		_ = json.Unmarshal(m.content, &req)
		r.mu.Lock()
		h := r.hist.answer(req)
		r.mu.Unlock()
		r.answer(m, reply(m, "history_reply", map[string]any{"status": "ok", "history": h}))
		return
	case "execute_request":
		if !r.sg.verify(m) {
			break // GoNB drops it; tracking it would hold the queue forever
		}
		var c struct {
			Code        string `json:"code"`
			Silent      bool   `json:"silent"`
			StopOnError *bool  `json:"stop_on_error"`
		}
		_ = json.Unmarshal(m.content, &c)
		e := &execState{req: m, code: c.Code, silent: c.Silent, stopOnError: c.StopOnError == nil || *c.StopOnError, idle: make(chan struct{})}
		r.noticeOnce.Do(func() {
			if r.cfg.Notice != "" {
				n := reply(m, "stream", map[string]string{"name": "stderr", "text": r.cfg.Notice + "\n"})
				n.ids = [][]byte{[]byte("stream.stderr")}
				r.publish(n.frames(r.sg))
			}
		})
		r.mu.Lock()
		r.execs[m.hdr.MsgID] = e
		if r.inflight != "" {
			// GoNB runs one cell at a time anyway; holding the rest here
			// lets the relay abort them when a cell fails.
			r.queue = append(r.queue, m)
			r.mu.Unlock()
			return
		}
		r.inflight = m.hdr.MsgID
		r.mu.Unlock()
	}
	r.sendGonbShell(frames)
}

// fromClientControl passes control messages to GoNB, noting an
// interrupt_request against the cell GoNB is running: whatever error that
// cell then ends with (GoNB's own, if the interrupt stopped the build),
// it must not abort the cells queued behind it.
func (r *relay) fromClientControl(frames [][]byte) {
	if m, ok := parse(frames); ok && m.hdr.MsgType == "interrupt_request" {
		r.mu.Lock()
		if e := r.execs[r.inflight]; e != nil {
			e.interrupted = true
		}
		r.mu.Unlock()
	}
	_ = r.bControl.Send(zmq4.NewMsgFrom(frames...))
}

// fromGonbShell handles a message from GoNB on shell.
func (r *relay) fromGonbShell(frames [][]byte) {
	m, ok := parse(frames)
	if !ok {
		return
	}
	switch m.hdr.MsgType {
	case "kernel_info_reply":
		r.fixKernelInfo(m)
		r.sendClientShell(m)
		return
	case "execute_reply":
		r.executeReply(m)
		return
	default:
		if r.fixErrorReply(m) {
			r.sendClientShell(m)
			return
		}
	}
	r.fShellMu.Lock()
	_ = r.fShell.Send(zmq4.NewMsgFrom(frames...))
	r.fShellMu.Unlock()
}

// fixKernelInfo fills language_info's pygments_lexer and codemirror_mode,
// which GoNB leaves empty, so notebooks and nbconvert highlight Go.
func (r *relay) fixKernelInfo(m *message) {
	var c map[string]any
	if json.Unmarshal(m.content, &c) != nil {
		return
	}
	li, _ := c["language_info"].(map[string]any)
	if li == nil {
		li = map[string]any{}
		c["language_info"] = li
	}
	for _, k := range []string{"pygments_lexer", "codemirror_mode"} {
		if s, _ := li[k].(string); s == "" {
			li[k] = "go"
		}
	}
	m.content, _ = json.Marshal(c)
}

// fixErrorReply completes a reply with status "error" that lacks the
// ename, evalue and traceback the protocol requires (GoNB sends such a
// complete_reply when gopls times out). It reports whether it changed m.
func (r *relay) fixErrorReply(m *message) bool {
	if !strings.HasSuffix(m.hdr.MsgType, "_reply") || !bytes.Contains(m.content, []byte(`"error"`)) {
		return false
	}
	var c map[string]any
	if json.Unmarshal(m.content, &c) != nil || c["status"] != "error" {
		return false
	}
	changed := false
	req := strings.TrimSuffix(m.hdr.MsgType, "_reply") + "_request"
	for k, v := range map[string]any{"ename": "GoNBError", "evalue": "gonb could not answer the " + req + " (see the kernel log)", "traceback": []string{}} {
		if _, ok := c[k]; !ok {
			c[k] = v
			changed = true
		}
	}
	if changed {
		m.content, _ = json.Marshal(c)
	}
	return changed
}

// executeReply waits until the request's iopub output is all in (its idle
// status, or ReplyWait), turns an "ok" whose program failed into an error,
// forwards the reply and starts the next queued request — or aborts the
// queue after an error, as stop_on_error asks.
func (r *relay) executeReply(m *message) {
	id := m.parentID()
	r.mu.Lock()
	e := r.execs[id]
	r.mu.Unlock()
	if e == nil {
		r.sendClientShell(m)
		return
	}
	select {
	case <-e.idle:
	case <-time.After(r.cfg.ReplyWait):
	}
	var c map[string]any
	_ = json.Unmarshal(m.content, &c)
	r.mu.Lock()
	fail, interrupted := e.fail, e.interrupted || (e.fail != nil && e.fail.Interrupted)
	r.mu.Unlock()
	status, _ := c["status"].(string)
	if status == "ok" && fail != nil {
		c["status"] = "error"
		c["ename"], c["evalue"], c["traceback"] = fail.Ename, fail.Evalue, fail.Traceback
		delete(c, "user_expressions")
		delete(c, "payload")
		m.content, _ = json.Marshal(c)
		status = "error"
	} else if status == "error" {
		if full := fullSyntaxErrors(c, e.code); full != nil {
			m.content, _ = json.Marshal(c)
		}
	}
	if n, ok := c["execution_count"].(float64); ok && !e.silent {
		r.mu.Lock()
		r.hist.add(int(n), e.code)
		r.mu.Unlock()
	}
	r.sendClientShell(m)

	r.mu.Lock()
	delete(r.execs, id)
	var next *message
	var aborted []*message
	if r.inflight == id {
		r.inflight = ""
		if status == "error" && e.stopOnError && !interrupted {
			aborted, r.queue = r.queue, nil
			for _, a := range aborted {
				delete(r.execs, a.hdr.MsgID)
			}
		} else if len(r.queue) > 0 {
			next, r.queue = r.queue[0], r.queue[1:]
			r.inflight = next.hdr.MsgID
		}
	}
	r.mu.Unlock()
	for _, a := range aborted {
		r.answer(a, reply(a, "execute_reply", map[string]any{"status": "aborted"}))
	}
	if next != nil {
		r.sendGonbShell(next.frames(r.sg))
	}
}

// fullSyntaxErrors replaces GoNB's "… (and N more errors)" in an error
// reply's content by every syntax error of the cell. It reports whether it
// changed c.
func fullSyntaxErrors(c map[string]any, code string) []string {
	ev, _ := c["evalue"].(string)
	tb, _ := c["traceback"].([]any)
	joined := ev
	for _, t := range tb {
		s, _ := t.(string)
		joined += "\n" + s
	}
	if !strings.Contains(joined, "more errors)") {
		return nil
	}
	errs := syntaxErrors(code)
	if len(errs) < 2 {
		return nil
	}
	c["evalue"] = strings.Join(errs, "\n")
	tbs := make([]any, 0, len(errs)+1)
	tbs = append(tbs, fmt.Sprintf("%d syntax errors:", len(errs)))
	for _, e := range errs {
		tbs = append(tbs, e)
	}
	c["traceback"] = tbs
	return errs
}

// fromGonbIOPub handles a message GoNB published.
func (r *relay) fromGonbIOPub(frames [][]byte) {
	if len(frames) > 0 && string(frames[0]) == string(r.backID) {
		frames = frames[1:] // the relay's own routing id, as a topic
	}
	m, ok := parse(frames)
	if !ok {
		r.publish(frames)
		return
	}
	pid := m.parentID()
	r.mu.Lock()
	e := r.execs[pid]
	r.mu.Unlock()
	if e == nil {
		r.publish(frames)
		return
	}
	switch m.hdr.MsgType {
	case "stream":
		var c struct {
			Name string `json:"name"`
			Text string `json:"text"`
		}
		_ = json.Unmarshal(m.content, &c)
		if c.Name != "stderr" {
			break
		}
		if exitLine.MatchString(c.Text) {
			f := r.failureOf(e, c.Text)
			r.mu.Lock()
			e.fail = &f
			r.mu.Unlock()
			m.hdr.MsgType = "error"
			var h map[string]any
			_ = json.Unmarshal(m.header, &h)
			h["msg_type"], h["msg_id"] = "error", newID()
			m.header, _ = json.Marshal(h)
			m.content, _ = json.Marshal(map[string]any{"ename": f.Ename, "evalue": f.Evalue, "traceback": f.Traceback})
			r.publish(m.frames(r.sg))
			return
		}
		e.stderr.WriteString(c.Text)
	case "error":
		var c map[string]any
		if json.Unmarshal(m.content, &c) == nil && fullSyntaxErrors(c, e.code) != nil {
			m.content, _ = json.Marshal(c)
			r.publish(m.frames(r.sg))
			return
		}
	case "status":
		var c struct {
			State string `json:"execution_state"`
		}
		_ = json.Unmarshal(m.content, &c)
		if c.State == "idle" {
			r.publish(frames)
			select {
			case <-e.idle: // a second idle for one request: nothing more to wait for
			default:
				close(e.idle)
			}
			return
		}
	}
	r.publish(frames)
}

// failureOf decides the failure of e's program from GoNB's exit line,
// reading GoNB's generated main.go now, while it still holds e's cell.
func (r *relay) failureOf(e *execState, exit string) failure {
	cells := []cellSource{{Label: "cell", Code: e.code}}
	r.mu.Lock()
	for i := len(r.hist.entries) - 1; i >= 0; i-- {
		h := r.hist.entries[i]
		cells = append(cells, cellSource{Label: fmt.Sprintf("In [%d]", h.Line), Code: h.Code})
	}
	r.mu.Unlock()
	files := map[string][]string{}
	lineOf := func(path string, n int) (string, bool) {
		ls, ok := files[path]
		if !ok {
			ls, _ = fileLines(path)
			files[path] = ls
		}
		if n < 1 || n > len(ls) {
			return "", false
		}
		return ls[n-1], true
	}
	return decide(exit, e.stderr.String(), cells, lineOf)
}
