package lint_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/gonbml/gonbml/kernel/lint"
)

// A notebook whose second cell declares a meaningless name and keeps a
// commented-out line.
const example = `{
 "nbformat": 4, "nbformat_minor": 5,
 "metadata": {"kernelspec": {"name": "gonbml", "display_name": "Go (gonbml)", "language": "go"}},
 "cells": [
  {"cell_type": "markdown", "metadata": {}, "source": "# Word counts\n\nCounts the words of a sentence and prints how many are distinct."},
  {"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [],
   "source": "%%\ntmp1 := strings.Fields(\"the cat sat on the mat\")\n// fmt.Println(tmp1)\nfmt.Println(len(tmp1))"}
 ]
}`

func ExampleLintNotebook() {
	res, err := lint.LintNotebook("words.ipynb", []byte(example), lint.Config{})
	if err != nil {
		panic(err)
	}
	for _, f := range res.Findings {
		fmt.Printf("%s: %s: %s\n", f.Location(), f.Rule, f.Message)
	}
	// Output:
	// words.ipynb:cell 2:line 2: bad-name: variable "tmp1" is a generic word with a number
	// words.ipynb:cell 2:line 3: commented-out-code: line 3 is commented-out code
}

func ExampleWriteText() {
	res, err := lint.LintNotebook("words.ipynb", []byte(example), lint.Config{})
	if err != nil {
		panic(err)
	}
	lint.WriteText(os.Stdout, []*lint.Result{res})
	// Output:
	// words.ipynb:cell 2:line 2: bad-name: variable "tmp1" is a generic word with a number
	// 	fix: name it after what it holds or does (flaggedCells, topicWords, loadCorpus); names at cell top level live for the rest of the notebook
	// words.ipynb:cell 2:line 3: commented-out-code: line 3 is commented-out code
	// 	fix: delete it (git keeps history); keep comments for prose that explains the code
	// 2 findings in 1 notebook
}

func ExampleWriteJSON() {
	res, err := lint.LintNotebook("words.ipynb", []byte(example), lint.Config{})
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	if err := lint.WriteJSON(&b, []*lint.Result{res}); err != nil {
		panic(err)
	}
	var report struct {
		Notebooks []struct {
			Findings []struct {
				Rule string `json:"rule"`
				Cell int    `json:"cell"`
				Line int    `json:"line"`
				Hint string `json:"hint"`
			} `json:"findings"`
		} `json:"notebooks"`
		Findings int `json:"findings"`
	}
	if err := json.Unmarshal(b.Bytes(), &report); err != nil {
		panic(err)
	}
	first := report.Notebooks[0].Findings[0]
	fmt.Println(report.Findings, "findings; first:", first.Rule, "at cell", first.Cell, "line", first.Line)
	// Output:
	// 2 findings; first: bad-name at cell 2 line 2
}

func ExampleLintFile() {
	res, err := lint.LintFile("../../notebooks/testdata/messy.ipynb", lint.Config{})
	if err != nil {
		panic(err)
	}
	byRule := map[string]int{}
	for _, f := range res.Findings {
		byRule[f.Rule]++
	}
	fmt.Println(len(res.Findings), "findings;", byRule["bad-name"], "bad names,", byRule["exec-order"], "cells run out of order")
	// Output:
	// 17 findings; 4 bad names, 2 cells run out of order
}

func ExampleRules() {
	for _, r := range lint.Rules()[:3] {
		fmt.Printf("%s (%s): %s\n", r.ID, r.Tip, r.Summary)
	}
	// Output:
	// exec-order (don't reorder cells): saved execution counts run 1, 2, 3, ... top to bottom with no gaps
	// empty-cell (no dead cells): no empty cells
	// commented-out-cell (no dead cells): no code cells that are entirely commented-out code
}

func ExampleNotebooks() {
	paths, err := lint.Notebooks("../../notebooks/testdata/messy.ipynb")
	if err != nil {
		panic(err)
	}
	fmt.Println(paths)
	// Output:
	// [../../notebooks/testdata/messy.ipynb]
}

func ExampleCommand() {
	code := lint.Command([]string{"-format", "json", "../../notebooks/testdata/messy.ipynb"}, io.Discard, os.Stderr)
	fmt.Println("exit code", code)
	// Output:
	// exit code 1
}

func ExampleConfig_Validate() {
	fmt.Println(lint.Config{}.Validate())
	fmt.Println(lint.Config{MinDuplicateLines: 1}.Validate())
	// Output:
	// <nil>
	// lint: Config.MinDuplicateLines is 1, want 0 (default 5) or at least 2
}
