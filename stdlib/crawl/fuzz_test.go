package crawl_test

import (
	"fmt"
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
		// Equivalent spellings (RFC 3986 §6.2.2) collide.
		for _, v := range respell(out) {
			if got, err := crawl.Normalize(v); err != nil || got != out {
				t.Fatalf("%q is %q respelled, but normalises to %q (%v)", v, out, got, err)
			}
		}
		// Distinct resources do not: another path, another case.
		u, _ := url.Parse(out)
		for _, p := range []string{u.EscapedPath() + "x", flipCase(u.EscapedPath())} {
			if p == u.EscapedPath() {
				continue
			}
			v := *u
			v.RawPath, v.Path = "", ""
			if w, err := url.Parse("http://h" + p); err == nil {
				v.Path, v.RawPath = w.Path, w.RawPath
			}
			if got, err := crawl.Normalize(v.String()); err == nil && got == out {
				t.Fatalf("%q and %q name different resources but both normalise to %q", out, v.String(), got)
			}
		}
	})
}

// respell writes a normalised URL in equivalent ways: upper-case scheme
// and host, the default port, unreserved characters and "/" -free path
// segments percent-encoded in either hex case, dot segments, a fragment.
func respell(norm string) []string {
	u, err := url.Parse(norm)
	if err != nil {
		return nil
	}
	user := ""
	if u.User != nil {
		user = u.User.String() + "@"
	}
	rest := strings.TrimPrefix(norm, u.Scheme+"://"+user+u.Host)
	port := map[string]string{"http": ":80", "https": ":443"}[u.Scheme]
	var out []string
	if u.Port() == "" {
		out = append(out, strings.ToUpper(u.Scheme)+"://"+user+strings.ToUpper(u.Host)+port+rest)
	}
	at := u.Scheme + "://" + user + u.Host
	out = append(out, norm+"#frag", at+"/./a/.."+rest)
	// Encode the first unreserved letter or digit of the path, both hex cases.
	p := u.EscapedPath()
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '%' {
			i += 2 // an escape's hex digits are not characters of the path
			continue
		}
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '~' {
			for _, f := range []string{"%%%02X", "%%%02x"} {
				q := p[:i] + fmt.Sprintf(f, c) + p[i+1:]
				out = append(out, at+q+strings.TrimPrefix(rest, p))
			}
			break
		}
	}
	// Lower-case the hex of existing escapes.
	if strings.Contains(rest, "%") {
		var b strings.Builder
		for i := 0; i < len(rest); i++ {
			if rest[i] == '%' && i+2 < len(rest) {
				b.WriteString("%" + strings.ToLower(rest[i+1:i+3]))
				i += 2
				continue
			}
			b.WriteByte(rest[i])
		}
		out = append(out, at+b.String())
	}
	return out
}

// flipCase changes the case of the first letter outside escapes.
func flipCase(p string) string {
	for i := 0; i < len(p); i++ {
		if p[i] == '%' {
			i += 2
			continue
		}
		if c := p[i]; 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			return p[:i] + string(c^0x20) + p[i+1:]
		}
	}
	return p
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
		// RFC 3986 §6.2.2: unreserved escapes decoded, other hex upper-case,
		// dot segments (also escaped ones) removed; §6.2.3: empty path.
		{"http://example.com/p%41ge", "http://example.com/pAge"},
		{"http://example.com/%7Euser/", "http://example.com/~user/"},
		{"http://example.com/caf%c3%a9", "http://example.com/caf%C3%A9"},
		{"http://example.com/a/%2E%2E/b", "http://example.com/b"},
		{"http://example.com/a%2fb", "http://example.com/a%2Fb"}, // reserved: stays escaped
		{"http://example.com?q=%7e%2f", "http://example.com/?q=~%2F"},
		{"http://example.com/a//b/./", "http://example.com/a//b/"},
		// Browsers strip tabs and newlines and trim spaces in hrefs.
		{" \thttp://example.com/a\n/b\r\n ", "http://example.com/a/b"},
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
