package crawl

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
)

// ErrScheme is returned for URLs whose scheme is not http or https.
var ErrScheme = errors.New("crawl: only http and https URLs are crawled")

// Normalizer turns URLs that name the same page into one string, the key of
// deduplication. The zero value follows RFC 3986 §6.2.2–6.2.3: it
// lower-cases the scheme and host, removes the default port (80 for http,
// 443 for https), decodes percent-encoded unreserved characters (%41 → A,
// %7E → ~), writes the remaining escapes in upper-case hex (%c3%a9 →
// %C3%A9), resolves "." and ".." path segments, makes an empty path "/",
// drops the fragment and an empty query; beyond the RFC, it sorts the
// query parameters by name.
type Normalizer struct {
	// DropQuery lists query parameter names removed before deduplication.
	DropQuery []string
	// DropAllQuery removes the whole query string.
	DropAllQuery bool
	// KeepQueryOrder keeps the query parameters in their original order.
	KeepQueryOrder bool
}

// Normalize normalises raw with the zero Normalizer.
func Normalize(raw string) (string, error) { return Normalizer{}.Normalize(raw) }

// Normalize parses raw, which must be an absolute http or https URL, and
// returns its normal form.
func (n Normalizer) Normalize(raw string) (string, error) {
	u, err := url.Parse(cleanHref(raw))
	if err != nil {
		return "", fmt.Errorf("crawl: bad URL %q: %w", raw, err)
	}
	return n.normalizeURL(u)
}

// Resolve resolves ref against base (as a browser resolves an href) and
// normalises the result.
func (n Normalizer) Resolve(base *url.URL, ref string) (string, error) {
	l, err := n.resolveLink(base, ref)
	return l.key, err
}

// link is a URL to crawl: key is its normal form, the key of
// deduplication; url, when not "", is the URL as the page links it
// (RFC 3986-normalised, but its query as written), which is what is
// requested and what robots.txt rules are matched against.
type link struct{ key, url string }

// target is the URL to request.
func (l link) target() string {
	if l.url != "" {
		return l.url
	}
	return l.key
}

// resolveLink resolves ref against base into a link.
func (n Normalizer) resolveLink(base *url.URL, ref string) (link, error) {
	r, err := url.Parse(cleanHref(ref))
	if err != nil {
		return link{}, fmt.Errorf("crawl: bad link %q: %w", ref, err)
	}
	if base != nil {
		r = base.ResolveReference(r)
	}
	as, err := Normalizer{KeepQueryOrder: true}.normalizeURL(r)
	if err != nil {
		return link{}, err
	}
	key := n.keyOf(as)
	if key == as {
		return link{key: key}, nil
	}
	return link{key: key, url: as}, nil
}

// keyOf applies the query rules (sorting, DropQuery) to a URL normalised
// with its query as written.
func (n Normalizer) keyOf(as string) string {
	i := strings.IndexByte(as, '?')
	if i < 0 || (n.KeepQueryOrder && len(n.DropQuery) == 0 && !n.DropAllQuery) {
		return as
	}
	if q := n.query(as[i+1:]); q != "" {
		return as[:i+1] + q
	}
	return as[:i]
}

func (n Normalizer) normalizeURL(u *url.URL) (string, error) {
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("%w: %q", ErrScheme, u.Redacted())
	}
	if u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("crawl: URL %q has no host", u.Redacted())
	}
	host, err := normalHost(scheme, u.Host)
	if err != nil {
		return "", fmt.Errorf("crawl: URL %q has a bad host", u.Redacted())
	}
	// RFC 3986 §6.2.2: percent-encoding first (an escaped "." may make a
	// dot segment), then dot segments.
	path := removeDotSegments(robotsEscape(u.EscapedPath()))
	var b strings.Builder
	b.Grow(len(scheme) + len(host) + len(path) + len(u.RawQuery) + 8)
	b.WriteString(scheme)
	b.WriteString("://")
	if u.User != nil {
		b.WriteString(u.User.String())
		b.WriteByte('@')
	}
	b.WriteString(host)
	b.WriteString(path)
	if q := n.query(robotsEscape(u.RawQuery)); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String(), nil
}

// removeDotSegments resolves "." and ".." segments of an absolute path
// (RFC 3986 §5.2.4) and makes an empty path "/"; it keeps empty segments
// ("//") and a trailing slash, which name other resources.
func removeDotSegments(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.Contains(p, "/.") {
		return p
	}
	segs := strings.Split(p[1:], "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
			continue
		}
		if last {
			out = append(out, "")
		}
	}
	return "/" + strings.Join(out, "/")
}

