package crawl

import (
	"bytes"
	"errors"
	"io"
	"net/url"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
)

// Streaming link extraction: when no callback needs the page (no
// OnResponse, OnHTML or OnScraped, Follow "a[href]" or ""), the body is
// never held whole. It flows through a size cap, the charset decoder and
// the HTML tokenizer as it is read, and only the <a> and <base> tags
// with an href are kept. Memory per page is then the tokenizer's buffer
// (a few KB, or the longest token), the document's <head> while a late
// <meta charset> is looked for, and the links.

// capReader passes at most lim bytes of r and notes whether more followed
// (the body is truncated) and the first read error other than io.EOF.
type capReader struct {
	r         io.Reader
	lim, n    int64
	truncated bool
	err       error
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if c.n >= c.lim {
		if !c.truncated {
			var one [1]byte
			k, err := io.ReadFull(c.r, one[:])
			switch {
			case k > 0:
				c.truncated = true
			case err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF):
				c.err = err
				return 0, err
			}
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.lim-c.n {
		p = p[:c.lim-c.n]
	}
	k, err := c.r.Read(p)
	c.n += int64(k)
	if err != nil && !errors.Is(err, io.EOF) {
		c.err = err
	}
	return k, err
}

// read is the bytes read from the body: as readBody counts them, the
// byte that showed the truncation included.
func (c *capReader) read() int64 {
	if c.truncated {
		return c.n + 1
	}
	return c.n
}

// utf8Check passes r through and notes whether it is valid UTF-8,
// carrying an incomplete character across reads.
type utf8Check struct {
	r     io.Reader
	carry []byte
	bad   bool
}

func (c *utf8Check) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if !c.bad && n > 0 {
		c.check(p[:n])
	}
	return n, err
}

func (c *utf8Check) check(b []byte) {
	for len(c.carry) > 0 && len(b) > 0 { // finish the character cut by the last read
		c.carry = append(c.carry, b[0])
		b = b[1:]
		if utf8.FullRune(c.carry) {
			if !utf8.Valid(c.carry) {
				c.bad = true
				return
			}
			c.carry = c.carry[:0]
		}
	}
	tail := completeRunes(b)
	if !utf8.Valid(b[:tail]) {
		c.bad = true
		return
	}
	c.carry = append(c.carry, b[tail:]...)
}

// valid reports whether everything read was UTF-8; a character cut at the
// end counts as valid when the body was truncated there.
func (c *utf8Check) valid(truncated bool) bool {
	return !c.bad && (len(c.carry) == 0 || truncated)
}

// streamLinks reads an HTML body (head holds the bytes already sniffed)
// up to MaxBodySize and returns its links as tokenLinks would find them in
// the whole body decoded by toUTF8, without holding the body: the
// encoding comes from the header, the first 1,024 bytes or a late <meta>
// in the <head> (only the head is buffered while it is looked for); a body
// declared UTF-8 that turns out not to be is read as windows-1252, and the
// kept <a>/<base> tags are decoded again that way. With follow false the
// body is only read (counted) and dropped.
func (n Normalizer) streamLinks(body io.Reader, head []byte, ct string, page *url.URL, lim int64, follow bool) (links []link, read int64, truncated bool, err error) {
	cr := &capReader{r: io.MultiReader(bytes.NewReader(head), body), lim: lim}
	done := func() ([]link, int64, bool, error) { return links, cr.read(), cr.truncated, cr.err }
	if !follow {
		io.Copy(io.Discard, cr)
		return done()
	}
	const prescan = 1024 // the bytes charset.DetermineEncoding looks at
	prefix := make([]byte, prescan)
	k, _ := io.ReadFull(cr, prefix)
	prefix = prefix[:k]
	if cr.err != nil {
		return done()
	}
	enc, name, certain := charset.DetermineEncoding(prefix, ct)
	src := io.MultiReader(bytes.NewReader(prefix), cr)
	if !certain && k == prescan { // a <meta> may come late: buffer the head
		var pre bytes.Buffer
		e, nm := lateMetaCharsetIn(io.MultiReader(bytes.NewReader(prefix), io.TeeReader(cr, &pre)))
		if cr.err != nil {
			return done()
		}
		if e != nil {
			enc, name = e, nm
		}
		src = io.MultiReader(bytes.NewReader(prefix), &pre, cr)
	}
	if name != "utf-8" {
		tags := scanTags(enc.NewDecoder().Reader(src), false)
		links = n.linksFromTags(page, tags, false, links)
		return done()
	}
	chk := &utf8Check{r: src}
	tags := scanTags(chk, true)
	if cr.err != nil {
		return done()
	}
	if !chk.valid(cr.truncated) { // UTF-8 declared or guessed, but not UTF-8
		dec := charmap.Windows1252.NewDecoder()
		for i := range tags {
			if tags[i].raw == nil {
				continue // ASCII: the same either way
			}
			if raw, err := dec.Bytes(tags[i].raw); err == nil {
				tags[i].raw = raw
			}
		}
		links = n.linksFromTags(page, tags, true, links)
		return done()
	}
	links = n.linksFromTags(page, tags, false, links)
	return done()
}

