package datasets_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/datasets"
)

func TestSOTU(t *testing.T) {
	needData(t, datasets.SOTU)
	as, err := datasets.LoadSOTU(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 233 { // the package's 233 data/*.json files
		t.Fatalf("%d addresses, want 233", len(as))
	}
	if a := as[0]; a.Year != 1790 || a.President != "George Washington" || a.Party != "none" ||
		!strings.HasPrefix(a.Text, "Fellow-Citizens of the Senate") {
		t.Errorf("first address: %+v", a.Year)
	}
	if a := as[len(as)-1]; a.Year != 2021 || a.President != "Joseph R Biden" {
		t.Errorf("last address: %d %q", a.Year, a.President)
	}
	for i := 1; i < len(as); i++ {
		if as[i].Year < as[i-1].Year {
			t.Fatalf("not sorted at %d", i)
		}
		if len(as[i].Text) < 1000 {
			t.Errorf("%d %s: text only %d bytes", as[i].Year, as[i].President, len(as[i].Text))
		}
	}
}

func TestMobyDick(t *testing.T) {
	needData(t, datasets.MobyDick)
	cs, err := datasets.LoadMobyDick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 138 { // Etymology, Extracts, 135 chapters, Epilogue
		t.Fatalf("%d sections, want 138", len(cs))
	}
	if cs[0].Heading != "Etymology" || cs[1].Heading != "Extracts" || cs[137].Heading != "Epilogue" {
		t.Errorf("front/back matter: %q %q %q", cs[0].Heading, cs[1].Heading, cs[137].Heading)
	}
	for i := 2; i < 137; i++ {
		if cs[i].Number != i-1 {
			t.Fatalf("section %d is chapter %d, want %d", i, cs[i].Number, i-1)
		}
	}
	if c := cs[2]; c.Title != "Loomings." || !strings.HasPrefix(c.Text, "Call me Ishmael.") {
		t.Errorf("chapter 1: %q %.40q", c.Title, c.Text)
	}
}

func TestStopWords(t *testing.T) {
	needData(t, datasets.StopWordsEN)
	ws, err := datasets.LoadStopWords(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 301 || !slices.IsSorted(ws) || !slices.Contains(ws, "the") || slices.Contains(ws, "whale") {
		t.Fatalf("%d stop words: %v…", len(ws), ws[:5])
	}
}

func ExampleLoadSOTU() {
	as, err := datasets.LoadSOTU(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(as), as[0].Year, as[0].President)
	// Output: 233 1790 George Washington
}

func ExampleLoadMobyDick() {
	cs, err := datasets.LoadMobyDick(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cs[2].Number, cs[2].Title, strings.Fields(cs[2].Text)[:3])
	// Output: 1 Loomings. [Call me Ishmael.]
}

func ExampleLoadStopWords() {
	ws, err := datasets.LoadStopWords(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(ws), ws[:3])
	// Output: 301 [a about above]
}
