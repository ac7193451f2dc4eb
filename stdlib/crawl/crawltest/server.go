// Package crawltest serves local web sites for crawler tests, benchmarks
// and notebooks, as net/http/httptest does for handlers: a counting
// loopback Server, the N-page Site the benchmark crawls, the Hostile site
// of faults and standards corner cases the crawler's tests crawl, the
// Search site of the web-crawler notebook and small Static sites.
//
// Every site answers on 127.0.0.1 only and needs no network.
package crawltest

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"
)

// Server is a site on 127.0.0.1 that counts the requests per request URI
// (path and raw query as sent) and records when each arrived.
type Server struct {
	*httptest.Server
	mu    sync.Mutex
	count map[string]int
	times map[string][]time.Time
}

// NewServer starts h on a loopback port. Close it when done (a test:
// t.Cleanup(s.Close)).
func NewServer(h http.Handler) *Server {
	s := &Server{count: map[string]int{}, times: map[string][]time.Time{}}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uri := r.URL.RequestURI()
		s.mu.Lock()
		s.count[uri]++
		s.times[uri] = append(s.times[uri], time.Now())
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	if l, err := net.Listen("tcp4", "127.0.0.1:0"); err == nil {
		s.Server.Listener.Close()
		s.Server.Listener = l
	}
	s.Start()
	return s
}

// Hits is the number of requests for uri ("/a?b=c").
func (s *Server) Hits(uri string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count[uri]
}

// Arrivals are the arrival times of the requests for uri.
func (s *Server) Arrivals(uri string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.times[uri])
}

// AllArrivals are the arrival times of every request but robots.txt, in
// order.
func (s *Server) AllArrivals() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []time.Time
	for u, ts := range s.times {
		if u != "/robots.txt" {
			all = append(all, ts...)
		}
	}
	slices.SortFunc(all, func(a, b time.Time) int { return a.Compare(b) })
	return all
}

// Total is the number of requests and the URIs requested more than once,
// sorted.
func (s *Server) Total() (requests int, dup []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for u, n := range s.count {
		requests += n
		if n > 1 {
			dup = append(dup, u)
		}
	}
	slices.Sort(dup)
	return requests, dup
}

// Reset forgets the requests counted so far.
func (s *Server) Reset() {
	s.mu.Lock()
	s.count, s.times = map[string]int{}, map[string][]time.Time{}
	s.mu.Unlock()
}

// Page is a small HTML document with a title and body elements.
func Page(title string, body ...string) string {
	return fmt.Sprintf("<!doctype html><html><head><title>%s</title></head><body>%s</body></html>",
		title, strings.Join(body, "\n"))
}

// Link is an <a> element whose href and text are href.
func Link(href string) string { return fmt.Sprintf(`<a href="%s">%s</a>`, href, href) }

// Wait sleeps d or until the client goes away, so slow handlers never
// outlive a test; it reports whether the whole d passed.
func Wait(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// HTML writes s as an HTML page.
func HTML(w http.ResponseWriter, s string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, s)
}

// Static serves the pages given by path: paths ending in .txt as plain
// text, the rest as HTML; any other path is a 404.
func Static(pages map[string]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		switch {
		case !ok:
			http.NotFound(w, r)
		case strings.HasSuffix(r.URL.Path, ".txt"):
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			fmt.Fprint(w, body)
		default:
			HTML(w, body)
		}
	})
}
