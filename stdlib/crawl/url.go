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
// deduplication. The zero value lower-cases the scheme and host, removes
// the default port (80 for http, 443 for https), resolves "." and ".."
// path segments, makes an empty path "/", drops the fragment and an empty
// query, and sorts the query parameters by name.
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
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("crawl: bad URL %q: %w", raw, err)
	}
	return n.normalizeURL(u)
}

// Resolve resolves ref against base (as a browser resolves an href) and
// normalises the result.
func (n Normalizer) Resolve(base *url.URL, ref string) (string, error) {
	r, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return "", fmt.Errorf("crawl: bad link %q: %w", ref, err)
	}
	if base != nil {
		r = base.ResolveReference(r)
	}
	return n.normalizeURL(r)
}

func (n Normalizer) normalizeURL(u *url.URL) (string, error) {
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("%w: %q", ErrScheme, u.Redacted())
	}
	if u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("crawl: URL %q has no host", u.Redacted())
	}
	v := *u
	v.Scheme = scheme
	host := strings.ToLower(v.Host)
	if p := v.Port(); (scheme == "http" && p == "80") || (scheme == "https" && p == "443") {
		host = host[:len(host)-len(p)-1]
	}
	host = strings.TrimSuffix(host, ":")
	if host == "" || strings.ContainsAny(host, " /\\?#@") {
		return "", fmt.Errorf("crawl: URL %q has a bad host", u.Redacted())
	}
	v.Host = host
	v.Fragment, v.RawFragment = "", ""
	// Resolving against itself removes dot segments the way RFC 3986 does.
	ref := &url.URL{Path: v.Path, RawPath: v.RawPath}
	if v.Path == "" {
		ref.Path, ref.RawPath = "/", ""
	}
	base := &url.URL{Scheme: v.Scheme, Host: v.Host, Path: "/"}
	r := base.ResolveReference(ref)
	v.Path, v.RawPath = r.Path, r.RawPath
	if v.Path == "" {
		v.Path, v.RawPath = "/", ""
	}
	v.ForceQuery = false
	v.RawQuery = n.query(v.RawQuery)
	s := v.String()
	return s, nil
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
	return Normalizer{}.links(documentBase(doc, base), doc.FindMatcher(sel), nil), nil
}

// documentBase applies the first <base href> of doc to the page URL.
func documentBase(doc *goquery.Document, page *url.URL) *url.URL {
	href, ok := doc.Find("base[href]").First().Attr("href")
	if !ok {
		return page
	}
	b, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return page
	}
	r := page.ResolveReference(b)
	if r.Scheme != "http" && r.Scheme != "https" {
		return page
	}
	return r
}

func (n Normalizer) links(base *url.URL, s *goquery.Selection, out []string) []string {
	seen := make(map[string]struct{}, s.Length())
	for _, node := range s.Nodes {
		for _, a := range node.Attr {
			if a.Key != "href" || a.Namespace != "" {
				continue
			}
			u, err := n.Resolve(base, a.Val)
			if err != nil {
				break
			}
			if _, dup := seen[u]; !dup {
				seen[u] = struct{}{}
				out = append(out, u)
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
