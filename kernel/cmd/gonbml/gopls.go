package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// The kernel puts a directory first on GoNB's PATH whose "gopls" is this
// program: GoNB starts it as its gopls, it asks Linux to SIGKILL it when
// GoNB dies (the parent-death signal survives exec), then becomes the real
// gopls. GoNB stops its gopls when it exits normally, but not always when it
// dies on a signal (Jupyter's shutdown_kernel(now=True) SIGKILLs the relay,
// and GoNB gets SIGTERM as its parent dies): a gopls left then would outlive
// the kernel, reparented to init where the relay's subreaper cannot reach it.

// goplsGuardEnv names the real gopls for the guard.
const goplsGuardEnv = "GONBML_GOPLS"

// isGoplsGuard reports whether this process was started as the guard.
func isGoplsGuard() bool {
	return filepath.Base(os.Args[0]) == "gopls" && os.Getenv(goplsGuardEnv) != ""
}

// runGoplsGuard sets the parent-death signal and execs the real gopls with
// args; it returns only on failure.
func runGoplsGuard(args []string, stderr io.Writer) int {
	real := os.Getenv(goplsGuardEnv)
	parent := os.Getppid()
	// The signal is tied to the thread that sets it only for the parent's
	// side; ours must be set on the thread that then calls exec.
	runtime.LockOSThread()
	if err := unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(unix.SIGKILL), 0, 0, 0); err != nil {
		fmt.Fprintf(stderr, "gonbml: gopls guard: %v (gopls may outlive the kernel)\n", err)
	}
	if os.Getppid() != parent {
		return 1 // GoNB died before the signal was set: nothing to serve
	}
	err := syscall.Exec(real, append([]string{real}, args...), os.Environ())
	fmt.Fprintf(stderr, "gonbml: starting %s: %v\n", real, err)
	return 127
}

// goplsGuardDir makes the directory holding the guard (a "gopls" link to
// this executable) and returns env with it first on PATH and the real gopls
// named; remove the directory when the kernel ends.
func goplsGuardDir(env map[string]string, realGopls string) (dir string, err error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	dir, err = os.MkdirTemp("", "gonbml-gopls-")
	if err != nil {
		return "", err
	}
	if err := os.Symlink(self, filepath.Join(dir, "gopls")); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	env["PATH"] = strings.Join([]string{dir, env["PATH"]}, string(os.PathListSeparator))
	env[goplsGuardEnv] = realGopls
	return dir, nil
}
