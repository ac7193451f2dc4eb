package lint_test

import (
	"bytes"
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
	var results []*lint.Result
	findings := 0
	for _, p := range paths {
		res, err := lint.LintFile(p, lint.Config{})
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		results = append(results, res)
		findings += len(res.Findings)
	}
	if findings > 0 {
		var b bytes.Buffer
		lint.WriteText(&b, results)
		t.Errorf("notebooks must pass 'gonbml lint' (run it on one notebook to iterate; disable a rule in the notebook's or a cell's metadata.gonbml.lint.disable only with a reason):\n%s", b.String())
	}
}
