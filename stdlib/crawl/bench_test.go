package crawl_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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

// BenchmarkPeakMemory crawls 8 pages of 4 MiB of HTML (a paragraph of
// 1 KB of text and an offsite link per KB) with 8 workers and MaxBodySize
// 4 MiB, sampling the live heap every millisecond, and reports the peak
// above the start per in-flight page, in units of MaxBodySize
// ("body/page"): without callbacks (links read as the body streams, no
// DOM) and with an OnHTML callback (the body kept, a goquery DOM), each
// with the body chunked and with a Content-Length.
func BenchmarkPeakMemory(b *testing.B) {
	const pages, size = 8, 4 << 20
	chunk := strings.Repeat(`<p>`+strings.Repeat("lorem ipsum ", 82)+`<a href="http://elsewhere.invalid/x">x</a></p>`, 25)
	whole := strings.Repeat(chunk, (size+len(chunk)-1)/len(chunk))[:size]
	for _, withLength := range []bool{false, true} {
		s := newSite(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			if withLength {
				w.Header().Set("Content-Length", fmt.Sprint(len(whole)))
			}
			for n := 0; n < len(whole); n += len(chunk) {
				if _, err := io.WriteString(w, whole[n:min(n+len(chunk), len(whole))]); err != nil {
					return
				}
			}
		}))
		var seeds []string
		for i := range pages {
			seeds = append(seeds, fmt.Sprintf("%s/m/%d", s.URL, i))
		}
		for _, withDOM := range []bool{false, true} {
			name := map[bool]string{false: "stream", true: "dom"}[withDOM] +
				map[bool]string{false: "/chunked", true: "/length"}[withLength]
			b.Run(name, func(b *testing.B) {
				var worst float64
				for b.Loop() {
					c, _ := crawl.New(crawl.Workers(pages), crawl.HostConcurrency(pages), crawl.IgnoreRobots(),
						crawl.MaxBodySize(size))
					if withDOM {
						c.OnHTML("title", func(*crawl.HTMLElement) {})
					}
					runtime.GC()
					base := heapLive()
					var peak atomic.Uint64
					done := make(chan struct{})
					go func() {
						for {
							select {
							case <-done:
								return
							case <-time.After(time.Millisecond):
							}
							if h := heapLive(); h > peak.Load() {
								peak.Store(h)
							}
						}
					}()
					st, err := c.Crawl(context.Background(), seeds...)
					close(done)
					if err != nil || st.Fetched != pages || st.Offsite == 0 {
						b.Fatalf("Fetched = %d, Offsite = %d, err = %v", st.Fetched, st.Offsite, err)
					}
					worst = max(worst, float64(peak.Load()-min(base, peak.Load()))/pages/size)
				}
				b.ReportMetric(worst, "body/page")
			})
		}
	}
}

// heapLive is the bytes of heap objects, live or not yet collected.
func heapLive() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
