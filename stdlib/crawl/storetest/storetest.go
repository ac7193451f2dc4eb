// Package storetest is the conformance suite of the crawl.SharedStore
// contract: every implementation (the in-memory one of stdlib/crawl and
// stdlib/crawl/redisstore) runs the same tests through Run.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gonbml/gonbml/stdlib/crawl"
)

// Run runs the suite. newURL gives a store URL for a subtest (a server
// may be shared: every subtest uses its own crawl ID).
func Run(t *testing.T, newURL func(t *testing.T) string) {
	tests := []struct {
		name string
		f    func(t *testing.T, e *env)
	}{
		{"StartRefusesAnotherCrawl", testStart},
		{"ClaimCompleteDone", testClaimComplete},
		{"ExactlyOnceItems", testExactlyOnce},
		{"HostCap", testHostCap},
		{"FairShare", testFairShare},
		{"LeaseExpiresAfterClose", testLeaseExpiry},
		{"Release", testRelease},
		{"Alias", testAlias},
		{"Pace", testPace},
		{"Robots", testRobots},
		{"ConcurrentWorkers", testConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.f(t, &env{url: newURL(t), id: fmt.Sprintf("conf-%s-%08x", tc.name, rand.Uint32())})
		})
	}
}

type env struct {
	url, id string
}

// worker is one handle on the crawl; closed in Cleanup unless closed before.
type worker struct {
	crawl.SharedStore
	once sync.Once
}

func (w *worker) Close() error {
	var err error
	w.once.Do(func() { err = w.SharedStore.Close() })
	return err
}

func (e *env) open(t *testing.T, cap int, lease time.Duration) *worker {
	t.Helper()
	s, err := crawl.OpenStore(e.url, crawl.SharedOptions{CrawlID: e.id, LeaseTime: lease, HostConcurrency: cap})
	if err != nil {
		t.Fatal(err)
	}
	w := &worker{SharedStore: s}
	t.Cleanup(func() { w.Close() })
	return w
}

var bg = context.Background()

func task(host string, i int) crawl.SharedTask {
	k := fmt.Sprintf("http://%s/p/%d", host, i)
	return crawl.SharedTask{Key: k, Depth: i % 3, Host: host}
}

func start(t *testing.T, w *worker, fp string, seeds ...crawl.SharedTask) {
	t.Helper()
	if err := w.Start(bg, fp, false, seeds); err != nil {
		t.Fatal(err)
	}
}

