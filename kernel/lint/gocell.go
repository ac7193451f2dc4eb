package lint

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// GoNB cell syntax, as GoNB v0.11 reads it:
//   - a line starting with "%%" or "%main" starts the body of func main: the
//     lines after it are statements;
//   - "%exec NAME" declares a func main that calls NAME;
//   - other lines starting with "%" or "!" are kernel commands or shell
//     commands, continued on the next line when they end in "\";
//   - the prefix "//gonb:" in front of "%" or "!" escapes a command so that
//     gopls sees a comment;
//   - "package" lines are dropped (GoNB writes package main itself);
//   - cells whose first line is %%writefile, %%script, %%bash or %%sh are
//     not Go at all.
const gonbCommentPrefix = "//gonb:"

// nonGoCellCommands are the first-line commands that make a cell non-Go.
var nonGoCellCommands = []string{"%%writefile", "%%script", "%%bash", "%%sh"}

// goCell is a code cell rewritten as a Go file whose line L+1 is cell line L
// (line 1 is "package main").
type goCell struct {
	lines    []string // the cell's lines
	goLines  []string // the rewritten lines, same length as lines (+1 for a closing brace)
	command  []bool   // lines that are GoNB or shell commands
	mainLine int      // 1-based cell line of the %% line that opens main; 0 if none
	src      string   // the Go file: "package main" then goLines
	fset     *token.FileSet
	file     *ast.File
	err      error // parse error, nil when file parsed
}

func trimGonbPrefix(line string) string {
	return strings.TrimPrefix(line, gonbCommentPrefix)
}

// isGoCell reports whether a code cell holds Go (not a %%script or
// %%writefile cell).
func isGoCell(lines []string) bool {
	if len(lines) == 0 {
		return true
	}
	first := strings.Fields(trimGonbPrefix(lines[0]))
	if len(first) == 0 {
		return true
	}
	for _, c := range nonGoCellCommands {
		if first[0] == c {
			return false
		}
	}
	return true
}

