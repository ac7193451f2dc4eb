package crawl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// Sentinel errors callers can branch on with errors.Is.
var (
	ErrRedirectLoop     = errors.New("crawl: redirect loop")
	ErrTooManyRedirects = errors.New("crawl: too many redirects")
)

// StatusError is the error of a response whose status is not 2xx.
type StatusError struct {
	Code int
	URL  string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
}

// FetchError is the error of a page that failed after its retries: it
// names the page, the attempts made and the last status and cause, e.g.
// "crawl: GET http://h/p: 3 attempts, last: HTTP 503 Service Unavailable".
// errors.Is and errors.As see the cause (*StatusError, ErrRedirectLoop,
// context.DeadlineExceeded, …).
type FetchError struct {
	URL      string // the page, absolute
	Attempts int    // requests made for it, the first included
	Status   int    // the last HTTP status, 0 when none arrived
	Err      error  // the last cause
}

func (e *FetchError) Error() string {
	n := "attempts"
	if e.Attempts == 1 {
		n = "attempt"
	}
	return fmt.Sprintf("crawl: GET %s: %d %s, last: %v", e.URL, e.Attempts, n, e.Err)
}

func (e *FetchError) Unwrap() error { return e.Err }

// fetchResult is the outcome of fetching one page, retries included.
type fetchResult struct {
	url       string // final URL after redirects (normalised)
	status    int
	header    http.Header
	body      []byte // UTF-8
	truncated bool
	streamed  bool     // the body was read by streamLinks, not kept
	links     []link   // its links, when streamed
	aliases   []string // redirect targets claimed by this page
	err       error
	class     string // error class for Stats.Errors, "" when none
	skip      string // reason the page was skipped, "" when none
	requests  int
	retries   int
	bytes     int64
}

type ctxKey struct{}

// redirectState travels in the request context to CheckRedirect.
type redirectState struct {
	r       *run
	aliases []string
	skip    string
	held    *host  // the host whose concurrency slot this request holds
	owner   string // the page (frontier key) the request is for
}

func (r *run) newClient() *http.Client {
	cfg := &r.cfg
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   cfg.ConnectTimeout,
		ResponseHeaderTimeout: cfg.HeaderTimeout,
		MaxIdleConnsPerHost:   max(cfg.HostConcurrency, 2),
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{Transport: tr, CheckRedirect: r.checkRedirect}
}

func (r *run) checkRedirect(req *http.Request, via []*http.Request) error {
	if req.Context().Value(robotsKey{}) != nil { // robots.txt: no dedupe
		if len(via) > robotsMaxRedirects {
			return errRobotsRedirects
		}
		return nil
	}
	st, _ := req.Context().Value(ctxKey{}).(*redirectState)
	if len(via) > r.cfg.MaxRedirects {
		return fmt.Errorf("%w: %d hops from %s to %s (MaxRedirects %d)", ErrTooManyRedirects,
			len(via), via[0].URL, req.URL, r.cfg.MaxRedirects)
	}
	if st == nil {
		return nil
	}
	u, err := r.cfg.Normalizer.normalizeURL(req.URL)
	if err != nil {
		st.skip = "redirect-scheme"
		return http.ErrUseLastResponse
	}
	for i, v := range via {
		if vu, err := r.cfg.Normalizer.normalizeURL(v.URL); err == nil && vu == u {
			chain := make([]string, 0, len(via)-i+1)
			for _, w := range via[i:] {
				chain = append(chain, w.URL.String())
			}
			return fmt.Errorf("%w: %s → %s", ErrRedirectLoop, strings.Join(chain, " → "), req.URL)
		}
	}
	if !r.allowedHost(req.URL) {
		st.skip = "offsite-redirect"
		return http.ErrUseLastResponse
	}
	if !slices.Contains(st.aliases, u) {
		if !r.claimAlias(req.Context(), u, st.owner) {
			// Another page owns the target: it is (or was) fetched there.
			st.skip = "redirect-seen"
			return http.ErrUseLastResponse
		}
		st.aliases = append(st.aliases, u)
	}
	if ok, why := r.robotsAllow(req.Context(), req.URL); !ok {
		st.skip = why
		return http.ErrUseLastResponse
	}
	// Politeness on the hop: the target host's slot, Crawl-delay, rate and
	// Retry-After, as for any request to it. The previous host's request
	// is over, so its slot is given back first (holding one slot at a time
	// cannot deadlock).
	nh := r.hosts.get(hostKey(req.URL), &r.cfg)
	if nh == st.held {
		if err := nh.pace(req.Context()); err != nil {
			return err
		}
		return r.sharedPace(req.Context(), nh)
	}
	if st.held != nil {
		st.held.release()
		st.held = nil
	}
	if err := nh.acquire(req.Context()); err != nil {
		return err
	}
	st.held = nh
	return r.sharedPace(req.Context(), nh)
}

