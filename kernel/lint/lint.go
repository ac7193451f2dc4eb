package lint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/scanner"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gonbml/gonbml/stdlib/echarts"
)

// Config tunes the thresholds of the rules. The zero value is valid.
type Config struct {
	// MinDuplicateLines is how many similar significant lines in a row make
	// a duplicate-block finding. Default 5.
	MinDuplicateLines int
	// MaxOutputBytes is the limit on the total size of a notebook's saved
	// outputs, as stored in the .ipynb. Default 5 MiB.
	MaxOutputBytes int64
	// MaxCellLines is the most lines a code cell may have (long-cell).
	// Default 40: a screenful, as CONTRIBUTING.md asks.
	MaxCellLines int
	// MaxLineLength is the most columns a code line may take (long-line),
	// a tab counting TabWidth. Default 100.
	MaxLineLength int
}

const (
	defaultMinDuplicateLines = 5
	defaultMaxOutputBytes    = 5 << 20
	defaultMaxCellLines      = 40
	defaultMaxLineLength     = 100
	// TabWidth is the columns a tab counts for in long-line: what Jupyter
	// shows.
	TabWidth = 4
)

// Validate reports a negative or too small threshold.
func (c Config) Validate() error {
	if c.MinDuplicateLines < 0 || c.MinDuplicateLines == 1 {
		return fmt.Errorf("lint: Config.MinDuplicateLines is %d, want 0 (default %d) or at least 2", c.MinDuplicateLines, defaultMinDuplicateLines)
	}
	if c.MaxOutputBytes < 0 {
		return fmt.Errorf("lint: Config.MaxOutputBytes is %d, want 0 (default %d) or more", c.MaxOutputBytes, defaultMaxOutputBytes)
	}
	if c.MaxCellLines < 0 {
		return fmt.Errorf("lint: Config.MaxCellLines is %d, want 0 (default %d) or more", c.MaxCellLines, defaultMaxCellLines)
	}
	if c.MaxLineLength < 0 {
		return fmt.Errorf("lint: Config.MaxLineLength is %d, want 0 (default %d) or more", c.MaxLineLength, defaultMaxLineLength)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.MinDuplicateLines == 0 {
		c.MinDuplicateLines = defaultMinDuplicateLines
	}
	if c.MaxOutputBytes == 0 {
		c.MaxOutputBytes = defaultMaxOutputBytes
	}
	if c.MaxCellLines == 0 {
		c.MaxCellLines = defaultMaxCellLines
	}
	if c.MaxLineLength == 0 {
		c.MaxLineLength = defaultMaxLineLength
	}
	return c
}

// Finding is one violation of a rule.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Path     string   `json:"path"`
	// Cell is the 1-based index of the cell among all the notebook's cells
	// (Markdown ones included); 0 for findings about the whole notebook.
	Cell   int    `json:"cell"`
	CellID string `json:"cell_id,omitempty"`
	// Line and EndLine are 1-based lines inside the cell; 0 when the finding
	// is about the whole cell.
	Line    int    `json:"line,omitempty"`
	EndLine int    `json:"end_line,omitempty"`
	Message string `json:"message"`
	Hint    string `json:"hint"`
}

// Location is "PATH", "PATH:cell N" or "PATH:cell N:line L".
func (f Finding) Location() string {
	loc := f.Path
	if f.Cell > 0 {
		loc += fmt.Sprintf(":cell %d", f.Cell)
		if f.Line > 0 {
			loc += fmt.Sprintf(":line %d", f.Line)
		}
	}
	return loc
}

// Suppressed is a finding that a metadata.gonbml.lint.disable entry
// switched off, with the entry's reason.
type Suppressed struct {
	Finding
	Reason string `json:"reason"`
}

