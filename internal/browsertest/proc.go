package browsertest

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// proc is one process read from /proc.
type proc struct {
	pid, ppid, pgid int
	cmdline         string
}

// processes lists the running processes (zombies excluded: they are gone
// and only wait for their parent).
func processes() []proc {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var ps []proc
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...; comm may hold spaces and ')'.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) < 3 || f[0] == "Z" {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		pgid, _ := strconv.Atoi(f[2])
		cmd, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		ps = append(ps, proc{pid: pid, ppid: ppid, pgid: pgid, cmdline: string(bytes.ReplaceAll(cmd, []byte{0}, []byte{' '}))})
	}
	return ps
}

// chromiumOf lists the processes of the browser started in process group
// pgid (0: none known) or with profile as its user data directory.
func chromiumOf(pgid int, profile string) []proc {
	want := "--user-data-dir=" + profile
	var out []proc
	self := os.Getpid()
	for _, p := range processes() {
		if p.pid == self {
			continue
		}
		if (pgid > 0 && p.pgid == pgid) || strings.Contains(p.cmdline, want) {
			out = append(out, p)
		}
	}
	return out
}

// stopLeftovers waits up to two seconds for the browser's processes to go
// after its group was killed, kills the ones still there, and describes
// them. Chromium's children can take a moment to notice their parent died.
func stopLeftovers(pgid int, profile string) []string {
	deadline := time.Now().Add(2 * time.Second)
	for {
		left := chromiumOf(pgid, profile)
		if len(left) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			var desc []string
			for _, p := range left {
				syscall.Kill(p.pid, syscall.SIGKILL)
				desc = append(desc, fmt.Sprintf("pid %d: %.80s", p.pid, p.cmdline))
			}
			return desc
		}
		time.Sleep(50 * time.Millisecond)
	}
}
