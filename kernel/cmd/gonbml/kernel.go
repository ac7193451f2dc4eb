package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gonbml/gonbml/kernel/setup"
)

func init() {
	register("kernel", "launch GoNB with the stdlib preloaded (Jupyter runs this from the kernelspec)", runKernel)
	register("publish", "refresh the stdlib snapshot a running kernel's next cell will use", runPublish)
}

func runKernel(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kernel", flag.ContinueOnError)
	fs.SetOutput(stderr)
	conn := fs.String("kernel", "", "Jupyter connection file (Jupyter passes {connection_file})")
	root := fs.String("root", "", "gonbml checkout (default: found from the executable)")
	rawError := fs.Bool("raw_error", os.Getenv("GONBML_RAW_ERROR") == "1", "plain-text compiler errors (set by 'gonbml run'; default from GONBML_RAW_ERROR=1)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *conn == "" {
		fmt.Fprintln(stderr, "gonbml kernel: --kernel CONNECTION_FILE is required (Jupyter passes it; use 'gonbml install' to register the kernel)")
		return 2
	}
	l, err := setup.FindLayout(*root)
	if err != nil {
		fmt.Fprintln(stderr, "gonbml kernel:", err)
		return 1
	}
	env, _, err := setup.KernelEnv(l, func(p string) bool { return setup.Online(p, 700*time.Millisecond) })
	if err != nil {
		fmt.Fprintln(stderr, "gonbml kernel:", err)
		return 1
	}
	gonb := filepath.Join(l.BinDir, "gonb")
	if _, err := os.Stat(gonb); err != nil {
		fmt.Fprintf(stderr, "gonbml kernel: %s is missing: run 'make install' in %s\n", gonb, l.Root)
		return 1
	}
	argv := []string{gonb, "--kernel", *conn}
	if *rawError {
		argv = append(argv, "--raw_error")
	}
	// Exec, not a child: Jupyter's signals and the process lifetime then
	// belong to GoNB itself.
	err = syscall.Exec(gonb, argv, setup.Environ(env))
	fmt.Fprintln(stderr, "gonbml kernel: exec gonb:", err)
	return 1
}

func runPublish(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("publish", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", "", "gonbml checkout (default: found from the executable or working directory)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	l, err := setup.FindLayout(*root)
	if err != nil {
		fmt.Fprintln(stderr, "gonbml publish:", err)
		return 1
	}
	_, snap, err := setup.KernelEnv(l, func(string) bool { return false })
	if err != nil {
		fmt.Fprintln(stderr, "gonbml publish:", err)
		return 1
	}
	state := "unchanged"
	if snap.Created {
		state = "new"
	}
	fmt.Fprintf(stdout, "%s@%s (%s)\n", snap.Module, snap.Version, state)
	return 0
}