// Result is the outcome of linting one notebook.
type Result struct {
	Path       string       `json:"path"`
	Findings   []Finding    `json:"findings"`
	Suppressed []Suppressed `json:"suppressed,omitempty"`

	// funcs are the notebook's top-level functions and methods, and
	// disabled says whether a rule is disabled at a cell, for the
	// checks across notebooks (LintFiles).
	funcs    []funcDef
	cellIDs  []string
	disabled func(rule string, cell int) (reason string, off bool)
}

// LintFile reads and lints one notebook. Findings name path as given.
func LintFile(path string, cfg Config) (*Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("lint: %w", err)
	}
	res, err := LintNotebook(path, data, cfg)
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, path)
	}
	return res, nil
}

// LintFiles lints each notebook with LintFile, then checks them against
// each other (shared-function: a function defined in two notebooks of one
// directory). Results are in the order of paths, for the notebooks that
// could be read; errs holds one error per notebook that could not.
func LintFiles(paths []string, cfg Config) (results []*Result, errs []error) {
	for _, p := range paths {
		res, err := LintFile(p, cfg)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		results = append(results, res)
	}
	checkShared(results)
	return results, errs
}

// LintNotebook lints the .ipynb contents data; path is only used in
// findings and to recognise the notebook's own directory in outputs.
// It returns an error only when data is not an nbformat 4 notebook or cfg
// is invalid.
func LintNotebook(path string, data []byte, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	nb, err := parseNotebook(data)
	if err != nil {
		return nil, err
	}
	l := &linter{path: path, nb: nb, cfg: cfg.withDefaults(), localRoots: localRoots(path)}
	l.run()
	return l.result(), nil
}

// Notebooks expands paths into the .ipynb files to lint: files are kept as
// given, directories are walked, skipping testdata, .ipynb_checkpoints,
// hidden directories and hidden files (editors' and the runner's temporary
// copies) below them.
func Notebooks(paths ...string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("lint: %w", err)
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != p {
				name := d.Name()
				if name == "testdata" || name == ".ipynb_checkpoints" || strings.HasPrefix(name, ".") {
					return filepath.SkipDir
				}
			}
			if !d.IsDir() && strings.HasSuffix(path, ".ipynb") && !strings.HasPrefix(d.Name(), ".") {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("lint: %w", err)
		}
	}
	return out, nil
}

type linter struct {
	path    string
	nb      *notebook
	cfg     Config
	goCells []*goCell // per cell; nil for Markdown, raw, empty and non-Go cells
	// localRoots are absolute directories of this machine that outputs must
	// not show: the notebook's directory and the repository holding it.
	localRoots []string
	findings   []Finding
}

func (l *linter) add(rule string, cell, line, endLine int, msg, hint string) {
	r, _ := ruleByID(rule)
	f := Finding{Rule: rule, Severity: r.Severity, Path: l.path, Cell: cell, Line: line, Message: msg, Hint: hint}
	if endLine > line {
		f.EndLine = endLine
	}
	if cell > 0 {
		f.CellID = l.nb.Cells[cell-1].ID
	}
	l.findings = append(l.findings, f)
}

func (l *linter) run() {
	l.goCells = make([]*goCell, len(l.nb.Cells))
	for i, c := range l.nb.Cells {
		if c.CellType == "code" && strings.TrimSpace(string(c.Source)) != "" && isGoCell(splitLines(string(c.Source))) {
			l.goCells[i] = parseGoCell(string(c.Source))
		}
	}
	l.checkKernelspec()
	l.checkTitlePurpose()
	l.checkExecOrder()
	l.checkSyntax()
	l.checkDeadCells()
	l.checkDuplicates()
	l.checkNames()
	l.checkMixedPurpose()
	l.checkOutputs()
	l.checkLength()
}