func claim(t *testing.T, w *worker) crawl.SharedClaim {
	t.Helper()
	c, err := w.Claim(bg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func complete(t *testing.T, w *worker, p crawl.SharedPage) crawl.SharedResult {
	t.Helper()
	r, err := w.Complete(bg, p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// claimWithin polls until a claim succeeds (or the crawl is done).
func claimWithin(t *testing.T, w *worker, d time.Duration) crawl.SharedClaim {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		c := claim(t, w)
		if c.OK || c.Done || time.Now().After(deadline) {
			return c
		}
		time.Sleep(min(max(c.Wait, time.Millisecond), 20*time.Millisecond))
	}
}

func testStart(t *testing.T, e *env) {
	a, b := e.open(t, 2, time.Minute), e.open(t, 2, time.Minute)
	start(t, a, "fp1", task("h", 0))
	if err := b.Start(bg, "fp2", false, []crawl.SharedTask{task("h", 1)}); !errors.Is(err, crawl.ErrOtherCrawl) {
		t.Fatalf("Start with another fingerprint: %v, want ErrOtherCrawl", err)
	}
	if err := b.Start(bg, "fp2", true, []crawl.SharedTask{task("h", 2)}); err != nil {
		t.Fatalf("Start with resume: %v", err)
	}
	start(t, b, "fp1", task("h", 0)) // the same crawl: joins, the seed is seen
	c := claim(t, a)
	if !c.OK || c.Task != task("h", 0) {
		t.Fatalf("claim = %+v, want the one seed %+v", c, task("h", 0))
	}
	// A resumed worker adds no seeds and a joining one no seen seed: the
	// only URL is leased, so nothing else can be claimed.
	if c := claim(t, b); c.OK || c.Done {
		t.Fatalf("second claim = %+v, want a wait (the one URL is leased)", c)
	}
}

func testClaimComplete(t *testing.T, e *env) {
	w := e.open(t, 4, time.Minute)
	start(t, w, "fp", task("h", 0))
	c := claim(t, w)
	if !c.OK || c.Task.Key != task("h", 0).Key || c.Task.Host != "h" || c.Task.Depth != 0 {
		t.Fatalf("claim = %+v", c)
	}
	// The host's robots.txt is unknown (Interval -1): one page at a time.
	links := []crawl.SharedTask{task("h", 1), task("h", 2), task("h", 0), {Key: "http://h/p/3", Link: "http://h/p/3#x", Depth: 1, Host: "h"}}
	r := complete(t, w, crawl.SharedPage{Task: c.Task, Interval: -1, Links: links})
	if r.New != 3 || r.Duplicate != 1 {
		t.Fatalf("complete = %+v, want 3 new links and 1 duplicate", r)
	}
	claimed := map[string]crawl.SharedTask{}
	for range 3 {
		c := claimWithin(t, w, 10*time.Second)
		if !c.OK {
			t.Fatalf("claim = %+v, want a page", c)
		}
		claimed[c.Task.Key] = c.Task
		// Known now, interval 0: the next completion claims the next page.
		r := complete(t, w, crawl.SharedPage{Task: c.Task, Interval: 0, Links: []crawl.SharedTask{task("h", 1)}})
		if r.New != 0 || r.Duplicate != 1 {
			t.Fatalf("complete = %+v, want the link seen", r)
		}
	}
	if len(claimed) != 3 || claimed["http://h/p/3"].Link != "http://h/p/3#x" || claimed["http://h/p/3"].Depth != 1 {
		t.Fatalf("claimed %v, want /p/1, /p/2, /p/3 (as linked, depth 1)", claimed)
	}
	if c := claimWithin(t, w, 10*time.Second); !c.Done {
		t.Fatalf("claim after the last page = %+v, want done", c)
	}
}

func testExactlyOnce(t *testing.T, e *env) {
	a, b := e.open(t, 2, time.Minute), e.open(t, 2, time.Minute)
	start(t, a, "fp", task("h", 0))
	c := claim(t, a)
	items := []crawl.Item{{ID: "i0", URL: c.Task.Key, JSON: []byte(`{"n":0}`)}, {ID: "i1", URL: c.Task.Key, JSON: []byte(`{"n":1}`)}}
	if r := complete(t, a, crawl.SharedPage{Task: c.Task, Interval: 0, Items: items}); r.Added != 2 {
		t.Fatalf("first completion added %d items, want 2", r.Added)
	}
	// A late completion of the same page (a refetch after a lost lease,
	// by another worker or the same) adds nothing.
	if r := complete(t, b, crawl.SharedPage{Task: c.Task, Interval: 0, Items: items}); r.Added != 0 {
		t.Fatalf("second completion added %d items, want 0", r.Added)
	}
	if r := complete(t, a, crawl.SharedPage{Task: c.Task, Interval: 0, Items: items}); r.Added != 0 {
		t.Fatalf("third completion added %d items, want 0", r.Added)
	}
	if c := claimWithin(t, b, 10*time.Second); !c.Done {
		t.Fatalf("claim = %+v, want done", c)
	}
}

// seedHost starts the crawl at host h's page 0 through w and completes
// that page with links to pages 1…n of the same host, all left to claim.
func seedHost(t *testing.T, w *worker, n int) {
	t.Helper()
	start(t, w, "fp", task("h", 0))
	c := claim(t, w)
	var links []crawl.SharedTask
	for i := 1; i <= n; i++ {
		links = append(links, task("h", i))
	}
	complete(t, w, crawl.SharedPage{Task: c.Task, Interval: 0, Links: links})
}

func testHostCap(t *testing.T, e *env) {
	a, b := e.open(t, 2, time.Minute), e.open(t, 2, time.Minute)
	seedHost(t, a, 5)
	c1, c2 := claimWithin(t, a, 10*time.Second), claimWithin(t, b, 10*time.Second)
	if !c1.OK || !c2.OK || c1.Task.Key == c2.Task.Key {
		t.Fatalf("claims %+v, %+v: want two pages", c1, c2)
	}
	for _, w := range []*worker{a, b} {
		if c := claim(t, w); c.OK || c.Done {
			t.Fatalf("third claim with cap 2 = %+v, want a wait", c)
		}
	}
	complete(t, a, crawl.SharedPage{Task: c1.Task, Interval: 0})
	if c := claimWithin(t, a, 10*time.Second); !c.OK {
		t.Fatalf("claim after a completion = %+v, want a page", c)
	}
}

// testFairShare: a worker that fills a host's cap by itself gives up
// slots to a hungry worker instead of reclaiming them with each
// completion, down to its share (the cap over the active workers).
func testFairShare(t *testing.T, e *env) {
	a, b := e.open(t, 4, time.Minute), e.open(t, 4, time.Minute)
	seedHost(t, a, 12)
	// Alone, a worker may fill the cap.
	var held []crawl.SharedTask
	for range 4 {
		c := claimWithin(t, a, 10*time.Second)
		if !c.OK {
			t.Fatalf("claim %d of a lone worker under cap 4 = %+v, want a page", len(held)+1, c)
		}
		held = append(held, c.Task)
	}
	if c := claim(t, b); c.OK || c.Done {
		t.Fatalf("claim of b with the cap full = %+v, want a wait", c)
	}
	// b is hungry: a's completion does not claim the slot back (a holds
	// 3 of its share of 2).
	r := complete(t, a, crawl.SharedPage{Task: held[0], Interval: 0, ClaimNext: true})
	if r.Next.OK {
		t.Fatalf("a reclaimed %s with b hungry", r.Next.Task.Key)
	}
	if c := claim(t, b); !c.OK {
		t.Fatalf("claim of b after a's completion = %+v, want a page", c)
	}
	r = complete(t, a, crawl.SharedPage{Task: held[1], Interval: 0, ClaimNext: true})
	if r.Next.OK { // b is not hungry (it got a page): a may fill the cap
		held = append(held, r.Next.Task)
	}
	if c := claim(t, b); r.Next.OK == c.OK {
		t.Fatalf("b's claim = %+v after a's next claim %v: want exactly one of them", c, r.Next.OK)
	}
	if r.Next.OK { // b hungry again: a gives the slot of its next page
		if r := complete(t, a, crawl.SharedPage{Task: held[2], Interval: 0, ClaimNext: true}); r.Next.OK {
			t.Fatalf("a reclaimed %s with b hungry", r.Next.Task.Key)
		}
		if c := claim(t, b); !c.OK {
			t.Fatalf("claim of b = %+v, want its second page", c)
		}
	}
	// Now each holds 2, its share: neither takes more while the other waits.
	if c := claim(t, b); c.OK || c.Done {
		t.Fatalf("third claim of b = %+v, want a wait", c)
	}
}

func testLeaseExpiry(t *testing.T, e *env) {
	const lease = 300 * time.Millisecond
	a, b := e.open(t, 2, lease), e.open(t, 2, lease)
	start(t, a, "fp", task("h", 0))
	c := claim(t, a)
	if !c.OK {
		t.Fatalf("claim = %+v", c)
	}
	// A live worker's lease is renewed: another worker gets nothing, even
	// after several lease times.
	deadline := time.Now().Add(3 * lease)
	for time.Now().Before(deadline) {
		if c := claim(t, b); c.OK || c.Done {
			t.Fatalf("claim while the lease is alive = %+v, want a wait", c)
		}
		time.Sleep(20 * time.Millisecond)
	}
	a.Close() // the worker dies: its lease runs out
	c2 := claimWithin(t, b, 30*time.Second)
	if !c2.OK || c2.Task != c.Task {
		t.Fatalf("claim after the lease ran out = %+v, want %+v", c2, c.Task)
	}
	items := []crawl.Item{{ID: "x", URL: c.Task.Key, JSON: []byte(`{}`)}}
	if r := complete(t, b, crawl.SharedPage{Task: c2.Task, Interval: 0, Items: items}); r.Added != 1 {
		t.Fatalf("completion of the reclaimed page added %d, want 1", r.Added)
	}
	if c := claimWithin(t, b, 10*time.Second); !c.Done {
		t.Fatalf("claim = %+v, want done", c)
	}
}

func testRelease(t *testing.T, e *env) {
	a, b := e.open(t, 2, time.Minute), e.open(t, 2, time.Minute)
	start(t, a, "fp", task("h", 0), task("g", 0))
	c := claim(t, a)
	if err := b.Release(bg, c.Task); err != nil { // not b's: no effect
		t.Fatal(err)
	}
	other := claimWithin(t, b, 10*time.Second)
	if !other.OK || other.Task.Key == c.Task.Key {
		t.Fatalf("claim = %+v, want the other seed", other)
	}
	if err := a.Release(bg, c.Task); err != nil {
		t.Fatal(err)
	}
	if got := claimWithin(t, b, 10*time.Second); !got.OK || got.Task != c.Task {
		t.Fatalf("claim after release = %+v, want %+v", got, c.Task)
	}
}

func testAlias(t *testing.T, e *env) {
	a := e.open(t, 2, time.Minute)
	start(t, a, "fp", task("h", 0))
	for _, tc := range []struct {
		key, owner string
		want       bool
	}{
		{"http://h/target", "http://h/p/7", true}, // new
		{"http://h/target", "http://h/p/7", true}, // the owner again (a refetch)
		{"http://h/target", "http://h/p/8", false},
		{task("h", 0).Key, "http://h/p/8", false}, // a queued URL is seen
	} {
		if ok, err := a.Alias(bg, tc.key, tc.owner); err != nil || ok != tc.want {
			t.Fatalf("Alias(%s, %s) = %v, %v; want %v", tc.key, tc.owner, ok, err, tc.want)
		}
	}
	// An alias is in the seen set: a link to it is a duplicate.
	c := claim(t, a)
	r := complete(t, a, crawl.SharedPage{Task: c.Task, Interval: 0, Links: []crawl.SharedTask{{Key: "http://h/target", Host: "h"}}})
	if r.Duplicate != 1 {
		t.Fatalf("complete = %+v, want the alias seen", r)
	}
}

func testPace(t *testing.T, e *env) {
	a, b := e.open(t, 2, time.Minute), e.open(t, 2, time.Minute)
	start(t, a, "fp", task("h", 0))
	// An interval of an hour: the slots are an hour apart whatever the
	// machine's load between the calls.
	const iv = time.Hour
	w1, err := a.Pace(bg, "slow", iv)
	if err != nil {
		t.Fatal(err)
	}
	w2, err := b.Pace(bg, "slow", iv)
	if err != nil {
		t.Fatal(err)
	}
	w3, err := a.Pace(bg, "slow", iv)
	if err != nil {
		t.Fatal(err)
	}
	if w1 > time.Minute || w2 < iv-time.Minute || w2 > iv || w3 < 2*iv-time.Minute || w3 > 2*iv {
		t.Fatalf("waits %v, %v, %v: want about 0, 1 h, 2 h", w1, w2, w3)
	}
	if w, err := b.Pace(bg, "other", iv); err != nil || w > time.Minute {
		t.Fatalf("another host's first slot: %v, %v; want now", w, err)
	}
}

func testRobots(t *testing.T, e *env) {
	a, b := e.open(t, 2, time.Minute), e.open(t, 2, time.Minute)
	start(t, a, "fp", task("h", 0))
	if _, found, err := b.Robots(bg, "h"); err != nil || found {
		t.Fatalf("Robots before any = %v, %v; want not found", found, err)
	}
	for _, step := range []struct {
		w    *worker
		want bool
	}{{a, true}, {b, false}, {a, true}} { // the holder may retry
		if ok, err := step.w.LockRobots(bg, "h", time.Minute); err != nil || ok != step.want {
			t.Fatalf("LockRobots = %v, %v; want %v", ok, err, step.want)
		}
	}
	body := []byte("User-agent: *\nDisallow: /private/\n")
	if err := a.SetRobots(bg, "h", crawl.SharedRobots{Body: body}); err != nil {
		t.Fatal(err)
	}
	if r, found, err := b.Robots(bg, "h"); err != nil || !found || r.AllowAll || !bytes.Equal(r.Body, body) {
		t.Fatalf("Robots = %+v, %v, %v; want the body", r, found, err)
	}
	if err := b.SetRobots(bg, "g", crawl.SharedRobots{AllowAll: true}); err != nil {
		t.Fatal(err)
	}
	if r, found, err := a.Robots(bg, "g"); err != nil || !found || !r.AllowAll {
		t.Fatalf("Robots = %+v, %v, %v; want allow all", r, found, err)
	}
	// A lock runs out after its ttl.
	if ok, err := b.LockRobots(bg, "k", time.Millisecond); err != nil || !ok {
		t.Fatalf("LockRobots = %v, %v", ok, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := a.LockRobots(bg, "k", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a robots lock of 1 ms still held after 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// testConcurrent crawls a generated graph of pages on three hosts with
// four workers at once; every page is completed exactly once, no page is
// handed out while another worker holds it, and all see the end.
func testConcurrent(t *testing.T, e *env) {
	const pages = 300
	hosts := []string{"a", "b", "c"}
	link := func(i int) crawl.SharedTask { return task(hosts[i%3], i) }
	var mu sync.Mutex
	inflight := map[string]bool{}
	added := map[string]int{}
	var errs []string
	ws := make([]*worker, 4)
	for i := range ws {
		ws[i] = e.open(t, 3, time.Minute)
	}
	start(t, ws[0], "fp", link(0))
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Go(func() {
			if err := w.Start(bg, "fp", false, []crawl.SharedTask{link(0)}); err != nil {
				mu.Lock()
				errs = append(errs, err.Error())
				mu.Unlock()
				return
			}
			var next crawl.SharedClaim
			deadline := time.Now().Add(60 * time.Second)
			for time.Now().Before(deadline) {
				c := next
				if !c.OK {
					var err error
					if c, err = w.Claim(bg); err != nil {
						mu.Lock()
						errs = append(errs, err.Error())
						mu.Unlock()
						return
					}
				}
				if c.Done {
					return
				}
				if !c.OK {
					time.Sleep(min(max(c.Wait, time.Millisecond), 5*time.Millisecond))
					next = crawl.SharedClaim{}
					continue
				}
				n := 0
				fmt.Sscanf(c.Task.Key[strings.LastIndex(c.Task.Key, "/")+1:], "%d", &n)
				mu.Lock()
				if inflight[c.Task.Key] {
					errs = append(errs, "handed out twice at once: "+c.Task.Key)
				}
				inflight[c.Task.Key] = true
				mu.Unlock()
				var links []crawl.SharedTask
				for _, m := range []int{2*n + 1, 2*n + 2, n / 2} {
					if m < pages {
						links = append(links, link(m))
					}
				}
				p := crawl.SharedPage{Task: c.Task, Interval: 0, Links: links, ClaimNext: true,
					Items: []crawl.Item{{ID: c.Task.Key, URL: c.Task.Key, JSON: []byte(`1`)}}}
				mu.Lock()
				delete(inflight, c.Task.Key) // before the store ends the lease
				mu.Unlock()
				r, err := w.Complete(bg, p)
				if err != nil {
					mu.Lock()
					errs = append(errs, err.Error())
					mu.Unlock()
					return
				}
				mu.Lock()
				added[c.Task.Key] += r.Added
				mu.Unlock()
				next = r.Next
			}
			mu.Lock()
			errs = append(errs, "a worker did not see the end within 60 s")
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatal(strings.Join(errs, "\n"))
	}
	if len(added) != pages {
		t.Fatalf("%d pages completed, want %d", len(added), pages)
	}
	for k, n := range added {
		if n != 1 {
			t.Fatalf("%s: %d items added, want 1", k, n)
		}
	}
	var calls int64
	for _, w := range ws {
		calls += w.Calls()
	}
	if calls < pages {
		t.Fatalf("%d calls for %d pages: Calls does not count", calls, pages)
	}
}
