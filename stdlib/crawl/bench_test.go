package crawl_test

import (
	"context"
	"testing"

	"github.com/gonbml/gonbml/stdlib/crawl"
	"github.com/gonbml/gonbml/stdlib/crawl/crawltest"
)

// BenchmarkCrawl crawls a 500-page loopback site (every page linked in
// three spellings) with 8 workers and reports distinct pages per second.
func BenchmarkCrawl(b *testing.B) {
	const n = 500
	s := newSite(b, crawltest.Grid(n, 0))
	for b.Loop() {
		c, _ := crawl.New(crawl.Workers(8), crawl.DropQuery("x", "y"))
		st, err := c.Crawl(context.Background(), s.URL+"/g/0")
		if err != nil || st.Fetched != n {
			b.Fatalf("Fetched = %d, err = %v; want %d pages", st.Fetched, err, n)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "pages/s")
}
