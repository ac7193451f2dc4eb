package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/gonbml/gonbml/kernel/setup"
)

func init() {
	register("install", "register the \"Go (gonbml)\" kernel with Jupyter and pre-warm the build cache", runInstall)
}

// toolPackages are built into bin/: GoNB itself and the two helpers it
// runs for every cell (goimports) and for completion (gopls).
var toolPackages = []string{"github.com/janpfeifer/gonb", "golang.org/x/tools/cmd/goimports", "golang.org/x/tools/gopls"}

func runInstall(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("install", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", "", "gonbml checkout (default: found from the executable or working directory)")
	prefix := fs.String("prefix", "", "install into PREFIX/share/jupyter/kernels (like ipykernel --prefix)")
	user := fs.Bool("user", true, "install for the current user (JUPYTER_DATA_DIR if set); the default")
	noPrewarm := fs.Bool("no-prewarm", false, "skip compiling the stdlib into the Go build cache")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	_ = user // the per-user location is the default; --prefix overrides it
	fail := func(err error) int { fmt.Fprintln(stderr, "gonbml install:", err); return 1 }

	l, err := setup.FindLayout(*root)
	if err != nil {
		return fail(err)
	}
	goenv, err := setup.GoEnv("GOROOT")
	if err != nil {
		return fail(err)
	}
	if _, err := setup.JupyterPython(); err != nil {
		return fail(err)
	}
	if err := buildTools(l, stderr); err != nil {
		return fail(err)
	}
	dir, err := setup.KernelsDir(*prefix)
	if err != nil {
		return fail(err)
	}
	changed, err := setup.WriteKernelspec(dir, setup.KernelName, setup.NewKernelspec(l, goenv["GOROOT"]))
	if err != nil {
		return fail(err)
	}
	if changed {
		fmt.Fprintf(stdout, "installed kernel %q (Go (gonbml)) in %s\n", setup.KernelName, filepath.Join(dir, setup.KernelName))
	} else {
		fmt.Fprintf(stdout, "kernel %q already installed in %s\n", setup.KernelName, filepath.Join(dir, setup.KernelName))
	}
	if *noPrewarm {
		return 0
	}
	start := time.Now()
	// Online, the user's GOPROXY follows the local file proxies so checksum
	// lookups go through it (file proxies cannot answer them). Offline, the
	// lookups must already be in the module cache.
	online := false
	env, snap, err := setup.KernelEnv(l, func(p string) bool {
		online = setup.Online(p, 2*time.Second)
		return online
	})
	if err != nil {
		return fail(err)
	}
	if !online {
		if problem := setup.OfflineProblem(l); problem != "" {
			return fail(errors.New(problem))
		}
	}
	if err := setup.Prewarm(l, env); err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "stdlib %s compiled into the Go build cache in %.1fs\n", snap.Version, time.Since(start).Seconds())
	return 0
}

// buildTools builds gonb, goimports and gopls into bin/ at the versions
// pinned in go.mod, unless bin/ already holds a build from the same pins
// (a stamp file records the module versions they were built from).
func buildTools(l setup.Layout, stderr io.Writer) (err error) {
	list := exec.Command("go", "list", "-m", "github.com/janpfeifer/gonb", "golang.org/x/tools", "golang.org/x/tools/gopls")
	list.Dir = l.Root
	pins, err := list.Output()
	if err != nil {
		return fmt.Errorf("reading the tool versions from go.mod: %w", err)
	}
	stamp := filepath.Join(l.BinDir, ".tools-stamp")
	fresh := true
	if old, err := os.ReadFile(stamp); err != nil || string(old) != string(pins) {
		fresh = false
	}
	for _, name := range []string{"gonb", "goimports", "gopls"} {
		if _, err := os.Stat(filepath.Join(l.BinDir, name)); err != nil {
			fresh = false
		}
	}
	if fresh {
		return nil
	}
	defer func() {
		if err == nil {
			err = os.WriteFile(stamp, pins, 0o644)
		}
	}()
	fmt.Fprintln(stderr, "building gonb, goimports and gopls (pinned in go.mod) into", l.BinDir)
	cmd := exec.Command("go", append([]string{"build", "-o", l.BinDir + string(filepath.Separator)}, toolPackages...)...)
	cmd.Dir = l.Root
	cmd.Stdout, cmd.Stderr = stderr, stderr
	start := time.Now()
	if err = cmd.Run(); err != nil {
		return fmt.Errorf("building the kernel tools failed: %w", err)
	}
	fmt.Fprintf(stderr, "built gonb, goimports and gopls in %.0fs\n", time.Since(start).Seconds())
	return nil
}
