package datasets_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/gonbml/gonbml/stdlib/datasets"
)

// spamAssassin loads the corpus once for all tests of this package.
func spamAssassin(t *testing.T) []datasets.Message {
	t.Helper()
	needData(t, datasets.SpamAssassin)
	spamOnce.Do(func() { spamMsgs, spamErr = datasets.LoadSpamAssassin(context.Background()) })
	if spamErr != nil {
		t.Fatal(spamErr)
	}
	return spamMsgs
}

var (
	spamOnce sync.Once
	spamMsgs []datasets.Message
	spamErr  error
)

func TestSpamAssassin(t *testing.T) {
	msgs := spamAssassin(t)
	// 6,046 messages: file_list.json of the package; per-group counts are
	// the number of .txt files in each data/ folder.
	if len(msgs) != 6046 {
		t.Fatalf("%d messages, want 6046", len(msgs))
	}
	want := map[string]int{"easy-ham-1": 2500, "easy-ham-2": 1400, "hard-ham-1": 250, "spam-1": 500, "spam-2": 1396}
	got := map[string]int{}
	seen := map[string]bool{}
	spam, withBody, mimeLeft := 0, 0, 0
	for _, m := range msgs {
		got[m.Group]++
		key := m.Group + "/" + m.ID
		if seen[key] {
			t.Fatalf("duplicate message %s", key)
		}
		seen[key] = true
		if m.Spam() {
			spam++
		}
		if strings.TrimSpace(m.Body) != "" {
			withBody++
		}
		if !utf8.ValidString(m.Body) || !utf8.ValidString(m.Subject) || !utf8.ValidString(m.From) {
			t.Errorf("%s: invalid UTF-8", key)
		}
		if strings.Contains(m.Body, "Content-Transfer-Encoding: base64") {
			mimeLeft++
		}
	}
	for g, n := range want {
		if got[g] != n {
			t.Errorf("group %s: %d messages, want %d", g, got[g], n)
		}
	}
	if spam != 1896 { // 500 + 1396
		t.Errorf("%d spam, want 1896", spam)
	}
	// A handful of messages really are empty or attachment-only.
	if withBody < 6000 {
		t.Errorf("only %d messages have a body", withBody)
	}
	// Mail that quotes raw MIME exists in the ham lists, but only a few.
	if mimeLeft > 10 {
		t.Errorf("%d bodies still carry base64 MIME headers", mimeLeft)
	}
	first := msgs[0]
	if first.Group != "easy-ham-1" || first.Subject != "Re: New Sequences Window" ||
		first.From != "Robert Elz <kre@munnari.OZ.AU>" || first.Date.Year() != 2002 ||
		!strings.Contains(first.Body, "I can't reproduce this error.") {
		t.Errorf("first message parsed as %+v", first)
	}
}

func ExampleLoadSpamAssassin() {
	msgs, err := datasets.LoadSpamAssassin(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(msgs), msgs[0].Group, msgs[0].Subject)
	// Output: 6046 easy-ham-1 Re: New Sequences Window
}

func ExampleParseMessage() {
	raw := "Subject: =?iso-8859-1?q?Caf=E9?=\r\n" +
		"Content-Type: text/html; charset=iso-8859-1\r\n\r\n" +
		"<p><font face=Arial>Fresh <b>caf\xe9</b> today</font></p>"
	m, err := datasets.ParseMessage([]byte(raw))
	fmt.Printf("%s | %s | %v\n", m.Subject, m.Body, err)
	// Output: Café | Fresh café today | <nil>
}