// hostKey is the key of u's host in run.hosts: host[:port] normalised.
func hostKey(u *url.URL) string {
	if h, err := normalHost(strings.ToLower(u.Scheme), u.Host); err == nil {
		return h
	}
	return u.Host
}

// fetch gets u with the host's politeness rules, retrying transient
// failures with exponential backoff and jitter.
func (r *run) fetch(ctx context.Context, h *host, u, owner string, hdr http.Header, rng *rand.Rand) fetchResult {
	st := &redirectState{r: r, owner: owner}
	var res fetchResult
	for attempt := 0; ; attempt++ {
		if err := h.acquire(ctx); err != nil {
			res.err = err
			return res
		}
		if err := r.sharedPace(ctx, h); err != nil { // the request's slot across workers
			h.release()
			res.err = err
			return res
		}
		st.held = h
		one := r.fetchOnce(ctx, u, hdr, st)
		if st.held != nil {
			st.held.release()
			st.held = nil
		}
		one.requests += res.requests
		one.retries = res.retries
		one.bytes += res.bytes
		res = one
		res.aliases = st.aliases
		if ctx.Err() != nil || !retryable(res) || attempt >= r.cfg.MaxRetries {
			return failed(res, u, attempt+1)
		}
		wait := backoff(r.cfg.RetryBase, r.cfg.MaxRetryWait, attempt, rng)
		if ra, ok := retryAfter(res.header, time.Now()); ok {
			if ra > r.cfg.MaxRetryWait { // the server asks for longer than we wait
				res.err = fmt.Errorf("%w, Retry-After %.0f s exceeds MaxRetryWait %v",
					res.err, ra.Seconds(), r.cfg.MaxRetryWait)
				return failed(res, u, attempt+1)
			}
			wait = ra
			h.delay(time.Now().Add(ra))
		}
		res.retries++
		if err := sleep(ctx, wait); err != nil {
			res.err = err
			return res
		}
	}
}

// failed wraps a page's last error in a FetchError naming the attempts.
func failed(res fetchResult, u string, attempts int) fetchResult {
	if res.err != nil {
		res.err = &FetchError{URL: u, Attempts: attempts, Status: res.status, Err: res.err}
	}
	return res
}

func retryable(res fetchResult) bool {
	switch res.class {
	case "timeout", "connection":
		return true
	}
	return res.status == http.StatusTooManyRequests || res.status >= 500
}

// backoff is base·2^attempt capped at maxWait, with the upper half jittered.
func backoff(base, maxWait time.Duration, attempt int, rng *rand.Rand) time.Duration {
	d := base << min(attempt, 30)
	if d > maxWait || d <= 0 {
		d = maxWait
	}
	half := d / 2
	return half + time.Duration(rng.Int64N(int64(half)+1))
}

// retryAfter parses a Retry-After header: delay-seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

func (r *run) fetchOnce(ctx context.Context, u string, hdr http.Header, st *redirectState) fetchResult {
	res := fetchResult{url: u}
	actx, cancel := context.WithCancel(context.WithValue(ctx, ctxKey{}, st))
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u, nil)
	if err != nil {
		res.err, res.class = err, "request"
		return res
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", r.cfg.UserAgent)
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1")
	}
	st.skip = ""
	res.requests = 1
	resp, err := r.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) && (errors.Is(err, ErrRedirectLoop) || errors.Is(err, ErrTooManyRedirects)) {
			err = ue.Err // it names the absolute URLs of the chain
		}
		res.err, res.class = err, classify(err)
		return res
	}
	defer resp.Body.Close()
	res.status, res.header = resp.StatusCode, resp.Header
	if fu, err := r.cfg.Normalizer.normalizeURL(resp.Request.URL); err == nil {
		res.url = fu
	}
	if st.skip != "" {
		res.skip = st.skip
		return res
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		res.err = &StatusError{Code: resp.StatusCode, URL: u}
		res.class = "http " + strconv.Itoa(resp.StatusCode)
		return res
	}
	timer := time.AfterFunc(r.cfg.BodyTimeout, cancel)
	defer timer.Stop()
	ct := resp.Header.Get("Content-Type")
	var head []byte
	if ct == "" {
		head = make([]byte, 512)
		n, err := io.ReadFull(resp.Body, head)
		head = head[:n]
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			res.err = bodyErr(err, timer, r.cfg.BodyTimeout)
			res.class = classify(res.err)
			return res
		}
		ct = http.DetectContentType(head)
	}
	if !isHTML(ct) {
		res.skip = "content-type"
		return res
	}
	lim := r.cfg.MaxBodySize
	if r.stream { // no callback needs the page: links off the stream
		pu, _ := url.Parse(res.url)
		var err error
		res.streamed = true
		res.links, res.bytes, res.truncated, err = r.cfg.Normalizer.streamLinks(resp.Body, head, ct, pu, lim, r.cfg.Follow != "")
		if err != nil {
			res.err = bodyErr(err, timer, r.cfg.BodyTimeout)
			res.class = classify(res.err)
		}
		return res
	}
	body, err := readBody(resp.Body, head, lim+1, resp.ContentLength)
	res.bytes = int64(len(body))
	if err != nil {
		res.err = bodyErr(err, timer, r.cfg.BodyTimeout)
		res.class = classify(res.err)
		return res
	}
	if int64(len(body)) > lim {
		body, res.truncated = body[:lim], true
	}
	res.body = toUTF8(body, ct, res.truncated)
	return res
}

