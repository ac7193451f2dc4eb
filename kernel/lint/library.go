package lint

import (
	"fmt"
	"go/ast"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// The rules of the clean-notebooks tip "functions belong in a library":
// short code cells, short lines, and no function that two notebooks of one
// directory both define (each notebook's own repeated blocks are
// duplicate-block's job).

const libraryHint = "move setup into the stdlib: see CONTRIBUTING.md"

// checkLength flags code cells over MaxCellLines lines and code lines over
// MaxLineLength columns.
func (l *linter) checkLength() {
	for i, c := range l.nb.Cells {
		if c.CellType != "code" {
			continue
		}
		lines := splitLines(string(c.Source))
		if n := len(lines); n > l.cfg.MaxCellLines {
			l.add(RuleLongCell, i+1, 0, 0,
				fmt.Sprintf("code cell has %d lines, over %d", n, l.cfg.MaxCellLines),
				libraryHint+" (a function the notebook needs goes into a stdlib package; a long cell splits into steps, each with its Markdown)")
		}
		for k, line := range lines {
			if w := columns(line); w > l.cfg.MaxLineLength {
				l.add(RuleLongLine, i+1, k+1, 0,
					fmt.Sprintf("line is %d columns, over %d", w, l.cfg.MaxLineLength),
					"break it: one argument or field per line, or name a sub-expression; a long literal belongs in the stdlib or a data file")
			}
		}
	}
}

// columns is the width of line as shown, a tab counting TabWidth.
func columns(line string) int {
	return utf8.RuneCountInString(line) + (TabWidth-1)*strings.Count(line, "\t")
}

// funcDef is one top-level function or method of a notebook.
type funcDef struct {
	name       string // "f" or "T.m"
	cell, line int
}

// funcDefs lists the notebook's top-level functions and methods (not main
// and init, which every program may have).
func (l *linter) funcDefs() []funcDef {
	var out []funcDef
	for i, g := range l.goCells {
		if g == nil || g.err != nil {
			continue
		}
		for _, d := range g.file.Decls {
			f, ok := d.(*ast.FuncDecl)
			if !ok || f.Name.Name == "_" || (f.Recv == nil && (f.Name.Name == "main" || f.Name.Name == "init")) {
				continue
			}
			name := f.Name.Name
			if f.Recv != nil && len(f.Recv.List) == 1 {
				name = receiverType(f.Recv.List[0].Type) + "." + name
			}
			out = append(out, funcDef{name, i + 1, g.cellLine(f.Pos())})
		}
	}
	return out
}

func receiverType(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return receiverType(t.X)
	case *ast.IndexExpr: // generic receiver T[P]
		return receiverType(t.X)
	case *ast.IndexListExpr:
		return receiverType(t.X)
	case *ast.Ident:
		return t.Name
	}
	return "?"
}

// checkShared adds a shared-function finding to every notebook that
// defines a function another notebook of the same directory defines too.
func checkShared(results []*Result) {
	type def struct {
		res *Result
		f   funcDef
	}
	byKey := map[string][]def{} // dir + "\x00" + name
	for _, r := range results {
		dir := filepath.Dir(r.Path)
		seen := map[string]bool{}
		for _, f := range r.funcs {
			if seen[f.name] {
				continue // defined twice in one notebook: the compiler's business
			}
			seen[f.name] = true
			k := dir + "\x00" + f.name
			byKey[k] = append(byKey[k], def{r, f})
		}
	}
	touched := map[*Result]bool{}
	for _, defs := range byKey {
		if len(defs) < 2 {
			continue
		}
		for _, d := range defs {
			var others []string
			for _, o := range defs {
				if o.res != d.res {
					others = append(others, filepath.Base(o.res.Path))
				}
			}
			sort.Strings(others)
			d.res.add(Finding{
				Rule: RuleSharedFunction, Severity: Error, Path: d.res.Path, Cell: d.f.cell, Line: d.f.line,
				CellID:  d.res.cellIDs[d.f.cell-1],
				Message: fmt.Sprintf("func %s is also defined in %s", d.f.name, strings.Join(others, ", ")),
				Hint:    libraryHint + " (put it in a stdlib package both notebooks import, e.g. notebook.Must/OK, notebook.Cached, chart.Track)",
			})
			touched[d.res] = true
		}
	}
	for r := range touched {
		r.sort()
	}
}
