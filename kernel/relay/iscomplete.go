package relay

import (
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// IsComplete answers an is_complete_request for a GoNB cell: "complete",
// "incomplete" (with the indent for the next line: one tab per open
// bracket) or "invalid".
//
// A cell is Go declarations (imports, types, funcs, `func main`), or
// declarations, a line "%%" and statements (the body of main), or
// statements; lines starting with % or ! are GoNB's special commands and
// are not Go (a trailing backslash continues them, so it is incomplete).
// The cell is complete when go/parser accepts one of those readings. It is
// incomplete when it ends inside a bracket, a raw string or a comment, or
// after an operator or comma; otherwise it is invalid.
func IsComplete(code string) (status, indent string) {
	lines := strings.Split(code, "\n")
	var decls, stmts []string
	split := false
	for _, l := range lines {
		t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "//gonb:"))
		switch {
		case t == "%%" || strings.HasPrefix(t, "%% "):
			split = true
			decls = append(decls, "")
			continue
		case strings.HasPrefix(t, "%") || strings.HasPrefix(t, "!"):
			l = ""
		}
		if split {
			stmts = append(stmts, l)
		} else {
			decls = append(decls, l)
		}
	}
	last := strings.TrimSpace(lines[len(lines)-1])
	if (strings.HasPrefix(last, "%") || strings.HasPrefix(last, "!")) && strings.HasSuffix(last, `\`) {
		return "incomplete", ""
	}
	d, s := strings.Join(decls, "\n"), strings.Join(stmts, "\n")
	if split {
		if parsesAsFile(d) && parsesAsStmts(s) {
			return "complete", ""
		}
	} else if parsesAsFile(d) || parsesAsStmts(d) {
		return "complete", ""
	}
	all := d + "\n" + s
	if depth, open := openAt(all); open || depth > 0 {
		if depth < 0 {
			depth = 0
		}
		return "incomplete", strings.Repeat("\t", depth)
	} else if depth < 0 {
		return "invalid", ""
	}
	return "invalid", ""
}

func parsesAsFile(src string) bool {
	_, err := parser.ParseFile(token.NewFileSet(), "cell.go", "package main\n"+src, parser.SkipObjectResolution)
	return err == nil
}

func parsesAsStmts(src string) bool {
	_, err := parser.ParseFile(token.NewFileSet(), "cell.go", "package main\nfunc _() {\n"+src+"\n}", parser.SkipObjectResolution)
	return err == nil
}

// openAt scans src and returns the bracket depth at its end, and whether
// it ends inside a raw string or comment, or right after a token that
// needs an operand (a binary operator, a comma, an assignment, a dot).
func openAt(src string) (depth int, open bool) {
	fset := token.NewFileSet()
	file := fset.AddFile("cell.go", -1, len(src))
	var s scanner.Scanner
	unterminated := false
	s.Init(file, []byte(src), func(_ token.Position, msg string) {
		if strings.Contains(msg, "not terminated") {
			unterminated = true
		}
	}, scanner.ScanComments)
	lastTok := token.ILLEGAL
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.LBRACE, token.LPAREN, token.LBRACK:
			depth++
		case token.RBRACE, token.RPAREN, token.RBRACK:
			depth--
		case token.COMMENT:
			continue
		case token.SEMICOLON:
			if lit == "\n" {
				continue // an automatic semicolon says nothing
			}
		}
		lastTok = tok
	}
	if unterminated {
		return depth, true
	}
	switch {
	case lastTok.IsOperator() && lastTok != token.RPAREN && lastTok != token.RBRACK && lastTok != token.RBRACE &&
		lastTok != token.INC && lastTok != token.DEC && lastTok != token.SEMICOLON && lastTok != token.ELLIPSIS:
		return depth, true
	}
	return depth, false
}
