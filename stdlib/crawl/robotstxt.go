package crawl

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// This file is the robots.txt parser and matcher of RFC 9309.
//
// Parsing (§2.1, §2.2): the file is split into lines at CR, LF or CRLF;
// a UTF-8 byte order mark (or a leading part of one) is skipped; "#"
// starts a comment; a line is "name: value" with the name read
// case-insensitively (a missing colon is accepted after user-agent, allow
// and disallow, as Google's parser does). One or more user-agent lines
// start a group, which a user-agent line after a rule ends; rules before
// the first user-agent line belong to no group and are ignored; groups
// naming the same agent are merged. Unknown lines are ignored.
//
// Matching (§2.2.1, §2.2.2): the crawler obeys the groups whose
// user-agent equals its product token (the User-Agent up to the first "/",
// compared case-insensitively; a group line's value is read up to its
// first space), else the "*" groups, else nothing. A rule matches when its
// pattern matches a prefix of the URL's path and query ("*" is any
// sequence, a final "$" the end); the rule with the longest pattern wins,
// and allow wins a tie. Before comparing, both sides are brought to one
// spelling: percent-encoded unreserved characters decoded, other escapes
// with upper-case hex, other non-ASCII and control octets encoded.

// robotsRule is one allow or disallow line of a group.
type robotsRule struct {
	allow   bool
	pattern string // in the one spelling (robotsEscape)
}

// robotsGroup is what one user agent obeys.
type robotsGroup struct {
	rules []robotsRule
	delay time.Duration // Crawl-delay, 0 when none
}

// allowAll is the group of a host without robots.txt.
var allowAll = &robotsGroup{}

// robotsFile is a parsed robots.txt: the groups by lower-case agent.
type robotsFile struct {
	groups map[string]*robotsGroup
}

// robotsMaxRules bounds the rules kept per file, so that a hostile file
// of many short lines costs bounded memory (robotsMaxSize bounds the
// file, so this only matters for files of "Allow:/x" lines: 64 Ki rules).
const robotsMaxRules = 1 << 16

// parseRobots parses a robots.txt body; it never fails: what cannot be
// read is ignored, as RFC 9309 §2.2 asks.
func parseRobots(body []byte) *robotsFile {
	f := &robotsFile{groups: map[string]*robotsGroup{}}
	for _, bom := range []string{"\xEF\xBB\xBF", "\xEF\xBB", "\xEF"} {
		if bytes.HasPrefix(body, []byte(bom)) {
			body = body[len(bom):]
			break
		}
	}
	var current []*robotsGroup // the groups the rules now apply to
	inAgents := false          // the previous line was a user-agent line
	nrules := 0
	for len(body) > 0 {
		var line []byte
		if i := bytes.IndexAny(body, "\r\n"); i >= 0 {
			line = body[:i]
			if body[i] == '\r' && i+1 < len(body) && body[i+1] == '\n' {
				i++
			}
			body = body[i+1:]
		} else {
			line, body = body, nil
		}
		if i := bytes.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		name, value, ok := robotsLine(string(line))
		if !ok {
			continue
		}
		switch name {
		case "user-agent":
			if !inAgents {
				current = current[:0:0]
			}
			inAgents = true
			agent := strings.ToLower(value)
			if i := strings.IndexAny(agent, " \t"); i >= 0 {
				agent = agent[:i]
			}
			if agent == "" {
				continue
			}
			g := f.groups[agent]
			if g == nil {
				g = &robotsGroup{}
				f.groups[agent] = g
			}
			current = append(current, g)
		case "allow", "disallow":
			inAgents = false
			if value == "" || nrules >= robotsMaxRules {
				continue // an empty rule matches nothing (§2.2.2)
			}
			nrules++
			rule := robotsRule{allow: name == "allow", pattern: robotsEscape(value)}
			for _, g := range current {
				g.rules = append(g.rules, rule)
			}
		case "crawl-delay":
			inAgents = false
			s, err := strconv.ParseFloat(value, 64)
			if err != nil || s < 0 || s > 86400 {
				continue
			}
			for _, g := range current {
				g.delay = time.Duration(s * float64(time.Second))
			}
		default:
			// sitemap and unknown lines do not end a group of agents
		}
	}
	return f
}

// robotsLine splits "name: value" and lower-cases the name.
func robotsLine(line string) (name, value string, ok bool) {
	line = strings.TrimSpace(line)
	if line == "" {
		return "", "", false
	}
	if i := strings.IndexByte(line, ':'); i >= 0 {
		return strings.ToLower(strings.TrimSpace(line[:i])), strings.TrimSpace(line[i+1:]), true
	}
	// "disallow /x": the colon forgotten, the meaning plain.
	i := strings.IndexAny(line, " \t")
	if i < 0 {
		return "", "", false
	}
	name = strings.ToLower(line[:i])
	switch name {
	case "user-agent", "allow", "disallow":
		return name, strings.TrimSpace(line[i+1:]), true
	}
	return "", "", false
}

// group is the group the agent ua obeys: its product token's groups, else
// the "*" groups, else none (everything allowed).
func (f *robotsFile) group(ua string) *robotsGroup {
	token := strings.ToLower(strings.TrimSpace(ua))
	if i := strings.IndexByte(token, '/'); i >= 0 {
		token = token[:i]
	}
	if g := f.groups[token]; g != nil && token != "" {
		return g
	}
	if g := f.groups["*"]; g != nil {
		return g
	}
	return allowAll
}

// allowed reports whether path (the URL's path and query, as the page
// spells it) may be fetched.
func (g *robotsGroup) allowed(path string) bool {
	if len(g.rules) == 0 {
		return true
	}
	path = robotsEscape(path)
	best, allow := -1, true
	for _, r := range g.rules {
		n := len(r.pattern)
		if n < best || (n == best && !r.allow) || !robotsMatch(r.pattern, path) {
			continue
		}
		best, allow = n, r.allow
	}
	return allow
}

// robotsMatch reports whether pattern matches a prefix of path ("*": any
// sequence; a final "$": the end of path).
func robotsMatch(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	pieces := strings.Split(pattern, "*")
	if !strings.HasPrefix(path, pieces[0]) {
		return false
	}
	pos := len(pieces[0])
	last := len(pieces) - 1
	for i := 1; i <= last; i++ {
		p := pieces[i]
		if i == last && anchored {
			return len(path)-len(p) >= pos && strings.HasSuffix(path, p)
		}
		j := strings.Index(path[pos:], p)
		if j < 0 {
			return false
		}
		pos += j + len(p)
	}
	return !anchored || pos == len(path)
}

// robotsEscape brings a rule or a URL path to the one spelling: escapes
// of unreserved characters decoded (%41 → A, %7E → ~), other escapes in
// upper-case hex, non-ASCII, control and space octets percent-encoded.
// Reserved characters keep their spelling: "/" and "%2F" differ.
func robotsEscape(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(v) {
				b.WriteByte(v)
			} else {
				b.WriteByte('%')
				b.WriteByte(upperHex[v>>4])
				b.WriteByte(upperHex[v&15])
			}
			i += 2
		case c >= 0x80 || c <= ' ' || c == 0x7f:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '%' || c >= 0x80 || c <= ' ' || c == 0x7f {
			return true
		}
	}
	return false
}

const upperHex = "0123456789ABCDEF"

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// isUnreserved: RFC 3986 §2.3 ALPHA / DIGIT / "-" / "." / "_" / "~".
func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}
