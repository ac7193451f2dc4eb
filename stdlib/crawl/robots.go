package crawl

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"
)

// robotsMaxRedirects is how many redirects of robots.txt are followed:
// RFC 9309 §2.3.1.2 asks for at least five; beyond them the file counts
// as unavailable.
const robotsMaxRedirects = 5

// robotsMaxSize is how much of a robots.txt is read: RFC 9309 §2.5 asks
// crawlers to parse at least 500 KiB.
const robotsMaxSize = 512 << 10

var errRobotsRedirects = errors.New("crawl: robots.txt redirected more than 5 times")

type robotsKey struct{}

// robotsAllow reports whether u may be fetched, and when not, the reason
// for Stats.Skipped: "robots" (a rule disallows it) or
// "robots-unavailable" (RFC 9309 §2.3.1.4: robots.txt answered 5xx or
// could not be fetched, so the host is completely disallowed; the fetch
// is retried with backoff, MaxRetries times, before the page is given up).
// A robots.txt that answers 4xx, or redirects more than five times,
// allows everything (§2.3.1.3).
func (r *run) robotsAllow(ctx context.Context, u *url.URL) (bool, string) {
	if r.cfg.IgnoreRobots {
		return true, ""
	}
	h := r.hosts.get(hostKey(u), &r.cfg)
	h.robotsMu.Lock()
	for h.robots == nil {
		if h.robotsTries > r.cfg.MaxRetries {
			h.robotsMu.Unlock()
			return false, "robots-unavailable"
		}
		if wait := time.Until(h.robotsNext); wait > 0 {
			h.robotsMu.Unlock()
			if sleep(ctx, wait) != nil {
				return false, "robots-unavailable"
			}
			h.robotsMu.Lock()
			continue
		}
		if ctx.Err() != nil {
			h.robotsMu.Unlock()
			return false, "robots-unavailable"
		}
		var g *robotsGroup
		var ok bool
		if r.shared != nil {
			g, ok = r.loadRobotsShared(ctx, u, h.name)
		} else {
			g, ok = r.loadRobots(ctx, u)
		}
		if ok {
			h.robots = g
			if r.shared == nil { // shared: the store paces the host
				h.setCrawlDelay(g.delay)
			}
			break
		}
		r.mu.Lock()
		r.stats.RobotsErrors++
		r.mu.Unlock()
		d := r.cfg.RetryBase << min(h.robotsTries, 30)
		if d > r.cfg.MaxRetryWait || d <= 0 {
			d = r.cfg.MaxRetryWait
		}
		h.robotsTries++
		h.robotsNext = time.Now().Add(d)
	}
	g := h.robots
	h.robotsMu.Unlock()
	if !g.allowed(robotsPath(u)) {
		return false, "robots"
	}
	return true, ""
}

// loadRobots fetches and parses robots.txt for u's scheme and authority.
// ok is false when the host is unreachable: a 5xx or 429, a connection
// error, a timeout or a body cut short.
func (r *run) loadRobots(ctx context.Context, u *url.URL) (g *robotsGroup, ok bool) {
	body, all, ok := r.fetchRobots(ctx, u)
	switch {
	case !ok:
		return nil, false
	case all:
		return allowAll, true
	}
	return parseRobots(body).group(r.cfg.UserAgent), true
}

// fetchRobots fetches robots.txt for u's scheme and authority: its body,
// or all when everything is allowed (a 4xx, a redirect without a
// Location, more than five redirects). ok is false when the host is
// unreachable.
func (r *run) fetchRobots(ctx context.Context, u *url.URL) (body []byte, all, ok bool) {
	ru := url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	rctx, cancel := context.WithTimeout(context.WithValue(ctx, robotsKey{}, true), r.cfg.HeaderTimeout+r.cfg.BodyTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, ru.String(), nil)
	if err != nil {
		return nil, true, true
	}
	req.Header.Set("User-Agent", r.cfg.UserAgent)
	r.addRobotsRequest()
	resp, err := r.client.Do(req)
	if errors.Is(err, errRobotsRedirects) {
		return nil, true, true
	}
	if err != nil {
		return nil, false, false
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return nil, false, false
	case resp.StatusCode >= 400:
		return nil, true, true
	case resp.StatusCode >= 300: // a redirect without a Location
		return nil, true, true
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, robotsMaxSize))
	if err != nil {
		return nil, false, false
	}
	return body, false, true
}

// robotsPath is the path and query of u as the page spells it, the part
// of a URL robots.txt rules are matched against (RFC 9309 §2.2.2).
func robotsPath(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" || u.ForceQuery {
		p += "?" + u.RawQuery
	}
	return p
}
