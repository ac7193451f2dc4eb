package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// benchSite is the 5,000-page test site: every page links to a few others
// written with fragments and with their query parameters in either order,
// 2% of the links go to missing pages, some go through a redirect, 1% of the
// pages answer after 200ms, and robots.txt disallows /private/.
type benchSite struct {
	n     int
	links [][]string
	slow  []bool

	mu       sync.Mutex
	hits     map[string]int
	requests int
}

func newBenchSite(n int, seed uint64) *benchSite {
	s := &benchSite{n: n, links: make([][]string, n), slow: make([]bool, n), hits: map[string]int{}}
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := range n {
		s.slow[i] = rng.Float64() < 0.01
		var ls []string
		ls = append(ls, fmt.Sprintf("/page/%d", (i+1)%n)) // a chain reaches every page
		for range 8 {
			j := rng.IntN(n)
			switch r := rng.Float64(); {
			case r < 0.02:
				ls = append(ls, fmt.Sprintf("/missing/%d", rng.IntN(n)))
			case r < 0.05:
				ls = append(ls, fmt.Sprintf("/r/%d", j)) // 301 to /page/j
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

func (s *benchSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch p {
	case "/__stats":
		s.writeStats(w)
		return
	case "/__reset":
		s.mu.Lock()
		s.hits, s.requests = map[string]int{}, 0
		s.mu.Unlock()
		return
	}
	s.mu.Lock()
	s.requests++
	s.hits[canonical(r.URL.Path, r.URL.RawQuery)]++
	s.mu.Unlock()
	switch {
	case p == "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	case strings.HasPrefix(p, "/r/"):
		http.Redirect(w, r, "/page/"+strings.TrimPrefix(p, "/r/"), http.StatusMovedPermanently)
	case strings.HasPrefix(p, "/page/"):
		i, err := strconv.Atoi(strings.TrimPrefix(p, "/page/"))
		if err != nil || i < 0 || i >= s.n {
			http.NotFound(w, r)
			return
		}
		if s.slow[i] {
			time.Sleep(200 * time.Millisecond)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		var b strings.Builder
		fmt.Fprintf(&b, "<!doctype html><html><head><title>Page %d</title></head><body><h1>Page %d</h1><ul>", i, i)
		for _, l := range s.links[i] {
			fmt.Fprintf(&b, `<li><a href="%s">link</a></li>`, l)
		}
		b.WriteString("</ul><p>" + strings.Repeat("Lorem ipsum dolor sit amet. ", 40) + "</p></body></html>")
		w.Write([]byte(b.String()))
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

// siteStats is what /__stats reports about the requests since /__reset.
type siteStats struct {
	Requests   int `json:"requests"`
	Distinct   int `json:"distinct_pages"`    // distinct /page/i fetched (any query spelling counts once)
	Duplicates int `json:"duplicate_fetches"` // requests for a URI already requested
	Robots     int `json:"robots_requests"`
	Disallowed int `json:"disallowed_requests"`
}

func (s *benchSite) writeStats(w http.ResponseWriter) {
	s.mu.Lock()
	st := siteStats{Requests: s.requests}
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
			if i, err := strconv.Atoi(strings.TrimPrefix(path, "/page/")); err == nil && i < s.n {
				pages[path] = true
			}
		}
	}
	st.Distinct = len(pages)
	s.mu.Unlock()
	json.NewEncoder(w).Encode(st)
}
