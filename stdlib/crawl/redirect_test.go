package crawl_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gonbml/gonbml/stdlib/crawl"
	"github.com/gonbml/gonbml/stdlib/crawl/crawltest"
)

// TestPolitenessOnRedirectHops: pages of host A redirect to host B,
// whose robots.txt asks for a Crawl-delay; the hops obey it as B's own
// links would, and B's concurrency cap too.
func TestPolitenessOnRedirectHops(t *testing.T) {
	const n = 5
	b := newSite(t, crawltest.Robots(crawltest.RobotsConfig{Body: "User-agent: *\nCrawl-delay: 0.2\n"}))
	a := newSite(t, crawltest.Hops(b.URL, n))
	hostB := strings.TrimPrefix(b.URL, "http://")
	c, _ := crawl.New(crawl.Workers(4), crawl.AllowedHosts(strings.TrimPrefix(a.URL, "http://"), hostB))
	st, err := c.Crawl(context.Background(), a.URL+"/")
	if err != nil {
		t.Fatal(err)
	}
	var times []time.Time
	for i := range n {
		times = append(times, b.Arrivals(fmt.Sprintf("/p/%d", i))...)
	}
	if len(times) != n || st.Fetched != n+1 {
		t.Fatalf("B got %d page requests, Fetched = %d; want %d and %d", len(times), st.Fetched, n, n+1)
	}
	checkSpacing(t, times, 200*time.Millisecond, "B's Crawl-delay 200ms, on redirect hops")
}

// TestRateOnSameHostHops: a redirect within a host waits for the host's
// rate limit like any request.
func TestRateOnSameHostHops(t *testing.T) {
	const n = 4
	s := newSite(t, crawltest.Hops("", n))
	c, _ := crawl.New(crawl.Workers(4), crawl.HostRate(10, 1), crawl.IgnoreRobots())
	if _, err := c.Crawl(context.Background(), s.URL+"/"); err != nil {
		t.Fatal(err)
	}
	all := s.AllArrivals()
	// "/", 4 hops and 4 pages: 9 requests at 10/s with burst 1.
	if len(all) != 1+2*n {
		t.Fatalf("%d requests, want %d", len(all), 1+2*n)
	}
	checkSpacing(t, all, 100*time.Millisecond, "HostRate 10/s")
}
