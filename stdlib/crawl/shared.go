package crawl

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"
)

// A SharedStore holds the state of a crawl shared by several processes
// (workers), on this machine or others: the frontier with leases, the seen
// set, the items, the robots.txt cache and each host's politeness. The
// single-process crawler keeps the same state in memory and in its
// journal; Config.Redis selects a SharedStore instead. Its one
// implementation is stdlib/crawl/redisstore, which registers itself for
// the redis:// and rediss:// schemes when imported, so that a program
// crawling in one process does not link a Redis client.
//
// Every method is one round trip to the store (its implementation retries
// transient failures, such as the store restarting, for a while); a page
// costs one Complete, which claims the next page too, and a Claim when
// the worker has no claimed page waiting.
type SharedStore interface {
	// Start joins the crawl: it records the crawl's fingerprint (its
	// seeds and the settings that decide which pages belong to it) the
	// first time and adds the seeds not yet seen. A store that holds the
	// same crawl ID with another fingerprint returns ErrOtherCrawl unless
	// resume is true; then the stored crawl is continued and the seeds
	// are not added.
	Start(ctx context.Context, fingerprint string, resume bool, seeds []SharedTask) error
	// Claim takes the next URL whose host may be requested now (its
	// concurrency cap and Crawl-delay or rate allow it) and leases it to
	// this worker for the lease time; expired leases of dead workers go
	// back to the frontier first. Without a URL it says how long to wait,
	// or that the crawl is done (nothing waiting and nothing leased).
	Claim(ctx context.Context) (SharedClaim, error)
	// Release gives a claimed URL back unfinished (the worker stops).
	Release(ctx context.Context, t SharedTask) error
	// Complete finishes a claimed page in one step: its items are added
	// unless the page was completed before (exactly once, whatever the
	// leases did), its new links are added to the seen set and the
	// frontier, its lease ends and its host's state is updated. With
	// SharedPage.ClaimNext it also claims the worker's next page, as
	// Claim would, in the same round trip.
	Complete(ctx context.Context, p SharedPage) (SharedResult, error)
	// Alias marks key (a redirect target) seen on behalf of the page
	// owner and reports whether owner may fetch it: key was new, or
	// owner had claimed it before (a refetch after a lost lease).
	Alias(ctx context.Context, key, owner string) (bool, error)
	// Pace reserves the host's next request slot, interval after the one
	// before it across all workers, and returns the wait until it.
	Pace(ctx context.Context, host string, interval time.Duration) (time.Duration, error)
	// Robots returns the host's cached robots.txt; found is false when
	// no worker stored it yet.
	Robots(ctx context.Context, host string) (r SharedRobots, found bool, err error)
	// LockRobots makes this worker the one fetching host's robots.txt for
	// ttl; false when another worker holds the lock.
	LockRobots(ctx context.Context, host string, ttl time.Duration) (bool, error)
	// SetRobots caches host's robots.txt for every worker.
	SetRobots(ctx context.Context, host string, r SharedRobots) error
	// Calls is the number of round trips made so far.
	Calls() int64
	// Close stops the lease renewal and closes the connection; the
	// leases still held expire.
	Close() error
}

// SharedTask is one URL of a shared frontier.
type SharedTask struct {
	Key   string // the normal form: the seen-set and lease key
	Link  string // the URL as linked, "" when it is Key
	Depth int
	Host  string // host[:port] as the politeness key
}

// SharedClaim is the answer to a Claim.
type SharedClaim struct {
	Task SharedTask
	OK   bool          // Task was claimed
	Done bool          // nothing waits and nothing is leased: the crawl is over
	Wait time.Duration // neither: ask again after this
}

// SharedPage is a finished page handed to Complete.
type SharedPage struct {
	Task SharedTask
	// Interval is the least gap between two requests to the task's host
	// (its Crawl-delay or HostRate); negative while robots.txt is not
	// known, which keeps the host at one request at a time.
	Interval time.Duration
	Items    []Item
	Links    []SharedTask
	Class    string // error class or skip reason; "" for a parsed page
	// ClaimNext asks Complete to claim the worker's next page as well.
	ClaimNext bool
}

