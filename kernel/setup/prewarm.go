package setup

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// StdlibPackages lists the import paths of the stdlib packages in the
// checkout (directories under stdlib/ with non-test Go files).
func StdlibPackages(l Layout) ([]string, error) {
	var pkgs []string
	err := filepath.WalkDir(filepath.Join(l.Root, "stdlib"), func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// internal packages cannot be imported from outside the
			// module; the public packages that use them compile them.
			if d.Name() == "testdata" || d.Name() == "internal" || strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			rel, _ := filepath.Rel(l.Root, filepath.Dir(path))
			p := ModulePath + "/" + filepath.ToSlash(rel)
			if len(pkgs) == 0 || pkgs[len(pkgs)-1] != p {
				pkgs = append(pkgs, p)
			}
		}
		return nil
	})
	sort.Strings(pkgs)
	return compact(pkgs), err
}

func compact(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// PrewarmImports are compiled besides the stdlib: what a first cell imports.
var PrewarmImports = []string{
	"gonum.org/v1/gonum/mat",
	"gonum.org/v1/gonum/stat",
	"github.com/go-echarts/go-echarts/v2/charts",
	"github.com/go-echarts/go-echarts/v2/opts",
	"github.com/janpfeifer/gonb/gonbui",
	"github.com/janpfeifer/gonb/cache",
}

// Prewarm does once what GoNB does for a first cell — `go mod init`, `go get`
// and `go build` of a program importing every stdlib package — in the
// kernel's environment, so the Go build cache already holds the snapshot's
// compiled packages and the first real cell only compiles itself. Online, its
// `go get` also fills the module cache's checksum lookups an offline cell
// needs; it records which in PrewarmSumFile.
func Prewarm(l Layout, env map[string]string) error {
	pkgs, err := StdlibPackages(l)
	if err != nil {
		return fmt.Errorf("setup: prewarm: %w", err)
	}
	dir, err := os.MkdirTemp("", "gonbml-prewarm")
	if err != nil {
		return fmt.Errorf("setup: prewarm: %w", err)
	}
	defer os.RemoveAll(dir)
	var src strings.Builder
	src.WriteString("package main\n\nimport (\n")
	for _, p := range append(pkgs, PrewarmImports...) {
		fmt.Fprintf(&src, "\t_ %q\n", p)
	}
	src.WriteString(")\n\nfunc main() {}\n")
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src.String()), 0o644); err != nil {
		return err
	}
	for _, args := range [][]string{
		{"mod", "init", "gonb_prewarm"},
		{"get"},
		{"build", "-o", filepath.Join(dir, "prewarm")},
	} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = Environ(env)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("setup: prewarm: go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// What was verified here is what an offline cell will need from the
	// checksum cache (see OfflineProblem).
	return savePrewarmSum(l, filepath.Join(dir, "go.sum"))
}

// JupyterPython returns the Python interpreter that has Jupyter: $JUPYTER_PYTHON,
// else Debian's /usr/bin/python3 (the default python3 on these machines is
// another interpreter without Jupyter), else python3 on PATH.
func JupyterPython() (string, error) {
	if p := os.Getenv("JUPYTER_PYTHON"); p != "" {
		// An explicit choice is honoured strictly.
		if err := exec.Command(p, "-c", "import jupyter_client, nbclient, nbformat").Run(); err != nil {
			return "", fmt.Errorf("setup: JUPYTER_PYTHON=%s cannot import jupyter_client, nbclient and nbformat: install them there ('pip install jupyterlab nbclient') or unset JUPYTER_PYTHON", p)
		}
		return p, nil
	}
	cands := []string{"/usr/bin/python3"}
	if p, err := exec.LookPath("python3"); err == nil {
		cands = append(cands, p)
	}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if err := exec.Command(c, "-c", "import jupyter_client, nbclient, nbformat").Run(); err == nil {
			return c, nil
		}
	}
	return "", fmt.Errorf("setup: Jupyter is not installed: on Debian run 'sudo apt-get install jupyter-notebook python3-nbclient python3-nbconvert python3-jupyter-client' (or 'make install'); elsewhere 'pip install jupyterlab nbclient' and set JUPYTER_PYTHON")
}
