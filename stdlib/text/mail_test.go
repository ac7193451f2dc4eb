package text_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/text"
)

func TestCleanMail(t *testing.T) {
	tests := []struct {
		name, in   string
		keep, gone []string
	}{
		{"quoted reply and attribution",
			"I agree with that.\n\nOn Tue, 27 Aug 2002, Bob wrote:\n> the quoted claim\n>> older quote\nMy answer.",
			[]string{"I agree with that.", "My answer."}, []string{"quoted", "older", "Bob wrote"}},
		{"supercite initials", "EH> a quoted line\nmine", []string{"mine"}, []string{"quoted"}},
		{"attribution without quote stays", "He said:\nthe plan works", []string{"He said:", "plan works"}, nil},
		{"outlook original", "top reply\n-----Original Message-----\nFrom: x\nold text",
			[]string{"top reply"}, []string{"old text", "From"}},
		{"signature", "body text\n-- \nJohn Smith\nAcme Corp", []string{"body text"}, []string{"John", "Acme"}},
		{"long tail after -- stays", "a\n--\n" + strings.Repeat("line\n", 12), []string{"line"}, nil},
		{"urls, addresses, hosts", "see http://www.example.com/a?b=1 or www.foo.org, mail jo@ex.co.uk at example.net and .biz",
			[]string{"see", "or", "mail", "at", "and"}, []string{"http", "www", "example", "foo", "jo", "ex", "co", "net", "biz"}},
		{"dates and times", "Sent Tue, 27 Aug 2002 10:15:02 +0100 and September 24, 2002 at 8:13pm, price $1,000.50",
			[]string{"Sent", "and", "at", "price"}, []string{"Tue", "Aug", "2002", "10", "September", "24", "pm", "1"}},
		{"punctuation runs", "before\n_______________________________________________\nafter ---- ==> *** x",
			[]string{"before", "after", "x"}, []string{"_", "--", "==", "**"}},
		{"copied headers", "Date: Mon, 2 Sep 2002\nSubject: old\nbody", []string{"body"}, []string{"old"}},
		{"paths", "see /usr/share/doc/lame/html/index.html and faq.htm, tcp/ip stays",
			[]string{"see", "and", "tcp/ip stays"}, []string{"usr", "lame", "index", "faq"}},
		{"words with numbers stay", "mp3 players and 3com cards, e-mail", []string{"mp3", "3com", "e-mail"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := text.CleanMail(tt.in)
			for _, k := range tt.keep {
				if !strings.Contains(got, k) {
					t.Errorf("lost %q: %q", k, got)
				}
			}
			for _, g := range tt.gone {
				if strings.Contains(got, g) {
					t.Errorf("kept %q: %q", g, got)
				}
			}
		})
	}
}

// list builds n messages of one list: a different text each, then the
// list's footer with a rotating advert between its rules.
func list(n int) (bodies, sources []string) {
	adverts := []string{"Buy widgets today", "Jabber: talk now", "Geek heaven awaits"}
	for i := range n {
		body := "message " + strings.Repeat("x", i+1) + " about exmh folders\n\n" +
			"-------------------------------------------------------\n" +
			adverts[i%3] + "\nhttp://ads.example.com/" + strings.Repeat("a", i) + "\n" +
			"_______________________________________________\n" +
			"Exmh-users mailing list\nhttps://listman.example.com/mailman/listinfo/exmh-users\n"
		bodies = append(bodies, body)
		sources = append(sources, "exmh-users")
	}
	return bodies, sources
}

