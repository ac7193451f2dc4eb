package text

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/gonbml/gonbml/stdlib/fit"
)

// MailConfig configures the cleaning of e-mail bodies for topic models:
// the article's removal of headers, footers and quoted replies, plus what
// mail needs beyond newsgroup posts (signatures, URLs, addresses, numbers
// and punctuation runs). The zero value is valid.
//
// Footers are found structurally, not from a word list: a line is a
// footer line of a source (a mailing list, a feed, a sender) when it
// occurs in at least MinDocs of that source's messages and in at least
// MinShare of them. Lines are compared after lower-casing, collapsing
// white space and replacing each run of digits by one '#', so a footer
// that carries an archive number or a date still repeats. A list's
// subject words stay: only the repeated lines go, the same words in the
// text of a message are kept.
type MailConfig struct {
	// MinDocs is the least number of a source's messages a line must occur
	// in to be a footer line. Default (0): 5. A source with fewer messages
	// keeps all its lines.
	MinDocs int
	// MinShare is the least share of a source's messages a line must occur
	// in to be a footer line. Default (0): 0.2 (a list footer is in nearly
	// every message; a phrase people repeat is in few).
	MinShare float64
	// MinSources is the least number of different sources a line must
	// occur in to be boilerplate everywhere: the templates of mailing
	// software and spam kits, which every sender using them repeats.
	// Default (0): 10. Off (fit.Off): no such lines.
	MinSources int
}

// Validate reports an invalid field.
func (c MailConfig) Validate() error {
	bad := func(field string, v any, want string) error { return fit.BadConfig(ErrBadConfig, field, v, want) }
	switch {
	case c.MinDocs < 0:
		return bad("MinDocs", c.MinDocs, "at least 0")
	case c.MinSources < 0 && c.MinSources != fit.Off:
		return bad("MinSources", c.MinSources, "at least 0 (or fit.Off)")
	case !(c.MinShare >= 0 && c.MinShare <= 1):
		return bad("MinShare", c.MinShare, "a value in [0, 1]")
	}
	return nil
}

// MailCleaner removes the footer lines learned per source and applies
// CleanMail's rules.
type MailCleaner struct {
	// Footers maps each source to its footer lines (normalised as
	// MailConfig says).
	Footers map[string]map[string]bool
	// Common holds the lines found in MinSources sources or more; they
	// are footer lines of every source.
	Common map[string]bool
}

// Fit learns the footer lines of each source from bodies[i], which came
// from sources[i] (a list id, or a sender's address when the message came
// through no list; "" means unknown, and such messages are never grouped).
func (c MailConfig) Fit(ctx context.Context, bodies, sources []string) (*MailCleaner, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if len(bodies) != len(sources) {
		return nil, fmt.Errorf("%w: %d bodies but %d sources", ErrBadConfig, len(bodies), len(sources))
	}
	minDocs, minShare := c.MinDocs, c.MinShare
	if minDocs == 0 {
		minDocs = 5
	}
	if minShare == 0 {
		minShare = 0.2
	}
	minSources := c.MinSources
	if minSources == 0 {
		minSources = 10
	}
	docs := map[string]int{}
	counts := map[string]map[string]int{}
	sourcesOf := map[string]int{} // line → number of sources it occurs in
	for i, body := range bodies {
		if i%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		src := sources[i]
		if src == "" {
			continue
		}
		docs[src]++
		seen := map[string]bool{}
		for _, line := range strings.Split(body, "\n") {
			n := normalLine(line)
			if n == "" || seen[n] {
				continue
			}
			seen[n] = true
			if counts[src] == nil {
				counts[src] = map[string]int{}
			}
			if counts[src][n] == 0 {
				sourcesOf[n]++
			}
			counts[src][n]++
		}
	}
	m := &MailCleaner{Footers: map[string]map[string]bool{}, Common: map[string]bool{}}
	for line, n := range sourcesOf {
		if minSources > 0 && n >= minSources {
			m.Common[line] = true
		}
	}
	for src, lines := range counts {
		for line, n := range lines {
			if n >= minDocs && float64(n) >= minShare*float64(docs[src]) {
				if m.Footers[src] == nil {
					m.Footers[src] = map[string]bool{}
				}
				m.Footers[src][line] = true
			}
		}
	}
	return m, nil
}

// Footer returns the footer lines found for source, sorted.
func (m *MailCleaner) Footer(source string) []string {
	var lines []string
	for l := range m.Footers[source] {
		lines = append(lines, l)
	}
	slices.Sort(lines)
	return lines
}

