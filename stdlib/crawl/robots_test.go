package crawl_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gonbml/gonbml/stdlib/crawl"
	"github.com/gonbml/gonbml/stdlib/crawl/crawltest"
)

// TestRobotsAvailability: what a crawler does when robots.txt answers
// badly, from RFC 9309 §2.3.1: 5xx (and 429) or no answer at all mean
// complete disallow, retried with backoff; 4xx means no rules; redirects
// are followed up to five hops, and beyond them the file is unavailable.
func TestRobotsAvailability(t *testing.T) {
	// The links /%70rivate/2 and /p%72ivate/3 are requested as normalised
	// (RFC 3986 §6.2.2.2), and match Disallow: /private/ either way.
	private := []string{"/private/1", "/private/2", "/private/3"}
	const retries = 2 // so an always-failing robots.txt is asked 1 + 2 times
	for _, tc := range []struct {
		name      string
		cfg       crawltest.RobotsConfig
		pages     bool // "/" and /public/1 fetched
		private   bool // the private pages fetched
		robotsErr int  // Stats.RobotsErrors
		robotsReq int  // robots.txt requests
	}{
		{"200", crawltest.RobotsConfig{}, true, false, 0, 1},
		{"503 always", crawltest.RobotsConfig{Status: 503}, false, false, 1 + retries, 1 + retries},
		{"500 always", crawltest.RobotsConfig{Status: 500}, false, false, 1 + retries, 1 + retries},
		{"429 always", crawltest.RobotsConfig{Status: 429}, false, false, 1 + retries, 1 + retries},
		{"reset always", crawltest.RobotsConfig{Reset: true}, false, false, 1 + retries, 1 + retries},
		{"503 then 200", crawltest.RobotsConfig{Status: 503, Failures: 2}, true, false, 2, 3},
		{"reset then 200", crawltest.RobotsConfig{Reset: true, Failures: 1}, true, false, 1, 2},
		{"404", crawltest.RobotsConfig{Status: 404}, true, true, 0, 1},
		{"403", crawltest.RobotsConfig{Status: 403}, true, true, 0, 1},
		{"5 redirects", crawltest.RobotsConfig{Redirects: 5}, true, false, 0, 1},
		{"6 redirects", crawltest.RobotsConfig{Redirects: 6}, true, true, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSite(t, crawltest.Robots(tc.cfg))
			c, _ := crawl.New(crawl.Workers(2), crawl.Retries(retries, 10*time.Millisecond, 100*time.Millisecond))
			st, err := c.Crawl(context.Background(), s.URL+"/")
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Hits("/") == 1 && s.Hits("/public/1") == 1; got != tc.pages {
				t.Errorf("pages fetched = %v, want %v (stats %+v)", got, tc.pages, st)
			}
			for _, p := range private {
				if got := s.Hits(p) == 1; got != tc.private {
					t.Errorf("%s fetched = %v, want %v", p, got, tc.private)
				}
			}
			if st.RobotsErrors != tc.robotsErr || s.RobotsRequests() != tc.robotsReq {
				t.Errorf("RobotsErrors = %d, robots.txt requests = %d; want %d and %d",
					st.RobotsErrors, s.RobotsRequests(), tc.robotsErr, tc.robotsReq)
			}
			if !tc.pages && st.Skipped["robots-unavailable"] != 1 {
				t.Errorf("Skipped = %v, want the seed skipped as robots-unavailable", st.Skipped)
			}
			if tc.pages && !tc.private && st.Skipped["robots"] != len(private) {
				t.Errorf("Skipped[robots] = %d, want %d: %v", st.Skipped["robots"], len(private), st.Skipped)
			}
		})
	}
}

// TestRobotsUnreachableHost: a host that refuses connections is
// disallowed, and the page is reported as such, not fetched.
func TestRobotsUnreachableHost(t *testing.T) {
	s := newSite(t, crawltest.Robots(crawltest.RobotsConfig{}))
	addr := s.Listener.Addr().String()
	s.Close() // connection refused from now on
	c, _ := crawl.New(crawl.Retries(1, 10*time.Millisecond, 50*time.Millisecond))
	st, err := c.Crawl(context.Background(), fmt.Sprintf("http://%s/", addr))
	if err != nil || st.Skipped["robots-unavailable"] != 1 || st.RobotsErrors != 2 || st.Fetched != 0 {
		t.Errorf("err = %v, stats %+v; want the page skipped after 2 failed robots.txt fetches", err, st)
	}
}

// TestRobotsMatchTheURLAsLinked: rules are matched against the URL the
// page links, not the dedupe key, whose query is sorted and may drop
// parameters (DropQuery).
func TestRobotsMatchTheURLAsLinked(t *testing.T) {
	s := newSite(t, crawltest.Robots(crawltest.RobotsConfig{Body: "User-agent: *\nDisallow: /s?z=\nDisallow: /*sid=\n"}))
	c, _ := crawl.New(crawl.DropQuery("sid"))
	st, err := c.Crawl(context.Background(), s.URL+"/")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/s?z=1&a=2", "/s?a=2&z=1", "/p?sid=3", "/p"} {
		if n := s.Hits(p); n != 0 {
			t.Errorf("%s requested %d times; robots.txt disallows the link as written", p, n)
		}
	}
	if st.Skipped["robots"] != 2 || s.Hits("/public/1") != 1 {
		t.Errorf("Skipped = %v, /public/1 hits %d; want the two links skipped, the rest fetched", st.Skipped, s.Hits("/public/1"))
	}
}
