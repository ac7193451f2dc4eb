package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/gonbml/gonbml/kernel/relay"
	"github.com/gonbml/gonbml/kernel/setup"
)

func init() {
	register("kernel", "run GoNB with the stdlib preloaded behind the relay (Jupyter runs this from the kernelspec)", runKernel)
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
	online := false
	env, _, err := setup.KernelEnv(l, func(p string) bool {
		online = setup.Online(p, 700*time.Millisecond)
		return online
	})
	if err != nil {
		fmt.Fprintln(stderr, "gonbml kernel:", err)
		return 1
	}
	gonb := filepath.Join(l.BinDir, "gonb")
	if _, err := os.Stat(gonb); err != nil {
		fmt.Fprintf(stderr, "gonbml kernel: %s is missing: run 'make install' in %s\n", gonb, l.Root)
		return 1
	}
	if dir, err := goplsGuardDir(env, filepath.Join(l.BinDir, "gopls")); err != nil {
		fmt.Fprintln(stderr, "gonbml kernel: gopls guard:", err, "(gopls may outlive a killed kernel)")
	} else {
		defer os.RemoveAll(dir)
	}
	var extra []string
	if *rawError {
		extra = append(extra, "--raw_error")
	}
	// A relay, not an exec: it turns a cell whose program fails into an
	// error, answers what GoNB leaves unanswered, and stops everything
	// GoNB started when the kernel stops (see kernel/relay).
	code, err := relay.Run(relay.Config{
		ConnectionFile: *conn,
		Gonb:           gonb,
		GonbArgs:       extra,
		Env:            setup.Environ(env),
		Log:            stderr,
		Notice:         offlineNotice(l, online),
	})
	if err != nil {
		fmt.Fprintln(stderr, "gonbml kernel:", err)
	}
	return code
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

// offlineNotice is the one line a user sees in the first cell when the
// network proxy is out of reach and the checksum lookups a stdlib cell needs
// were never cached (install ran offline, or not at all).
func offlineNotice(l setup.Layout, online bool) string {
	if online {
		return ""
	}
	if p := setup.OfflineProblem(l); p != "" {
		return "gonbml: " + p
	}
	return ""
}