// result applies the disable entries and sorts the findings.
func (l *linter) result() *Result {
	res := &Result{Path: l.path, Findings: []Finding{}}
	nbDisabled := l.disableEntries(0, l.nb.Metadata.Gonbml)
	cellDisabled := make([]map[string]string, len(l.nb.Cells))
	for i, c := range l.nb.Cells {
		cellDisabled[i] = l.disableEntries(i+1, c.Metadata.Gonbml)
	}
	res.disabled = func(rule string, cell int) (string, bool) {
		reason, off := nbDisabled[rule]
		if !off && cell > 0 {
			reason, off = cellDisabled[cell-1][rule]
		}
		return reason, off && rule != RuleDisableWithReason
	}
	res.funcs = l.funcDefs()
	for _, c := range l.nb.Cells {
		res.cellIDs = append(res.cellIDs, c.ID)
	}
	for _, f := range l.findings {
		res.add(f)
	}
	res.sort()
	return res
}

// add files f as a finding, or as suppressed when its rule is disabled.
func (res *Result) add(f Finding) {
	if reason, off := res.disabled(f.Rule, f.Cell); off {
		res.Suppressed = append(res.Suppressed, Suppressed{f, reason})
	} else {
		res.Findings = append(res.Findings, f)
	}
}

// sort orders findings by cell, line and rule.
func (res *Result) sort() {
	less := func(a, b Finding) int {
		if a.Cell != b.Cell {
			return a.Cell - b.Cell
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return strings.Compare(a.Rule, b.Rule)
	}
	slices.SortStableFunc(res.Findings, less)
	slices.SortStableFunc(res.Suppressed, func(a, b Suppressed) int { return less(a.Finding, b.Finding) })
}

// disableEntries checks the disable entries of the notebook (cell 0) or a
// cell and returns rule → reason for the valid ones.
func (l *linter) disableEntries(cell int, raw json.RawMessage) map[string]string {
	where := "notebook metadata"
	if cell > 0 {
		where = "cell metadata"
	}
	out := map[string]string{}
	entries, err := disables(raw)
	if err != nil {
		l.add(RuleDisableWithReason, cell, 0, 0,
			fmt.Sprintf("%s has a malformed gonbml entry: %v", where, err),
			`write it as "gonbml": {"lint": {"disable": [{"rule": "RULE", "reason": "WHY"}]}}`)
		return out
	}
	for _, d := range entries {
		if _, ok := ruleByID(d.Rule); !ok || d.Rule == RuleDisableWithReason {
			l.add(RuleDisableWithReason, cell, 0, 0,
				fmt.Sprintf("%s disables unknown rule %q", where, d.Rule),
				"use a rule id from 'gonbml lint -rules' in metadata.gonbml.lint.disable")
			continue
		}
		if strings.TrimSpace(d.Reason) == "" {
			l.add(RuleDisableWithReason, cell, 0, 0,
				fmt.Sprintf("%s disables %s without a reason", where, d.Rule),
				`add "reason": "why this notebook needs the exception" to the entry in metadata.gonbml.lint.disable`)
			continue
		}
		out[d.Rule] = d.Reason
	}
	return out
}

func (l *linter) checkKernelspec() {
	ks := l.nb.Metadata.Kernelspec
	if ks == nil || ks.Name != "gonbml" {
		got := "none"
		if ks != nil {
			got = fmt.Sprintf("%q", ks.Name)
		}
		l.add(RuleKernelspec, 0, 0, 0,
			fmt.Sprintf("kernelspec is %s, want \"gonbml\"", got),
			`pick the "Go (gonbml)" kernel in Jupyter, or set metadata.kernelspec to {"name": "gonbml", "display_name": "Go (gonbml)", "language": "go"}`)
	}
}

func (l *linter) checkTitlePurpose() {
	const hint = "start the notebook with a Markdown cell: a '# Title' line, then one paragraph saying what the notebook shows and for whom"
	if len(l.nb.Cells) == 0 {
		l.add(RuleTitlePurpose, 0, 0, 0, "notebook has no cells", hint)
		return
	}
	first := l.nb.Cells[0]
	if first.CellType != "markdown" {
		l.add(RuleTitlePurpose, 1, 0, 0, fmt.Sprintf("first cell is a %s cell, not a Markdown title and purpose", first.CellType), hint)
		return
	}
	lines := splitLines(string(first.Source))
	k := 0
	for k < len(lines) && strings.TrimSpace(lines[k]) == "" {
		k++
	}
	if k == len(lines) || !strings.HasPrefix(strings.TrimSpace(lines[k]), "# ") {
		l.add(RuleTitlePurpose, 1, k+1, 0, "first cell does not start with a level-1 '# Title' heading", hint)
		return
	}
	if longestParagraphWords(lines[k+1:]) < minPurposeWords {
		l.add(RuleTitlePurpose, 1, 0, 0,
			fmt.Sprintf("first cell has a title but no purpose paragraph (%d words or more)", minPurposeWords), hint)
	}
}

// minPurposeWords is the shortest purpose paragraph title-purpose accepts:
// about one sentence.
const minPurposeWords = 10

func longestParagraphWords(lines []string) int {
	best, words, fence := 0, 0, false
	for _, line := range lines {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "```") {
			fence = !fence
			words = 0
			continue
		}
		if fence || t == "" || strings.HasPrefix(t, "#") {
			words = 0
			continue
		}
		words += len(strings.Fields(t))
		best = max(best, words)
	}
	return best
}

