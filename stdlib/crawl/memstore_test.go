package crawl_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gonbml/gonbml/stdlib/crawl"
	"github.com/gonbml/gonbml/stdlib/crawl/crawltest"
	"github.com/gonbml/gonbml/stdlib/crawl/storetest"
)

// The in-memory store passes the SharedStore conformance suite (the
// Redis store runs the same suite in redisstore).
func TestMemStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) string {
		name := fmt.Sprintf("conf%08x", rand.Uint32())
		t.Cleanup(func() { crawl.ForgetMemStore(name) })
		return "mem://" + name
	})
}

// Three collectors in one process share a crawl through mem://: together
// they fetch every page once, and each page's item is delivered once.
func TestCollectorsShareAMemCrawl(t *testing.T) {
	site := crawltest.NewSite(crawltest.SiteConfig{Pages: 400, Slow: -1})
	srv := newSite(t, site)
	t.Cleanup(func() { crawl.ForgetMemStore("share") })
	var mu sync.Mutex
	perURL := map[string]int{}
	ids := map[string]bool{}
	var wg sync.WaitGroup
	stats := make([]crawl.Stats, 3)
	errs := make([]error, 3)
	for i := range 3 {
		c, err := crawl.New(crawl.Workers(4), crawl.HostConcurrency(12), crawl.DropQuery("lang", "ref"),
			crawl.Redis("mem://share", "three"), crawl.Timeouts(5*time.Second, 5*time.Second, 10*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		c.OnHTML("title", func(e *crawl.HTMLElement) { e.Response.Emit(e.Text) })
		c.OnItem(func(it crawl.Item) {
			mu.Lock()
			defer mu.Unlock()
			perURL[it.URL]++
			if ids[it.ID] {
				t.Errorf("item %s delivered twice", it.ID)
			}
			ids[it.ID] = true
		})
		wg.Go(func() { stats[i], errs[i] = c.Crawl(context.Background(), srv.URL+"/page/0") })
	}
	wg.Wait()
	fetched := 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("collector %d: %v", i, err)
		}
		if stats[i].StoreCalls == 0 {
			t.Errorf("collector %d made no store calls", i)
		}
		fetched += stats[i].Fetched
	}
	ss := site.Stats()
	if ss.Distinct != 400 || ss.Duplicates != 0 || ss.Disallowed != 0 || ss.Robots != 1 {
		t.Errorf("site saw %+v, want 400 distinct pages, no duplicate fetch, nothing disallowed, robots.txt once", ss)
	}
	if fetched != 400 || len(perURL) != 400 {
		t.Errorf("collectors fetched %d pages and delivered items of %d, want 400 and 400", fetched, len(perURL))
	}
	for u, n := range perURL {
		if n != 1 {
			t.Errorf("%d items for %s, want 1", n, u)
		}
	}
}

// A bad mem:// URL and another crawl under the same ID are clear errors.
func TestMemStoreErrors(t *testing.T) {
	t.Cleanup(func() { crawl.ForgetMemStore("errs") })
	if _, err := crawl.OpenStore("mem://errs/sub", crawl.SharedOptions{}); err == nil || !strings.Contains(err.Error(), "mem://NAME") {
		t.Errorf("OpenStore(mem://errs/sub) = %v, want a bad URL error", err)
	}
	if _, err := crawl.OpenStore("nosuch://x", crawl.SharedOptions{}); err == nil {
		t.Error("OpenStore(nosuch://x) did not fail")
	}
	site := newSite(t, crawltest.NewSite(crawltest.SiteConfig{Pages: 20, Slow: -1}))
	c, err := crawl.New(crawl.Redis("mem://errs", "x"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Crawl(context.Background(), site.URL+"/page/0"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Crawl(context.Background(), site.URL+"/page/1"); !errors.Is(err, crawl.ErrOtherCrawl) {
		t.Errorf("another crawl under the same ID: %v, want ErrOtherCrawl", err)
	}
}
