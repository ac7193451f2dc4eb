package lint

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
)

// WriteText writes findings one per line, "LOCATION: RULE: MESSAGE",
// each followed by an indented "fix: HINT" line, then a summary line.
func WriteText(w io.Writer, results []*Result) error {
	findings, suppressed := 0, 0
	for _, r := range results {
		for _, f := range r.Findings {
			if _, err := fmt.Fprintf(w, "%s: %s: %s\n\tfix: %s\n", f.Location(), f.Rule, f.Message, f.Hint); err != nil {
				return err
			}
		}
		findings += len(r.Findings)
		suppressed += len(r.Suppressed)
	}
	summary := fmt.Sprintf("%d %s in %d %s", findings, plural(findings, "finding"), len(results), plural(len(results), "notebook"))
	if suppressed > 0 {
		summary += fmt.Sprintf(" (%d suppressed by metadata.gonbml.lint.disable)", suppressed)
	}
	_, err := fmt.Fprintln(w, summary)
	return err
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// jsonReport is the document WriteJSON writes.
type jsonReport struct {
	Notebooks []*Result `json:"notebooks"`
	Findings  int       `json:"findings"`
	Rules     []Rule    `json:"rules"`
}

// WriteJSON writes {"notebooks": [{"path", "findings", "suppressed"}],
// "findings": N, "rules": [...]}, indented.
func WriteJSON(w io.Writer, results []*Result) error {
	rep := jsonReport{Notebooks: results, Rules: Rules()}
	if rep.Notebooks == nil {
		rep.Notebooks = []*Result{}
	}
	for _, r := range results {
		rep.Findings += len(r.Findings)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// Exit codes of Command.
const (
	ExitClean    = 0 // no findings
	ExitFindings = 1 // at least one finding
	ExitUsage    = 2 // bad arguments or a file that is not a notebook
)

// Command is 'gonbml lint': it lints the notebooks and directories in
// args and returns the exit code.
func Command(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text or json")
	listRules := fs.Bool("rules", false, "list the rules and exit")
	var cfg Config
	fs.IntVar(&cfg.MinDuplicateLines, "min-duplicate-lines", 0, fmt.Sprintf("similar lines in a row that count as duplication (0: %d)", defaultMinDuplicateLines))
	fs.Int64Var(&cfg.MaxOutputBytes, "max-output-bytes", 0, fmt.Sprintf("limit on a notebook's saved outputs (0: %d)", defaultMaxOutputBytes))
	fs.IntVar(&cfg.MaxCellLines, "max-cell-lines", 0, fmt.Sprintf("most lines in a code cell (0: %d)", defaultMaxCellLines))
	fs.IntVar(&cfg.MaxLineLength, "max-line-length", 0, fmt.Sprintf("most columns in a code line, a tab counting %d (0: %d)", TabWidth, defaultMaxLineLength))
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gonbml lint [-format text|json] [-rules] NOTEBOOK.ipynb|DIR ...")
		fmt.Fprintln(stderr, "\nChecks notebooks against the clean-notebook rules; directories are searched")
		fmt.Fprintln(stderr, "for .ipynb files, skipping testdata. Exit code 0: clean, 1: findings, 2: error.")
		fmt.Fprintln(stderr, "Disable a rule for a notebook or a cell in its metadata, with a reason:")
		fmt.Fprintln(stderr, `  "gonbml": {"lint": {"disable": [{"rule": "duplicate-block", "reason": "..."}]}}`)
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "gonbml lint: -format is %q, want text or json\n", *format)
		return ExitUsage
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(stderr, "gonbml %v\n", err)
		return ExitUsage
	}
	if *listRules {
		for _, r := range rules {
			fmt.Fprintf(stdout, "%-20s %-8s %-26s %s\n", r.ID, r.Severity, r.Tip, r.Summary)
		}
		return ExitClean
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return ExitUsage
	}
	paths, err := Notebooks(fs.Args()...)
	if err != nil {
		fmt.Fprintf(stderr, "gonbml %v\n", err)
		return ExitUsage
	}
	results, errs := LintFiles(paths, cfg)
	for _, err := range errs {
		fmt.Fprintf(stderr, "gonbml %v\n", err)
	}
	failed := len(errs) > 0
	if *format == "json" {
		err = WriteJSON(stdout, results)
	} else {
		err = WriteText(stdout, results)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gonbml lint: %v\n", err)
		return ExitUsage
	}
	switch {
	case failed:
		return ExitUsage
	case countFindings(results) > 0:
		return ExitFindings
	}
	return ExitClean
}

func countFindings(results []*Result) int {
	n := 0
	for _, r := range results {
		n += len(r.Findings)
	}
	return n
}