// rewriteCell turns GoNB cell lines into Go source lines, one for one.
func rewriteCell(lines []string) (goLines []string, command []bool, mainLine int) {
	goLines = make([]string, len(lines), len(lines)+1)
	command = make([]bool, len(lines))
	continued := false
	for i, line := range lines {
		t := trimGonbPrefix(line)
		switch {
		case continued:
			command[i] = true
			continued = strings.HasSuffix(t, `\`)
		case strings.HasPrefix(t, "%main") || strings.HasPrefix(t, "%%"):
			command[i] = true
			if mainLine == 0 {
				goLines[i] = "func main() {"
				mainLine = i + 1
			}
		case strings.HasPrefix(t, "%exec"):
			command[i] = true
			if f := strings.Fields(t); len(f) > 1 {
				goLines[i] = "func main() { " + f[1] + "() }"
			}
		case len(t) > 1 && (t[0] == '%' || t[0] == '!'):
			command[i] = true
			continued = strings.HasSuffix(t, `\`)
		case strings.HasPrefix(line, "package"):
			command[i] = true
		default:
			goLines[i] = line
		}
	}
	if mainLine > 0 {
		goLines = append(goLines, "}")
	}
	return goLines, command, mainLine
}

// parseGoCell parses the source of a Go cell.
func parseGoCell(source string) *goCell {
	g := &goCell{lines: splitLines(source), fset: token.NewFileSet()}
	g.goLines, g.command, g.mainLine = rewriteCell(g.lines)
	g.src = "package main\n" + strings.Join(g.goLines, "\n") + "\n"
	g.file, g.err = parser.ParseFile(g.fset, "cell.go", g.src, parser.ParseComments|parser.SkipObjectResolution)
	return g
}

// cellLine maps a position in the parsed file to a 1-based cell line.
func (g *goCell) cellLine(p token.Pos) int {
	return g.fset.Position(p).Line - 1
}

// isMain reports whether d is the func main that holds the cell's top-level
// statements (written by the user or made from %%).
func isMain(d ast.Decl) (*ast.FuncDecl, bool) {
	f, ok := d.(*ast.FuncDecl)
	if !ok || f.Recv != nil || f.Name.Name != "main" || f.Body == nil {
		return nil, false
	}
	return f, true
}

// hasCode reports whether the parsed cell declares or runs anything.
func (g *goCell) hasCode() bool {
	for _, d := range g.file.Decls {
		if f, ok := isMain(d); ok && g.mainLine > 0 && g.cellLine(f.Pos()) == g.mainLine {
			if len(f.Body.List) > 0 {
				return true
			}
			continue
		}
		return true
	}
	return false
}

func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// commentLine is one line of comment text at a cell line.
type commentLine struct {
	line int // 1-based cell line
	text string
}

// commentGroups returns the text of each comment group of the cell, line
// by line, without the comment markers. Directives (//go:..., //gonb:...,
// //nolint, //lint:...) are left out.
func (g *goCell) commentGroups() [][]commentLine {
	var groups [][]commentLine
	for _, cg := range g.file.Comments {
		var group []commentLine
		for _, c := range cg.List {
			line := g.cellLine(c.Pos())
			if strings.HasPrefix(c.Text, "//") {
				t := c.Text[2:]
				if isDirective(t) {
					if len(group) > 0 {
						groups = append(groups, group)
						group = nil
					}
					continue
				}
				group = append(group, commentLine{line, strings.TrimPrefix(t, " ")})
				continue
			}
			body := strings.TrimSuffix(strings.TrimPrefix(c.Text, "/*"), "*/")
			for k, t := range strings.Split(body, "\n") {
				group = append(group, commentLine{line + k, strings.TrimPrefix(strings.TrimSpace(t), "* ")})
			}
		}
		if len(group) > 0 {
			groups = append(groups, group)
		}
	}
	return groups
}

func isDirective(t string) bool {
	for _, p := range []string{"go:", "gonb:", "nolint", "lint:", "line "} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// codeRun is a stretch of comment lines that is Go code.
type codeRun struct{ first, last int } // 1-based cell lines, inclusive

// commentedOutCode finds the stretches of a comment group that are Go code
// rather than prose: the longest runs of consecutive comment lines that
// parse as Go (as a GoNB cell, or as statements) and do something (see
// isCodeLike). Prose rarely parses; when it does it is a bare word or
// expression ("TODO: fix", "x-y"), which isCodeLike rejects.
func commentedOutCode(group []commentLine) []codeRun {
	var runs []codeRun
	texts := make([]string, len(group))
	for i, c := range group {
		texts[i] = c.text
	}
	for i := 0; i < len(texts); {
		if strings.TrimSpace(texts[i]) == "" {
			i++
			continue
		}
		found := false
		for j := len(texts); j > i; j-- {
			if strings.TrimSpace(texts[j-1]) == "" {
				continue
			}
			if parsesAsCode(texts[i:j]) {
				runs = append(runs, codeRun{group[i].line, group[j-1].line})
				i, found = j, true
				break
			}
		}
		if !found {
			i++
		}
	}
	return runs
}

// parsesAsCode reports whether lines are Go code: a GoNB cell (declarations,
// %% and statements) or a list of statements.
func parsesAsCode(lines []string) bool {
	goLines, _, _ := rewriteCell(lines)
	fset := token.NewFileSet()
	src := "package main\n" + strings.Join(goLines, "\n") + "\n"
	if f, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution); err == nil && isCodeLike(f) {
		return true
	}
	src = "package main\nfunc _() {\n" + strings.Join(lines, "\n") + "\n}\n"
	f, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution)
	return err == nil && isCodeLike(f)
}

// isCodeLike reports whether a parsed file does something a program would:
// a declaration, an assignment, a call, a control statement. A file made of
// bare identifiers, labels and expressions without calls is prose that
// happened to parse ("TODO: fix", "- item", "return early").
func isCodeLike(f *ast.File) bool {
	code := false
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != "_" && fd.Name.Name != "main" {
			return true // a real declaration
		}
		if fd.Body == nil {
			continue
		}
		for _, s := range fd.Body.List {
			if stmtIsCode(s) {
				code = true
			}
		}
	}
	return code
}

func stmtIsCode(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.ExprStmt:
		_, call := s.X.(*ast.CallExpr)
		return call
	case *ast.LabeledStmt:
		return stmtIsCode(s.Stmt)
	case *ast.ReturnStmt:
		if len(s.Results) == 1 {
			switch s.Results[0].(type) {
			case *ast.Ident, *ast.BasicLit:
				return false // "return early", "return 3"
			}
		}
		return len(s.Results) > 0
	case *ast.AssignStmt:
		// "loss = recon + beta*kl" is how prose writes a formula; a plain
		// "=" between arithmetic on names and numbers is not taken for code.
		// :=, op= and anything with a call or a literal of a type is.
		if s.Tok != token.ASSIGN {
			return true
		}
		for _, e := range append(append([]ast.Expr(nil), s.Lhs...), s.Rhs...) {
			if !isArithmetic(e) {
				return true
			}
		}
		return false
	case *ast.EmptyStmt, *ast.BadStmt:
		return false
	case *ast.BranchStmt:
		return false // "break", "continue" alone read as words
	}
	return true // assignments, declarations, if/for/switch, go, defer, ++, send, blocks
}

// isArithmetic reports whether e uses only names, numbers, operators,
// parentheses and indexing: a formula, as written in prose.
func isArithmetic(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident, *ast.BasicLit:
		return true
	case *ast.BinaryExpr:
		return isArithmetic(e.X) && isArithmetic(e.Y)
	case *ast.UnaryExpr:
		return isArithmetic(e.X)
	case *ast.ParenExpr:
		return isArithmetic(e.X)
	case *ast.IndexExpr:
		return isArithmetic(e.X) && isArithmetic(e.Index)
	case *ast.StarExpr:
		return isArithmetic(e.X)
	}
	return false
}
