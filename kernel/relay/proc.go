package relay

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// killDescendants kills every process below the relay — GoNB's group is
// gone by now, but gopls servers and their helpers, reparented to the
// relay (a child subreaper), are not — and reaps them. It repeats while it
// finds any, since a dying process may have forked.
func killDescendants() {
	self := os.Getpid()
	for range 20 {
		kids := descendants(self)
		if len(kids) == 0 {
			return
		}
		for _, pid := range kids {
			_ = unix.Kill(pid, unix.SIGKILL)
		}
		for _, pid := range kids {
			var ws unix.WaitStatus
			_, _ = unix.Wait4(pid, &ws, 0, nil) // only direct children can be waited for; others return ECHILD
		}
	}
}

// descendants returns the pids of every process whose parent chain leads
// to root, from /proc.
func descendants(root int) []int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pp := ppid(pid); pp > 0 {
			children[pp] = append(children[pp], pid)
		}
	}
	var out []int
	todo := []int{root}
	for len(todo) > 0 {
		p := todo[0]
		todo = todo[1:]
		for _, c := range children[p] {
			out = append(out, c)
			todo = append(todo, c)
		}
	}
	return out
}

// ppid reads the parent pid from /proc/PID/stat (the field after the
// parenthesised command name, which may itself hold spaces or parens).
func ppid(pid int) int {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return 0
	}
	p, _ := strconv.Atoi(f[1])
	return p
}

// reapOrphans waits for the relay's exited children other than GoNB (whose
// exit os/exec collects): processes reparented to the relay that ended.
func reapOrphans(gonb int) {
	self := os.Getpid()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == gonb || ppid(pid) != self || !zombie(pid) {
			continue
		}
		var ws unix.WaitStatus
		_, _ = unix.Wait4(pid, &ws, unix.WNOHANG, nil)
	}
}

// zombie reports whether pid has exited and waits to be reaped.
func zombie(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && strings.HasPrefix(s[i+1:], " Z")
}
