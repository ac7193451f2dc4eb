package lint_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/gonbml/gonbml/kernel/lint"
)

// TestNotebooksAreClean is the CI gate "every notebook passes lint": it lints
// every notebook under notebooks/ (testdata excluded) and fails with the
// linter's findings and fix hints.
func TestNotebooksAreClean(t *testing.T) {
	paths, err := lint.Notebooks("../../notebooks")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Skip("no notebooks under notebooks/ yet")
	}
	results, errs := lint.LintFiles(paths, lint.Config{})
	for _, err := range errs {
		t.Errorf("%v", err)
	}
	findings := 0
	for _, res := range results {
		findings += len(res.Findings)
	}
	if findings > 0 {
		var b bytes.Buffer
		lint.WriteText(&b, results)
		t.Errorf("notebooks must pass 'gonbml lint' (run it on one notebook to iterate; disable a rule in the notebook's or a cell's metadata.gonbml.lint.disable only with a reason):\n%s", b.String())
	}
}

// TestCleanNotebooksBadCellsAreBad checks that the bad cells of
// clean-notebooks.ipynb really break the rules they illustrate: each
// suppression there must hide a finding, and nothing else is suppressed.
func TestCleanNotebooksBadCellsAreBad(t *testing.T) {
	res, err := lint.LintFile("../../notebooks/clean-notebooks.ipynb", lint.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range res.Suppressed {
		if s.Reason == "" {
			t.Errorf("suppressed %s without a reason", s.Rule)
		}
		got = append(got, s.Rule)
	}
	// One bad cell each for tip 1 (names), tip 2 (duplication) and tip 5
	// (dead code), in notebook order.
	want := []string{lint.RuleBadName, lint.RuleDuplicateBlock, lint.RuleCommentedOutCode}
	if !slices.Equal(got, want) {
		t.Errorf("suppressed rules %v, want %v", got, want)
	}
}