func (l *linter) checkExecOrder() {
	const hint = "restart the kernel, run all cells top to bottom and save (or execute it with 'gonbml run'); move a cell down instead of re-running one above"
	prev, executed := 0, false
	for _, c := range l.nb.Cells {
		if c.CellType == "code" && c.ExecutionCount != nil {
			executed = true
		}
	}
	if !executed {
		return // saved without outputs: nothing to check
	}
	for i, c := range l.nb.Cells {
		if c.CellType != "code" || strings.TrimSpace(string(c.Source)) == "" {
			continue // Jupyter does not execute empty cells
		}
		if c.ExecutionCount == nil {
			l.add(RuleExecOrder, i+1, 0, 0, "cell was not run, but other cells were: the saved outputs do not come from one top-to-bottom run", hint)
			continue
		}
		n := *c.ExecutionCount
		switch {
		case n <= prev:
			l.add(RuleExecOrder, i+1, 0, 0, fmt.Sprintf("cell ran before the cell above it (execution count %d after %d)", n, prev), hint)
		case n > prev+1 && prev == 0:
			l.add(RuleExecOrder, i+1, 0, 0, fmt.Sprintf("first execution count is %d, not 1: the kernel was not fresh", n), hint)
		case n > prev+1:
			l.add(RuleExecOrder, i+1, 0, 0, fmt.Sprintf("execution count jumps from %d to %d: cells were re-run or run out of order", prev, n), hint)
		}
		prev = max(prev, n) // one cell run out of order is one finding, not two
	}
}

func (l *linter) checkSyntax() {
	for i, g := range l.goCells {
		if g == nil || g.err == nil {
			continue
		}
		line, msg := 0, g.err.Error()
		var list scanner.ErrorList
		if errors.As(g.err, &list) && len(list) > 0 {
			line, msg = list[0].Pos.Line-1, list[0].Msg
		}
		line = min(max(line, 1), len(g.lines))
		hint := "fix the Go syntax; 'gonbml run' shows the compiler's full message"
		if parsesAsStatements(g.goLines) {
			hint = "statements at cell top level need a line '%%' above them: GoNB runs what follows %% as the body of main"
		}
		l.add(RuleGoSyntax, i+1, line, 0, "cell does not parse as Go: "+msg, hint)
	}
}

func parsesAsStatements(goLines []string) bool {
	src := "package main\nfunc _() {\n" + strings.Join(goLines, "\n") + "\n}\n"
	_, err := parseSource(src)
	return err == nil
}