// SharedResult is what Complete did.
type SharedResult struct {
	Added     int         // items added: 0 when the page had been completed before
	New       int         // links new to the seen set, now in the frontier
	Duplicate int         // links already seen
	Next      SharedClaim // the next claim, with SharedPage.ClaimNext
}

// SharedRobots is a host's robots.txt as cached for every worker; each
// parses it for its own user agent.
type SharedRobots struct {
	Body     []byte
	AllowAll bool // a 4xx or a redirect loop: everything is allowed
}

// SharedOptions configure a SharedStore.
type SharedOptions struct {
	CrawlID         string        // namespaces the keys
	LeaseTime       time.Duration // how long a claim lasts without renewal
	HostConcurrency int           // requests in flight to one host, across workers
}

// ErrOtherCrawl is returned when the store holds the crawl ID with other
// seeds or settings and Config.Resume is false.
var ErrOtherCrawl = errors.New("crawl: the store holds another crawl under this ID")

var (
	storesMu sync.Mutex
	stores   = map[string]func(rawURL string, o SharedOptions) (SharedStore, error){}
)

// RegisterStore makes open the SharedStore of Config.Redis URLs with this
// scheme (as database/sql.Register does for drivers). redisstore calls it
// for "redis" and "rediss" in its init.
func RegisterStore(scheme string, open func(rawURL string, o SharedOptions) (SharedStore, error)) {
	storesMu.Lock()
	defer storesMu.Unlock()
	stores[scheme] = open
}

// OpenStore opens a worker's handle on the crawl o.CrawlID of the store at
// rawURL (its scheme registered with RegisterStore): what a Collector
// with Config.Redis = rawURL does, for tools and tests of a store.
func OpenStore(rawURL string, o SharedOptions) (SharedStore, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("crawl: bad store URL %q: want redis://host:port or mem://NAME", RedactURL(rawURL))
	}
	open := storeOpener(u.Scheme)
	if open == nil {
		return nil, fmt.Errorf("crawl: no store for %q URLs (import stdlib/crawl/redisstore for redis://)", u.Scheme)
	}
	if o.CrawlID == "" {
		o.CrawlID = "crawl"
	}
	if o.LeaseTime <= 0 {
		o.LeaseTime = 30 * time.Second
	}
	return open(rawURL, o)
}

func storeOpener(scheme string) func(string, SharedOptions) (SharedStore, error) {
	storesMu.Lock()
	defer storesMu.Unlock()
	return stores[scheme]
}

// RedactURL is rawURL with its password replaced by "xxxxx", for messages.
func RedactURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

var crawlIDRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// validateShared checks the fields of a shared crawl.
func (c Config) validateShared(bad func(string, any, string) error) error {
	if c.Redis == "" {
		if c.CrawlID != "" || c.Resume {
			return bad("Redis", `""`, "a Redis URL when CrawlID or Resume is set")
		}
		return nil
	}
	u, err := url.Parse(c.Redis)
	if err != nil || u.Host == "" {
		return bad("Redis", fmt.Sprintf("%q", RedactURL(c.Redis)), "redis://[user:password@]host:port[/db] or mem://NAME")
	}
	if storeOpener(u.Scheme) == nil {
		return bad("Redis", fmt.Sprintf("%q", RedactURL(c.Redis)),
			"a registered scheme (import github.com/gonbml/gonbml/stdlib/crawl/redisstore)")
	}
	switch {
	case c.CrawlID != "" && !crawlIDRe.MatchString(c.CrawlID):
		return bad("CrawlID", fmt.Sprintf("%q", c.CrawlID), "1 to 64 letters, digits, '.', '_' or '-'")
	case c.Frontier != BFS:
		return bad("Frontier", c.Frontier.String(), "BFS (per host, first in first out) with Redis")
	case c.StateDir != "":
		return bad("StateDir", fmt.Sprintf("%q", c.StateDir), `"" with Redis (Redis holds the state)`)
	case c.Output != "":
		return bad("Output", fmt.Sprintf("%q", c.Output), `"" with Redis (the items are in its stream)`)
	case c.LeaseTime < 0:
		return bad("LeaseTime", c.LeaseTime, "at least 0")
	}
	return nil
}

