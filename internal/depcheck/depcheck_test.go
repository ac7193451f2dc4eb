package depcheck

import (
	"os/exec"
	"strings"
	"testing"
)

const mod = "github.com/gonbml/gonbml/"

// deps lists the packages pkg depends on (with its tests' imports when
// withTests), through the go command itself.
func deps(t *testing.T, pkg string, withTests bool) []string {
	t.Helper()
	args := []string{"list", "-deps"}
	if withTests {
		args = append(args, "-test")
	}
	out, err := exec.Command("go", append(args, mod+pkg)...).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

func TestDependencyDirections(t *testing.T) {
	algorithms := []string{"stdlib/nmf", "stdlib/vae", "stdlib/embed", "stdlib/crawl", "stdlib/text",
		"stdlib/sparse", "stdlib/nn", "stdlib/datasets", "stdlib/pca", "stdlib/fit"}
	type rule struct {
		pkg       string
		withTests bool
		forbidden []string // import path prefixes
	}
	var rules []rule
	for _, p := range algorithms {
		rules = append(rules, rule{p, false, []string{"github.com/janpfeifer/gonb", mod + "stdlib/chart", mod + "stdlib/notebook"}})
	}
	rules = append(rules,
		// Training word vectors must not link the npm fetcher, goquery and charset.
		rule{"stdlib/embed", false, []string{mod + "stdlib/datasets", "github.com/PuerkitoBio/goquery", "golang.org/x/net/html/charset"}},
		rule{"stdlib/chart", false, []string{mod + "stdlib/datasets"}},
		rule{"kernel/lint", false, []string{mod + "stdlib/chart"}},
	)
	// Nothing published to cells may need kernel/ or the module-level
	// internal packages (only stdlib/ is published); tests may use internal/.
	for _, p := range append(algorithms, "stdlib/chart", "stdlib/notebook", "stdlib/safefile", "stdlib/echarts") {
		rules = append(rules, rule{p, false, []string{mod + "kernel/", mod + "internal/"}})
		rules = append(rules, rule{p, true, []string{mod + "kernel/"}})
	}
	for _, r := range rules {
		for _, d := range deps(t, r.pkg, r.withTests) {
			for _, f := range r.forbidden {
				if strings.HasPrefix(d, f) {
					t.Errorf("%s (tests: %v) depends on %s", r.pkg, r.withTests, d)
				}
			}
		}
	}
}
