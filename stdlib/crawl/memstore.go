package crawl

import (
	"container/heap"
	"context"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// The in-memory SharedStore: the same contract as stdlib/crawl/redisstore,
// kept in this process's memory, for several Collectors of one process
// that share a crawl (Config.Redis = "mem://NAME"). Its state is that of
// the Redis scripts (see redisstore/scripts.go): a FIFO queue per host, a
// ready heap of hosts with tasks and room, per-host busy counts, claim and
// request slots, leases, the done and seen sets, the robots.txt cache. One
// mutex guards a crawl; every method is one critical section, as every
// Redis method is one script.
//
// Leases differ only in how they are renewed: a lease lasts while the
// worker (the handle) that holds it is open, and LeaseTime after Close,
// which is what a Redis worker's renewal gives (a worker that stops
// renewing loses its leases LeaseTime later).

func init() { RegisterStore("mem", openMem) }

var (
	memMu     sync.Mutex
	memCrawls = map[string]*memCrawl{} // "NAME/CRAWLID"
)

// ForgetMemStore drops the in-memory crawls of mem://name (all crawl IDs)
// and their memory; a Collector still using one keeps its state, and a new
// one starts afresh. The state otherwise lives as long as the process.
func ForgetMemStore(name string) {
	memMu.Lock()
	defer memMu.Unlock()
	for k, c := range memCrawls {
		if c.name == name {
			delete(memCrawls, k)
		}
	}
}

func openMem(rawURL string, o SharedOptions) (SharedStore, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") || u.User != nil || u.RawQuery != "" {
		return nil, fmt.Errorf("crawl: bad in-memory store URL %q: want mem://NAME", RedactURL(rawURL))
	}
	key := u.Host + "/" + o.CrawlID
	memMu.Lock()
	c := memCrawls[key]
	if c == nil {
		c = &memCrawl{name: u.Host, seen: map[string]struct{}{}, alias: map[string]string{},
			queues: map[string]*taskQueue{}, ready: map[string]time.Time{}, busy: map[string]int{},
			interval: map[string]time.Duration{}, cnext: map[string]time.Time{}, next: map[string]time.Time{},
			leases: map[string]*memLease{}, done: map[string]struct{}{}, robots: map[string]SharedRobots{},
			rlock: map[string]robotsLock{}, held: map[*memStore]map[string]int{},
			active: map[*memStore]time.Time{}, hungry: map[*memStore]time.Time{}}
		memCrawls[key] = c
	}
	memMu.Unlock()
	return &memStore{c: c, cap: max(o.HostConcurrency, 1), lease: o.LeaseTime}, nil
}

// memCrawl is one crawl's shared state.
type memCrawl struct {
	name string
	mu   sync.Mutex

	fingerprint string
	seen        map[string]struct{}
	alias       map[string]string // redirect target -> the page that claimed it
	queues      map[string]*taskQueue
	ready       map[string]time.Time // host -> when it may next be claimed (has tasks and room)
	readyHeap   readyHeap            // the ready times, with stale entries skipped
	busy        map[string]int       // host -> requests in flight
	interval    map[string]time.Duration
	cnext       map[string]time.Time // host -> earliest next claim
	next        map[string]time.Time // host -> earliest next request (Pace)
	leases      map[string]*memLease
	expiring    int // leases of closed workers
	done        map[string]struct{}
	robots      map[string]SharedRobots
	rlock       map[string]robotsLock
	// held counts each open worker's leases per host (fairness: a worker's
	// share of a host's cap while several workers are active).
	held map[*memStore]map[string]int
	// active is when each open worker last asked for a page, hungry when
	// it was last refused one (until it gets one).
	active, hungry          map[*memStore]time.Time
	pages, items, reclaimed int
}

type memLease struct {
	owner    *memStore
	task     SharedTask
	deadline time.Time // zero while the owner is open
}

type robotsLock struct {
	owner *memStore
	until time.Time
}

// taskQueue is a FIFO with a front push.
type taskQueue struct {
	front []SharedTask // reversed: the last is the first out
	back  []SharedTask
	head  int
}

func (q *taskQueue) len() int { return len(q.front) + len(q.back) - q.head }

func (q *taskQueue) pushBack(t SharedTask)  { q.back = append(q.back, t) }
func (q *taskQueue) pushFront(t SharedTask) { q.front = append(q.front, t) }

