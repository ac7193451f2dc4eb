package lint

import (
	"fmt"
	"go/ast"
	"strings"
)

// Mixed purpose (a heuristic): a notebook "exports prepared data" when it
// writes files by hand (os.WriteFile, os.Create, os.OpenFile,
// ioutil.WriteFile, csv.NewWriter, a %%writefile cell) and "trains a model"
// when it calls a function or method whose name starts with Fit or Train
// (cfg.Fit, FitAutoencoder, FitTransform). Doing both means preparation and
// modelling share a notebook: move the preparation into its own notebook or
// a stdlib function. Caching a model with its Save/Load or GoNB's cache
// package is not an export.
var exportCalls = map[string][]string{
	"os":     {"WriteFile", "Create", "OpenFile"},
	"ioutil": {"WriteFile"},
	"csv":    {"NewWriter"},
}

func (l *linter) checkMixedPurpose() {
	exportCell, trainCell := 0, 0
	var exportWhat, trainWhat string
	for i, c := range l.nb.Cells {
		if c.CellType != "code" {
			continue
		}
		if exportCell == 0 && !isGoCell(splitLines(string(c.Source))) &&
			strings.HasPrefix(strings.TrimSpace(trimGonbPrefix(string(c.Source))), "%%writefile") {
			exportCell, exportWhat = i+1, "%%writefile"
		}
		g := l.goCells[i]
		if g == nil || g.err != nil {
			continue
		}
		ast.Inspect(g.file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			pkg, name := callName(call)
			if exportCell == 0 {
				for _, fn := range exportCalls[pkg] {
					if fn == name {
						exportCell, exportWhat = i+1, pkg+"."+name
					}
				}
			}
			if trainCell == 0 && (strings.HasPrefix(name, "Fit") || strings.HasPrefix(name, "Train")) {
				trainCell, trainWhat = i+1, name
				if pkg != "" {
					trainWhat = pkg + "." + name
				}
			}
			return true
		})
	}
	if exportCell > 0 && trainCell > 0 {
		l.add(RuleMixedPurpose, exportCell, 0, 0,
			fmt.Sprintf("notebook both exports data (cell %d: %s) and trains a model (cell %d: %s)", exportCell, exportWhat, trainCell, trainWhat),
			"put data preparation in its own notebook or a stdlib function and load its result here; cache models with Save/Load or GoNB's cache package")
	}
}

// callName returns the qualifier (package or receiver expression when it is
// a plain identifier) and the name of the called function.
func callName(call *ast.CallExpr) (qual, name string) {
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		return "", fn.Name
	case *ast.SelectorExpr:
		if x, ok := fn.X.(*ast.Ident); ok {
			return x.Name, fn.Sel.Name
		}
		return "", fn.Sel.Name
	}
	return "", ""
}
