package lint

import (
	"fmt"
	"go/ast"
	"go/scanner"
	"go/token"
	"strings"
)

// Duplicate blocks: each Go line is reduced to its tokens, with literals
// replaced by their kind ("INT", "STRING") so that lines differing only in
// a number or a label count as similar, and := counted as =, since a pasted
// block often re-assigns what the original declared. Lines that carry no step of their
// own are left out before comparing: comments, blank lines, brackets-only
// lines, import declarations, the %% line, and error-check boilerplate
// (if err != nil, and panic/log/return/must lines mentioning err). A
// finding is MinDuplicateLines or more remaining lines in a row that
// already appeared, in the same order, earlier in the notebook.

type sigLine struct {
	line int    // 1-based cell line
	norm string // normalised tokens
}

func (g *goCell) significantLines() []sigLine {
	byLine := map[int][]string{}
	skip := map[int]bool{}
	for k, c := range g.command {
		if c {
			skip[k+1] = true
		}
	}
	for _, d := range g.file.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			for l := g.cellLine(gd.Pos()); l <= g.cellLine(gd.End()); l++ {
				skip[l] = true
			}
		}
	}
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(g.src))
	var s scanner.Scanner
	s.Init(file, []byte(g.src), nil, 0)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue // automatic semicolon
		}
		line := file.Line(pos) - 1
		text := tok.String()
		switch {
		case tok == token.IDENT:
			text = lit
		case tok.IsLiteral():
			text = tok.String()
		case tok == token.DEFINE:
			text = "=" // a pasted block often turns := into = (or back)
		}
		byLine[line] = append(byLine[line], text)
	}
	var out []sigLine
	for line := 1; line <= len(g.lines); line++ {
		toks := byLine[line]
		if skip[line] || len(toks) == 0 || bracketsOnly(toks) || errBoilerplate(toks) {
			continue
		}
		out = append(out, sigLine{line, strings.Join(toks, " ")})
	}
	return out
}

func bracketsOnly(toks []string) bool {
	for _, t := range toks {
		switch t {
		case "{", "}", "(", ")", "[", "]", ",", ";":
		default:
			return false
		}
	}
	return true
}

func errBoilerplate(toks []string) bool {
	if len(toks) >= 4 && toks[0] == "if" && toks[1] == "err" && toks[2] == "!=" && toks[3] == "nil" {
		return true
	}
	mentionsErr := false
	for _, t := range toks {
		if t == "err" {
			mentionsErr = true
		}
	}
	switch toks[0] {
	case "panic", "log", "return", "must", "t", "b", "fmt":
		return mentionsErr && len(toks) <= 12
	}
	return false
}

func (l *linter) checkDuplicates() {
	n := l.cfg.MinDuplicateLines
	type where struct{ cell, idx int }
	first := map[string]where{}
	sig := make([][]sigLine, len(l.goCells))
	for i, g := range l.goCells {
		if g != nil && g.err == nil {
			sig[i] = g.significantLines()
		}
	}
	for i, lines := range sig {
		// dupOf[idx] is where the window starting at idx appeared first.
		dupOf := map[int]where{}
		for idx := 0; idx+n <= len(lines); idx++ {
			var key strings.Builder
			for _, s := range lines[idx : idx+n] {
				key.WriteString(s.norm)
				key.WriteByte('\n')
			}
			k := key.String()
			w, seen := first[k]
			switch {
			case !seen:
				first[k] = where{i, idx}
			case w.cell != i || idx >= w.idx+n:
				dupOf[idx] = w
			}
		}
		for idx := 0; idx+n <= len(lines); idx++ {
			w, ok := dupOf[idx]
			if !ok {
				continue
			}
			end := idx // last window of this run
			for {
				next, ok := dupOf[end+1]
				if !ok || next.cell != w.cell || next.idx != w.idx+(end+1-idx) {
					break
				}
				end++
			}
			orig := sig[w.cell]
			fromLine, toLine := lines[idx].line, lines[end+n-1].line
			origFrom, origTo := orig[w.idx].line, orig[w.idx+end-idx+n-1].line
			where := fmt.Sprintf("cell %d lines %d-%d", w.cell+1, origFrom, origTo)
			if w.cell == i {
				where = fmt.Sprintf("lines %d-%d of this cell", origFrom, origTo)
			}
			l.add(RuleDuplicateBlock, i+1, fromLine, toLine,
				fmt.Sprintf("lines %d-%d repeat %s (%d similar lines)", fromLine, toLine, where, end-idx+n),
				"move the shared steps into a function in an earlier cell (or the stdlib) and call it with what differs as parameters")
			idx = end + n - 1
		}
	}
}
