package redisstore_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gonbml/gonbml/stdlib/crawl"
	"github.com/gonbml/gonbml/stdlib/crawl/crawltest"
	"github.com/gonbml/gonbml/stdlib/crawl/redisstore"
)

// The test: a 20,000-page site and a small Crawl-delay host,
// crawled by three worker processes (copies of this test binary); one is
// killed with SIGKILL mid-crawl and replaced, and Redis itself is killed
// with SIGKILL and restarted mid-crawl (AOF, appendfsync always). Then
// every page's item is in the stream exactly once, no page was fetched
// twice except after its lease expired, robots.txt was obeyed (and
// fetched once per host for the whole cluster), and the Crawl-delay host
// never saw two requests closer than the delay minus clockTolerance.
func TestWorkersSurviveKills(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the 20,000-page crawl by worker processes")
	}
	rs := startRedis(t, redisstore.ServerConfig{Fsync: "always", Password: "cluster pw"})
	const pages, slowPages = 20000, 15
	const delay = 200 * time.Millisecond
	big := crawltest.NewSite(crawltest.SiteConfig{Pages: pages, Seed: 7})
	bigSrv := crawltest.NewServer(big)
	t.Cleanup(bigSrv.Close)
	small := crawltest.NewSite(crawltest.SiteConfig{Pages: slowPages, CrawlDelay: delay, Slow: -1})
	smallSrv := crawltest.NewServer(small)
	t.Cleanup(smallSrv.Close)

	const id = "kills"
	ws, err := redisstore.StartWorkers(3, redisstore.WorkerConfig{
		Redis: rs.URL(), CrawlID: id, Seeds: []string{bigSrv.URL + "/page/0", smallSrv.URL + "/page/0"},
		Workers: 8, HostConcurrency: 24, DropQuery: []string{"lang", "ref"},
		// Short leases so the killed worker's pages come back soon; a
		// live worker renews its leases every second.
		LeaseTime: 3 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ws.Stop)

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Second)
	defer cancel()
	// done waits until the crawl has completed n pages.
	done := func(n int) {
		t.Helper()
		for {
			st, err := redisstore.Inspect(ctx, rs.URL(), id)
			if err != nil {
				t.Fatal(err)
			}
			if st.Done >= n {
				return
			}
			if ctx.Err() != nil {
				t.Fatalf("only %d pages done after 100 s", st.Done)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	done(3000)
	ws.Kill(0)
	if err := ws.Add(); err != nil {
		t.Fatal(err)
	}
	t.Log("killed worker 0 at ≥ 3,000 pages, started worker 3")
	done(9000)
	rs.Kill()
	time.Sleep(300 * time.Millisecond) // the workers meet a dead Redis
	if err := rs.Restart(); err != nil {
		t.Fatal(err)
	}
	t.Log("killed and restarted redis-server at ≥ 9,000 pages")

	results, err := ws.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var calls int64
	var fetched int
	for i, r := range results {
		if !r.Killed {
			calls += r.Stats.StoreCalls
			fetched += r.Stats.Pages
			t.Logf("worker %d: %d pages, %d items, %d store calls", i, r.Stats.Pages, r.Stats.Items, r.Stats.StoreCalls)
		}
	}

	st, err := redisstore.Inspect(context.Background(), rs.URL(), id)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("store: %d seen, %d done, %d items, counters %v", st.Seen, st.Done, st.Items, st.Counters)
	if st.Waiting != 0 || st.Leased != 0 {
		t.Errorf("%d URLs waiting and %d leased after the crawl, want none", st.Waiting, st.Leased)
	}
	// Every page's item exactly once.
	perURL := checkItems(t, rs.URL(), id, pages+slowPages)
	for _, base := range []string{bigSrv.URL, smallSrv.URL} {
		if perURL[base+"/page/1"] != 1 {
			t.Errorf("no item for %s/page/1", base)
		}
	}
	// The kill happened with pages leased: some leases expired and came back.
	if st.Counters["reclaimed"] == 0 {
		t.Error("no lease expired, although a worker was killed mid-crawl")
	}
	// No fetch twice while a lease was alive: every URL requested twice
	// is one whose lease expired (or the page a reclaimed /r/N redirect
	// leads to).
	reclaimed := map[string]bool{}
	for _, k := range st.Reclaimed {
		u, _ := url.Parse(k)
		reclaimed[u.RequestURI()] = true
	}
	_, dups := bigSrv.Total()
	for _, uri := range dups {
		norm, err := crawl.Normalizer{DropQuery: []string{"lang", "ref"}}.Normalize(bigSrv.URL + uri)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(norm)
		p := u.RequestURI()
		if !reclaimed[p] && !reclaimed[strings.Replace(p, "/page/", "/r/", 1)] {
			t.Errorf("%s fetched %d times, but its lease never expired", uri, bigSrv.Hits(uri))
		}
	}
	t.Logf("%d URIs fetched twice, %d leases expired", len(dups), len(st.Reclaimed))
	// robots.txt: obeyed, and fetched once per host for the cluster.
	for name, s := range map[string]*crawltest.Site{"big": big, "small": small} {
		ss := s.Stats()
		if ss.Disallowed != 0 || ss.Robots != 1 {
			t.Errorf("%s site: %d disallowed requests, robots.txt fetched %d times; want 0 and 1", name, ss.Disallowed, ss.Robots)
		}
	}
	if _, d := smallSrv.Total(); len(d) > 1 { // robots.txt is counted apart
		t.Errorf("Crawl-delay host: %v fetched twice", d)
	}
	checkGaps(t, smallSrv.AllArrivals(), delay)
	// Round trips: a claim and a completion per page, plus robots.txt per
	// host and the polls while the Crawl-delay host or expired leases
	// hold the last pages; at most 3 per page (the target).
	perPage := float64(calls) / float64(fetched)
	t.Logf("%d store calls for %d pages by the surviving workers: %.2f per page", calls, fetched, perPage)
	if perPage > 3 {
		t.Errorf("%.2f Redis round trips per page, want at most 3", perPage)
	}
}
