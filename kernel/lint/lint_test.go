package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/echarts"
)

// rulesSeen collects the rules the tests make fire, so TestEveryRuleIsTested
// can check that none is untested.
var rulesSeen = map[string]bool{}

type want struct {
	rule string
	cell int
	line int
}

func (w want) String() string { return fmt.Sprintf("%s@cell%d:line%d", w.rule, w.cell, w.line) }

func got(res *Result) []want {
	var out []want
	for _, f := range res.Findings {
		rulesSeen[f.Rule] = true
		out = append(out, want{f.Rule, f.Cell, f.Line})
	}
	return out
}

func TestMessyNotebook(t *testing.T) {
	res, err := LintFile("../../notebooks/testdata/messy.ipynb", Config{})
	if err != nil {
		t.Fatal(err)
	}
	// Each finding below is planted in testdata/messy.ipynb: cell numbers are
	// 1-based among all cells, lines 1-based inside the cell.
	wants := []want{
		{RuleTitlePurpose, 1, 1},     // "## scores": no level-1 title
		{RuleBadName, 2, 1},          // func1
		{RuleBadName, 3, 2},          // df3
		{RuleBadName, 3, 3},          // x
		{RuleBadName, 3, 4},          // tmp2
		{RuleEmptyCell, 4, 0},        // empty code cell
		{RuleCommentedOutCell, 5, 0}, // "// %%" and two commented statements
		{RuleExecOrder, 6, 0},        // count 5 after 3
		{RuleCommentedOutCode, 6, 5}, // the commented-out for loop, lines 5-7
		{RuleErrorOutput, 7, 0},      // saved panic
		{RuleExecOrder, 7, 0},        // count 4 after 5
		{RuleAbsolutePath, 8, 0},     // /home/alice/... in stdout
		{RuleMixedPurpose, 8, 0},     // os.WriteFile here, TrainNaiveBayes in cell 9
		{RuleDuplicateBlock, 9, 2},   // word counting repeated from cell 8
		{RuleGoSyntax, 10, 1},        // statements without %%
		{RuleEmptyCell, 11, 0},       // empty Markdown cell
		{RuleCommentOnlyCell, 12, 0}, // prose in a code cell
	}
	if g := got(res); !slices.Equal(g, wants) {
		t.Errorf("findings:\n got %v\nwant %v", g, wants)
	}
	for _, f := range res.Findings {
		if f.Message == "" || f.Hint == "" || f.Severity == "" || f.Path != "../../notebooks/testdata/messy.ipynb" {
			t.Errorf("finding %+v lacks message, hint, severity or path", f)
		}
		if f.Cell > 0 && f.CellID == "" {
			t.Errorf("finding %+v lacks the cell id", f)
		}
	}
	for _, f := range res.Findings {
		if f.Rule == RuleCommentedOutCode && f.EndLine != 7 {
			t.Errorf("commented-out code ends at line %d, want 7", f.EndLine)
		}
		if f.Rule == RuleDuplicateBlock && !strings.Contains(f.Message, "cell 8 lines 2-8") {
			t.Errorf("duplicate message %q does not point at cell 8 lines 2-8", f.Message)
		}
	}
}

// nb builds a notebook: each cell is "md:SOURCE", "code:SOURCE" or
// "code@N:SOURCE" (with execution count N).
func nb(meta string, cells ...string) []byte {
	var out []map[string]any
	for i, c := range cells {
		kind, src, _ := strings.Cut(c, ":")
		cell := map[string]any{"id": fmt.Sprint("cell", i+1), "metadata": map[string]any{}, "source": src}
		switch {
		case kind == "md":
			cell["cell_type"] = "markdown"
		case strings.HasPrefix(kind, "code"):
			cell["cell_type"] = "code"
			cell["outputs"] = []any{}
			cell["execution_count"] = nil
			if n, ok := strings.CutPrefix(kind, "code@"); ok {
				var count int
				fmt.Sscan(n, &count)
				cell["execution_count"] = count
			}
		default:
			panic("bad cell kind " + kind)
		}
		out = append(out, cell)
	}
	doc := map[string]any{
		"nbformat": 4, "nbformat_minor": 5, "cells": out,
		"metadata": map[string]any{"kernelspec": map[string]any{"name": "gonbml", "display_name": "Go (gonbml)", "language": "go"}},
	}
	if meta != "" {
		var m map[string]any
		if err := json.Unmarshal([]byte(meta), &m); err != nil {
			panic(err)
		}
		doc["metadata"] = m
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return b
}

// withOutputs replaces the outputs of cell (1-based) of notebook data.
func withOutputs(data []byte, cell int, outputs string) []byte {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		panic(err)
	}
	var outs any
	if err := json.Unmarshal([]byte(outputs), &outs); err != nil {
		panic(err)
	}
	doc["cells"].([]any)[cell-1].(map[string]any)["outputs"] = outs
	b, _ := json.Marshal(doc)
	return b
}