// tag is an <a> or <base> start tag with its href, and with its raw text
// when it may have to be decoded again (it has non-ASCII bytes).
type tag struct {
	isA  bool
	href string
	raw  []byte
}

// scanTags tokenizes r and keeps the <a> and <base> tags that have an href
// (the first href attribute counts), with their raw text when keepRaw.
func scanTags(r io.Reader, keepRaw bool) []tag {
	var tags []tag
	z := html.NewTokenizer(r)
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return tags
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		if t, ok := tagOf(z, keepRaw); ok {
			tags = append(tags, t)
		}
	}
}

// tagOf reads the current start tag of z when it is an <a> or <base>
// with an href.
func tagOf(z *html.Tokenizer, keepRaw bool) (tag, bool) {
	name, hasAttr := z.TagName()
	if !hasAttr || len(name) > 4 {
		return tag{}, false
	}
	isA, isBase := string(name) == "a", string(name) == "base"
	if !isA && !isBase {
		return tag{}, false
	}
	var raw []byte
	if keepRaw && !ascii(z.Raw()) { // before TagAttr, which unescapes in place
		raw = bytes.Clone(z.Raw())
	}
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		if string(k) == "href" {
			return tag{isA: isA, href: string(v), raw: raw}, true
		}
	}
	return tag{}, false
}

// linksFromTags resolves the hrefs of the <a> tags against the first
// <base href> (or page), in document order without duplicates; with
// reparse, each tag's href is read again from its raw text.
func (n Normalizer) linksFromTags(page *url.URL, tags []tag, reparse bool, out []link) []link {
	base := page
	baseSeen := false
	var hrefs []string
	for _, t := range tags {
		if reparse && t.raw != nil { // an ASCII tag reads the same decoded
			z := html.NewTokenizer(bytes.NewReader(t.raw))
			tt := z.Next()
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			var ok bool
			if t, ok = tagOf(z, false); !ok {
				continue
			}
		}
		if t.isA {
			if len(hrefs) == 0 || t.href != hrefs[len(hrefs)-1] {
				hrefs = append(hrefs, t.href)
			}
			continue
		}
		if baseSeen {
			continue
		}
		baseSeen = true // the first <base href> counts, even a bad one
		if b, err := url.Parse(cleanHref(t.href)); err == nil {
			if r := page.ResolveReference(b); r.Scheme == "http" || r.Scheme == "https" {
				base = r
			}
		}
	}
	seen := make(map[string]struct{}, len(hrefs))
	for _, h := range hrefs {
		l, err := n.resolveLink(base, h)
		if err != nil {
			continue
		}
		if _, dup := seen[l.key]; !dup {
			seen[l.key] = struct{}{}
			out = append(out, l)
		}
	}
	return out
}

// ascii reports whether b has no byte above 0x7F (windows-1252 leaves it
// as it is).
func ascii(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// completeRunes is the length of b without a last character that b cuts
// short (a lead byte and fewer continuation bytes than it announces).
func completeRunes(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax+1; i-- {
		if !utf8.RuneStart(b[i]) {
			continue
		}
		if !utf8.FullRune(b[i:]) {
			return i
		}
		break
	}
	return len(b)
}
