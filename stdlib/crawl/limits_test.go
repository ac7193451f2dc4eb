package crawl_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gonbml/gonbml/stdlib/crawl"
	"github.com/gonbml/gonbml/stdlib/crawl/crawltest"
	"github.com/gonbml/gonbml/stdlib/fit"
)

// TestNoDuplicateFetches: 32 workers on a site where every page is linked
// from many pages in several spellings never fetch a URL twice.
func TestNoDuplicateFetches(t *testing.T) {
	const n = 400 // pages
	s := newSite(t, crawltest.Grid(n, 0))
	c, _ := crawl.New(crawl.Workers(32), crawl.HostConcurrency(32))
	st, err := c.Crawl(context.Background(), s.URL+"/g/0")
	if err != nil {
		t.Fatal(err)
	}
	reqs, dup := s.Total()
	if len(dup) != 0 {
		t.Errorf("URLs fetched more than once: %v", dup)
	}
	// n pages, each with and without the ?x=2&y=1 query, plus robots.txt.
	if reqs != 2*n+1 || st.Fetched != 2*n {
		t.Errorf("requests = %d, Fetched = %d; want %d and %d", reqs, st.Fetched, 2*n+1, 2*n)
	}
}

func TestFinishConditions(t *testing.T) {
	s := newSite(t, crawltest.Grid(200, 0))
	for _, tc := range []struct {
		name  string
		opt   crawl.Option
		check func(st crawl.Stats) error
	}{
		{"MaxPages", crawl.MaxPages(25), func(st crawl.Stats) error {
			if st.Pages != 25 || st.Stop != "max-pages" {
				return fmt.Errorf("Pages = %d, Stop = %q; want 25, max-pages", st.Pages, st.Stop)
			}
			return nil
		}},
		{"MaxItems", crawl.MaxItems(17), func(st crawl.Stats) error {
			if st.Items != 17 || st.Stop != "max-items" {
				return fmt.Errorf("Items = %d, Stop = %q; want 17, max-items", st.Items, st.Stop)
			}
			return nil
		}},
		{"MaxDepth", crawl.MaxDepth(1), func(st crawl.Stats) error {
			// The seed and its 11 distinct neighbours (10 grid links, each in
			// two query spellings, + next): 1 + 21 pages, no deeper ones.
			if st.Pages != 22 || st.Stop != "done" || st.TooDeep == 0 {
				return fmt.Errorf("Pages = %d, TooDeep = %d, Stop = %q; want 22, >0, done", st.Pages, st.TooDeep, st.Stop)
			}
			return nil
		}},
		{"MaxDuration", crawl.MaxDuration(time.Nanosecond), func(st crawl.Stats) error {
			if st.Stop != "deadline" {
				return fmt.Errorf("Stop = %q, want deadline", st.Stop)
			}
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := crawl.New(tc.opt, crawl.Workers(4))
			c.OnResponse(func(r *crawl.Response) { r.Emit(r.URL) })
			st, err := c.Crawl(context.Background(), s.URL+"/g/0")
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.check(st); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestCancelReturnsPartial(t *testing.T) {
	s := newSite(t, crawltest.Grid(200, 2*time.Millisecond))
	ctx, cancel := context.WithCancel(context.Background())
	c, _ := crawl.New(crawl.Workers(2))
	var n atomic.Int32
	c.OnResponse(func(r *crawl.Response) {
		if n.Add(1) == 10 {
			cancel()
		}
	})
	st, err := c.Crawl(ctx, s.URL+"/g/0")
	if !errors.Is(err, context.Canceled) || st.Stop != "canceled" || st.Pages < 9 || st.Pages >= 400 {
		t.Errorf("err = %v, Stop = %q, Pages = %d; want Canceled with a partial crawl", err, st.Stop, st.Pages)
	}
}

func TestProgressErrorStops(t *testing.T) {
	s := newSite(t, crawltest.Grid(200, time.Millisecond))
	boom := errors.New("enough")
	calls := 0
	var last fit.Progress
	c, _ := crawl.New(crawl.Workers(2), crawl.ProgressInterval(fit.Off), crawl.Progress(func(p fit.Progress) error {
		calls++
		last = p
		if p.Step >= 5 && !p.Done {
			return boom
		}
		return nil
	}))
	st, err := c.Crawl(context.Background(), s.URL+"/g/0")
	if !errors.Is(err, boom) || st.Stop != "error" || calls == 0 {
		t.Errorf("err = %v, Stop = %q, calls = %d; want the progress error", err, st.Stop, calls)
	}
	// The last event is the final one, and says why the crawl stopped.
	if !last.Done || last.Status != "stopped: enough" || last.Unit != "page" {
		t.Errorf("last event %+v, want Done with status %q", last, "stopped: enough")
	}
}

// TestProgressEvents: a finished crawl reports pages as steps with the
// documented metrics and ends with "finished: N pages".
func TestProgressEvents(t *testing.T) {
	s := newSite(t, crawltest.Grid(30, 0))
	var events []fit.Progress
	c, _ := crawl.New(crawl.Workers(1), crawl.DropQuery("x", "y"), crawl.ProgressInterval(fit.Off),
		crawl.Progress(func(p fit.Progress) error { events = append(events, p); return nil }))
	st, err := c.Crawl(context.Background(), s.URL+"/g/0")
	if err != nil {
		t.Fatal(err)
	}
	if len(events) < 2 {
		t.Fatalf("%d events, want some during the crawl and a final one", len(events))
	}
	last := events[len(events)-1]
	if !last.Done || last.Status != "finished: 30 pages" || last.Step != 30 || st.Pages != 30 {
		t.Errorf("final event %v (Done %v), want finished: 30 pages", last, last.Done)
	}
	for _, k := range crawl.ProgressMetrics {
		if _, ok := last.Metrics[k]; !ok {
			t.Errorf("metric %q missing from %v", k, last.Metrics)
		}
	}
	if last.Metrics["fetched"] != 30 || last.Metrics["pages/s"] <= 0 {
		t.Errorf("metrics %v, want fetched 30 and a positive rate", last.Metrics)
	}
	for i := 1; i < len(events); i++ {
		if events[i].Step < events[i-1].Step {
			t.Errorf("step went back from %d to %d", events[i-1].Step, events[i].Step)
		}
	}
}

// TestFrontierOrder: with one worker, BFS visits by depth, DFS follows the
// newest link first and Priority the best score.
func TestFrontierOrder(t *testing.T) {
	// A binary tree /t/1 … /t/15: page i links to 2i and 2i+1.
	s := newSite(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/t/"))
		var links []string
		if 2*i+1 <= 15 {
			links = append(links, crawltest.Link(fmt.Sprintf("/t/%d", 2*i)), crawltest.Link(fmt.Sprintf("/t/%d", 2*i+1)))
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, crawltest.Page(strconv.Itoa(i), links...))
	}))
	order := func(opts ...crawl.Option) string {
		c, _ := crawl.New(append(opts, crawl.Workers(1), crawl.IgnoreRobots())...)
		var got []string
		c.OnHTML("title", func(e *crawl.HTMLElement) { got = append(got, e.Text) })
		if _, err := c.Crawl(context.Background(), s.URL+"/t/1"); err != nil {
			t.Fatal(err)
		}
		return strings.Join(got, " ")
	}
	for name, tc := range map[string]struct {
		opt  crawl.Option
		want string
	}{
		"bfs": {crawl.WithFrontier(crawl.BFS), "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15"},
		"dfs": {crawl.WithFrontier(crawl.DFS), "1 3 7 15 14 6 13 12 2 5 11 10 4 9 8"},
		// Score: the page number, so the largest known page goes first.
		"priority": {crawl.WithPriority(func(u string, _ int) float64 {
			i, _ := strconv.Atoi(u[strings.LastIndexByte(u, '/')+1:])
			return float64(i)
		}), "1 3 7 15 14 6 13 12 2 5 11 10 4 9 8"},
	} {
		if got := order(tc.opt); got != tc.want {
			t.Errorf("%s order = %s, want %s", name, got, tc.want)
		}
	}
}

func TestHostConcurrencyCap(t *testing.T) {
	var cur, peak atomic.Int32
	s := newSite(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c := cur.Add(1); c > peak.Load() {
			peak.Store(c)
		}
		defer cur.Add(-1)
		crawltest.Wait(r, 5*time.Millisecond)
		i, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		w.Header().Set("Content-Type", "text/html")
		var links []string
		for k := 1; k <= 4 && i < 40; k++ {
			links = append(links, crawltest.Link(fmt.Sprintf("/%d", 4*i+k)))
		}
		fmt.Fprint(w, crawltest.Page("x", links...))
	}))
	c, _ := crawl.New(crawl.Workers(16), crawl.HostConcurrency(2), crawl.IgnoreRobots())
	if _, err := c.Crawl(context.Background(), s.URL+"/0"); err != nil {
		t.Fatal(err)
	}
	if p := peak.Load(); p > 2 {
		t.Errorf("peak concurrent requests to the host = %d, HostConcurrency is 2", p)
	}
}