// fingerprint identifies the crawl: its seeds and the settings that
// decide which pages belong to it.
func (r *run) fingerprint(seeds []string) string {
	s := slices.Clone(seeds)
	slices.Sort(s)
	hs := slices.Clone(r.cfg.AllowedHosts)
	slices.Sort(hs)
	dq := slices.Clone(r.cfg.Normalizer.DropQuery)
	slices.Sort(dq)
	h := sha256.New()
	for _, part := range [][]string{s, hs, dq, {r.cfg.Follow, r.cfg.UserAgent,
		strconv.Itoa(r.cfg.MaxDepth), strconv.FormatBool(r.cfg.IgnoreRobots)}} {
		fmt.Fprintf(h, "%q\n", part)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// startShared opens the store and joins the crawl with the seeds.
func (r *run) startShared(ctx context.Context, norm []string, seedLinks []link) error {
	st, err := OpenStore(r.cfg.Redis, SharedOptions{CrawlID: r.cfg.CrawlID, LeaseTime: r.cfg.LeaseTime,
		HostConcurrency: r.cfg.HostConcurrency})
	if err != nil {
		return err
	}
	var seeds []SharedTask
	for i, s := range norm {
		if pu, _ := url.Parse(s); !r.allowedHost(pu) {
			r.stats.Offsite++
			continue
		}
		seeds = append(seeds, r.sharedTask(task{url: s, link: seedLinks[i].url}))
	}
	if err := st.Start(ctx, r.fingerprint(norm), r.cfg.Resume, seeds); err != nil {
		st.Close()
		return err
	}
	r.shared = st
	// Politeness is the store's: no local limiter paces a host.
	r.sharedRate, r.cfg.HostRate = float64(r.cfg.HostRate), 0
	return nil
}

// sharedTask is t as the store keeps it.
func (r *run) sharedTask(t task) SharedTask {
	target := link{key: t.url, url: t.link}.target()
	host := ""
	if u, err := url.Parse(target); err == nil {
		host = hostKey(u)
	}
	return SharedTask{Key: t.url, Link: t.link, Depth: t.depth, Host: host}
}

// interval is the least gap between two requests to h across the
// workers, negative while its robots.txt is not known.
func (r *run) interval(h *host) time.Duration {
	var d time.Duration
	if !r.cfg.IgnoreRobots {
		h.robotsMu.Lock()
		g := h.robots
		h.robotsMu.Unlock()
		if g == nil {
			return -1
		}
		d = g.delay
	}
	if r.sharedRate > 0 {
		d = max(d, time.Duration(float64(time.Second)/float64(r.sharedRate)))
	}
	return d
}

// PaceTolerance is how late after its slot a request to a paced host
// may leave: a worker that wakes later than this (its reply or its timer
// delayed by a busy machine) takes a new slot instead, so that a late
// request cannot crowd the next worker's. Two requests to a host are
// then at least its interval minus PaceTolerance apart, plus the time
// between the check and the request reaching the server.
const PaceTolerance = 25 * time.Millisecond

// sharedPace waits for h's next request slot across the workers, right
// before a request to a paced host (Crawl-delay or HostRate): one more
// round trip for such pages, whose host is slow by design. The slot is
// measured from before the call (the script ran after it), so a late
// reply counts as lateness.
func (r *run) sharedPace(ctx context.Context, h *host) error {
	if r.shared == nil {
		return nil
	}
	iv := r.interval(h)
	if iv <= 0 {
		return nil
	}
	for try := 0; ; try++ {
		asked := time.Now()
		wait, err := r.shared.Pace(ctx, h.name, iv)
		if err != nil {
			return err
		}
		// The slot is at or after asked+wait (Redis ran the script after
		// asked) and at or before now+wait: waiting until now+wait never
		// sends early.
		if err := sleep(ctx, wait); err != nil {
			return err
		}
		if time.Since(asked.Add(wait)) <= PaceTolerance || try == 9 {
			return nil // in time (or, after 10 slots missed, at least slow)
		}
	}
}

// sharedNext claims the next page from the store.
func (r *run) sharedNext(ctx context.Context) (task, bool) {
	for {
		r.mu.Lock()
		for r.cfg.MaxPages > 0 && r.stats.Pages+r.inflight >= r.cfg.MaxPages && !r.stopped && ctx.Err() == nil {
			if r.inflight == 0 {
				r.stopLocked("max-pages")
				break
			}
			r.cond.Wait()
		}
		if r.stopped || ctx.Err() != nil {
			r.mu.Unlock()
			return task{}, false
		}
		r.inflight++                    // reserved while asking
		if n := len(r.claimed); n > 0 { // claimed by a completion
			t := r.claimed[n-1]
			r.claimed = r.claimed[:n-1]
			r.mu.Unlock()
			return t, true
		}
		r.mu.Unlock()
		c, err := r.shared.Claim(ctx)
		if err == nil && c.OK {
			return task{url: c.Task.Key, link: c.Task.Link, depth: c.Task.Depth}, true
		}
		r.mu.Lock()
		r.inflight--
		r.cond.Broadcast()
		r.mu.Unlock()
		switch {
		case err != nil:
			if ctx.Err() == nil {
				r.fail(fmt.Errorf("crawl: claim: %w", err))
			}
			return task{}, false
		case c.Done:
			r.mu.Lock()
			r.stopLocked("done")
			r.mu.Unlock()
			return task{}, false
		}
		// Nothing may be requested now: poll again when the next host's
		// slot comes (at most 100 ms: links, expired leases and other
		// workers' completions change the answer).
		if sleep(ctx, min(max(c.Wait, 2*time.Millisecond), 100*time.Millisecond)) != nil {
			return task{}, false
		}
	}
}

// sharedCommit hands a finished page to the store and counts it.
func (r *run) sharedCommit(ctx context.Context, o *pageOutcome) {
	// The page is finished: record it even when the crawl is being
	// cancelled (the store call has its own retry deadline).
	sctx := context.WithoutCancel(ctx)
	r.mu.Lock()
	st := &r.stats
	st.Requests += o.fetch.requests
	st.Retries += o.fetch.retries
	st.Bytes += o.fetch.bytes
	r.mu.Unlock()
	t := r.sharedTask(o.task)
	if o.abandon {
		err := r.shared.Release(sctx, t)
		r.mu.Lock()
		r.inflight--
		r.cond.Broadcast()
		r.mu.Unlock()
		if err != nil {
			r.fail(fmt.Errorf("crawl: release: %w", err))
		}
		return
	}
	r.mu.Lock()
	// Claim the next page in the same round trip, unless the worker is
	// stopping, counts pages (MaxPages) or holds a claimed page already.
	claimNext := !r.stopped && ctx.Err() == nil && r.cfg.MaxPages == 0 && len(r.claimed) == 0
	r.mu.Unlock()
	page := SharedPage{Task: t, Interval: -1, Class: o.skip, ClaimNext: claimNext}
	if o.fetch.err != nil {
		page.Class = o.fetch.class
	}
	if tu, err := url.Parse(link{key: t.Key, url: t.Link}.target()); err == nil {
		page.Interval = r.interval(r.hosts.get(hostKey(tu), &r.cfg))
	}
	depth := o.task.depth + 1
	tooDeep, offsite := 0, 0
	for _, l := range o.links {
		if r.cfg.MaxDepth > 0 && depth > r.cfg.MaxDepth {
			tooDeep++
			continue
		}
		lu, err := url.Parse(l.key)
		if err != nil || !r.allowedHost(lu) {
			offsite++
			continue
		}
		page.Links = append(page.Links, r.sharedTask(task{url: l.key, link: l.url, depth: depth}))
	}
	items := o.items
	r.mu.Lock()
	if r.cfg.MaxItems > 0 {
		if left := max(r.cfg.MaxItems-st.Items, 0); len(items) > left {
			items = items[:left]
		}
	}
	r.mu.Unlock()
	u := o.fetch.url
	if u == "" {
		u = o.task.url
	}
	for i, b := range items {
		page.Items = append(page.Items, Item{ID: itemID(o.task.url, i), URL: u, Depth: o.task.depth, JSON: b})
	}
	res, err := r.shared.Complete(sctx, page)

	r.mu.Lock()
	st.TooDeep += tooDeep
	st.Offsite += offsite
	if err == nil {
		o.countPage(st)
		st.Items += res.Added
		st.Duplicate += res.Duplicate
		if res.Next.OK {
			r.claimed = append(r.claimed, task{url: res.Next.Task.Key, link: res.Next.Task.Link, depth: res.Next.Task.Depth})
			r.cond.Broadcast()
		}
		if r.cfg.MaxItems > 0 && st.Items >= r.cfg.MaxItems {
			r.stopLocked("max-items")
		}
	}
	r.inflight--
	r.cond.Broadcast()
	r.mu.Unlock()
	if err != nil {
		r.fail(fmt.Errorf("crawl: complete %s: %w", o.task.url, err))
		return
	}
	if res.Added > 0 && (len(r.c.onItem) > 0 || r.emit != nil) {
		r.commitMu.Lock() // OnItem runs serially
		defer r.commitMu.Unlock()
		for _, it := range page.Items {
			r.deliver(it)
		}
	}
}

// releaseClaimed gives back the pages claimed by completions and not
// started (the crawl stopped first).
func (r *run) releaseClaimed(ctx context.Context) {
	r.mu.Lock()
	left := r.claimed
	r.claimed = nil
	r.mu.Unlock()
	for _, t := range left {
		if err := r.shared.Release(context.WithoutCancel(ctx), r.sharedTask(t)); err != nil {
			r.fail(fmt.Errorf("crawl: release: %w", err))
		}
	}
}

// loadRobotsShared gets u's robots.txt from the store, or fetches it for
// every worker when this one wins the host's lock; the others wait for it.
func (r *run) loadRobotsShared(ctx context.Context, u *url.URL, host string) (*robotsGroup, bool) {
	ttl := r.cfg.HeaderTimeout + r.cfg.BodyTimeout + 5*time.Second
	for ctx.Err() == nil {
		sr, found, err := r.shared.Robots(ctx, host)
		if err != nil {
			r.fail(fmt.Errorf("crawl: robots cache: %w", err))
			return nil, false
		}
		if found {
			if sr.AllowAll {
				return allowAll, true
			}
			return parseRobots(sr.Body).group(r.cfg.UserAgent), true
		}
		won, err := r.shared.LockRobots(ctx, host, ttl)
		if err != nil {
			r.fail(fmt.Errorf("crawl: robots lock: %w", err))
			return nil, false
		}
		if won {
			body, all, ok := r.fetchRobots(ctx, u)
			if !ok {
				return nil, false
			}
			if err := r.shared.SetRobots(ctx, host, SharedRobots{Body: body, AllowAll: all}); err != nil {
				r.fail(fmt.Errorf("crawl: robots cache: %w", err))
				return nil, false
			}
			if all {
				return allowAll, true
			}
			return parseRobots(body).group(r.cfg.UserAgent), true
		}
		if sleep(ctx, 20*time.Millisecond) != nil {
			break
		}
	}
	return nil, false
}