// readBody reads r after head, at most max bytes in all, into one buffer
// sized by the Content-Length when known (so a body costs its size once)
// and else grown by doubling up to max (at most twice the body while the
// last copy is made).
func readBody(r io.Reader, head []byte, max, contentLength int64) ([]byte, error) {
	size := int64(64 << 10)
	if contentLength >= 0 {
		size = int64(len(head)) + contentLength + 1 // +1 sees the EOF without growing
	}
	buf := make([]byte, len(head), min(max, size))
	copy(buf, head)
	for int64(len(buf)) < max {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(max, 2*int64(cap(buf))))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

func bodyErr(err error, timer *time.Timer, timeout time.Duration) error {
	if !timer.Stop() { // the body timeout fired
		return fmt.Errorf("body timeout (BodyTimeout %v): %w", timeout, context.DeadlineExceeded)
	}
	return err
}

func classify(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, ErrRedirectLoop):
		return "redirect loop"
	case errors.Is(err, ErrTooManyRedirects):
		return "too many redirects"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	var ue *url.Error
	if errors.As(err, &ue) && errors.Is(ue.Err, ErrScheme) {
		return "request"
	}
	return "connection"
}

func isHTML(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// toUTF8 decodes body using the Content-Type charset, a <meta> charset or,
// failing those, a guess; bytes declared as UTF-8 that are not valid UTF-8
// are read as windows-1252, the web's legacy default.
func toUTF8(body []byte, ct string, truncated bool) []byte {
	enc, name, certain := charset.DetermineEncoding(body, ct)
	if !certain { // no BOM, no charset in the header: a <meta> may come late
		if e, n := lateMetaCharset(body); e != nil {
			enc, name = e, n
		}
	}
	if name == "utf-8" {
		check := body
		if truncated { // the cut may split the last character
			check = check[:completeRunes(check)]
		}
		if utf8.Valid(check) {
			return body
		}
		enc = charmap.Windows1252
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return body
	}
	return out
}

// rngPool hands each worker its own seeded source.
type rngPool struct {
	mu   sync.Mutex
	seed uint64
	n    uint64
}

func (p *rngPool) next() *rand.Rand {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	return rand.New(rand.NewPCG(p.seed, p.n))
}

// lateMetaCharset finds a <meta charset> or <meta http-equiv=content-type>
// in the document's head when it lies beyond the first 1,024 bytes that
// charset.DetermineEncoding prescans: a browser meeting it while parsing
// re-decodes the document with it (WHATWG HTML, "change the encoding").
// It stops at </head> or the first body element.
func lateMetaCharset(body []byte) (encoding.Encoding, string) {
	if len(body) <= 1024 {
		return nil, ""
	}
	return lateMetaCharsetIn(bytes.NewReader(body))
}

// lateMetaCharsetIn is lateMetaCharset over a reader, read up to the end
// of the head.
func lateMetaCharsetIn(r io.Reader) (encoding.Encoding, string) {
	z := html.NewTokenizer(r)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return nil, ""
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "head" {
				return nil, ""
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body", "p", "div", "a", "h1", "table", "ul":
				return nil, ""
			case "meta":
			default:
				continue
			}
			var label, equiv, content string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch strings.ToLower(string(k)) {
				case "charset":
					label = string(v)
				case "http-equiv":
					equiv = strings.ToLower(string(v))
				case "content":
					content = string(v)
				}
			}
			if label == "" && equiv == "content-type" {
				if _, params, err := mime.ParseMediaType(content); err == nil {
					label = params["charset"]
				}
			}
			if label != "" {
				if e, n := charset.Lookup(label); e != nil {
					if n == "utf-16be" || n == "utf-16le" { // a <meta> cannot declare UTF-16 (WHATWG)
						return charset.Lookup("utf-8")
					}
					return e, n
				}
			}
		}
	}
}