func (n Normalizer) query(raw string) string {
	if raw == "" || n.DropAllQuery {
		return ""
	}
	parts := strings.Split(raw, "&")
	out := parts[:0]
	for _, p := range parts {
		if p == "" {
			continue
		}
		if len(n.DropQuery) > 0 {
			k := p
			if i := strings.IndexByte(p, '='); i >= 0 {
				k = p[:i]
			}
			if uk, err := url.QueryUnescape(k); err == nil {
				k = uk
			}
			if slices.Contains(n.DropQuery, k) {
				continue
			}
		}
		out = append(out, p)
	}
	if !n.KeepQueryOrder {
		// Stable on the key alone keeps repeated keys in their order.
		slices.SortStableFunc(out, func(a, b string) int {
			return strings.Compare(queryKey(a), queryKey(b))
		})
	}
	return strings.Join(out, "&")
}

// cleanHref does what browsers do to an href before parsing it (the
// WHATWG URL parser): leading and trailing C0 controls and spaces are
// trimmed, and ASCII tabs and newlines anywhere are removed.
func cleanHref(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, s)
	}
	return s
}

func queryKey(p string) string {
	if i := strings.IndexByte(p, '='); i >= 0 {
		return p[:i]
	}
	return p
}

func checkSelector(sel string) error {
	_, err := cascadia.Compile(sel)
	return err
}

// ExtractLinks parses an HTML document fetched from pageURL and returns the
// normalised absolute URLs of the href attributes of the elements matching
// selector ("a[href]" when empty), resolved against the document's
// <base href> when present, in document order without duplicates. Links
// that are not http or https, or that do not parse, are skipped.
func ExtractLinks(pageURL string, html []byte, selector string) ([]string, error) {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil, fmt.Errorf("crawl: bad page URL %q: %w", pageURL, err)
	}
	if selector == "" {
		selector = "a[href]"
	}
	sel, err := cascadia.Compile(selector)
	if err != nil {
		return nil, fmt.Errorf("crawl: bad selector %q: %w", selector, err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(html))
	if err != nil {
		return nil, fmt.Errorf("crawl: parse %s: %w", pageURL, err)
	}
	var keys []string
	for _, l := range (Normalizer{}).links(documentBase(doc, base), doc.FindMatcher(sel), nil) {
		keys = append(keys, l.key)
	}
	return keys, nil
}

// documentBase applies the first <base href> of doc to the page URL.
func documentBase(doc *goquery.Document, page *url.URL) *url.URL {
	href, ok := doc.Find("base[href]").First().Attr("href")
	if !ok {
		return page
	}
	b, err := url.Parse(cleanHref(href))
	if err != nil {
		return page
	}
	r := page.ResolveReference(b)
	if r.Scheme != "http" && r.Scheme != "https" {
		return page
	}
	return r
}

func (n Normalizer) links(base *url.URL, s *goquery.Selection, out []link) []link {
	seen := make(map[string]struct{}, s.Length())
	for _, node := range s.Nodes {
		for _, a := range node.Attr {
			if a.Key != "href" || a.Namespace != "" {
				continue
			}
			l, err := n.resolveLink(base, a.Val)
			if err != nil {
				break
			}
			if _, dup := seen[l.key]; !dup {
				seen[l.key] = struct{}{}
				out = append(out, l)
			}
			break
		}
	}
	return out
}

// normalHost lower-cases host[:port] and drops the scheme's default port;
// it fails on an empty host or one with characters no host has.
func normalHost(scheme, hostport string) (string, error) {
	h := strings.ToLower(strings.TrimSpace(hostport))
	if (scheme == "http" && strings.HasSuffix(h, ":80")) || (scheme == "https" && strings.HasSuffix(h, ":443")) {
		h = h[:strings.LastIndexByte(h, ':')]
	}
	h = strings.TrimSuffix(h, ":")
	if h == "" || strings.ContainsAny(h, " \t\r\n/\\?#@") {
		return "", fmt.Errorf("crawl: bad host %q", hostport)
	}
	return h, nil
}

// tokenLinks appends the normalised hrefs of the page's <a href> elements,
// resolved against the first <base href> (or page), in document order
// without duplicates: what links does with the selector "a[href]", read
// off the tokenizer without building a document.
func (n Normalizer) tokenLinks(page *url.URL, body []byte, out []link) []link {
	return n.linksFromTags(page, scanTags(bytes.NewReader(body), false), false, out)
}
