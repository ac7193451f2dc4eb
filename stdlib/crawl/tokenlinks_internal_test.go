package crawl

import (
	"net/url"
	"slices"
	"testing"
)

// FuzzTokenLinks: the links read off the tokenizer (no callback needs the
// document) are the links the DOM and the "a[href]" selector give.
func FuzzTokenLinks(f *testing.F) {
	for _, s := range []string{
		`<a href="/a#x">a</a><a href="b?y=1&amp;x=2">b</a><a href="b?x=2&y=1">b</a>`,
		`<base href="https://other.example/dir/"><a href="../up">u</a>`,
		`<a href="x">x</a><base href="/late/"><base href="/second/">`,
		`<base href="javascript:alert(1)"><a href="x">x</a>`,
		`<a href="mailto:x@y">m</a><a href=" http://E.com:80/ ">e</a><a href="/t` + "\t" + `ab">t</a>`,
		`<div><a href=/unquoted>u<p><a href='/q'>q</div></table>`,
		`<script><a href="/not-a-link"></script><a HREF="/upper">`,
		`<svg><a href="/in-svg"/></svg><textarea><a href="/text"></textarea>`,
		"\x00<a href=\"\xff\xfe\">x</a>",
	} {
		f.Add("http://example.com/dir/page.html", s)
	}
	f.Fuzz(func(t *testing.T, page, body string) {
		pu, err := url.Parse(page)
		if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			return
		}
		dom, err := ExtractLinks(page, []byte(body), "")
		if err != nil {
			return
		}
		var tok []string
		for _, l := range (Normalizer{}).tokenLinks(pu, []byte(body), nil) {
			tok = append(tok, l.key)
		}
		if !slices.Equal(dom, tok) {
			t.Fatalf("page %q body %q:\nDOM       %q\ntokenizer %q", page, body, dom, tok)
		}
	})
}
