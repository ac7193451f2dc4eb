package crawltest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// SiteConfig shapes a Site. The zero value is the benchmark's site.
type SiteConfig struct {
	// Pages is the number of pages /page/0 … /page/N-1.
	// Default (0): 5,000.
	Pages int
	// Seed seeds the link structure; 0 is a seed like any other.
	// Default (0): seed 0.
	Seed uint64
	// CrawlDelay is announced in robots.txt (Crawl-delay, in seconds).
	// Default (0): none.
	CrawlDelay time.Duration
	// Delay is added to every page. Default (0): none.
	Delay time.Duration
	// Slow is the extra delay of 1% of the pages.
	// Default (0): 200 ms. Off (fit.Off, any negative value): no slow pages.
	Slow time.Duration
}

// Site is the N-page site the benchmark crawls: every page links to nine
// others (page i+1 first, so a chain reaches every page), written with
// fragments and with their query parameters in either order; 2% of the
// links go to missing pages, 3% through a 301 redirect (/r/N), 2% into
// /private/, which robots.txt disallows, and 1% of the pages answer late.
//
// /__stats answers the request counts as JSON (SiteStats) and /__reset
// clears them, so a crawler in another process can be measured.
type Site struct {
	cfg   SiteConfig
	links [][]string
	slow  []bool

	mu       sync.Mutex
	hits     map[string]int
	requests int
	inflight atomic.Int32
	peak     atomic.Int32
}

// NewSite builds the site's link structure.
func NewSite(cfg SiteConfig) *Site {
	if cfg.Pages <= 0 {
		cfg.Pages = 5000
	}
	if cfg.Slow == 0 {
		cfg.Slow = 200 * time.Millisecond
	}
	n := cfg.Pages
	s := &Site{cfg: cfg, links: make([][]string, n), slow: make([]bool, n), hits: map[string]int{}}
	rng := rand.New(rand.NewPCG(cfg.Seed, 1))
	for i := range n {
		s.slow[i] = cfg.Slow > 0 && rng.Float64() < 0.01
		ls := []string{fmt.Sprintf("/page/%d", (i+1)%n)}
		for range 8 {
			j := rng.IntN(n)
			switch r := rng.Float64(); {
			case r < 0.02:
				ls = append(ls, fmt.Sprintf("/missing/%d", rng.IntN(n)))
			case r < 0.05:
				ls = append(ls, fmt.Sprintf("/r/%d", j))
			case r < 0.07:
				ls = append(ls, fmt.Sprintf("/private/%d", j))
			case r < 0.40:
				ls = append(ls, fmt.Sprintf("/page/%d#section-%d", j, rng.IntN(5)))
			case r < 0.55:
				ls = append(ls, fmt.Sprintf("/page/%d?lang=en&ref=nav", j))
			case r < 0.70:
				ls = append(ls, fmt.Sprintf("/page/%d?ref=nav&lang=en", j))
			default:
				ls = append(ls, fmt.Sprintf("/page/%d", j))
			}
		}
		s.links[i] = ls
	}
	return s
}

// Links are the hrefs of page i as written in it.
func (s *Site) Links(i int) []string { return slices.Clone(s.links[i]) }

// Robots is the site's robots.txt.
func (s *Site) Robots() string {
	r := "User-agent: *\nDisallow: /private/\n"
	if s.cfg.CrawlDelay > 0 {
		r += "Crawl-delay: " + strconv.FormatFloat(s.cfg.CrawlDelay.Seconds(), 'f', -1, 64) + "\n"
	}
	return r
}

func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch p {
	case "/__stats":
		json.NewEncoder(w).Encode(s.Stats())
		return
	case "/__reset":
		s.mu.Lock()
		s.hits, s.requests = map[string]int{}, 0
		s.mu.Unlock()
		s.peak.Store(0)
		return
	}
	if c := s.inflight.Add(1); c > s.peak.Load() {
		s.peak.Store(c)
	}
	defer s.inflight.Add(-1)
	s.mu.Lock()
	s.requests++
	s.hits[canonical(p, r.URL.RawQuery)]++
	s.mu.Unlock()
	switch {
	case p == "/robots.txt":
		fmt.Fprint(w, s.Robots())
	case strings.HasPrefix(p, "/r/"):
		http.Redirect(w, r, "/page/"+strings.TrimPrefix(p, "/r/"), http.StatusMovedPermanently)
	case strings.HasPrefix(p, "/page/"):
		i, err := strconv.Atoi(strings.TrimPrefix(p, "/page/"))
		if err != nil || i < 0 || i >= s.cfg.Pages {
			http.NotFound(w, r)
			return
		}
		d := s.cfg.Delay
		if s.slow[i] {
			d += s.cfg.Slow
		}
		if d > 0 && !Wait(r, d) {
			return
		}
		var b strings.Builder
		fmt.Fprintf(&b, "<!doctype html><html><head><title>Page %d</title></head><body><h1>Page %d</h1><ul>", i, i)
		for _, l := range s.links[i] {
			fmt.Fprintf(&b, `<li><a href="%s">link</a></li>`, l)
		}
		b.WriteString("</ul><p>" + strings.Repeat("Lorem ipsum dolor sit amet. ", 40) + "</p></body></html>")
		HTML(w, b.String())
	default:
		http.NotFound(w, r)
	}
}