func TestOutputFile(t *testing.T) {
	s := newSite(t, crawltest.Grid(50, 0))
	out := filepath.Join(t.TempDir(), "items.jsonl")
	c, _ := crawl.New(crawl.Output(out), crawl.DropQuery("x", "y"))
	var mu sync.Mutex
	seen := map[string]bool{}
	c.OnHTML("title", func(e *crawl.HTMLElement) {
		e.Response.Emit(titleItem{URL: e.Response.URL, Title: e.Text})
	})
	c.OnItem(func(it crawl.Item) { mu.Lock(); seen[it.URL] = true; mu.Unlock() })
	st, err := c.Crawl(context.Background(), s.URL+"/g/0")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var it titleItem
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil || !seen[it.URL] {
			t.Fatalf("line %q: %v (or not passed to OnItem)", sc.Text(), err)
		}
		lines++
	}
	// DropQuery removes x and y, so the 50 pages are fetched once each.
	if lines != 50 || st.Items != 50 || len(seen) != 50 {
		t.Errorf("lines = %d, Items = %d, OnItem URLs = %d; want 50", lines, st.Items, len(seen))
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*tmp*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

func TestBadInput(t *testing.T) {
	for want, opt := range map[string]crawl.Option{
		"crawl: bad config: Workers is -1, want at least 0":                                   crawl.Workers(-1),
		"crawl: bad config: Priority is nil, want a score function when Frontier is Priority": crawl.WithFrontier(crawl.Priority),
		"crawl: bad config: ConnectTimeout is -1s, want at least 0":                           crawl.Timeouts(-time.Second, 0, 0),
		`crawl: bad config: AllowedHosts[0] is "a b", want a host or host:port`:               crawl.AllowedHosts("a b"),
	} {
		_, err := crawl.New(opt)
		if !errors.Is(err, crawl.ErrBadConfig) || err.Error() != want {
			t.Errorf("New: %v, want %s", err, want)
		}
	}
	if _, err := crawl.New(crawl.Follow("a[[[")); !errors.Is(err, crawl.ErrBadConfig) ||
		!strings.HasPrefix(err.Error(), `crawl: bad config: Follow is "a[[[", want a CSS selector`) {
		t.Errorf("New(Follow(a[[[)): %v", err)
	}
	// fit.Off means none, not an error.
	if _, err := crawl.New(crawl.Retries(fit.Off, 0, 0), crawl.MaxRedirects(fit.Off), crawl.ProgressInterval(fit.Off)); err != nil {
		t.Errorf("Off settings: %v", err)
	}
	c, _ := crawl.New()
	if err := c.OnHTML("div[", func(*crawl.HTMLElement) {}); err == nil {
		t.Error("OnHTML accepted a bad selector")
	}
	for _, seed := range []string{"ftp://127.0.0.1/", "not a url", "/relative"} {
		if _, err := c.Crawl(context.Background(), seed); err == nil {
			t.Errorf("Crawl(%q) returned no error", seed)
		}
	}
	// An unreachable seed is a skipped page, not a panic: its robots.txt
	// cannot be fetched, so the host is disallowed (RFC 9309 §2.3.1.4).
	c, _ = crawl.New(crawl.Retries(0, 0, 0), crawl.Timeouts(200*time.Millisecond, 0, 0))
	st, err := c.Crawl(context.Background(), "http://127.0.0.1:1/")
	if err != nil || st.Skipped["robots-unavailable"] != 1 || st.RobotsErrors != 1 {
		t.Errorf("unreachable seed: err = %v, Skipped = %v, RobotsErrors = %d; want it skipped", err, st.Skipped, st.RobotsErrors)
	}
	// Without robots.txt, the same seed is a connection error.
	c, _ = crawl.New(crawl.Retries(0, 0, 0), crawl.Timeouts(200*time.Millisecond, 0, 0), crawl.IgnoreRobots())
	st, err = c.Crawl(context.Background(), "http://127.0.0.1:1/")
	if err != nil || st.Errors["connection"] != 1 {
		t.Errorf("unreachable seed: err = %v, Errors = %v; want one connection error", err, st.Errors)
	}
}

// TestAllowedHostsBindSeeds: a seed whose host is not allowed is not
// fetched either (not even its robots.txt).
func TestAllowedHostsBindSeeds(t *testing.T) {
	s := newSite(t, crawltest.Grid(5, 0))
	c, _ := crawl.New(crawl.AllowedHosts("127.0.0.1:1"))
	st, err := c.Crawl(context.Background(), s.URL+"/g/0")
	if n, _ := s.Total(); err != nil || n != 0 || st.Offsite != 1 || st.Pages != 0 {
		t.Errorf("err = %v, requests = %d, Offsite = %d, Pages = %d; want the seed dropped", err, n, st.Offsite, st.Pages)
	}
	// The same host spelled with capitals is the same host.
	host := strings.TrimPrefix(s.URL, "http://")
	c, _ = crawl.New(crawl.AllowedHosts(strings.ToUpper("localhost"), strings.ToUpper(host)), crawl.DropQuery("x", "y"))
	if st, err = c.Crawl(context.Background(), s.URL+"/g/0"); err != nil || st.Fetched != 5 {
		t.Errorf("err = %v, Fetched = %d; want the 5 pages", err, st.Fetched)
	}
}

func TestMaxFrontier(t *testing.T) {
	s := newSite(t, crawltest.Grid(200, 0))
	// Breadth-first spills to disk past 5 URLs in memory and loses nothing:
	// 200 pages in two spellings each.
	c, _ := crawl.New(crawl.Workers(2), crawl.MaxFrontier(5))
	st, err := c.Crawl(context.Background(), s.URL+"/g/0")
	if err != nil {
		t.Fatal(err)
	}
	if st.Dropped != 0 || st.Fetched != 400 {
		t.Errorf("BFS: Dropped = %d, Fetched = %d; want 0 and 400", st.Dropped, st.Fetched)
	}
	// Depth-first drops what does not fit; each page offers ~21 new URLs.
	s = newSite(t, crawltest.Grid(200, 0))
	c, _ = crawl.New(crawl.Workers(1), crawl.MaxFrontier(5), crawl.WithFrontier(crawl.DFS))
	st, err = c.Crawl(context.Background(), s.URL+"/g/0")
	if err != nil {
		t.Fatal(err)
	}
	if st.Dropped == 0 || st.Stop != "done" || st.Fetched == 0 {
		t.Errorf("DFS: Dropped = %d, Fetched = %d, Stop = %q; want drops and a finished crawl", st.Dropped, st.Fetched, st.Stop)
	}
	if _, dup := s.Total(); len(dup) != 0 {
		t.Errorf("DFS: dropped URLs offered again were fetched twice: %v", dup)
	}
}

func TestHostRate(t *testing.T) {
	s := newSite(t, crawltest.Grid(10, 0))
	c, _ := crawl.New(crawl.Workers(4), crawl.HostRate(10, 1), crawl.MaxPages(7), crawl.IgnoreRobots())
	if _, err := c.Crawl(context.Background(), s.URL+"/g/0"); err != nil {
		t.Fatal(err)
	}
	var all []time.Time
	for i := 0; i < 10; i++ {
		for _, q := range []string{"", "?x=2&y=1", "?y=1&x=2"} {
			all = append(all, s.Arrivals(fmt.Sprintf("/g/%d%s", i, q))...)
		}
	}
	// 10 requests/s with burst 1: 7 requests at least 100ms apart.
	if len(all) != 7 {
		t.Fatalf("%d requests, want 7", len(all))
	}
	checkSpacing(t, all, 100*time.Millisecond, "HostRate 10/s")
}