func (l *linter) checkDeadCells() {
	for i, c := range l.nb.Cells {
		if c.CellType != "raw" && strings.TrimSpace(string(c.Source)) == "" {
			l.add(RuleEmptyCell, i+1, 0, 0, fmt.Sprintf("empty %s cell", c.CellType), "delete the cell")
			continue
		}
		g := l.goCells[i]
		if g == nil || g.err != nil {
			continue
		}
		groups := g.commentGroups()
		if !g.hasCode() && onlyMainCommand(g) {
			if len(groups) == 0 {
				l.add(RuleEmptyCell, i+1, 0, 0, "code cell does nothing", "delete the cell")
				continue
			}
			var all []commentLine
			for _, gr := range groups {
				all = append(all, gr...)
			}
			if len(commentedOutCode(all)) > 0 {
				l.add(RuleCommentedOutCell, i+1, 0, 0, "cell is commented-out code",
					"delete the cell: git keeps the old version; if it is an alternative worth keeping, make it an option (a config field) and run it")
			} else {
				l.add(RuleCommentOnlyCell, i+1, 0, 0, "code cell holds only comments",
					"turn it into a Markdown cell: prose belongs in Markdown, where it renders")
			}
			continue
		}
		for _, gr := range groups {
			for _, run := range commentedOutCode(gr) {
				what := fmt.Sprintf("line %d is commented-out code", run.first)
				if run.last > run.first {
					what = fmt.Sprintf("lines %d-%d are commented-out code", run.first, run.last)
				}
				l.add(RuleCommentedOutCode, i+1, run.first, run.last, what,
					"delete it (git keeps history); keep comments for prose that explains the code")
			}
		}
	}
}

// onlyMainCommand reports whether the only command line of the cell is the
// %% that opens main.
func onlyMainCommand(g *goCell) bool {
	for k, c := range g.command {
		if c && k+1 != g.mainLine {
			return false
		}
	}
	return true
}

func (l *linter) checkOutputs() {
	var total int64
	largestCell, largest := 0, int64(0)
	homeHint := "print paths relative to the notebook (filepath.Rel) or just the file name, then re-run and save"
	for i, c := range l.nb.Cells {
		var size int64
		errorSeen, pathSeen := false, false
		for _, raw := range c.Outputs {
			size += int64(len(raw))
			if bytes.Contains(raw, []byte(echarts.BundleMarker)) {
				l.add(RuleBundleOutput, i+1, 0, 0, "output carries the inlined ECharts bundle (about 1 MB of downloaded JavaScript)",
					"save the notebook with 'gonbml run --strip-bundle NOTEBOOK': charts keep their PNG until the notebook is run again")
			}
			var o output
			if err := jsonUnmarshal(raw, &o); err != nil {
				continue
			}
			if !errorSeen && (o.OutputType == "error" || o.OutputType == "stream" && o.Name == "stderr" && strings.Contains(string(o.Text), "panic: ")) {
				errorSeen = true
				name := o.EName
				if name == "" {
					name = "panic"
				}
				l.add(RuleErrorOutput, i+1, 0, 0, fmt.Sprintf("cell saved an error output (%s)", name),
					"fix the cell so it runs, then restart, run all and save; a notebook must run top to bottom")
			}
			if !pathSeen {
				for _, t := range o.texts() {
					if kind := l.absolutePath(t); kind != "" {
						pathSeen = true
						l.add(RuleAbsolutePath, i+1, 0, 0, "output shows an absolute path "+kind, homeHint)
						break
					}
				}
			}
		}
		total += size
		if size > largest {
			largestCell, largest = i+1, size
		}
	}
	if total > l.cfg.MaxOutputBytes {
		l.add(RuleOutputSize, largestCell, 0, 0,
			fmt.Sprintf("saved outputs take %s, over the %s limit (cell %d alone: %s)", byteSize(total), byteSize(l.cfg.MaxOutputBytes), largestCell, byteSize(largest)),
			"show less (sample rows, smaller images, one chart instead of many) or clear the outputs of the heaviest cells before saving")
	}
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