// canonical is the request URI with its query parameters sorted: two
// requests with the same canonical URI fetch the same page.
func canonical(path, query string) string {
	if query == "" {
		return path
	}
	ps := strings.Split(query, "&")
	slices.Sort(ps)
	return path + "?" + strings.Join(ps, "&")
}

// SiteStats is what a Site counted since it started or was reset.
type SiteStats struct {
	Requests   int `json:"requests"`
	Distinct   int `json:"distinct_pages"`      // distinct /page/i fetched (any query spelling counts once)
	Duplicates int `json:"duplicate_fetches"`   // requests for a path and sorted query already requested
	Robots     int `json:"robots_requests"`     // robots.txt requests
	Disallowed int `json:"disallowed_requests"` // requests under /private/
	Peak       int `json:"peak_in_flight"`      // most requests served at once
}

// Stats counts the requests so far.
func (s *Site) Stats() SiteStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := SiteStats{Requests: s.requests, Peak: int(s.peak.Load())}
	pages := map[string]bool{}
	for u, n := range s.hits {
		st.Duplicates += n - 1
		path, _, _ := strings.Cut(u, "?")
		switch {
		case path == "/robots.txt":
			st.Robots += n
		case strings.HasPrefix(path, "/private/"):
			st.Disallowed += n
		case strings.HasPrefix(path, "/page/"):
			if i, err := strconv.Atoi(strings.TrimPrefix(path, "/page/")); err == nil && i < s.cfg.Pages {
				pages[path] = true
			}
		}
	}
	st.Distinct = len(pages)
	return st
}

// Grid serves /g/0 … /g/N-1 after delay; every page links to ten
// pseudo-random pages, each written three ways (fragment, query x=2&y=1 in
// both orders), and to the next page, so a crawl sees many more links
// than pages. It has no robots.txt (404).
func Grid(n int, delay time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/g/"))
		if err != nil || i < 0 || i >= n || !strings.HasPrefix(r.URL.Path, "/g/") {
			http.NotFound(w, r)
			return
		}
		if delay > 0 && !Wait(r, delay) {
			return
		}
		var links []string
		for k := 1; k <= 10; k++ {
			j := (i*7 + k*13) % n
			links = append(links, Link(fmt.Sprintf("/g/%d#f%d", j, k)),
				Link(fmt.Sprintf("/g/%d?y=1&x=2", j)), Link(fmt.Sprintf("/g/%d?x=2&y=1", j)))
		}
		links = append(links, Link(fmt.Sprintf("/g/%d", (i+1)%n)))
		HTML(w, Page("g"+strconv.Itoa(i), links...))
	})
}

// Chain serves pages /p/0 … /p/N-1 titled "page i"; page i links to i+1,
// i+2 and i+3 (with fragments) and answers after 3 ms. A gate, when not
// nil, holds every page request beyond its value until the client goes
// away, so a test can stop a crawler at a known point.
func Chain(n int, gate *atomic.Int64) http.Handler {
	var served atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/p/"))
		if err != nil || i < 0 || i >= n || !strings.HasPrefix(r.URL.Path, "/p/") {
			http.NotFound(w, r)
			return
		}
		if gate != nil && served.Add(1) > gate.Load() {
			<-r.Context().Done()
			return
		}
		if !Wait(r, 3*time.Millisecond) {
			return
		}
		var links []string
		for k := 1; k <= 3; k++ {
			if i+k < n {
				links = append(links, Link(fmt.Sprintf("/p/%d#s%d", i+k, k)))
			}
		}
		HTML(w, Page(fmt.Sprintf("page %d", i), links...))
	})
}
