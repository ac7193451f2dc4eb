package crawl_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/crawl"
)

// checkNormal asserts the properties every normalised URL has: it parses,
// it is http or https with a host, it has no fragment, and normalising it
// again changes nothing.
func checkNormal(t *testing.T, in, out string) {
	t.Helper()
	u, err := url.Parse(out)
	if err != nil {
		t.Fatalf("Normalize(%q) = %q, which does not parse: %v", in, out, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		t.Fatalf("Normalize(%q) = %q: scheme %q", in, out, u.Scheme)
	}
	if u.Host == "" || u.Fragment != "" || strings.Contains(out, "#") {
		t.Fatalf("Normalize(%q) = %q: empty host or a fragment", in, out)
	}
	again, err := crawl.Normalize(out)
	if err != nil || again != out {
		t.Fatalf("Normalize is not idempotent: %q -> %q -> %q (%v)", in, out, again, err)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"http://Example.COM:80/a/./b/../c?b=2&a=1#frag",
		"https://example.com:443",
		"HTTPS://example.com:8443/%7Euser/?",
		"http://example.com/a%2Fb?q=%zz",
		"http://[::1]:8080/x?a=1&a=0",
		"http://user:pass@example.com/../../x",
		"ftp://example.com/", "mailto:a@b", "//example.com/x", "http:///x", "http://a b/",
		"http://example.com/path with space?x=a b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		out, err := crawl.Normalize(raw)
		if err != nil {
			return
		}
		checkNormal(t, raw, out)
	})
}

func FuzzExtractLinks(f *testing.F) {
	for _, s := range []string{
		`<a href="/a#x">a</a><a href="b?y=1&x=2">b</a><a href="b?x=2&y=1">b</a>`,
		`<base href="https://other.example/dir/"><a href="../up">u</a>`,
		`<base href="javascript:alert(1)"><a href="x">x</a>`,
		`<a href="mailto:x@y">m</a><a href="javascript:void(0)">j</a><a href="  http://E.com:80  ">e</a>`,
		`<div><a href=/unquoted>u<p><a href='/q'>q</div></table>`,
		`<a href="http://[::1">bad</a><a href="%zz">bad</a>`,
		"\x00<a href=\"\xff\xfe\">x</a>",
	} {
		f.Add("http://example.com/dir/page.html", s)
	}
	f.Fuzz(func(t *testing.T, page, html string) {
		links, err := crawl.ExtractLinks(page, []byte(html), "")
		if err != nil {
			return // a bad page URL is reported, never a panic
		}
		seen := map[string]bool{}
		for _, l := range links {
			checkNormal(t, l, l)
			if seen[l] {
				t.Fatalf("duplicate link %q", l)
			}
			seen[l] = true
		}
	})
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"HTTP://Example.COM:80/a/./b/../c?b=2&a=1#frag", "http://example.com/a/c?a=1&b=2"},
		{"https://example.com:443", "https://example.com/"},
		{"http://example.com:8080/?", "http://example.com:8080/"},
		{"http://example.com/x?a=2&a=1", "http://example.com/x?a=2&a=1"}, // repeated keys keep their order
		{"http://example.com/../../x", "http://example.com/x"},
	} {
		got, err := crawl.Normalize(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"ftp://example.com/", "mailto:a@b", "/relative", "http://"} {
		if got, err := crawl.Normalize(bad); err == nil {
			t.Errorf("Normalize(%q) = %q, want an error", bad, got)
		}
	}
	n := crawl.Normalizer{DropQuery: []string{"sid", "utm_source"}}
	if got, _ := n.Normalize("http://e.com/p?utm_source=x&id=3&sid=abc"); got != "http://e.com/p?id=3" {
		t.Errorf("DropQuery: got %q", got)
	}
}
