package relay

import (
	"encoding/json"
	"os"
	"os/exec"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestIsComplete(t *testing.T) {
	for _, tc := range []struct {
		code, status, indent string
	}{
		{"import \"fmt\"", "complete", ""},
		{"func f() int { return 1 }", "complete", ""},
		{"func main() {\n\tfmt.Println(1)\n}", "complete", ""},
		{"%%\nfmt.Println(1)", "complete", ""},
		{"x := 3\nfmt.Println(x)", "complete", ""}, // statements alone
		{"type T struct{}\n%%\nvar t T\n_ = t", "complete", ""},
		{"%reset\n!ls -l", "complete", ""},
		{"!echo a \\", "incomplete", ""},
		{"func f() {", "incomplete", "\t"},
		{"%%\nfor i := 0; i < 3; i++ {\n\tif i > 1 {", "incomplete", "\t\t"},
		{"fmt.Println(1,", "incomplete", "\t"},
		{"s := `raw\nstring", "incomplete", ""},
		{"x := 1 +", "incomplete", ""},
		{"/* open comment", "incomplete", ""},
		{"func f() { return 1 }}", "invalid", ""},
		{"x := := 3", "invalid", ""},
		{"func (", "incomplete", "\t"},
		{"%%\nx := )", "invalid", ""},
	} {
		status, indent := IsComplete(tc.code)
		if status != tc.status || indent != tc.indent {
			t.Errorf("IsComplete(%q) = %q, %q; want %q, %q", tc.code, status, indent, tc.status, tc.indent)
		}
	}
}

// A panic's stderr as Go 1.26 prints it, with GoNB's main.go frames.
var panicStderr = strings.ReplaceAll(`panic: runtime error: index out of range [5] with length 3

goroutine 1 [running]:
main.main()
	 \x1b[7m[[ Cell [2] Line 3 ]]\x1b[0m /tmp/gonb_1a2b3c/main.go:12 +0x1d
exit status 2
`, `\x1b`, "\x1b") // GoNB's marker is in reverse video

func TestDecidePanicMapsFramesToCellLines(t *testing.T) {
	main := map[int]string{12: "\tfmt.Println(s[5])", 30: "\tmain_cell()"}
	lineOf := func(path string, n int) (string, bool) {
		if path != "/tmp/gonb_1a2b3c/main.go" {
			t.Errorf("read %s, want GoNB's main.go", path)
		}
		l, ok := main[n]
		return l, ok
	}
	cell := "%%\ns := []int{1, 2, 3}\nfmt.Println(s[5])"
	f := decide("exit status 2\n", strings.TrimSuffix(panicStderr, "exit status 2\n"), []cellSource{{"cell", cell}}, lineOf)
	want := failure{Ename: "panic", Evalue: "runtime error: index out of range [5] with length 3",
		Traceback: []string{"panic: runtime error: index out of range [5] with length 3", "    cell line 3: fmt.Println(s[5])"}}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("decide = %#v\nwant %#v", f, want)
	}
}

func TestDecideFrameNotInCellIsLeftOut(t *testing.T) {
	lineOf := func(string, int) (string, bool) { return "\tflag.Parse()", true } // GoNB's wrapper
	f := decide("exit status 2\n", panicStderr, []cellSource{{"cell", "%%\npanic(\"x\")"}}, lineOf)
	if len(f.Traceback) != 1 || !strings.HasPrefix(f.Traceback[0], "panic: ") {
		t.Errorf("traceback = %q, want only the panic line", f.Traceback)
	}
}

func TestDecideExitAndLogFatal(t *testing.T) {
	none := func(string, int) (string, bool) { return "", false }
	f := decide("exit status 3\n", "", nil, none)
	if f.Ename != "exit status 3" || f.Evalue != "exit status 3" || !reflect.DeepEqual(f.Traceback, []string{"exit status 3"}) {
		t.Errorf("os.Exit(3): %#v", f)
	}
	f = decide("exit status 1\n", "2026/12/01 18:00:00 cannot open data.csv\n", nil, none)
	if f.Ename != "exit status 1" || f.Evalue != "2026/12/01 18:00:00 cannot open data.csv" {
		t.Errorf("log.Fatal: %#v", f)
	}
	f = decide("^C\nsignal: interrupt\n", "", nil, none)
	if !f.Interrupted || f.Ename != "interrupted" {
		t.Errorf("interrupt: %#v", f)
	}
	for _, s := range []string{"exit status 2\n", "^C\nexit status 1\n", "signal: killed\n"} {
		if !exitLine.MatchString(s) {
			t.Errorf("exitLine does not match %q", s)
		}
	}
	for _, s := range []string{"exit status 2", "my exit status 2\n", "exit status 2\nmore\n"} {
		if exitLine.MatchString(s) {
			t.Errorf("exitLine matches %q", s)
		}
	}
}

func TestSyntaxErrorsListsAll(t *testing.T) {
	got := syntaxErrors("%%\nx := := 1\nfmt.Println(x)\ny := )\n")
	if len(got) < 2 {
		t.Fatalf("syntaxErrors = %q, want both errors", got)
	}
	if !strings.HasPrefix(got[0], "cell line 2:") || !strings.HasPrefix(got[len(got)-1], "cell line 4:") {
		t.Errorf("syntaxErrors = %q, want errors on cell lines 2 and 4", got)
	}
}