func (q *taskQueue) pop() (SharedTask, bool) {
	if n := len(q.front); n > 0 {
		t := q.front[n-1]
		q.front = q.front[:n-1]
		return t, true
	}
	if q.head == len(q.back) {
		return SharedTask{}, false
	}
	t := q.back[q.head]
	q.back[q.head] = SharedTask{}
	q.head++
	if q.head == len(q.back) {
		q.back, q.head = q.back[:0], 0
	} else if q.head > 1024 && q.head*2 > len(q.back) {
		q.back = append([]SharedTask(nil), q.back[q.head:]...)
		q.head = 0
	}
	return t, true
}

type readyEntry struct {
	at   time.Time
	host string
}

type readyHeap []readyEntry

func (h readyHeap) Len() int           { return len(h) }
func (h readyHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h readyHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *readyHeap) Push(x any)        { *h = append(*h, x.(readyEntry)) }
func (h *readyHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// memStore is one worker's handle on a memCrawl.
type memStore struct {
	c      *memCrawl
	cap    int
	lease  time.Duration
	calls  atomic.Int64
	closed bool // under c.mu
}

// setReady puts h in the ready set at t unless it is there (ZADD NX).
func (c *memCrawl) setReady(h string, t time.Time) {
	if _, ok := c.ready[h]; ok {
		return
	}
	c.ready[h] = t
	heap.Push(&c.readyHeap, readyEntry{t, h})
}

// firstReady is the ready host that may be claimed first.
func (c *memCrawl) firstReady() (string, time.Time, bool) {
	for c.readyHeap.Len() > 0 {
		e := c.readyHeap[0]
		if at, ok := c.ready[e.host]; ok && at.Equal(e.at) {
			return e.host, e.at, true
		}
		heap.Pop(&c.readyHeap) // stale
	}
	return "", time.Time{}, false
}

// wake puts h in the ready set when it has tasks and room: its cap once
// its interval is known, else one request (the robots.txt fetcher).
func (c *memCrawl) wake(h string, cap int, now time.Time) {
	q := c.queues[h]
	if q == nil || q.len() == 0 {
		return
	}
	_, known := c.interval[h]
	if b := c.busy[h]; (known && b < cap) || (!known && b <= 0) {
		c.setReady(h, later(now, c.cnext[h]))
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// enqueue adds t to the seen set and its host's queue; false when seen.
func (c *memCrawl) enqueue(t SharedTask, cap int, now time.Time) bool {
	if _, ok := c.seen[t.Key]; ok {
		return false
	}
	c.seen[t.Key] = struct{}{}
	q := c.queues[t.Host]
	if q == nil {
		q = &taskQueue{}
		c.queues[t.Host] = q
	}
	q.pushBack(t)
	c.wake(t.Host, cap, now)
	return true
}

// endLease removes the lease of key.
func (c *memCrawl) endLease(key string, l *memLease) {
	delete(c.leases, key)
	c.busy[l.task.Host]--
	if !l.deadline.IsZero() {
		c.expiring--
	}
	if m := c.held[l.owner]; m != nil {
		if m[l.task.Host]--; m[l.task.Host] <= 0 {
			delete(m, l.task.Host)
		}
	}
}

// expire puts the expired leases of closed workers back at the front of
// their hosts' queues.
func (c *memCrawl) expire(cap int, now time.Time) {
	if c.expiring == 0 {
		return
	}
	for k, l := range c.leases {
		if l.deadline.IsZero() || l.deadline.After(now) {
			continue
		}
		c.endLease(k, l)
		if _, ok := c.done[k]; !ok {
			c.queues[l.task.Host].pushFront(l.task)
			c.reclaimed++
		}
		c.wake(l.task.Host, cap, now)
	}
}

// ActiveWindow is how long a worker counts as active for the fair share
// of a host's cap after it last asked for a page (or until it closes).
const ActiveWindow = 5 * time.Second

// share is how many of a host's requests in flight s may hold while
// another worker is hungry (was refused a page and has not had one
// since): the cap divided among the workers active now (at least one),
// so that a worker whose own goroutines could fill the cap leaves room
// to the others. Without a hungry worker, s may fill the cap.
func (c *memCrawl) share(s *memStore, now time.Time) int {
	c.active[s] = now
	n, hungry := 0, false
	for w, t := range c.active {
		if now.Sub(t) > ActiveWindow {
			delete(c.active, w)
			delete(c.hungry, w)
			continue
		}
		n++
		if _, h := c.hungry[w]; h && w != s {
			hungry = true
		}
	}
	if !hungry {
		return s.cap
	}
	return max(1, s.cap/n)
}

// claim leases the next URL whose host may be requested now to s.
func (c *memCrawl) claim(s *memStore, now time.Time) (res SharedClaim) {
	c.expire(s.cap, now)
	share := c.share(s, now)
	// Hosts where s holds its share are set aside for the other workers
	// and put back when the claim ends.
	var skipped []readyEntry
	defer func() {
		for _, e := range skipped {
			heap.Push(&c.readyHeap, e)
		}
		if res.OK || res.Done {
			delete(c.hungry, s)
		} else {
			c.hungry[s] = now
		}
	}()
	for attempt := 0; attempt < 2; attempt++ {
		for {
			h, at, ok := c.firstReady()
			if !ok || at.After(now) {
				break
			}
			if c.held[s][h] >= share {
				skipped = append(skipped, heap.Pop(&c.readyHeap).(readyEntry))
				continue
			}
			t, ok := c.queues[h].pop()
			if !ok {
				delete(c.ready, h)
				continue
			}
			if _, d := c.done[t.Key]; d {
				continue
			}
			if _, l := c.leases[t.Key]; l {
				continue
			}
			c.busy[h]++
			iv, known := c.interval[h]
			nt := now
			if known {
				nt = now.Add(iv)
			}
			c.cnext[h] = nt
			delete(c.ready, h)
			if known && c.busy[h] < s.cap && c.queues[h].len() > 0 {
				c.setReady(h, nt)
			}
			c.leases[t.Key] = &memLease{owner: s, task: t}
			m := c.held[s]
			if m == nil {
				m = map[string]int{}
				c.held[s] = m
			}
			m[h]++
			return SharedClaim{Task: t, OK: true}
		}
		if len(skipped) > 0 {
			// Room on a host that s holds its share of: it opens when
			// a page of s or of another worker completes.
			return SharedClaim{Wait: 20 * time.Millisecond}
		}
		if _, at, ok := c.firstReady(); ok {
			return SharedClaim{Wait: max(at.Sub(now), 0)}
		}
		if len(c.leases) > 0 {
			// Leases of open workers end with their Complete or Release:
			// ask again soon (the Redis store answers with the lease
			// deadline, at most LeaseTime away).
			wait := 50 * time.Millisecond
			for _, l := range c.leases {
				if !l.deadline.IsZero() {
					wait = min(wait, max(l.deadline.Sub(now), 0))
				}
			}
			return SharedClaim{Wait: wait}
		}
		// Nothing ready, nothing leased: wake any host with tasks left
		// (a safety net, as in the Redis script).
		any := false
		for h, q := range c.queues {
			if q.len() > 0 {
				c.busy[h] = 0
				c.wake(h, s.cap, now)
				any = true
			}
		}
		if !any {
			return SharedClaim{Done: true}
		}
	}
	return SharedClaim{Wait: 10 * time.Millisecond}
}

func (s *memStore) lock() error {
	s.calls.Add(1)
	s.c.mu.Lock()
	if s.closed {
		s.c.mu.Unlock()
		return fmt.Errorf("crawl: in-memory store %q: closed", s.c.name)
	}
	return nil
}

func (s *memStore) Calls() int64 { return s.calls.Load() }

func (s *memStore) Start(ctx context.Context, fingerprint string, resume bool, seeds []SharedTask) error {
	if err := s.lock(); err != nil {
		return err
	}
	defer s.c.mu.Unlock()
	c := s.c
	if c.fingerprint != "" && c.fingerprint != fingerprint {
		if !resume {
			return fmt.Errorf("%w: crawl mem://%s was started with other seeds or settings (fingerprint %s, this one %s); "+
				"set another CrawlID, or Resume to continue it", ErrOtherCrawl, c.name, c.fingerprint, fingerprint)
		}
		return nil
	}
	c.fingerprint = fingerprint
	now := time.Now()
	for _, t := range seeds {
		c.enqueue(t, s.cap, now)
	}
	return nil
}

func (s *memStore) Claim(ctx context.Context) (SharedClaim, error) {
	if err := s.lock(); err != nil {
		return SharedClaim{}, err
	}
	defer s.c.mu.Unlock()
	return s.c.claim(s, time.Now()), nil
}

func (s *memStore) Release(ctx context.Context, t SharedTask) error {
	if err := s.lock(); err != nil {
		return err
	}
	defer s.c.mu.Unlock()
	c := s.c
	l := c.leases[t.Key]
	if l == nil || l.owner != s {
		return nil
	}
	c.endLease(t.Key, l)
	c.queues[l.task.Host].pushFront(l.task)
	c.wake(l.task.Host, s.cap, time.Now())
	return nil
}

func (s *memStore) Complete(ctx context.Context, p SharedPage) (SharedResult, error) {
	if err := s.lock(); err != nil {
		return SharedResult{}, err
	}
	defer s.c.mu.Unlock()
	c := s.c
	now := time.Now()
	h := p.Task.Host
	if l := c.leases[p.Task.Key]; l != nil && l.owner == s {
		h = l.task.Host
		c.endLease(p.Task.Key, l)
	}
	if p.Interval >= 0 {
		if _, ok := c.interval[h]; !ok {
			// first time known: the next request waits a whole interval
			c.interval[h] = p.Interval
			c.next[h] = later(c.next[h], now.Add(p.Interval))
			c.cnext[h] = later(c.cnext[h], now.Add(p.Interval))
		}
	}
	var res SharedResult
	if _, ok := c.done[p.Task.Key]; !ok {
		c.done[p.Task.Key] = struct{}{}
		res.Added = len(p.Items)
		c.pages++
		c.items += len(p.Items)
	}
	for _, l := range p.Links {
		if c.enqueue(l, s.cap, now) {
			res.New++
		} else {
			res.Duplicate++
		}
	}
	c.wake(h, s.cap, now)
	if p.ClaimNext {
		res.Next = c.claim(s, now)
	}
	return res, nil
}

func (s *memStore) Alias(ctx context.Context, key, owner string) (bool, error) {
	if err := s.lock(); err != nil {
		return false, err
	}
	defer s.c.mu.Unlock()
	c := s.c
	if _, ok := c.seen[key]; !ok {
		c.seen[key] = struct{}{}
		c.alias[key] = owner
		return true, nil
	}
	return c.alias[key] == owner, nil
}

func (s *memStore) Pace(ctx context.Context, host string, interval time.Duration) (time.Duration, error) {
	if err := s.lock(); err != nil {
		return 0, err
	}
	defer s.c.mu.Unlock()
	now := time.Now()
	slot := later(now, s.c.next[host])
	s.c.next[host] = slot.Add(interval)
	return slot.Sub(now), nil
}

func (s *memStore) Robots(ctx context.Context, host string) (SharedRobots, bool, error) {
	if err := s.lock(); err != nil {
		return SharedRobots{}, false, err
	}
	defer s.c.mu.Unlock()
	r, ok := s.c.robots[host]
	return r, ok, nil
}

func (s *memStore) LockRobots(ctx context.Context, host string, ttl time.Duration) (bool, error) {
	if err := s.lock(); err != nil {
		return false, err
	}
	defer s.c.mu.Unlock()
	now := time.Now()
	if l, ok := s.c.rlock[host]; ok && l.owner != s && l.until.After(now) {
		return false, nil
	}
	s.c.rlock[host] = robotsLock{owner: s, until: now.Add(ttl)}
	return true, nil
}

func (s *memStore) SetRobots(ctx context.Context, host string, r SharedRobots) error {
	if err := s.lock(); err != nil {
		return err
	}
	defer s.c.mu.Unlock()
	r.Body = append([]byte(nil), r.Body...)
	s.c.robots[host] = r
	return nil
}

// Close ends the worker: the leases it holds expire LeaseTime from now.
func (s *memStore) Close() error {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	until := time.Now().Add(s.lease)
	for _, l := range s.c.leases {
		if l.owner == s {
			l.deadline = until
			s.c.expiring++
		}
	}
	delete(s.c.held, s)
	delete(s.c.active, s)
	delete(s.c.hungry, s)
	return nil
}
