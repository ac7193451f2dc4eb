package crawl_test

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// site is a loopback test server that counts requests per request URI and
// records their arrival times.
type site struct {
	*httptest.Server
	mu    sync.Mutex
	count map[string]int
	times map[string][]time.Time
}

func newSite(t testing.TB, h http.Handler) *site {
	t.Helper()
	s := &site{count: map[string]int{}, times: map[string][]time.Time{}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen on loopback: %v", err)
	}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.count[r.URL.RequestURI()]++
		s.times[r.URL.RequestURI()] = append(s.times[r.URL.RequestURI()], time.Now())
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	s.Server.Listener.Close()
	s.Server.Listener = l
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *site) hits(uri string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count[uri]
}

func (s *site) arrivals(uri string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.times[uri]...)
}

func (s *site) total() (requests int, dup []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for u, n := range s.count {
		requests += n
		if n > 1 {
			dup = append(dup, u)
		}
	}
	return requests, dup
}

func page(title string, body ...string) string {
	return fmt.Sprintf("<!doctype html><html><head><title>%s</title></head><body>%s</body></html>",
		title, strings.Join(body, "\n"))
}

func link(href string) string { return fmt.Sprintf(`<a href="%s">%s</a>`, href, href) }

// wait sleeps d or until the client goes away, so slow handlers never
// outlive the test.
func wait(r *http.Request, d time.Duration) bool {
	select {
	case <-time.After(d):
		return true
	case <-r.Context().Done():
		return false
	}
}