// CleanAll learns the footers from bodies and sources (as Fit) and returns
// every body cleaned: the one call a corpus needs when the messages it
// cleans are the messages it learns from.
func (c MailConfig) CleanAll(ctx context.Context, bodies, sources []string) ([]string, *MailCleaner, error) {
	m, err := c.Fit(ctx, bodies, sources)
	if err != nil {
		return nil, nil, err
	}
	out := make([]string, len(bodies))
	for i, b := range bodies {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		out[i] = m.Clean(b, sources[i])
	}
	return out, m, nil
}

// Clean removes source's footer and the Common lines from body, then
// applies CleanMail. The footer is every footer line of the source, and
// the tail of the message from the first footer line on when at most maxFooterGap other lines separate the footer
// lines there (the advert a list rotates between its fixed lines).
func (m *MailCleaner) Clean(body, source string) string {
	f := m.Footers[source]
	isFooter := func(n string) bool { return f[n] || m.Common[n] }
	if len(f) > 0 || len(m.Common) > 0 {
		lines := strings.Split(body, "\n")
		cut, gap := len(lines), 0
		for i := len(lines) - 1; i >= 0 && gap <= maxFooterGap && len(f) > 0; i-- {
			switch n := normalLine(lines[i]); {
			case f[n]: // the source's own footer, not a Common line
				cut, gap = i, 0
			case n != "":
				gap++
			case strings.TrimSpace(lines[i]) != "":
				cut = i // a rule such as "-----" above the footer opens it
			}
		}
		kept := lines[:0]
		for _, l := range lines[:cut] {
			if !isFooter(normalLine(l)) {
				kept = append(kept, l)
			}
		}
		body = strings.Join(kept, "\n")
	}
	return CleanMail(body)
}

// maxFooterGap is the most lines between two footer lines of a message's
// tail that still belong to its footer (a rotating advert has a few).
const maxFooterGap = 4

var (
	// attribution is the line that introduces a quoted reply.
	attribution = regexp.MustCompile(`(?i)(wrote|writes|said)\s*:\s*$`)
	// original starts a reply's copy of the earlier message (Outlook).
	original = regexp.MustCompile(`(?i)^-+ ?original message ?-+$|^-+ ?forwarded message ?-+$`)
	// headerLine is a header copied into a body (forwards, digests).
	headerLine = regexp.MustCompile(`(?i)^(from|to|cc|bcc|date|sent|subject|reply-to|message-id|url|` +
		`in-reply-to|references|x-[a-z-]+|list-[a-z-]+|content-[a-z-]+|return-path|received)\s*:`)
	url     = regexp.MustCompile(`(?i)\b(?:https?|ftp|file|mailto|news):[^\s<>"]*|\bwww\.[^\s<>"]*`)
	address = regexp.MustCompile(`[\p{L}\p{N}._%+=-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+`)
	// host is a bare domain name such as example.com, or its ending (".com").
	host = regexp.MustCompile(`(?i)[a-z0-9.-]*\.(?:com|net|org|edu|gov|mil|info|biz|ie|uk|de|fr|au|ca|nl|us|tv|cc|io)\b`)
	// path is a file path of two or more directories, or a web file
	// name: "/usr/share/doc/x.html", "index.html".
	path = regexp.MustCompile(`(?:[\w.~+-]*/){2,}[\w.~+-]*|\b[\w-]+\.(?:html?|php|cgi|asp|jsp)\b`)
	// date is a date written with a month name, with its weekday and
	// year: "Tue, 27 Aug 2002", "September 24, 2002", "Aug 27".
	date = regexp.MustCompile(`(?i)\b(?:` + weekday + `,?\s+)?(?:\d{1,2}\s+` + month + `\.?(?:\s+\d{2,4})?|` +
		month + `\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?)|\b` + weekday + `,?\s+(?:the\s+)?\d{1,2}\b`)
	// clock is a time of day with its am/pm and zone: "10:15:02 +0100".
	clock = regexp.MustCompile(`(?i)\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\b\.?)?(?:\s*(?:[+-]\d{4}|\(?(?:gmt|utc|[ecmp][sd]t|bst|ist)\b\)?))?`)
	// number is a number with its separators: dates, times, prices, ids.
	number = regexp.MustCompile(`\b[0-9][0-9.,:/-]*\b`)
	// punctRun is two or more symbols in a row (underscore rules, "==>",
	// "***"); a single apostrophe or hyphen inside a word stays.
	punctRun = regexp.MustCompile(`[^\p{L}\p{N}\s]{2,}|_+`)
)

