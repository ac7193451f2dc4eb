package crawltest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// SearchConfig shapes a Search site.
type SearchConfig struct {
	// Delay is added to every result page. Default (0): none.
	Delay time.Duration
	// Faults turns on three faults: "go" page 4 fails once with 503,
	// "python" page 4 is missing (404) and "crawler" page 3 never answers.
	// Default (false): none.
	Faults bool
	// CrawlDelay is announced in robots.txt (Crawl-delay, in seconds).
	// Default (0): none.
	CrawlDelay time.Duration
}

// searchResults is the number of results of each query.
var searchResults = map[string]int{
	"go": 95, "python": 64, "crawler": 42, "html": 50, "http": 50, "robots": 50, "unicode": 50, "json": 50,
}

var searchTopics = []string{"history", "syntax", "compiler", "runtime", "concurrency",
	"standard library", "tooling", "community", "design", "criticism"}

// SearchQueries are the queries the Search site knows, sorted.
func SearchQueries() []string {
	qs := make([]string, 0, len(searchResults))
	for q := range searchResults {
		qs = append(qs, q)
	}
	slices.Sort(qs)
	return qs
}

// SearchResults is the number of results of query q (0 for an unknown one).
func SearchResults(q string) int { return searchResults[q] }

// SearchTotal is the number of results of all queries together: what a
// complete crawl of every query finds.
func SearchTotal() int {
	n := 0
	for _, r := range searchResults {
		n += r
	}
	return n
}

// SearchPages is the number of result pages (ten results each) of all
// queries together.
func SearchPages() int {
	n := 0
	for _, r := range searchResults {
		n += (r + 9) / 10
	}
	return n
}

// SearchTitle is the title of result i of query q.
func SearchTitle(q string, i int) string {
	return fmt.Sprintf("%s: %s (part %d)", q, searchTopics[i%len(searchTopics)], i/len(searchTopics)+1)
}

// SearchSeeds are the first result page of every query of the Search site
// at base, in SearchQueries order.
func SearchSeeds(base string) []string {
	var urls []string
	for _, q := range SearchQueries() {
		urls = append(urls, base+"/search?q="+q)
	}
	return urls
}

// Search is a small encyclopedia search engine shaped like the Wikipedia
// example of the article "How to write a web crawler in Python":
// /search?q=go&offset=20 lists results 21–30 for "go"; each result is a
// div.mw-search-result-heading holding an <a> whose title attribute is the
// result's title, and each page but the last links the next ten results
// with a.mw-nextlink. Every page also links /special/random, which
// robots.txt disallows. /wiki/TITLE is a page titled TITLE.
func Search(cfg SearchConfig) http.Handler {
	var flaky atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nDisallow: /special/\n")
			if cfg.CrawlDelay > 0 {
				fmt.Fprintf(w, "Crawl-delay: %s\n", strconv.FormatFloat(cfg.CrawlDelay.Seconds(), 'f', -1, 64))
			}
			return
		}
		if strings.HasPrefix(r.URL.Path, "/wiki/") {
			HTML(w, Page(strings.TrimPrefix(r.URL.Path, "/wiki/")))
			return
		}
		q := r.URL.Query().Get("q")
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		total, known := searchResults[q]
		if r.URL.Path != "/search" || !known || offset < 0 || offset >= total {
			http.NotFound(w, r)
			return
		}
		if cfg.Faults {
			switch {
			case q == "go" && offset == 30 && flaky.Add(1) == 1:
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			case q == "python" && offset == 30:
				http.NotFound(w, r)
				return
			case q == "crawler" && offset == 20:
				Wait(r, time.Minute)
				return
			}
		}
		if cfg.Delay > 0 && !Wait(r, cfg.Delay) {
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<html><head><title>Search results: %s</title></head><body><ul>\n", q)
		for i := offset; i < min(offset+10, total); i++ {
			title := SearchTitle(q, i)
			fmt.Fprintf(w, "<li><div class=\"mw-search-result-heading\">"+
				"<a href=\"/wiki/%s\" title=\"%s\">%s</a></div></li>\n", url.PathEscape(title), title, title)
		}
		fmt.Fprint(w, "</ul>")
		if offset+10 < total {
			fmt.Fprintf(w, "<a class=\"mw-nextlink\" href=\"/search?q=%s&amp;offset=%d\">next 10</a>", q, offset+10)
		}
		fmt.Fprint(w, " <a href=\"/special/random\">random article</a></body></html>")
	})
}
