package relay

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// exitLine matches the one stderr stream message GoNB publishes when a
// cell's program fails: Go's (*exec.ExitError).Error() and a newline,
// prefixed by "^C\n" when the kernel was interrupted.
var exitLine = regexp.MustCompile(`^(\^C\n)?(exit status -?\d+|signal: [a-z ]+)\n$`)

// frameLine matches the file:line line of a goroutine stack frame. GoNB
// may put its own "[[ Cell [2] Line 4 ]]" marker (with terminal colours)
// before the path.
var frameLine = regexp.MustCompile(`^\t.*?(\S+\.go):(\d+)(?: \+0x[0-9a-f]+)?$`)

// failure is what an iopub error message and an execute_reply with status
// error carry.
type failure struct {
	Ename       string
	Evalue      string
	Traceback   []string
	Interrupted bool
}

// cellSource is a cell the session executed, for mapping stack frames back
// to the user's code.
type cellSource struct {
	Label string // "cell" for the failing cell, "In [N]" for earlier ones
	Code  string
}

// decide builds the failure for GoNB's exit line status, given the
// program's own stderr and the cells to search (the failing cell first).
// lineOf returns line n (1-based) of a file; it reads GoNB's generated
// main.go.
func decide(status, stderr string, cells []cellSource, lineOf func(path string, n int) (string, bool)) failure {
	m := exitLine.FindStringSubmatch(status)
	st := strings.TrimSpace(status)
	if m != nil {
		st = m[2]
	}
	f := failure{Ename: st, Evalue: st, Interrupted: m != nil && m[1] != ""}
	if f.Interrupted {
		f.Ename = "interrupted"
		f.Traceback = []string{"interrupted (" + st + ")"}
		return f
	}
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	head := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			head = i
			break
		}
	}
	if head < 0 {
		// No panic: os.Exit, log.Fatal… The last line the program wrote to
		// stderr is the best one-line reason (log.Fatal's message).
		for i := len(lines) - 1; i >= 0; i-- {
			if l := strings.TrimSpace(lines[i]); l != "" {
				f.Evalue = l
				f.Traceback = []string{l}
				break
			}
		}
		f.Traceback = append(f.Traceback, st)
		return f
	}
	kind, msg, _ := strings.Cut(lines[head], ": ")
	f.Ename = kind // "panic" or "fatal error"
	f.Evalue = strings.TrimSuffix(msg, " [recovered]")
	f.Traceback = []string{lines[head]}
	// Frames of the first goroutine after the panic line: the one that
	// panicked. Only frames in GoNB's generated main.go that can be found
	// in the user's cells are shown; the wrapper GoNB adds never is.
	inGoroutine := false
	for _, l := range lines[head+1:] {
		if strings.HasPrefix(l, "goroutine ") {
			if inGoroutine {
				break
			}
			inGoroutine = true
			continue
		}
		if !inGoroutine {
			continue
		}
		fm := frameLine.FindStringSubmatch(l)
		if fm == nil || !isGonbMain(fm[1]) {
			continue
		}
		n, _ := strconv.Atoi(fm[2])
		src, ok := lineOf(fm[1], n)
		if !ok {
			continue
		}
		if at, ok := findLine(cells, src); ok {
			f.Traceback = append(f.Traceback, "    "+at)
		}
	}
	return f
}

// isGonbMain reports whether path is the main.go GoNB writes into its
// temporary directory (gonb_XXXX).
func isGonbMain(path string) bool {
	return filepath.Base(path) == "main.go" && strings.HasPrefix(filepath.Base(filepath.Dir(path)), "gonb_")
}

// findLine finds the trimmed source line in the cells and says where:
// "cell line 3: x := s[5]" or "In [2] line 4: …".
func findLine(cells []cellSource, src string) (string, bool) {
	src = strings.TrimSpace(src)
	if src == "" || src == "{" || src == "}" || src == ")" {
		return "", false
	}
	for _, c := range cells {
		for i, l := range strings.Split(c.Code, "\n") {
			if strings.TrimSpace(l) == src {
				return c.Label + " line " + strconv.Itoa(i+1) + ": " + src, true
			}
		}
	}
	return "", false
}

// fileLines reads a file's lines, for lineOf.
func fileLines(path string) ([]string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	var out []string
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out, sc.Err()
}