func TestHistory(t *testing.T) {
	var h history
	h.add(1, "%%\nfmt.Println(1)")
	h.add(2, "func f() {}")
	h.add(3, "%%\nfmt.Println(1)")
	n := 2
	tail := h.answer(historyRequest{Access: "tail", N: &n})
	if !reflect.DeepEqual(tail, []any{[]any{1, 2, "func f() {}"}, []any{1, 3, "%%\nfmt.Println(1)"}}) {
		t.Errorf("tail 2 = %#v", tail)
	}
	if r := h.answer(historyRequest{Access: "range", Session: 1, Start: 2, Stop: 3}); len(r) != 1 {
		t.Errorf("range [2,3) = %#v", r)
	}
	if r := h.answer(historyRequest{Access: "search", Pattern: "*Println*", Unique: true}); len(r) != 1 {
		t.Errorf("unique search = %#v", r)
	}
	out := h.answer(historyRequest{Access: "tail", N: &n, Output: true})
	if e := out[0].([]any)[2].([]any); e[0] != "func f() {}" || e[1] != nil {
		t.Errorf("output=true entry = %#v", e)
	}
}

func TestSignRoundTrip(t *testing.T) {
	s, err := newSigner("hmac-sha256", "secret")
	if err != nil {
		t.Fatal(err)
	}
	req := &message{header: []byte(`{"msg_id":"a","msg_type":"is_complete_request","session":"s","username":"u"}`), parent: []byte("{}"), metadata: []byte("{}"), content: []byte(`{"code":"x"}`), ids: [][]byte{[]byte("client")}}
	frames := req.frames(s)
	m, ok := parse(frames)
	if !ok || !s.verify(m) || m.hdr.MsgType != "is_complete_request" || string(m.ids[0]) != "client" {
		t.Fatalf("parse/verify of a signed message failed: %v %#v", ok, m)
	}
	m.content = []byte(`{"code":"y"}`)
	if s.verify(m) {
		t.Error("a changed message still verifies")
	}
	r := reply(m, "is_complete_reply", map[string]string{"status": "complete"})
	if rm, ok := parse(r.frames(s)); !ok || !s.verify(rm) || rm.parentID() != "a" {
		t.Errorf("reply does not verify or lost its parent")
	}
	if _, err := newSigner("hmac-md5", "k"); err == nil {
		t.Error("an unsupported scheme was accepted")
	}
}

func TestFixKernelInfoAndErrorReply(t *testing.T) {
	r := &relay{}
	m := &message{hdr: header{MsgType: "kernel_info_reply"},
		content: []byte(`{"status":"ok","language_info":{"name":"go","pygments_lexer":"","codemirror_mode":""}}`)}
	r.fixKernelInfo(m)
	var c struct {
		LanguageInfo map[string]string `json:"language_info"`
	}
	json.Unmarshal(m.content, &c)
	if c.LanguageInfo["pygments_lexer"] != "go" || c.LanguageInfo["codemirror_mode"] != "go" || c.LanguageInfo["name"] != "go" {
		t.Errorf("language_info = %v", c.LanguageInfo)
	}

	// GoNB's complete_reply when gopls times out: status error and nothing else.
	m = &message{hdr: header{MsgType: "complete_reply"}, content: []byte(`{"status":"error","matches":[],"cursor_start":3,"cursor_end":3,"metadata":{}}`)}
	if !r.fixErrorReply(m) {
		t.Fatal("an error reply without ename was left alone")
	}
	var e map[string]any
	json.Unmarshal(m.content, &e)
	for _, k := range []string{"ename", "evalue", "traceback"} {
		if _, ok := e[k]; !ok {
			t.Errorf("fixed reply lacks %s: %s", k, m.content)
		}
	}
	ok := &message{hdr: header{MsgType: "complete_reply"}, content: []byte(`{"status":"ok","matches":["Println"]}`)}
	if r.fixErrorReply(ok) {
		t.Error("an ok reply was changed")
	}
}

func TestKillDescendants(t *testing.T) {
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	if !slices.Contains(descendants(os.Getpid()), cmd.Process.Pid) {
		t.Fatalf("descendants of the test do not include its child %d", cmd.Process.Pid)
	}
	killDescendants()
	if slices.Contains(descendants(os.Getpid()), cmd.Process.Pid) {
		t.Error("the child survived killDescendants")
	}
}

// GoNB exiting before the relay reaches it (a port taken between choosing
// and binding it) is retried on new ports, startAttempts times, then
// reported in one line.
func TestRunRetriesGonbThatExitsAtStart(t *testing.T) {
	dir := t.TempDir()
	ports, err := freePorts(5)
	if err != nil {
		t.Fatal(err)
	}
	conn := Connection{Transport: "tcp", IP: "127.0.0.1", ShellPort: ports[0], ControlPort: ports[1], StdinPort: ports[2],
		IOPubPort: ports[3], HBPort: ports[4], Key: "k", SignatureScheme: "hmac-sha256"}
	data, _ := json.Marshal(conn)
	connFile := dir + "/kernel-0f3e.json"
	os.WriteFile(connFile, data, 0o600)
	count := dir + "/starts"
	fake := dir + "/gonb"
	// A stand-in for GoNB that records its connection file's name and exits.
	os.WriteFile(fake, []byte("#!/bin/sh\nbasename \"$2\" >> "+count+"\nexit 7\n"), 0o755)
	var log strings.Builder
	code, err := Run(Config{ConnectionFile: connFile, Gonb: fake, Log: &log})
	if code == 0 || err == nil || !strings.Contains(err.Error(), "3 times") {
		t.Errorf("Run = %d, %v; want a failure after 3 starts", code, err)
	}
	starts, _ := os.ReadFile(count)
	if got := strings.Fields(string(starts)); len(got) != startAttempts || got[0] != "kernel-0f3e.json" {
		t.Errorf("gonb started with %q, want %d starts with the connection file's basename", got, startAttempts)
	}
}
