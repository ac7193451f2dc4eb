package main

import (
	"bytes"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
)

func checkoutRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(file))))
}

// trackedFiles returns the files git tracks in the checkout (what a clone
// has), and every directory above them.
func trackedFiles(t *testing.T, root string) map[string]bool {
	t.Helper()
	out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	files := map[string]bool{}
	for _, f := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		for p := f; p != "." && p != ""; p = path.Dir(p) {
			files[p] = true
		}
	}
	return files
}

var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// Every relative link of the two READMEs points at a file a clone has.
func TestReadmeLinksResolve(t *testing.T) {
	root := checkoutRoot(t)
	tracked := trackedFiles(t, root)
	for _, doc := range []string{"README.md", "notebooks/README.md"} {
		data, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range mdLink.FindAllStringSubmatch(string(data), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") || strings.HasPrefix(target, "#") {
				continue
			}
			target, _, _ = strings.Cut(target, "#")
			p := path.Clean(path.Join(path.Dir(doc), target))
			if strings.HasPrefix(p, "../") || !tracked[p] {
				t.Errorf("%s links to %s, which a clone does not have", doc, m[1])
			}
			n++
		}
		if n == 0 {
			t.Errorf("%s has no relative links; the check read nothing", doc)
		}
	}
}

// The README's table of `gonbml run` flags lists exactly the flags the
// command defines (read from its flag set, as `-h` prints it).
func TestReadmeRunFlags(t *testing.T) {
	var help bytes.Buffer
	if code := runRun([]string{"-h"}, &help, &help); code != 2 {
		t.Fatalf("gonbml run -h exited %d, want 2 (usage)", code)
	}
	var want []string
	for _, m := range regexp.MustCompile(`(?m)^  -(\S+)`).FindAllStringSubmatch(help.String(), -1) {
		want = append(want, m[1])
	}
	if len(want) < 5 {
		t.Fatalf("read only %v from gonbml run -h:\n%s", want, help.String())
	}

	data, err := os.ReadFile(filepath.Join(checkoutRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	table := section(t, string(data), "### `bin/gonbml run`")
	var got []string
	for _, m := range regexp.MustCompile("(?m)^\\| `--?([a-z][a-z-]*)").FindAllStringSubmatch(table, -1) {
		got = append(got, m[1])
	}
	sort.Strings(want)
	sort.Strings(got)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("README's gonbml run flags = %v\ngonbml run -h defines  %v", got, want)
	}
}

// The README's budget table is .ci/budget, line for line.
func TestReadmeBudgetMatchesCI(t *testing.T) {
	root := checkoutRoot(t)
	budget, err := os.ReadFile(filepath.Join(root, ".ci", "budget"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, line := range strings.Split(string(budget), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && !strings.HasPrefix(line, "#") {
			want = append(want, f[0]+" "+f[1])
		}
	}
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z]+)` \\| ([0-9]+) \\|").FindAllStringSubmatch(section(t, string(data), "## The CI budget"), -1) {
		got = append(got, m[1]+" "+m[2])
	}
	if len(want) == 0 || strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("README's budget table (phase minutes) = %v\n.ci/budget                          = %v", got, want)
	}
}

// section returns the text under heading, up to the next heading of the same
// or a higher level.
func section(t *testing.T, doc, heading string) string {
	t.Helper()
	i := strings.Index(doc, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("README.md has no %q section", heading)
	}
	rest := doc[i+len(heading)+2:]
	level := strings.Repeat("#", strings.Count(strings.Fields(heading)[0], "#"))
	for _, l := range []string{"\n" + level + " ", "\n" + level[:len(level)-1] + " "} {
		if len(l) > 2 {
			if j := strings.Index(rest, l); j >= 0 {
				rest = rest[:j]
			}
		}
	}
	return rest
}
