package lint

// Severity says how sure a rule is. Every finding, warning or error, makes
// the linter exit non-zero; warnings come from heuristics that a notebook
// may switch off with a reason.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Rule describes one check. ID is stable: scripts, JSON consumers and
// metadata.gonbml.lint.disable entries refer to it.
type Rule struct {
	ID       string   `json:"id"`
	Tip      string   `json:"tip"` // the clean-notebook tip the rule enforces
	Severity Severity `json:"severity"`
	Summary  string   `json:"summary"`
}

// Rule IDs.
const (
	RuleExecOrder         = "exec-order"
	RuleEmptyCell         = "empty-cell"
	RuleCommentedOutCell  = "commented-out-cell"
	RuleCommentOnlyCell   = "comment-only-cell"
	RuleCommentedOutCode  = "commented-out-code"
	RuleDuplicateBlock    = "duplicate-block"
	RuleBadName           = "bad-name"
	RuleTitlePurpose      = "title-purpose"
	RuleMixedPurpose      = "mixed-purpose"
	RuleErrorOutput       = "error-output"
	RuleAbsolutePath      = "absolute-path"
	RuleOutputSize        = "output-size"
	RuleBundleOutput      = "bundle-output"
	RuleGoSyntax          = "go-syntax"
	RuleKernelspec        = "kernelspec"
	RuleDisableWithReason = "lint-disable"
	RuleLongCell          = "long-cell"
	RuleLongLine          = "long-line"
	RuleSharedFunction    = "shared-function"
)

var rules = []Rule{
	{RuleExecOrder, "don't reorder cells", Error, "saved execution counts run 1, 2, 3, ... top to bottom with no gaps"},
	{RuleEmptyCell, "no dead cells", Error, "no empty cells"},
	{RuleCommentedOutCell, "no dead cells", Error, "no code cells that are entirely commented-out code"},
	{RuleCommentOnlyCell, "no dead cells", Error, "no code cells holding only prose comments (that is a Markdown cell)"},
	{RuleCommentedOutCode, "no dead cells", Error, "no commented-out code inside a cell (comments that parse as Go statements or declarations)"},
	{RuleDuplicateBlock, "avoid duplication", Warning, "no block of MinDuplicateLines or more similar lines repeated across the notebook"},
	{RuleBadName, "good names", Warning, "no meaningless names at cell top level (list1, func1, tmp2, df3, x); math names in AllowedShortNames are fine"},
	{RuleTitlePurpose, "one notebook, one purpose", Error, "the first cell is Markdown: a # title and a paragraph saying the notebook's purpose"},
	{RuleMixedPurpose, "one notebook, one purpose", Warning, "a notebook does not both export prepared data files and train models"},
	{RuleErrorOutput, "outputs", Error, "no error outputs saved"},
	{RuleAbsolutePath, "outputs", Error, "no absolute paths of the author's machine in outputs"},
	{RuleOutputSize, "outputs", Error, "saved outputs stay under MaxOutputBytes in total"},
	{RuleBundleOutput, "outputs", Error, "no inlined ECharts bundle saved in the notebook (a downloaded bundle does not belong in the repository)"},
	{RuleGoSyntax, "runs top to bottom", Error, "every Go cell parses (GoNB cell syntax)"},
	{RuleKernelspec, "runs top to bottom", Error, "the notebook's kernelspec is gonbml"},
	{RuleLongCell, "functions belong in a library", Error, "a code cell has at most MaxCellLines lines (default 40): setup belongs in the stdlib"},
	{RuleLongLine, "functions belong in a library", Error, "a code line is at most MaxLineLength columns (default 100, a tab counting 4)"},
	{RuleSharedFunction, "functions belong in a library", Error, "no function or method defined in two notebooks of the same directory: it belongs in the stdlib"},
	{RuleDisableWithReason, "rules are guidelines", Error, "every disabled rule names a known rule and gives a reason; cannot be disabled"},
}

// Rules returns every rule the linter checks, in report order.
func Rules() []Rule {
	return append([]Rule(nil), rules...)
}

func ruleByID(id string) (Rule, bool) {
	for _, r := range rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// AllowedShortNames are the one- and two-letter names that bad-name accepts
// at cell top level, because papers and the libraries users know spell them
// that way:
//
//	i, j, k     loop indices
//	n, m        counts and sizes (n samples, m features)
//	X, Y        data matrices, rows are samples (scikit-learn)
//	W, H, V     NMF factors and the matrix they approximate (V ≈ W·H)
//	A           a generic matrix in linear algebra
//	z, mu       a VAE's latent code and its mean
//	ok, id      Go's comma-ok idiom and identifiers
//
// Any other name of one or two letters (x, df, t0, ...) is flagged at cell
// top level, where it lives for the rest of the notebook. Inside functions,
// loops and other short scopes every name is allowed.
var AllowedShortNames = []string{"i", "j", "k", "n", "m", "X", "Y", "W", "H", "V", "A", "z", "mu", "ok", "id"}

// genericStems are words that say nothing about a value; with a number
// appended (list1, df3, tmp2) they are the article's example of bad names,
// and a few are flagged on their own too (see genericAlone).
var genericStems = []string{
	"list", "lst", "arr", "array", "slice", "func", "fn", "f", "fun", "tmp", "temp",
	"df", "data", "dat", "var", "val", "value", "values", "res", "result", "results",
	"out", "output", "obj", "object", "item", "thing", "stuff", "foo", "bar", "baz",
	"test", "new", "my", "x", "y", "a", "b", "c", "s", "t", "v", "m", "n", "d", "l",
	"p", "q", "r", "u", "w", "e", "g", "o", "num", "str", "map", "dict", "mat", "vec",
}

// genericAlone are names flagged even without a number.
var genericAlone = []string{"foo", "bar", "baz", "qux", "tmp", "temp", "stuff", "thing", "dummy", "blah", "asdf"}
