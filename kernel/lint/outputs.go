package lint

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

func jsonUnmarshal(raw []byte, v any) error { return json.Unmarshal(raw, v) }

func parseSource(src string) (*ast.File, error) {
	return parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
}

// homePaths match absolute paths inside someone's home directory, on Linux,
// macOS and Windows. A path must start a word, so URLs do not match.
var homePaths = []struct {
	re   *regexp.Regexp
	kind string
}{
	{regexp.MustCompile(`(?:^|[^\w./~-])/home/[^/\s"'<>]+/`), "inside a home directory"},
	{regexp.MustCompile(`(?:^|[^\w./~-])/Users/[^/\s"'<>]+/`), "inside a macOS home directory"},
	{regexp.MustCompile(`(?:^|[^\w./~-])/root/`), "inside the root user's home"},
	{regexp.MustCompile(`(?i)(?:^|[^\w])[a-z]:\\Users\\`), "inside a Windows home directory"},
}

// absolutePath returns how text shows an absolute path of the author's
// machine, or "" when it does not.
func (l *linter) absolutePath(text string) string {
	for _, h := range homePaths {
		if h.re.MatchString(text) {
			return h.kind
		}
	}
	for _, root := range l.localRoots {
		if strings.Contains(text, root+string(filepath.Separator)) {
			return "inside this checkout (the notebook's own directory or repository)"
		}
	}
	return ""
}

// localRoots returns the absolute directory of the notebook and the
// directory of the go.mod above it, if any. Paths too short to be specific
// ("/", "/work") are left out.
func localRoots(path string) []string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil
	}
	dir := filepath.Dir(abs)
	roots := []string{dir}
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			if d != dir {
				roots = append(roots, d)
			}
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	var out []string
	for _, r := range roots {
		if strings.Count(filepath.ToSlash(r), "/") >= 2 {
			out = append(out, r)
		}
	}
	return out
}
