package crawl

import (
	"io"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
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

// oneByOne returns at most n bytes per Read, so that characters, tags and
// the 1,024-byte prescan are cut at every place.
type oneByOne struct {
	b []byte
	n int
}

func (r *oneByOne) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), r.n)], r.b)
	r.b = r.b[k:]
	return k, nil
}

// FuzzStreamLinks: the links read while the body streams (capped at lim,
// decoded on the fly, a late <meta charset> found by buffering the head,
// windows-1252 when UTF-8 is declared but the bytes are not) are the
// links of the whole body read, cut and decoded by toUTF8.
func FuzzStreamLinks(f *testing.F) {
	pad := strings.Repeat("<!-- padding -->", 70) // pushes a <meta> past 1,024 bytes
	for _, s := range []struct{ ct, body string }{
		{"text/html", `<a href="/a">a</a><a href="/b?x=1">b</a>`},
		{"text/html; charset=utf-8", "<a href=\"/caf\xc3\xa9\">x</a><a href=\"/\xe2\x82\xac\">e</a>"},
		{"text/html; charset=utf-8", "<a href=\"/caf\xe9\">latin-1 bytes declared UTF-8</a>"},
		{"text/html", "<head>" + pad + `<meta charset="iso-8859-7"></head><a href="/` + "\xe1" + `">g</a>`},
		{"text/html", "<head>" + pad + `<meta http-equiv="content-type" content="text/html; charset=koi8-r"><base href="/d/"></head><a href="` + "\xc1" + `">k</a>`},
		{"text/html", "<a href=\"/x&#x80;\xe9\">entity and a bad byte</a>"},
		{"text/html; charset=shift_jis", "<a href=\"/\x82\xa0\">sjis</a>"},
		{"text/html", "<head>\xff\xfe<meta charset=utf-16><a href=/u>u</a>"},                      // short: no late-meta scan
		{"text/html", "<head>" + pad + "<meta charset=utf-16></head><a href=\"/\xc3\xa9\">u</a>"}, // UTF-16 in a <meta> means UTF-8
		{"", strings.Repeat(`<p><a href="/r">r</a>`, 200) + "<a href=\"/\xe2\x82\xac\">cut</a>"},
	} {
		f.Add(s.ct, s.body, uint16(7), uint16(5000))
		f.Add(s.ct, s.body, uint16(1), uint16(len(s.body)-2))
		f.Add(s.ct, s.body, uint16(3), uint16(len(s.body)))
	}
	page, _ := url.Parse("http://example.com/dir/page.html")
	f.Fuzz(func(t *testing.T, ct, body string, chunk, lim uint16) {
		if lim == 0 || chunk == 0 {
			return
		}
		raw := []byte(body)
		cut, truncated := raw, false
		if len(cut) > int(lim) {
			cut, truncated = cut[:lim], true
		}
		want := Normalizer{}.tokenLinks(page, toUTF8(cut, ct, truncated), nil)
		head := raw[:min(len(raw), 3)] // sniffed bytes, as fetchOnce passes them
		got, n, tr, err := Normalizer{}.streamLinks(&oneByOne{raw[len(head):], int(chunk)}, head, ct, page, int64(lim), true)
		if err != nil {
			t.Fatal(err)
		}
		if tr != truncated || n != int64(min(len(raw), int(lim)+1)) {
			t.Errorf("truncated %v read %d; want %v %d", tr, n, truncated, min(len(raw), int(lim)+1))
		}
		if !slices.Equal(got, want) {
			t.Fatalf("ct %q body %q lim %d:\nstream %v\nwhole  %v", ct, body, lim, got, want)
		}
	})
}

// TestStreamLinksRandom is FuzzStreamLinks's check over 20,000 bodies
// built from HTML and charset fragments with a fixed seed (the fuzz
// engine does not run in CI): the streamed links are the whole body's.
func TestStreamLinksRandom(t *testing.T) {
	page, _ := url.Parse("http://example.com/dir/page.html")
	atoms := []string{"<a href=", `"/x"`, ">", "<base href=/b/>", "<head>", "</head>", "<meta charset=",
		"iso-8859-7", "utf-16", "shift_jis", "koi8-r", "\xe2", "\x82", "\xac", "\xff\xfe", "\xef\xbb\xbf",
		"é", "&#x80;", "<!--", "-->", "<script>", "</script>", "0", " ", "<p>", "\x00", strings.Repeat(" ", 1024)}
	cts := []string{"", "text/html", "text/html; charset=utf-8", "x;charset=utf-16le", "text/html; charset=iso-2022-jp",
		"text/html; charset=gb18030", "x;charset=euc-jp"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b []byte
		for k := rng.IntN(30); k > 0; k-- {
			b = append(b, atoms[rng.IntN(len(atoms))]...)
		}
		ct, chunk, lim := cts[rng.IntN(len(cts))], 1+rng.IntN(9), 1+rng.IntN(len(b)+20)
		cut, truncated := b, false
		if len(cut) > lim {
			cut, truncated = cut[:lim], true
		}
		want := Normalizer{}.tokenLinks(page, toUTF8(cut, ct, truncated), nil)
		head := b[:min(len(b), 3)]
		got, _, _, err := Normalizer{}.streamLinks(&oneByOne{b[len(head):], chunk}, head, ct, page, int64(lim), true)
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("ct %q body %q chunk %d lim %d:\nstream %v (%v)\nwhole  %v", ct, b, chunk, lim, got, err, want)
		}
	}
}
