// Package lint checks Jupyter notebooks against the clean-notebook rules
// (the article "How to write better code in Jupyter notebooks"): the checks
// behind 'gonbml lint' and the CI gate that every notebook in notebooks/
// passes them.
//
// # Overview
//
// LintFile and LintNotebook read an nbformat 4 notebook and return a Result:
// the Findings, each with a stable rule id, a location (file, cell, line), a
// one-line message and a fix hint. WriteText and WriteJSON print results;
// Command is the whole 'gonbml lint' subcommand (exit 0 clean, 1 findings,
// 2 usage or unreadable input). Notebooks expands directories into their
// .ipynb files, skipping testdata, .ipynb_checkpoints and hidden files.
//
// # Rules
//
// Each rule checks one tip of the article that a program can check; 'gonbml
// lint -rules' lists them. The ids are stable.
//
//	don't reorder cells   exec-order          saved execution counts are 1, 2, 3, ... top to bottom
//	                                          (a notebook saved without outputs has nothing to check;
//	                                          that it runs top to bottom is 'gonbml run''s job)
//	no dead cells         empty-cell          empty code or Markdown cells, and %%-only cells
//	                      commented-out-cell  code cells that are nothing but commented-out code
//	                      comment-only-cell   code cells holding only prose comments (use Markdown)
//	                      commented-out-code  commented-out code inside a cell
//	avoid duplication     duplicate-block     MinDuplicateLines similar lines repeated (warning)
//	good names            bad-name            meaningless names at cell top level (warning)
//	one notebook,         title-purpose       first cell: Markdown "# Title" and a purpose paragraph
//	one purpose           mixed-purpose       exports data files and trains models (warning)
//	outputs               error-output        no saved errors or panics
//	                      absolute-path       no paths of the author's machine in outputs
//	                      output-size         saved outputs under MaxOutputBytes
//	                      bundle-output       no inlined ECharts bundle saved (strip it: gonbml run --strip-bundle)
//	runs top to bottom    go-syntax           every Go cell parses
//	                      kernelspec          the kernel is gonbml
//	functions belong in   long-cell           a code cell has at most MaxCellLines lines (40)
//	a library             long-line           a code line has at most MaxLineLength columns (100)
//	                      shared-function     no function defined in two notebooks of one directory
//	                                          (LintFiles and 'gonbml lint' compare the notebooks given)
//	guidelines            lint-disable        disable entries name a rule and give a reason
//
// Warnings are heuristics; like errors they make the linter exit 1, and a
// notebook that has a reason to break one says so in its metadata.
//
// # Go cells
//
// Go cells are parsed with go/parser after rewriting GoNB's cell syntax line
// for line: a "%%" (or "%main") line becomes "func main() {", closed at the
// end of the cell, so the statements after it parse as its body; "%exec F"
// becomes a main calling F; other lines starting with "%" or "!" (kernel and
// shell commands, continued by a trailing "\") and "package" lines are
// blanked; "//gonb:" before a command is honoured. Cells starting with
// %%writefile, %%script, %%bash or %%sh are not Go and are skipped.
//
// Cell top level means the cell's package-level declarations and the
// top-level statements of its main (what follows %%): names declared there
// live for the rest of the notebook, because GoNB keeps declarations from
// cell to cell.
//
// # Prose or commented-out code
//
// A comment is code when its text parses as Go, either as a GoNB cell
// (declarations, %%, statements) or as statements inside a function, and
// does something: declares, assigns, calls, loops, branches, returns a
// value. Prose almost never parses; when it does it is a bare word, a label,
// an expression without a call ("TODO: fix", "return early", "- item",
// "nmf.Fit") or a formula written with a plain = ("loss = recon + beta*kl"),
// and is not reported. In a comment mixing
// both, the longest runs of lines that parse are reported. Directives
// (//go:, //gonb:, //nolint, //lint:) are skipped.
//
// # Names
//
// bad-name flags, at cell top level only: placeholder words (foo, tmp,
// stuff, ...), generic words with a number (list1, func1, tmp2, df3, x2),
// and names of one or two letters that are not in AllowedShortNames
// (x, df, t0, ...). AllowedShortNames lists the conventional math names
// (i, j, k, n, m, X, Y, W, H, V, A, z, mu) plus Go's ok and id. Inside
// functions, loops and blocks every name is allowed.
//
// # Duplication
//
// duplicate-block compares Go lines by their tokens, with literals reduced
// to their kind and := read as =, after dropping comments, brackets-only lines, imports and
// error-check boilerplate (if err != nil, panic(err), ...). MinDuplicateLines
// (default 5) such lines in a row that already appeared earlier in the
// notebook are reported at the later copy, pointing at the first.
//
// # Mixed purpose
//
// mixed-purpose warns when a notebook both writes data files by hand
// (os.WriteFile, os.Create, os.OpenFile, ioutil.WriteFile, csv.NewWriter, a
// %%writefile cell) and calls a function or method whose name starts with
// Fit or Train. Saving a model with its Save method or GoNB's cache package
// is caching, not an export, and is not counted.
//
// # Outputs
//
// error-output flags saved "error" outputs and panics on stderr.
// absolute-path searches text outputs (not images) for paths inside home
// directories (/home/NAME/, /Users/NAME/, /root/, C:\Users\NAME\) and for
// the notebook's own absolute directory and repository root. output-size
// adds up the stored size of all outputs (default limit 5 MiB).
//
// # Disabling a rule
//
// A notebook, or one cell, switches a rule off in its metadata, with a
// reason that is kept in the report (Result.Suppressed):
//
//	"metadata": {
//	  "gonbml": {"lint": {"disable": [
//	    {"rule": "bad-name", "reason": "tip 1 shows a badly named cell on purpose"}
//	  ]}}
//	}
//
// An entry without a reason, or naming an unknown rule, is itself a
// lint-disable finding and disables nothing.
package lint
