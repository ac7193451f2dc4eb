package relay

import (
	"fmt"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// syntaxErrors lists the syntax errors of a cell, one per broken line,
// each as "cell line L:C: message". GoNB parses without parser.AllErrors and reports the
// first error followed by "(and N more errors)"; the relay reparses the
// cell the way GoNB reads it (declarations; a "%%" line opens the body of
// main; special command lines are blanked) to show them all.
func syntaxErrors(code string) []string {
	lines := strings.Split(code, "\n")
	split := false
	for i, l := range lines {
		t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "//gonb:"))
		switch {
		case !split && (t == "%%" || strings.HasPrefix(t, "%% ")):
			lines[i] = "func main() {"
			split = true
		case strings.HasPrefix(t, "%") || strings.HasPrefix(t, "!"):
			lines[i] = ""
		}
	}
	// go/parser's recovery after an error cascades into errors that are
	// not the user's, so each round keeps the first error only, blanks the
	// line it is on and parses again. An error at the end of the cell after
	// the first is a consequence of blanking, not a new one.
	var out []string
	for range 50 {
		src := "package main\n" + strings.Join(lines, "\n")
		if split {
			src += "\n}"
		}
		_, err := parser.ParseFile(token.NewFileSet(), "cell.go", src, parser.SkipObjectResolution)
		list, ok := err.(scanner.ErrorList)
		if !ok || len(list) == 0 {
			break
		}
		e := list[0]
		line := e.Pos.Line - 1 // the "package main" line added above
		if line < 1 || line > len(lines) || (len(out) > 0 && strings.Contains(e.Msg, "EOF")) {
			break
		}
		out = append(out, fmt.Sprintf("cell line %d:%d: %s", line, e.Pos.Column, e.Msg))
		lines[line-1] = ""
	}
	return out
}
