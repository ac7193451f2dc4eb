package setup

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// KernelName is the kernelspec name notebooks refer to.
const KernelName = "gonbml"

// Kernelspec is Jupyter's kernel.json.
type Kernelspec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env"`
	Metadata      map[string]any    `json:"metadata,omitempty"`
}

// NewKernelspec returns gonbml's kernelspec for the checkout l. The env puts
// gonb, goimports, gopls and the Go toolchain first on PATH; the launcher
// adds the module proxy settings at every start.
func NewKernelspec(l Layout, goroot string) Kernelspec {
	return Kernelspec{
		Argv:          []string{filepath.Join(l.BinDir, "gonbml"), "kernel", "--root", l.Root, "--kernel", "{connection_file}"},
		DisplayName:   "Go (gonbml)",
		Language:      "go",
		InterruptMode: "message",
		Env: map[string]string{
			"PATH":        l.BinDir + string(os.PathListSeparator) + filepath.Join(goroot, "bin") + string(os.PathListSeparator) + os.Getenv("PATH"),
			"GONBML_ROOT": l.Root,
			"GONBML_DATA": l.DataDir,
			"GONBML_BIN":  l.BinDir,
		},
	}
}

// KernelsDir returns the directory that holds kernelspecs, following
// ipykernel's choices: --prefix P gives P/share/jupyter/kernels; otherwise
// JUPYTER_DATA_DIR/kernels, else the per-user data dir.
func KernelsDir(prefix string) (string, error) {
	if prefix != "" {
		return filepath.Join(prefix, "share", "jupyter", "kernels"), nil
	}
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return filepath.Join(d, "kernels"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("setup: no home directory (set JUPYTER_DATA_DIR): %w", err)
	}
	if runtime.GOOS == "darwin" {
		return filepath.Join(home, "Library", "Jupyter", "kernels"), nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "jupyter", "kernels"), nil
	}
	return filepath.Join(home, ".local", "share", "jupyter", "kernels"), nil
}

// WriteKernelspec installs spec as kernelsDir/name, atomically: the files
// are written into a temporary sibling directory which then replaces any
// previous install in one rename, so Jupyter never sees half a kernelspec.
// It reports whether anything changed.
func WriteKernelspec(kernelsDir, name string, spec Kernelspec) (changed bool, err error) {
	data, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return false, err
	}
	data = append(data, '\n')
	final := filepath.Join(kernelsDir, name)
	if old, err := os.ReadFile(filepath.Join(final, "kernel.json")); err == nil && string(old) == string(data) {
		if _, err := os.Stat(filepath.Join(final, "logo-64x64.png")); err == nil {
			return false, nil
		}
	}
	if err := os.MkdirAll(kernelsDir, 0o755); err != nil {
		return false, fmt.Errorf("setup: cannot create the Jupyter kernels directory %s: %w (set JUPYTER_DATA_DIR or use --prefix)", kernelsDir, err)
	}
	tmp, err := os.MkdirTemp(kernelsDir, "."+name+".tmp")
	if err != nil {
		return false, fmt.Errorf("setup: cannot write to %s: %w (set JUPYTER_DATA_DIR or use --prefix)", kernelsDir, err)
	}
	defer os.RemoveAll(tmp) // no-op after a successful rename
	if err := os.Chmod(tmp, 0o755); err != nil {
		return false, err
	}
	files := map[string][]byte{"kernel.json": data}
	for size, png := range Logos() {
		files[fmt.Sprintf("logo-%dx%d.png", size, size)] = png
	}
	for f, b := range files {
		if err := os.WriteFile(filepath.Join(tmp, f), b, 0o644); err != nil {
			return false, fmt.Errorf("setup: %w", err)
		}
	}
	// Swap: move the old install aside, the new one in, then drop the old.
	var aside string
	if _, err := os.Stat(final); err == nil {
		aside = tmp + ".old"
		if err := os.Rename(final, aside); err != nil {
			return false, fmt.Errorf("setup: %w", err)
		}
	}
	if err := os.Rename(tmp, final); err != nil {
		if aside != "" {
			os.Rename(aside, final)
		}
		return false, fmt.Errorf("setup: %w", err)
	}
	if aside != "" {
		os.RemoveAll(aside)
	}
	return true, nil
}

// ReadKernelspec reads kernelsDir/name/kernel.json.
func ReadKernelspec(kernelsDir, name string) (Kernelspec, error) {
	var spec Kernelspec
	data, err := os.ReadFile(filepath.Join(kernelsDir, name, "kernel.json"))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return spec, fmt.Errorf("setup: kernel %q is not installed in %s (run 'make install')", name, kernelsDir)
		}
		return spec, err
	}
	return spec, json.Unmarshal(data, &spec)
}
