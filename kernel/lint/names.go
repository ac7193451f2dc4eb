package lint

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strings"
)

// checkNames flags meaningless names declared at cell top level: the
// package-level declarations of the cell and the variables of its %% body
// (the top-level statements of func main). Those names live for the rest
// of the notebook. Names inside functions, loops and blocks are not checked.
func (l *linter) checkNames() {
	for i, g := range l.goCells {
		if g == nil || g.err != nil {
			continue
		}
		seen := map[string]bool{}
		check := func(id *ast.Ident, what string) {
			if id == nil || seen[id.Name] {
				return
			}
			seen[id.Name] = true
			why, suggestion := badName(id.Name)
			if why == "" {
				return
			}
			l.add(RuleBadName, i+1, g.cellLine(id.Pos()), 0,
				fmt.Sprintf("%s %q %s", what, id.Name, why),
				suggestion)
		}
		for _, d := range g.file.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if f, ok := isMain(d); ok {
					for _, s := range f.Body.List {
						topLevelNames(s, check)
					}
					continue
				}
				what := "function"
				if d.Recv != nil {
					what = "method"
				}
				check(d.Name, what)
			case *ast.GenDecl:
				genDeclNames(d, check)
			}
		}
	}
}

// topLevelNames reports the names a statement of the %% body declares.
func topLevelNames(s ast.Stmt, check func(*ast.Ident, string)) {
	switch s := s.(type) {
	case *ast.AssignStmt:
		if s.Tok != token.DEFINE {
			return
		}
		for _, e := range s.Lhs {
			if id, ok := e.(*ast.Ident); ok {
				check(id, "variable")
			}
		}
	case *ast.DeclStmt:
		if gd, ok := s.Decl.(*ast.GenDecl); ok {
			genDeclNames(gd, check)
		}
	case *ast.LabeledStmt:
		topLevelNames(s.Stmt, check)
	}
}

func genDeclNames(d *ast.GenDecl, check func(*ast.Ident, string)) {
	for _, spec := range d.Specs {
		switch spec := spec.(type) {
		case *ast.ValueSpec:
			what := "variable"
			if d.Tok == token.CONST {
				what = "constant"
			}
			for _, id := range spec.Names {
				check(id, what)
			}
		case *ast.TypeSpec:
			check(spec.Name, "type")
		}
	}
}

// badName says why name is meaningless ("" when it is fine) and how to fix it.
func badName(name string) (why, hint string) {
	const renameHint = "name it after what it holds or does (flaggedCells, topicWords, loadCorpus); names at cell top level live for the rest of the notebook"
	if name == "_" || name == "main" {
		return "", ""
	}
	if slices.Contains(genericAlone, strings.ToLower(name)) {
		return "is a placeholder name", renameHint
	}
	stem := strings.TrimRight(name, "0123456789")
	if stem != name && stem != "" && slices.Contains(genericStems, strings.ToLower(stem)) {
		return "is a generic word with a number", renameHint
	}
	if len(name) <= 2 && !slices.Contains(AllowedShortNames, name) {
		return "is too short to say what it holds", renameHint + "; short names are fine inside functions and loops, and " +
			strings.Join(AllowedShortNames, ", ") + " are allowed everywhere (see lint.AllowedShortNames)"
	}
	return "", ""
}
