package crawltest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/crawl/crawltest"
)

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestSiteCountsWhatACrawlerAsked(t *testing.T) {
	site := crawltest.NewSite(crawltest.SiteConfig{Pages: 20, Slow: -1})
	s := crawltest.NewServer(site)
	defer s.Close()
	for _, p := range []string{"/page/3?lang=en&ref=nav", "/page/3?ref=nav&lang=en", "/page/4", "/private/1", "/robots.txt"} {
		get(t, s.URL+p)
	}
	st := site.Stats()
	// /page/3 in two query orders is one distinct page fetched twice.
	want := crawltest.SiteStats{Requests: 5, Distinct: 2, Duplicates: 1, Robots: 1, Disallowed: 1, Peak: 1}
	if st != want {
		t.Errorf("Stats = %+v, want %+v", st, want)
	}
	if n := s.Hits("/page/4"); n != 1 {
		t.Errorf("Hits(/page/4) = %d", n)
	}
	if code, body := get(t, s.URL+"/page/0"); code != 200 || !strings.Contains(body, `href="/page/1"`) {
		t.Errorf("page 0: %d, does not link page 1: %s", code, body)
	}
	if code, _ := get(t, s.URL+"/page/20"); code != 404 {
		t.Errorf("page 20 of 20: %d, want 404", code)
	}
	d := crawltest.NewSite(crawltest.SiteConfig{Pages: 20, CrawlDelay: 1500e6})
	if r := d.Robots(); !strings.Contains(r, "Crawl-delay: 1.5\n") {
		t.Errorf("robots.txt %q lacks Crawl-delay: 1.5", r)
	}
}

func TestSearchSite(t *testing.T) {
	s := crawltest.NewServer(crawltest.Search(crawltest.SearchConfig{}))
	defer s.Close()
	// 95 results for "go": the last page starts at offset 90 and has no next link.
	_, body := get(t, s.URL+"/search?q=go&offset=90")
	if n := strings.Count(body, "mw-search-result-heading"); n != 5 || strings.Contains(body, "mw-nextlink") {
		t.Errorf("last page of go: %d results (want 5), next link %v", n, strings.Contains(body, "mw-nextlink"))
	}
	if got := crawltest.SearchTotal(); got != 95+64+42+5*50 {
		t.Errorf("SearchTotal = %d", got)
	}
	if got := crawltest.SearchPages(); got != 10+7+5+5*5 {
		t.Errorf("SearchPages = %d", got)
	}
	f := crawltest.NewServer(crawltest.Search(crawltest.SearchConfig{Faults: true}))
	defer f.Close()
	if code, _ := get(t, f.URL+"/search?q=go&offset=30"); code != 503 {
		t.Errorf("first try of the flaky page: %d, want 503", code)
	}
	if code, _ := get(t, f.URL+"/search?q=go&offset=30"); code != 200 {
		t.Errorf("second try of the flaky page: %d, want 200", code)
	}
}

func TestStatic(t *testing.T) {
	s := crawltest.NewServer(crawltest.Static(map[string]string{"/": crawltest.Page("home", crawltest.Link("/a")), "/robots.txt": "User-agent: *\n"}))
	defer s.Close()
	if code, body := get(t, s.URL+"/"); code != 200 || !strings.Contains(body, `<a href="/a">`) {
		t.Errorf("/: %d %s", code, body)
	}
	if code, _ := get(t, s.URL+"/a"); code != 404 {
		t.Errorf("/a: %d, want 404", code)
	}
}
