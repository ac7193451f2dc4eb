package integration

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/gonbml/gonbml/internal/testenv"

	"github.com/gonbml/gonbml/kernel/setup"
)

// env is the test installation: a freshly built gonbml in its own bin dir
// (beside links to the gonb, goimports and gopls that 'make install' built)
// and a kernelspec in a temporary JUPYTER_DATA_DIR.
type env struct {
	root    string
	bin     string
	jupyter string
	vars    []string // os.Environ() plus the test's settings
}

// require skips a test whose real component is missing, except under
// CI=true where a missing component is a failure.
func require(t *testing.T, what string, err error) {
	t.Helper()
	testenv.Require(t, what, err)
}

func repoRoot(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}

// newEnv builds gonbml and installs the kernel for root into a temporary
// Jupyter data dir. dataDir "" keeps the real data dir (so the snapshot
// 'make install' pre-warmed is reused).
func newEnv(t *testing.T, root, dataDir string) *env {
	t.Helper()
	_, err := setup.JupyterPython()
	require(t, "Jupyter (nbclient)", err)
	repo := repoRoot(t)
	for _, tool := range []string{"gonb", "goimports", "gopls"} {
		_, err := os.Stat(filepath.Join(repo, "bin", tool))
		require(t, "bin/"+tool+" (run 'make install')", err)
	}
	tmp := t.TempDir()
	e := &env{root: root, bin: filepath.Join(tmp, "bin"), jupyter: filepath.Join(tmp, "jupyter")}
	os.MkdirAll(e.bin, 0o755)
	build := exec.Command("go", "build", "-o", filepath.Join(e.bin, "gonbml"), "./kernel/cmd/gonbml")
	build.Dir = repo
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building gonbml: %v\n%s", err, out)
	}
	for _, tool := range []string{"gonb", "goimports", "gopls"} {
		if err := os.Symlink(filepath.Join(repo, "bin", tool), filepath.Join(e.bin, tool)); err != nil {
			t.Fatal(err)
		}
	}
	e.vars = append(os.Environ(), "JUPYTER_DATA_DIR="+e.jupyter, "GONBML_BIN="+e.bin, "GONBML_ROOT="+root)
	if dataDir != "" {
		e.vars = append(e.vars, "GONBML_DATA="+dataDir)
	}
	out, err := e.gonbml("install", "--root", root, "--no-prewarm")
	if err != nil {
		t.Fatalf("gonbml install: %v\n%s", err, out)
	}
	return e
}

// gonbml runs the freshly built command with the test environment.
func (e *env) gonbml(args ...string) (string, error) {
	cmd := exec.Command(filepath.Join(e.bin, "gonbml"), args...)
	cmd.Env = e.vars
	cmd.Dir = e.root
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// notebook writes a notebook of Go code cells (markdown cells start with "#").
func notebook(t *testing.T, dir, name string, cells ...string) string {
	t.Helper()
	type cell struct {
		CellType       string         `json:"cell_type"`
		Metadata       map[string]any `json:"metadata"`
		Source         string         `json:"source"`
		Outputs        []any          `json:"outputs,omitempty"`
		ExecutionCount any            `json:"execution_count,omitempty"`
	}
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{"kernelspec": map[string]string{"name": "gonbml", "display_name": "Go (gonbml)", "language": "go"}},
	}
	var cs []map[string]any
	for _, src := range cells {
		if strings.HasPrefix(src, "#") {
			cs = append(cs, map[string]any{"cell_type": "markdown", "metadata": map[string]any{}, "source": src})
			continue
		}
		cs = append(cs, map[string]any{"cell_type": "code", "metadata": map[string]any{}, "source": src, "outputs": []any{}, "execution_count": nil})
	}
	nb["cells"] = cs
	data, _ := json.MarshalIndent(nb, "", " ")
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// outputsText returns all text outputs of an executed notebook.
func outputsText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			Outputs []struct {
				Text any            `json:"text"`
				Data map[string]any `json:"data"`
			} `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(data, &nb); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			b.WriteString(joinText(o.Text))
			for mime, v := range o.Data {
				b.WriteString(mime + ": " + joinText(v) + "\n")
			}
		}
	}
	return b.String()
}

func joinText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		var s strings.Builder
		for _, p := range x {
			s.WriteString(joinText(p))
		}
		return s.String()
	}
	return ""
}

// newGroup puts a command in its own process group, so killGroup stops it
// and everything it started.
func newGroup() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

func killPid(pid int) error { return syscall.Kill(pid, syscall.SIGKILL) }
