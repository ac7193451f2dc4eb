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
)

// gridSite serves /g/0 … /g/N-1; every page links to ten pseudo-random
// pages, each written three ways (fragment, reordered query, plain), so a
// crawl sees many more links than pages.
func gridSite(t testing.TB, n int, delay time.Duration) *site {
	return newSite(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/g/"))
		if err != nil || i < 0 || i >= n {
			http.NotFound(w, r)
			return
		}
		if delay > 0 && !wait(r, delay) {
			return
		}
		var links []string
		for k := 1; k <= 10; k++ {
			j := (i*7 + k*13) % n
			links = append(links, link(fmt.Sprintf("/g/%d#f%d", j, k)),
				link(fmt.Sprintf("/g/%d?y=1&x=2", j)), link(fmt.Sprintf("/g/%d?x=2&y=1", j)))
		}
		links = append(links, link(fmt.Sprintf("/g/%d", (i+1)%n)))
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, page("g"+strconv.Itoa(i), links...))
	}))
}

// TestNoDuplicateFetches: 32 workers on a site where every page is linked
// from many pages in several spellings never fetch a URL twice.
func TestNoDuplicateFetches(t *testing.T) {
	const n = 400 // pages
	s := gridSite(t, n, 0)
	c, _ := crawl.New(crawl.Workers(32), crawl.HostConcurrency(32))
	st, err := c.Crawl(context.Background(), s.URL+"/g/0")
	if err != nil {
		t.Fatal(err)
	}
	reqs, dup := s.total()
	if len(dup) != 0 {
		t.Errorf("URLs fetched more than once: %v", dup)
	}
	// n pages, each with and without the ?x=2&y=1 query, plus robots.txt.
	if reqs != 2*n+1 || st.Fetched != 2*n {
		t.Errorf("requests = %d, Fetched = %d; want %d and %d", reqs, st.Fetched, 2*n+1, 2*n)
	}
}

func TestFinishConditions(t *testing.T) {
	s := gridSite(t, 200, 0)
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
	s := gridSite(t, 200, 2*time.Millisecond)
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
	s := gridSite(t, 200, time.Millisecond)
	boom := errors.New("enough")
	calls := 0
	c, _ := crawl.New(crawl.Workers(2), crawl.OnProgress(func(p crawl.Progress) error {
		calls++
		if p.Pages >= 5 {
			return boom
		}
		return nil
	}, time.Millisecond))
	st, err := c.Crawl(context.Background(), s.URL+"/g/0")
	if !errors.Is(err, boom) || st.Stop != "error" || calls == 0 {
		t.Errorf("err = %v, Stop = %q, calls = %d; want the progress error", err, st.Stop, calls)
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
			links = append(links, link(fmt.Sprintf("/t/%d", 2*i)), link(fmt.Sprintf("/t/%d", 2*i+1)))
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, page(strconv.Itoa(i), links...))
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
		wait(r, 5*time.Millisecond)
		i, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		w.Header().Set("Content-Type", "text/html")
		var links []string
		for k := 1; k <= 4 && i < 40; k++ {
			links = append(links, link(fmt.Sprintf("/%d", 4*i+k)))
		}
		fmt.Fprint(w, page("x", links...))
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
	s := gridSite(t, 50, 0)
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
	for name, opt := range map[string]crawl.Option{
		"workers":  crawl.Workers(-1),
		"priority": crawl.WithFrontier(crawl.Priority),
		"follow":   crawl.Follow("a[[["),
		"timeout":  crawl.Timeouts(-time.Second, 0, 0),
	} {
		if _, err := crawl.New(opt); err == nil {
			t.Errorf("%s: New accepted a bad option", name)
		}
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
	// An unreachable seed is a failed page, not a panic.
	c, _ = crawl.New(crawl.Retries(0, 0, 0), crawl.Timeouts(200*time.Millisecond, 0, 0))
	st, err := c.Crawl(context.Background(), "http://127.0.0.1:1/")
	if err != nil || st.Errors["connection"] != 1 {
		t.Errorf("unreachable seed: err = %v, Errors = %v; want one connection error", err, st.Errors)
	}
}

func TestMaxFrontier(t *testing.T) {
	s := gridSite(t, 200, 0)
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
	s = gridSite(t, 200, 0)
	c, _ = crawl.New(crawl.Workers(1), crawl.MaxFrontier(5), crawl.WithFrontier(crawl.DFS))
	st, err = c.Crawl(context.Background(), s.URL+"/g/0")
	if err != nil {
		t.Fatal(err)
	}
	if st.Dropped == 0 || st.Stop != "done" || st.Fetched == 0 {
		t.Errorf("DFS: Dropped = %d, Fetched = %d, Stop = %q; want drops and a finished crawl", st.Dropped, st.Fetched, st.Stop)
	}
	if _, dup := s.total(); len(dup) != 0 {
		t.Errorf("DFS: dropped URLs offered again were fetched twice: %v", dup)
	}
}

func TestHostRate(t *testing.T) {
	s := gridSite(t, 10, 0)
	c, _ := crawl.New(crawl.Workers(4), crawl.HostRate(20, 1), crawl.MaxPages(6), crawl.IgnoreRobots())
	if _, err := c.Crawl(context.Background(), s.URL+"/g/0"); err != nil {
		t.Fatal(err)
	}
	var all []time.Time
	for i := 0; i < 10; i++ {
		for _, q := range []string{"", "?x=2&y=1"} {
			all = append(all, s.arrivals(fmt.Sprintf("/g/%d%s", i, q))...)
		}
	}
	sortTimes(all)
	// 20 requests/s with burst 1: 6 requests span at least 5 × 50ms (45ms
	// each allows for clock granularity); load only widens the gaps.
	if len(all) != 6 || all[5].Sub(all[0]) < 5*45*time.Millisecond {
		t.Errorf("%d requests spanning %v; want 6 spanning at least 225ms", len(all), all[len(all)-1].Sub(all[0]))
	}
}