func TestMailCleanerFindsFooters(t *testing.T) {
	bodies, sources := list(12)
	// A one-off message from someone else repeats the list's name: it
	// keeps it (one message is below MinDocs).
	bodies = append(bodies, "Exmh-users mailing list\nis where I asked")
	sources = append(sources, "someone@example.org")
	c, err := text.MailConfig{}.Fit(context.Background(), bodies, sources)
	if err != nil {
		t.Fatal(err)
	}
	if f := c.Footer("exmh-users"); len(f) != 1 || f[0] != "exmh-users mailing list" {
		// The listinfo line is only a URL, which CleanMail removes anyway.
		t.Errorf("footer lines %q, want the list name line", f)
	}
	for i := range 12 {
		got := c.Clean(bodies[i], sources[i])
		if !strings.Contains(got, "about exmh folders") {
			t.Errorf("message %d lost its text: %q", i, got)
		}
		for _, g := range []string{"mailing list", "widgets", "Jabber", "heaven", "listinfo", "___"} {
			if strings.Contains(got, g) {
				t.Errorf("message %d kept %q: %q", i, g, got)
			}
		}
	}
	if got := c.Clean(bodies[12], sources[12]); !strings.Contains(got, "Exmh-users mailing list") {
		t.Errorf("another source lost a line: %q", got)
	}
}

// CleanAll is Fit followed by Clean on every message it learnt from.
func TestMailConfigCleanAll(t *testing.T) {
	bodies, sources := list(12)
	got, c, err := text.MailConfig{}.CleanAll(context.Background(), bodies, sources)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(bodies) {
		t.Fatalf("%d cleaned bodies for %d", len(got), len(bodies))
	}
	for i := range bodies {
		if want := c.Clean(bodies[i], sources[i]); got[i] != want {
			t.Errorf("message %d: CleanAll %q, Clean %q", i, got[i], want)
		}
		if strings.Contains(got[i], "mailing list") {
			t.Errorf("message %d kept its footer: %q", i, got[i])
		}
	}
	if _, _, err := (text.MailConfig{}).CleanAll(context.Background(), bodies, sources[:3]); err == nil {
		t.Error("bodies and sources of different lengths: no error")
	}
}

func TestMailCleanerThresholds(t *testing.T) {
	// "thanks" is in 2 of 20 messages (10%): below MinShare 0.2, so it
	// stays; with MinShare 0.1 it goes.
	var bodies, sources []string
	for i := range 20 {
		b := "text " + strings.Repeat("y", i)
		if i < 2 {
			b += "\nthanks"
		}
		bodies, sources = append(bodies, b), append(sources, "l")
	}
	for _, tt := range []struct {
		cfg  text.MailConfig
		want int
	}{{text.MailConfig{}, 0}, {text.MailConfig{MinDocs: 2, MinShare: 0.1}, 1}, {text.MailConfig{MinDocs: 3, MinShare: 0.1}, 0}} {
		c, err := tt.cfg.Fit(context.Background(), bodies, sources)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(c.Footer("l")); got != tt.want {
			t.Errorf("%+v: %d footer lines, want %d", tt.cfg, got, tt.want)
		}
	}
}

func TestMailConfigErrors(t *testing.T) {
	ctx := context.Background()
	for _, cfg := range []text.MailConfig{{MinDocs: -1}, {MinShare: 1.5}, {MinShare: -0.1}} {
		if _, err := cfg.Fit(ctx, nil, nil); !errors.Is(err, text.ErrBadConfig) {
			t.Errorf("%+v: %v, want ErrBadConfig", cfg, err)
		}
	}
	if _, err := (text.MailConfig{}).Fit(ctx, []string{"a"}, nil); !errors.Is(err, text.ErrBadConfig) {
		t.Errorf("length mismatch: %v", err)
	}
}

func TestMailJunk(t *testing.T) {
	for term, want := range map[string]string{
		"_____": "punctuation", "==": "punctuation", "215": "date/time", "2002": "date/time", "https": "url",
		"www": "url", "aug": "date/time", "listinfo": "footer", "mailman": "footer",
		"spamassassin": "", "exmh": "", "mortgage": "", "mp3": "",
	} {
		if got := text.MailJunk(term); got != want {
			t.Errorf("MailJunk(%q) = %q, want %q", term, got, want)
		}
	}
}