// withCellMeta sets the metadata of cell (1-based).
func withCellMeta(data []byte, cell int, meta string) []byte {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		panic(err)
	}
	var m any
	if err := json.Unmarshal([]byte(meta), &m); err != nil {
		panic(err)
	}
	doc["cells"].([]any)[cell-1].(map[string]any)["metadata"] = m
	b, _ := json.Marshal(doc)
	return b
}

const title = "md:# A title\n\nThis notebook shows one thing, clearly, from the top to the bottom of the page."

func TestRules(t *testing.T) {
	dupBlock := "%%\nwords := strings.Fields(\"a b c\")\nseen := map[string]bool{}\nfor _, word := range words {\n\tword = strings.ToLower(word)\n\tseen[word] = true\n}\nfmt.Println(len(seen))"
	tests := []struct {
		name string
		data []byte
		cfg  Config
		want []want
	}{
		{"clean", nb("", title, "code@1:%%\nfmt.Println(\"hi\")", "md:## Next", "code@2:func greet() string { return \"hi\" }"), Config{}, nil},
		{"no kernelspec", nb(`{}`, title), Config{}, []want{{RuleKernelspec, 0, 0}}},
		{"other kernel", nb(`{"kernelspec": {"name": "python3"}}`, title), Config{}, []want{{RuleKernelspec, 0, 0}}},
		{"no cells", nb(""), Config{}, []want{{RuleTitlePurpose, 0, 0}}},
		{"code first", nb("", "code:%%\nfmt.Println(1)"), Config{}, []want{{RuleTitlePurpose, 1, 0}}},
		{"title without purpose", nb("", "md:# Title\n\nShort."), Config{}, []want{{RuleTitlePurpose, 1, 0}}},
		{"purpose in a code fence does not count", nb("", "md:# Title\n```\none two three four five six seven eight nine ten eleven\n```"), Config{}, []want{{RuleTitlePurpose, 1, 0}}},
		{"never executed is fine", nb("", title, "code:%%\nfmt.Println(1)", "code:%%\nfmt.Println(2)"), Config{}, nil},
		{"fresh kernel starts at 1", nb("", title, "code@2:%%\nfmt.Println(1)", "code@3:%%\nfmt.Println(2)"), Config{}, []want{{RuleExecOrder, 2, 0}}},
		{"one cell not run", nb("", title, "code@1:%%\nfmt.Println(1)", "code:%%\nfmt.Println(2)"), Config{}, []want{{RuleExecOrder, 3, 0}}},
		{"re-run above", nb("", title, "code@2:%%\nfmt.Println(1)", "code@1:%%\nfmt.Println(2)"), Config{}, []want{{RuleExecOrder, 2, 0}, {RuleExecOrder, 3, 0}}},
		{"shell and magic cells are not dead", nb("", title, "code@1:!ls -l \\\n  /etc\n%env GONB_X 1", "code@2:%%writefile notes.txt\nthese are not Go lines"), Config{}, nil},
		{"gonb escaped %%", nb("", title, "code@1://gonb:%%\nfmt.Println(1)"), Config{}, nil},
		{"%main and %exec", nb("", title, "code@1:%main\nfmt.Println(1)", "code@2:func run() {}\n%exec run"), Config{}, nil},
		{"package line ignored", nb("", title, "code@1:package main\n\nfunc helper() int { return 1 }"), Config{}, nil},
		{"only %% is dead", nb("", title, "code@1:%%\n"), Config{}, []want{{RuleEmptyCell, 2, 0}}},
		{"prose comments are fine", nb("", title, "code@1:%%\n// Step 1: load the corpus, then return early if it is empty.\n// TODO: fix\n// - item\n// See https://example.com/home/alice/x for details.\ncorpus := []string{\"a\"}\nfmt.Println(corpus)"), Config{}, nil},
		{"block comment with code", nb("", title, "code@1:%%\n/*\nresult := compute()\nfmt.Println(result)\n*/\nfmt.Println(1)"), Config{}, []want{{RuleCommentedOutCode, 2, 3}}},
		{"commented declaration", nb("", title, "code@1:// func old() int {\n// \treturn 1\n// }\nfunc current() int { return 2 }"), Config{}, []want{{RuleCommentedOutCode, 2, 1}}},
		{"math names allowed", nb("", title, "code@1:%%\nX := 1\nW, H := 2, 3\nk := 4\nm, err := 5, error(nil)\nfmt.Println(X, W, H, k, m, err)"), Config{}, nil},
		{"short names in short scopes", nb("", title, "code@1:func sum(xs []int) (s int) {\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}", "code@2:%%\nfor i, v := range []int{1} {\n\tfmt.Println(i, v)\n}"), Config{}, nil},
		{"bad package-level names", nb("", title, "code@1:var tmp = 1\nconst x2 = 2\ntype foo struct{}\nfunc (foo) val1() {}"), Config{}, []want{{RuleBadName, 2, 1}, {RuleBadName, 2, 2}, {RuleBadName, 2, 3}, {RuleBadName, 2, 4}}},
		{"duplicate across cells", nb("", title, "code@1:"+dupBlock, "code@2:"+strings.Replace(dupBlock, "a b c", "d e f", 1)), Config{}, []want{{RuleDuplicateBlock, 3, 2}}},
		{"duplicate inside a cell", nb("", title, "code@1:"+dupBlock+"\n{\n"+strings.TrimPrefix(dupBlock, "%%\n")+"\n}"), Config{}, []want{{RuleDuplicateBlock, 2, 10}}},
		{"shorter than MinDuplicateLines", nb("", title, "code@1:"+dupBlock, "code@2:"+dupBlock), Config{MinDuplicateLines: 7}, nil},
		{"error checks are not duplication", nb("", title,
			"code@1:%%\nresult, err := step()\nif err != nil {\n\tpanic(err)\n}\nmore, err := other()\nif err != nil {\n\tpanic(err)\n}\nfmt.Println(result, more)",
			"code@2:%%\nloaded, err := load()\nif err != nil {\n\tpanic(err)\n}\nsaved, err := save()\nif err != nil {\n\tpanic(err)\n}\nfmt.Println(loaded, saved)"), Config{}, nil},
		{"import blocks are not duplication", nb("", title,
			"code@1:import (\n\t\"fmt\"\n\t\"os\"\n\t\"strings\"\n\t\"sort\"\n\t\"math\"\n)\nfunc one() { fmt.Println(os.Args, strings.ToLower(\"\"), sort.Ints, math.Pi) }",
			"code@2:import (\n\t\"fmt\"\n\t\"os\"\n\t\"strings\"\n\t\"sort\"\n\t\"math\"\n)\nfunc two() {}"), Config{}, nil},
		{"mixed purpose", nb("", title, "code@1:%%\nos.WriteFile(\"prepared.csv\", nil, 0o644)", "code@2:%%\nmodel, err := nmf.Fit(ctx, V, cfg)\nfmt.Println(model, err)"), Config{}, []want{{RuleMixedPurpose, 2, 0}}},
		{"caching a model is not an export", nb("", title, "code@1:%%\nmodel, err := nmf.Fit(ctx, V, cfg)\nmodel.Save(\"model.gob\")\nfmt.Println(err)"), Config{}, nil},
		{"writefile and train", nb("", title, "code@1:%%writefile data.csv\n1,2", "code@2:%%\ncfg.Fit(ctx, X)"), Config{}, []want{{RuleMixedPurpose, 2, 0}}},
		{"syntax error", nb("", title, "code@1:%%\nfmt.Println(\"x\""), Config{}, []want{{RuleGoSyntax, 2, 2}}},
		{"error output", withOutputs(nb("", title, "code@1:%%\npanic(1)"), 2, `[{"output_type": "error", "ename": "panic", "evalue": "1", "traceback": []}]`), Config{}, []want{{RuleErrorOutput, 2, 0}}},
		{"panic on stderr", withOutputs(nb("", title, "code@1:%%\npanic(1)"), 2, `[{"output_type": "stream", "name": "stderr", "text": ["panic: 1\n"]}]`), Config{}, []want{{RuleErrorOutput, 2, 0}}},
		{"macOS home in html", withOutputs(nb("", title, "code@1:%%\nfmt.Println(1)"), 2, `[{"output_type": "display_data", "metadata": {}, "data": {"text/html": ["<p>saved to /Users/bob/out.png</p>"]}}]`), Config{}, []want{{RuleAbsolutePath, 2, 0}}},
		{"windows home", withOutputs(nb("", title, "code@1:%%\nfmt.Println(1)"), 2, `[{"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": "C:\\Users\\bob\\data.csv"}}]`), Config{}, []want{{RuleAbsolutePath, 2, 0}}},
		{"relative paths and urls are fine", withOutputs(nb("", title, "code@1:%%\nfmt.Println(1)"), 2, `[{"output_type": "stream", "name": "stdout", "text": "wrote testdata/out.csv; see https://example.com/home/alice/ and ~/home/x/\n"}]`), Config{}, nil},
		{"images are not searched", withOutputs(nb("", title, "code@1:%%\nfmt.Println(1)"), 2, `[{"output_type": "display_data", "metadata": {}, "data": {"image/png": "/home/alice/iVBORw0KGgo="}}]`), Config{}, nil},
		{"bundle saved", withOutputs(nb("", title, "code@1:%%\nfmt.Println(1)"), 2, `[{"output_type": "display_data", "metadata": {}, "data": {"text/html": ["<script>/* ECharts 5.4.3 (Apache-2.0), `+echarts.BundleMarker+` */</script>"]}}]`), Config{}, []want{{RuleBundleOutput, 2, 0}}},
		{"output size", withOutputs(nb("", title, "code@1:%%\nfmt.Println(1)"), 2, `[{"output_type": "stream", "name": "stdout", "text": "`+strings.Repeat("0123456789", 20)+`"}]`), Config{MaxOutputBytes: 100}, []want{{RuleOutputSize, 2, 0}}},
		{"notebook disable with reason", nb(`{"kernelspec": {"name": "gonbml"}, "gonbml": {"lint": {"disable": [{"rule": "title-purpose", "reason": "fixture"}]}}}`, "code:%%\nfmt.Println(1)"), Config{}, nil},
		{"disable without reason", nb(`{"kernelspec": {"name": "gonbml"}, "gonbml": {"lint": {"disable": [{"rule": "title-purpose"}]}}}`, "code:%%\nfmt.Println(1)"), Config{}, []want{{RuleDisableWithReason, 0, 0}, {RuleTitlePurpose, 1, 0}}},
		{"disable unknown rule", nb(`{"kernelspec": {"name": "gonbml"}, "gonbml": {"lint": {"disable": [{"rule": "no-such-rule", "reason": "x"}, {"rule": "lint-disable", "reason": "x"}]}}}`, title), Config{}, []want{{RuleDisableWithReason, 0, 0}, {RuleDisableWithReason, 0, 0}}},
		{"malformed disable", nb(`{"kernelspec": {"name": "gonbml"}, "gonbml": {"lint": {"disable": "bad-name"}}}`, title), Config{}, []want{{RuleDisableWithReason, 0, 0}}},
		{"malformed cell disable", withCellMeta(nb("", title, "code:var tmp1 = 1"), 2, `{"gonbml": {"lint": {"disable": [{"rule": 3}]}}}`), Config{}, []want{{RuleDisableWithReason, 2, 0}, {RuleBadName, 2, 1}}},
		{"cell disable", withCellMeta(nb("", title, "code:var tmp1 = 1", "code:var tmp2 = 2"), 2, `{"gonbml": {"lint": {"disable": [{"rule": "bad-name", "reason": "the bad example of tip 1"}]}}}`), Config{}, []want{{RuleBadName, 3, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := LintNotebook("nb.ipynb", tt.data, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if g := got(res); !slices.Equal(g, tt.want) {
				t.Errorf("findings:\n got %v\nwant %v\n%s", g, tt.want, text(res))
			}
		})
	}
}

func text(res *Result) string {
	var b bytes.Buffer
	WriteText(&b, []*Result{res})
	return b.String()
}

func TestSuppressedKeepsReason(t *testing.T) {
	data := withCellMeta(nb("", title, "code:var tmp1 = 1"), 2, `{"gonbml": {"lint": {"disable": [{"rule": "bad-name", "reason": "the bad example of tip 1"}]}}}`)
	res, err := LintNotebook("nb.ipynb", data, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 || len(res.Suppressed) != 1 {
		t.Fatalf("got %d findings and %d suppressed, want 0 and 1", len(res.Findings), len(res.Suppressed))
	}
	if s := res.Suppressed[0]; s.Rule != RuleBadName || s.Reason != "the bad example of tip 1" || s.Cell != 2 {
		t.Errorf("suppressed %+v", s)
	}
}

func TestCommentedOutCode(t *testing.T) {
	tests := []struct {
		comment string
		code    bool
	}{
		// Prose, including prose that happens to parse.
		{"Load the corpus and count the words.", false},
		{"TODO: fix", false},
		{"Output:", false},
		{"return early", false},
		{"- item", false},
		{"x-y", false},
		{"see nmf.Fit for the solver", false},
		{"https://example.com/a/b", false},
		{"(1) tokenise, (2) classify", false},
		{"V ≈ W·H", false},
		{"break", false},
		{"nmf.Fit", false},
		{"loss = recon + beta*kl", false},
		{"V = W * H", false},
		{"ELBO = reconstruction - KL", false},
		{"total = sum(values)", true},
		{"counts = map[string]int{}", true},
		{"scores[i] /= 10", true},
		// Code.
		{"fmt.Println(x)", true},
		{"x := compute()", true},
		{"x++", true},
		{"return x, nil", true},
		{"for i := range xs {\n\txs[i] = 0\n}", true},
		{"func helper() {}", true},
		{"var cache map[string]int", true},
		{"%%\nfmt.Println(1)", true},
		{"import \"fmt\"", true},
		{"defer f.Close()", true},
		{"if err != nil {\n\tpanic(err)\n}", true},
	}
	for _, tt := range tests {
		var group []commentLine
		for k, line := range strings.Split(tt.comment, "\n") {
			group = append(group, commentLine{k + 1, line})
		}
		if got := len(commentedOutCode(group)) > 0; got != tt.code {
			t.Errorf("%q: code=%v, want %v", tt.comment, got, tt.code)
		}
	}
}

func TestCommentedOutRuns(t *testing.T) {
	// Prose, then two lines of code, then prose, then one line of code: two runs.
	group := []commentLine{{1, "Old approach:"}, {2, "x := load()"}, {3, "fmt.Println(x)"}, {4, "It was too slow."}, {5, "y := 3"}}
	runs := commentedOutCode(group)
	if want := []codeRun{{2, 3}, {5, 5}}; !slices.Equal(runs, want) {
		t.Errorf("runs %v, want %v", runs, want)
	}
}

func TestBadName(t *testing.T) {
	tests := []struct {
		name string
		bad  bool
	}{
		{"list1", true}, {"func1", true}, {"tmp2", true}, {"df3", true}, {"x", true}, {"df", true},
		{"foo", true}, {"tmp", true}, {"x2", true}, {"t0", true},
		{"i", false}, {"k", false}, {"W", false}, {"H", false}, {"X", false}, {"z", false}, {"mu", false},
		{"ok", false}, {"_", false}, {"flaggedCells", false}, {"topics", false}, {"base64", false}, {"word2vec", false}, {"l1Ratio", false},
	}
	for _, tt := range tests {
		why, hint := badName(tt.name)
		if (why != "") != tt.bad {
			t.Errorf("badName(%q) = %q, want bad=%v", tt.name, why, tt.bad)
		}
		if tt.bad && hint == "" {
			t.Errorf("badName(%q) has no hint", tt.name)
		}
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		data string
	}{
		{"not json", "{"},
		{"nbformat 3", `{"nbformat": 3, "worksheets": []}`},
		{"unknown cell type", `{"nbformat": 4, "cells": [{"cell_type": "heading", "source": ""}]}`},
		{"source of wrong type", `{"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}`},
	}
	for _, tt := range tests {
		if _, err := LintNotebook("bad.ipynb", []byte(tt.data), Config{}); err == nil || !strings.HasPrefix(err.Error(), "lint: ") {
			t.Errorf("%s: err = %v, want a lint: error", tt.name, err)
		}
	}
	if _, err := LintNotebook("nb.ipynb", nb("", title), Config{MinDuplicateLines: -1}); err == nil || !strings.Contains(err.Error(), "MinDuplicateLines") {
		t.Errorf("negative MinDuplicateLines: err = %v", err)
	}
	if _, err := LintFile(filepath.Join(t.TempDir(), "missing.ipynb"), Config{}); err == nil {
		t.Error("missing file: no error")
	}
}

func TestLocalPathInOutput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "checkout")
	if err := os.MkdirAll(filepath.Join(dir, "notebooks"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(dir + "/stdlib/datasets/cache.bin")
	data := withOutputs(nb("", title, "code@1:%%\nfmt.Println(1)"), 2, `[{"output_type": "stream", "name": "stdout", "text": `+string(out)+`}]`)
	res, err := LintNotebook(filepath.Join(dir, "notebooks", "a.ipynb"), data, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if g := got(res); !slices.Equal(g, []want{{RuleAbsolutePath, 2, 0}}) {
		t.Errorf("got %v, want the checkout's path flagged", g)
	}
}

func TestCommand(t *testing.T) {
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean.ipynb")
	if err := os.WriteFile(clean, nb("", title, "code:%%\nfmt.Println(1)"), 0o644); err != nil {
		t.Fatal(err)
	}
	notNB := filepath.Join(dir, "sub", "broken.ipynb")
	os.MkdirAll(filepath.Dir(notNB), 0o755)
	os.WriteFile(notNB, []byte("not json"), 0o644)
	messy := "../../notebooks/testdata/messy.ipynb"

	tests := []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{clean}, ExitClean, "0 findings in 1 notebook"},
		{[]string{messy}, ExitFindings, "messy.ipynb:cell 3:line 2: bad-name: variable \"df3\""},
		{[]string{"-format", "json", messy}, ExitFindings, `"rule": "duplicate-block"`},
		{[]string{"--format=json", clean}, ExitClean, `"findings": 0`},
		{[]string{"-rules"}, ExitClean, "commented-out-code"},
		{[]string{"-format", "xml", clean}, ExitUsage, ""},
		{[]string{}, ExitUsage, ""},
		{[]string{notNB}, ExitUsage, ""},
		{[]string{filepath.Join(dir, "nope.ipynb")}, ExitUsage, ""},
		{[]string{"-min-duplicate-lines", "1", clean}, ExitUsage, ""},
		{[]string{"../../notebooks/testdata"}, ExitFindings, "messy.ipynb"}, // a directory given explicitly is walked
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := Command(tt.args, &stdout, &stderr)
		if code != tt.code {
			t.Errorf("lint %v: exit %d, want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.code, stdout.String(), stderr.String())
		}
		if !strings.Contains(stdout.String(), tt.contains) {
			t.Errorf("lint %v: output lacks %q:\n%s", tt.args, tt.contains, stdout.String())
		}
		if tt.code == ExitUsage && stderr.Len() == 0 {
			t.Errorf("lint %v: exit 2 without a message on stderr", tt.args)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	res, err := LintFile("../../notebooks/testdata/messy.ipynb", Config{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, []*Result{res}); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Notebooks []Result `json:"notebooks"`
		Findings  int      `json:"findings"`
		Rules     []Rule   `json:"rules"`
	}
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Findings != len(res.Findings) || len(back.Notebooks) != 1 || !slices.Equal(back.Notebooks[0].Findings, res.Findings) {
		t.Errorf("JSON does not round-trip: %d findings back, want %d", back.Findings, len(res.Findings))
	}
	if len(back.Rules) != len(Rules()) {
		t.Errorf("JSON lists %d rules, want %d", len(back.Rules), len(Rules()))
	}
}

func TestNotebooksSkipsTestdata(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"a.ipynb", "testdata/messy.ipynb", ".ipynb_checkpoints/a-checkpoint.ipynb", "sub/b.ipynb", "notes.md", ".gonbml-run-1.ipynb"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), nil, 0o644)
	}
	paths, err := Notebooks(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "a.ipynb"), filepath.Join(dir, "sub/b.ipynb")}
	if !slices.Equal(paths, want) {
		t.Errorf("Notebooks = %v, want %v", paths, want)
	}
}

// TestRuleIDsStable pins the rule ids: scripts and notebook metadata refer
// to them, so renaming one is a breaking change.
// cellOf returns a code cell source of n lines: %% then n-1 statements.
func cellOf(n int) string {
	lines := []string{"%%"}
	for i := 1; i < n; i++ {
		lines = append(lines, fmt.Sprintf("step%d := %d", i, i)) // distinct lines: no duplicate-block
	}
	return strings.Join(lines, "\n")
}

func TestLengthRules(t *testing.T) {
	// 100 columns: `fmt.Println("` is 13, 85 letters, `")` 2.
	long := "%%\nfmt.Println(\"" + strings.Repeat("a", 85) + "\")"
	cases := []struct {
		name  string
		data  []byte
		cfg   Config
		wants []want
	}{
		{"40 lines is fine", nb("", title, "code@1:"+cellOf(40)), Config{}, nil},
		{"41 lines", nb("", title, "code@1:"+cellOf(41)), Config{}, []want{{RuleLongCell, 2, 0}}},
		{"a trailing newline is not a line", nb("", title, "code@1:"+cellOf(40)+"\n"), Config{}, nil},
		{"MaxCellLines", nb("", title, "code@1:"+cellOf(11)), Config{MaxCellLines: 10}, []want{{RuleLongCell, 2, 0}}},
		{"long Markdown is fine", nb("", title, "md:"+strings.Repeat("text\n", 60)+strings.Repeat("b", 300)), Config{}, nil},
		{"100 columns is fine", nb("", title, "code@1:"+long), Config{}, nil},
		{"101 columns", nb("", title, "code@1:"+long+"\nfmt.Println(\""+strings.Repeat("a", 86)+"\")"), Config{}, []want{{RuleLongLine, 2, 3}}},
		// A tab counts 4: 22 tabs and `fmt.Print(1)` are 88 + 12 = 100
		// columns; 23 tabs are 104.
		{"tabs count 4", nb("", title, "code@1:%%\n{\n"+strings.Repeat("\t", 22)+"fmt.Print(1)\n}"), Config{}, nil},
		{"tabs over the limit", nb("", title, "code@1:%%\n{\n"+strings.Repeat("\t", 23)+"fmt.Print(1)\n}"), Config{}, []want{{RuleLongLine, 2, 3}}},
		// Runes, not bytes: 60 two-byte letters are 60 columns.
		{"runes not bytes", nb("", title, "code@1:%%\nfmt.Println(\""+strings.Repeat("é", 60)+"\")"), Config{}, nil},
		{"MaxLineLength", nb("", title, "code@1:%%\nfmt.Println(12345)"), Config{MaxLineLength: 10}, []want{{RuleLongLine, 2, 2}}},
		{"disabled with a reason", withCellMeta(nb("", title, "code@1:"+cellOf(41)), 2, `{"gonbml": {"lint": {"disable": [{"rule": "long-cell", "reason": "a table literal"}]}}}`), Config{}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := LintNotebook("t.ipynb", c.data, c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if g := got(res); !slices.Equal(g, c.wants) {
				t.Errorf("findings %v, want %v", g, c.wants)
			}
		})
	}
	if err := (Config{MaxCellLines: -1}).Validate(); err == nil || !strings.Contains(err.Error(), "MaxCellLines") {
		t.Errorf("negative MaxCellLines: %v", err)
	}
	if err := (Config{MaxLineLength: -1}).Validate(); err == nil || !strings.Contains(err.Error(), "MaxLineLength") {
		t.Errorf("negative MaxLineLength: %v", err)
	}
}

func TestSharedFunction(t *testing.T) {
	check := "code@1:func check(err error) {\n\tif err != nil {\n\t\tpanic(err)\n\t}\n}"
	type file struct {
		path string
		data []byte
	}
	cases := []struct {
		name  string
		files []file
		wants map[string][]want // by path
	}{
		{"same directory", []file{
			{"a/one.ipynb", nb("", title, check)},
			{"a/two.ipynb", nb("", title, "code@1:%%\nfmt.Println(1)", "code@2:"+strings.TrimPrefix(check, "code@1:"))},
		}, map[string][]want{"a/one.ipynb": {{RuleSharedFunction, 2, 1}}, "a/two.ipynb": {{RuleSharedFunction, 3, 1}}}},
		{"other directories are independent", []file{
			{"a/one.ipynb", nb("", title, check)},
			{"b/two.ipynb", nb("", title, check)},
		}, nil},
		{"methods by receiver type", []file{
			{"a/one.ipynb", nb("", title, "code@1:type split struct{}\nfunc (s *split) Train() int { return 1 }")},
			{"a/two.ipynb", nb("", title, "code@1:type split struct{}\nfunc (s split) Train() int { return 2 }\nfunc (s split) Test() int { return 3 }")},
			{"a/three.ipynb", nb("", title, "code@1:type other struct{}\nfunc (o other) Train() int { return 4 }")},
		}, map[string][]want{"a/one.ipynb": {{RuleSharedFunction, 2, 2}}, "a/two.ipynb": {{RuleSharedFunction, 2, 2}}}},
		{"main and init are not shared", []file{
			{"a/one.ipynb", nb("", title, "code@1:func init() {}\nfunc main() { fmt.Println(1) }")},
			{"a/two.ipynb", nb("", title, "code@1:func init() {}\nfunc main() { fmt.Println(2) }")},
		}, nil},
		{"disabled with a reason", []file{
			{"a/one.ipynb", withCellMeta(nb("", title, check), 2, `{"gonbml": {"lint": {"disable": [{"rule": "shared-function", "reason": "the bad example"}]}}}`)},
			{"a/two.ipynb", nb("", title, check)},
		}, map[string][]want{"a/two.ipynb": {{RuleSharedFunction, 2, 1}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			var paths []string
			for _, f := range c.files {
				p := filepath.Join(dir, f.path)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.data, 0o644); err != nil {
					t.Fatal(err)
				}
				paths = append(paths, p)
			}
			results, errs := LintFiles(paths, Config{})
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			for _, res := range results {
				rel, _ := filepath.Rel(dir, res.Path)
				if g := got(res); !slices.Equal(g, c.wants[rel]) {
					t.Errorf("%s: findings %v, want %v", rel, g, c.wants[rel])
				}
				for _, f := range res.Findings {
					if !strings.Contains(f.Hint, "stdlib") || !strings.Contains(f.Message, "also defined in") || f.CellID == "" {
						t.Errorf("finding %+v lacks the other notebook, a stdlib hint or the cell id", f)
					}
				}
			}
		})
	}
}

func TestRuleIDsStable(t *testing.T) {
	var ids []string
	for _, r := range Rules() {
		ids = append(ids, r.ID)
		if r.Summary == "" || r.Tip == "" || (r.Severity != Error && r.Severity != Warning) {
			t.Errorf("rule %s is not fully described", r.ID)
		}
	}
	want := []string{"exec-order", "empty-cell", "commented-out-cell", "comment-only-cell", "commented-out-code",
		"duplicate-block", "bad-name", "title-purpose", "mixed-purpose", "error-output", "absolute-path",
		"output-size", "bundle-output", "go-syntax", "kernelspec", "long-cell", "long-line", "shared-function", "lint-disable"}
	if !slices.Equal(ids, want) {
		t.Errorf("rule ids %v, want %v", ids, want)
	}
}

// TestEveryRuleIsTested runs after the tests above (go test runs tests in
// source order) and checks that each rule fired in at least one of them.
func TestEveryRuleIsTested(t *testing.T) {
	if len(rulesSeen) == 0 {
		t.Skip("run with the whole file: relies on the tests above")
	}
	for _, r := range Rules() {
		if !rulesSeen[r.ID] {
			t.Errorf("no test makes rule %s fire", r.ID)
		}
	}
}

// The clean-notebooks notebook shows "one notebook, one purpose" with these
// testdata notebooks: the one doing two jobs must draw mixed-purpose, the two
// it is split into must pass every rule.
func TestOnePurposePair(t *testing.T) {
	bad, err := LintFile("../../notebooks/testdata/reviews-all-in-one.ipynb", Config{})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(bad.Findings); got != 1 || bad.Findings[0].Rule != RuleMixedPurpose {
		t.Errorf("reviews-all-in-one: %d findings %v, want exactly one %s", got, bad.Findings, RuleMixedPurpose)
	}
	for _, name := range []string{"reviews-prepare.ipynb", "reviews-topics.ipynb"} {
		clean, err := LintFile("../../notebooks/testdata/"+name, Config{})
		if err != nil {
			t.Fatal(err)
		}
		if len(clean.Findings) != 0 {
			t.Errorf("%s: %d findings, want none: %v", name, len(clean.Findings), clean.Findings)
		}
	}
}
