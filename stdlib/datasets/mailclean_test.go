package datasets_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/nmf"
	"github.com/gonbml/gonbml/stdlib/text"
)

// TestListSource checks that messages are grouped by the list they came
// through: the corpus has 1,162 fork.xent.com messages by their List-Id
// (grep -c of the raw files), and the ILUG, exmh and SpamAssassin lists.
func TestListSource(t *testing.T) {
	msgs := spamAssassin(t)
	n := map[string]int{}
	for _, m := range msgs {
		n[m.Source()]++
	}
	for src, want := range map[string]int{"fork.xent.com": 1162, "ilug.linux.ie": 590} {
		if n[src] != want {
			t.Errorf("%s: %d messages, want %d", src, n[src], want)
		}
	}
}

// share is the share of the messages from source where keep(line) holds
// for a line that has word.
func share(docs, sources []string, source, word string, keep func(string) bool) float64 {
	has, all := 0, 0
	for i, d := range docs {
		if sources[i] != source {
			continue
		}
		all++
		for _, l := range strings.Split(strings.ToLower(d), "\n") {
			if strings.Contains(l, word) && keep(l) {
				has++
				break
			}
		}
	}
	return float64(has) / float64(max(all, 1))
}

// prose is a crude, independent guess at a line of a member's own text:
// not quoted, no address or URL, no list footer phrase.
func prose(l string) bool {
	t := strings.TrimSpace(l)
	for _, s := range []string{"@", "://", "www.", "mailing list", "listinfo", "sponsored"} {
		if strings.Contains(t, s) {
			return false
		}
	}
	return !strings.HasPrefix(t, ">") && !strings.Contains(t, ".org") && !strings.Contains(t, ".net")
}

func anyLine(string) bool { return true }

// TestMailCleanerOnCorpus: on the real corpus the list footers go and the
// lists' own subject words stay, and the article's topic model on cleaned
// text has no junk word in any topic's top 10, where on raw text it has.
func TestMailCleanerOnCorpus(t *testing.T) {
	msgs := spamAssassin(t)
	bodies, sources := make([]string, len(msgs)), make([]string, len(msgs))
	for i, m := range msgs {
		bodies[i], sources[i] = m.Body, m.Source()
	}
	c, err := text.MailConfig{}.Fit(context.Background(), bodies, sources)
	if err != nil {
		t.Fatal(err)
	}
	clean := make([]string, len(msgs))
	for i := range msgs {
		clean[i] = c.Clean(bodies[i], sources[i])
	}
	for _, tt := range []struct {
		source, footer, topic string
	}{
		// Each list's footer names the list and its listinfo page; the
		// program the list is about stays in its members' text.
		{"spamassassin-talk.example.sourceforge.net", "listinfo", "spamassassin"},
		{"razor-users.example.sourceforge.net", "listinfo", "razor"},
		{"exmh-users.spamassassin.taint.org", "listinfo", "exmh"},
		{"rpm-zzzlist.freshrpms.net", "listinfo", "rpm"},
		{"ilug.linux.ie", "list maintainer", "linux"},
	} {
		before, after := share(bodies, sources, tt.source, tt.footer, anyLine), share(clean, sources, tt.source, tt.footer, anyLine)
		// A list footer is in (nearly) every message: 0.9 is below every
		// list here (all are ≥ 0.97 raw); cleaned, at most 2% may quote it.
		if before < 0.9 || after > 0.02 {
			t.Errorf("%s: %q in %.2f of messages raw, %.2f cleaned; want ≥ 0.9 then ≤ 0.02", tt.source, tt.footer, before, after)
		}
		// The subject word stays where members wrote it: cleaned, it is
		// in at least 80% as many messages as have it in a prose line raw
		// (the 20% allows for signatures and initial-quoted lines, which
		// prose does not detect).
		rawTopic, cleanTopic := share(bodies, sources, tt.source, tt.topic, prose), share(clean, sources, tt.source, tt.topic, anyLine)
		if cleanTopic < 0.8*rawTopic {
			t.Errorf("%s: %q in %.2f of messages' prose raw but %.2f cleaned; want ≥ 80%%", tt.source, tt.topic, rawTopic, cleanTopic)
		}
		t.Logf("%s: %q %.2f → %.2f, %q %.2f → %.2f", tt.source, tt.footer, before, after, tt.topic, rawTopic, cleanTopic)
	}
	if testing.Short() {
		return
	}
	junk := func(docs []string) (n int, words []string) {
		v, x, err := text.TfidfConfig{MaxFeatures: 2000, MinDF: 10, StopWords: text.EnglishStopWords}.FitTransform(context.Background(), docs)
		if err != nil {
			t.Fatal(err)
		}
		m, err := nmf.Config{Components: 20, Solver: nmf.MU}.Fit(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		top, err := m.TopTerms(v.FeatureNames(), 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, ws := range top {
			for _, w := range ws {
				if k := text.MailJunk(w); k == "punctuation" || k == "url" || k == "date/time" {
					n++
					words = append(words, w)
				}
			}
		}
		return n, words
	}
	raw := make([]string, len(msgs))
	for i, m := range msgs {
		raw[i] = m.Subject + "\n" + m.Body
		clean[i] = text.CleanMail(m.Subject) + "\n" + clean[i]
	}
	// Control: raw text gives junk words (the notebook counts 50).
	if n, words := junk(raw); n < 5 {
		t.Errorf("control: raw text has only %d junk top words %v, want ≥ 5", n, words)
	}
	if n, words := junk(clean); n > 0 {
		t.Errorf("cleaned text has %d junk top words: %v", n, words)
	}
}
