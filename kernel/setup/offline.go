package setup

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gonbml/gonbml/stdlib/safefile"

	"golang.org/x/mod/module"
)

// Checksums: GoNB builds every cell in a fresh module with no go.sum, so
// `go get` verifies each dependency against the checksum database. Go asks
// `<proxy>/sumdb/<name>/supported` of each GOPROXY entry in order and sends
// its lookups to the first proxy that answers (file proxies do not, so they
// are skipped); with none left it dials the database itself. Each answer is
// cached in GOMODCACHE/cache/download/sumdb, and a cached answer is used
// without the network. So: online, the launcher and the pre-warm list the
// user's GOPROXY after the local file proxies (lookups go through the proxy);
// offline, every lookup a cell needs must already be in that cache. The
// pre-warm, run online by `make install`, fills it and records which modules
// it needed (PrewarmSumFile), so that OfflineProblem can tell, without the
// network, whether an offline cell will verify. Verification is never turned
// off; only the stdlib snapshot itself, built on this machine, is exempt
// (GONOSUMDB=github.com/gonbml/gonbml).

// PrewarmSumFile is where Prewarm keeps the go.sum its module needed: the
// modules (with versions) whose checksum lookups a stdlib cell relies on.
func (l Layout) PrewarmSumFile() string { return l.ProxyDir() + ".go.sum" }

// installOnline is the one line that says how to get out of every offline
// problem.
const installOnline = "run 'make install' once while the Go module proxy is reachable"

// OfflineProblem reports, in one line, why a stdlib cell cannot verify its
// dependencies without the network on this machine, or "" when it can. Call
// it when Online returned false (GONBML_OFFLINE=1 or no proxy answering): it
// reads only local files. It checks that the pre-warm ran for this checkout
// and that the Go module cache holds a checksum-database lookup for every
// module the pre-warm needed (or that checksum verification does not apply:
// GOSUMDB=off, or GONOSUMDB/GOPRIVATE covering the module).
func OfflineProblem(l Layout) string {
	goenv, err := GoEnv("GOMODCACHE", "GOSUMDB", "GONOSUMDB", "GOPRIVATE")
	if err != nil {
		return err.Error()
	}
	db := goenv["GOSUMDB"]
	if db == "off" {
		return ""
	}
	// GOSUMDB is "name", "name+key" or "name+key url": the cache is keyed by name.
	name, _, _ := strings.Cut(strings.Fields(db + " ")[0], "+")
	if name == "" {
		name = "sum.golang.org"
	}
	sum, err := os.ReadFile(l.PrewarmSumFile())
	if err != nil {
		return fmt.Sprintf("setup: offline, and the stdlib was never pre-warmed for %s: %s", l.Root, installOnline)
	}
	noSum := goenv["GONOSUMDB"]
	if noSum == "" {
		noSum = goenv["GOPRIVATE"]
	}
	var missing []string
	for _, mv := range sumModules(sum) {
		if mv.Path == ModulePath || module.MatchPrefixPatterns(noSum, mv.Path) {
			continue
		}
		epath, err1 := module.EscapePath(mv.Path)
		evers, err2 := module.EscapeVersion(mv.Version)
		if err1 != nil || err2 != nil {
			return fmt.Sprintf("setup: %s has a bad line for %s@%s: %s", l.PrewarmSumFile(), mv.Path, mv.Version, installOnline)
		}
		lookup := filepath.Join(goenv["GOMODCACHE"], "cache", "download", "sumdb", name, "lookup", epath+"@"+evers)
		if fi, err := os.Stat(lookup); err != nil || fi.Size() == 0 {
			missing = append(missing, mv.Path+"@"+mv.Version)
		}
	}
	if len(missing) > 0 {
		more := ""
		if len(missing) > 1 {
			more = fmt.Sprintf(" and %d more", len(missing)-1)
		}
		return fmt.Sprintf("setup: offline, and the Go module cache (%s) holds no checksum lookup for %s%s, which stdlib cells need: %s",
			goenv["GOMODCACHE"], missing[0], more, installOnline)
	}
	return ""
}

// sumModules returns the distinct module versions named in go.sum data.
func sumModules(data []byte) []module.Version {
	seen := map[module.Version]bool{}
	var out []module.Version
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			continue
		}
		mv := module.Version{Path: f[0], Version: strings.TrimSuffix(f[1], "/go.mod")}
		if !seen[mv] {
			seen[mv] = true
			out = append(out, mv)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Version < out[j].Version
	})
	return out
}

// savePrewarmSum copies the pre-warm module's go.sum to PrewarmSumFile,
// atomically (a kernel may read it at the same moment).
func savePrewarmSum(l Layout, goSum string) error {
	data, err := os.ReadFile(goSum)
	if err != nil {
		return fmt.Errorf("setup: prewarm: %w", err)
	}
	if err := safefile.WriteBytes(l.PrewarmSumFile(), data); err != nil {
		return fmt.Errorf("setup: prewarm: %w", err)
	}
	return nil
}