const (
	weekday = `(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?`
	month   = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|` +
		`sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`
)

// quoted is a quoted line: '>' after at most four letters (the initials
// some readers put before it).
var quoted = regexp.MustCompile(`^\s*\p{L}{0,4}>`)

// maxSignature is the most lines a signature (after a "-- " line) may
// have: the "sig" convention asks for at most four; longer tails are kept
// in case the separator was something else.
const maxSignature = 10

// CleanMail removes from one e-mail body what is not its author's text:
// quoted replies (lines starting with '>', the attribution line before
// them, and everything after an "Original Message" separator), headers
// copied into the body, the signature (after a "-- " line, when at most
// ten lines follow), URLs, e-mail addresses, host names, numbers (dates,
// times, prices, ids), file paths and runs of punctuation or underscores. What is left
// is the text, with blank lines where lines were removed.
func CleanMail(body string) string {
	lines := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	out := make([]string, 0, len(lines))
	for i, line := range lines {
		t := strings.TrimSpace(line)
		if original.MatchString(t) {
			break
		}
		if t == "--" && nonBlank(lines[i+1:]) <= maxSignature {
			break
		}
		if quoted.MatchString(line) || headerLine.MatchString(t) {
			continue
		}
		if attribution.MatchString(t) && nextQuoted(lines[i+1:]) {
			continue
		}
		out = append(out, line)
	}
	for i, line := range out {
		out[i] = strip(line)
	}
	return strings.Join(out, "\n")
}

// strip removes URLs, addresses, host names, dates, times, numbers and
// punctuation runs from s.
func strip(s string) string {
	// Each rule runs only on text that has the character it needs: the
	// regular expressions are the cost of cleaning, and most lines have
	// no '@', no digit and no '/'.
	for _, r := range stripRules {
		if r.needs == "" || strings.ContainsAny(s, r.needs) {
			s = r.re.ReplaceAllString(s, " ")
		}
	}
	return s
}

// stripRules are strip's expressions in order, each with the characters
// one of which every match contains ("": run always).
var stripRules = []struct {
	re    *regexp.Regexp
	needs string
}{
	{url, ":."}, {address, "@"}, {host, "."}, {path, "/."},
	{date, "0123456789"}, {clock, ":"}, {number, "0123456789"},
	{punctRun, ""}, // any symbol, not only ASCII ones
}

// nonBlank counts the lines with text.
func nonBlank(lines []string) int {
	n := 0
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return n
}

// nextQuoted reports whether the first non-blank line of lines is quoted.
func nextQuoted(lines []string) bool {
	for _, l := range lines {
		if t := strings.TrimSpace(l); t != "" {
			return quoted.MatchString(l)
		}
	}
	return false
}

// normalLine is the form footer lines are compared in: lower case, URLs,
// addresses, dates and numbers removed, white space collapsed; "" for a
// line with no letter left (such a line is removed by CleanMail anyway).
func normalLine(line string) string {
	s := strings.Join(strings.Fields(strings.ToLower(strip(line))), " ")
	if !strings.ContainsFunc(s, unicode.IsLetter) {
		return ""
	}
	return s
}

// MailJunk says which kind of e-mail debris a term is, or "" for none:
// "punctuation" (no letter or digit, or an underscore run), "url" (the
// pieces URLs and addresses split into), "date/time" (numbers, month and
// weekday names, time zones) or "footer" (the vocabulary of list footers
// and their sponsors). "am" and "pm" are not listed: CleanMail removes
// them with their times, and a "pm" left is a Perl module (Dns.pm). It is
// a check for topic lists, not a cleaner: MailCleaner finds footers from
// the messages themselves and uses no word list.
func MailJunk(term string) string {
	switch {
	case !strings.ContainsFunc(term, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) ||
		strings.Contains(term, "__"):
		return "punctuation"
	case !strings.ContainsFunc(term, unicode.IsLetter):
		return "date/time"
	case junkWords["url"][term]:
		return "url"
	case junkWords["date/time"][term]:
		return "date/time"
	case junkWords["footer"][term]:
		return "footer"
	}
	return ""
}

var junkWords = map[string]map[string]bool{}

func init() {
	for kind, words := range map[string]string{
		// "html" is not listed: CleanMail removes URLs and file names, and
		// what is left is mail talking about HTML mail.
		"url": "http https www com net org edu gov php cgi url mailto ftp",
		"date/time": "jan feb mar apr jun jul aug sep sept oct nov dec january february march april " +
			"june july august september october november december mon tue wed thu fri " +
			"monday tuesday wednesday thursday friday saturday sunday gmt utc edt pdt est pst",
		// Words only list footers use; "mailing", "list" and "groups" are
		// ordinary words too and are not listed.
		"footer": "listinfo mailman listmaster subscription unsubscribe subscribe sponsored " +
			"thinkgeek sourceforge sf egroups yahoogroups maintainer",
	} {
		junkWords[kind] = map[string]bool{}
		for _, w := range strings.Fields(words) {
			junkWords[kind][w] = true
		}
	}
}
