package redisstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gonbml/gonbml/stdlib/crawl"
)

func init() {
	crawl.RegisterStore("redis", open)
	crawl.RegisterStore("rediss", open)
}

// RetryFor is how long a store call retries while Redis does not answer
// (a restart, a network cut) before the crawl fails.
const RetryFor = 60 * time.Second

// prefix is the key prefix of crawl id.
func prefix(id string) string { return "crawl:{" + id + "}:" }

// store is the crawl.SharedStore of one worker.
type store struct {
	c     *redis.Client
	p     string
	me    string
	cap   string
	lease time.Duration
	calls atomic.Int64

	mu   sync.Mutex
	held map[string]struct{} // leases to renew
	stop chan struct{}
	done chan struct{}
}

// counter counts the round trips to Redis (a pipeline is one).
type counter struct{ n *atomic.Int64 }

func (counter) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h counter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}
func (h counter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmds)
	}
}

// newClient connects to rawURL; the client does not retry by itself
// (retry does, for longer, and counts every attempt).
func newClient(rawURL string) (*redis.Client, error) {
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("redisstore: bad URL %s: %w", crawl.RedactURL(rawURL), err)
	}
	opt.MaxRetries = -1
	opt.DialTimeout = 2 * time.Second
	return redis.NewClient(opt), nil
}

func open(rawURL string, o crawl.SharedOptions) (crawl.SharedStore, error) {
	c, err := newClient(rawURL)
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	s := &store{c: c, p: prefix(o.CrawlID), lease: o.LeaseTime, cap: strconv.Itoa(max(o.HostConcurrency, 1)),
		me:   fmt.Sprintf("%s-%d-%08x", host, os.Getpid(), rand.Uint32()),
		held: map[string]struct{}{}, stop: make(chan struct{}), done: make(chan struct{})}
	c.AddHook(counter{&s.calls})
	ctx, cancel := context.WithTimeout(context.Background(), RetryFor)
	defer cancel()
	if err := retry(ctx, func() error { return c.Ping(ctx).Err() }); err != nil {
		c.Close()
		return nil, fmt.Errorf("redisstore: %s: %w", crawl.RedactURL(rawURL), err)
	}
	go s.renew()
	return s, nil
}

// transient reports whether err may go away: no connection, a server
// loading its data after a restart, a read cut short.
func transient(err error) bool {
	var re redis.Error
	if errors.As(err, &re) {
		msg := re.Error()
		return strings.HasPrefix(msg, "LOADING") || strings.HasPrefix(msg, "BUSY") ||
			strings.HasPrefix(msg, "TRYAGAIN") || strings.HasPrefix(msg, "MASTERDOWN")
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "EOF") ||
		strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "broken pipe") ||
		strings.Contains(err.Error(), "connection refused")
}

// retry runs f until it succeeds, fails for good, or RetryFor passes.
func retry(ctx context.Context, f func() error) error {
	deadline := time.Now().Add(RetryFor)
	wait := 20 * time.Millisecond
	for {
		err := f()
		if err == nil || errors.Is(err, redis.Nil) || !transient(err) || ctx.Err() != nil || time.Now().After(deadline) {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return err
		}
		wait = min(2*wait, time.Second)
	}
}

func (s *store) run(ctx context.Context, sc *redis.Script, args ...any) ([]any, error) {
	var out []any
	err := retry(ctx, func() error {
		v, err := sc.Run(ctx, s.c, nil, append([]any{s.p, s.cap}, args...)...).Slice()
		out = v
		return err
	})
	return out, err
}

func (s *store) Calls() int64 { return s.calls.Load() }

func (s *store) Start(ctx context.Context, fingerprint string, resume bool, seeds []crawl.SharedTask) error {
	args := []any{fingerprint, boolArg(resume)}
	for _, t := range seeds {
		args = append(args, t.Key, t.Host, encodeTask(t))
	}
	v, err := s.run(ctx, startScript, args...)
	if err != nil {
		return fmt.Errorf("redisstore: start: %w", err)
	}
	if n, _ := v[0].(int64); n == 0 {
		return fmt.Errorf("%w: crawl %q was started with other seeds or settings (fingerprint %v, this one %s); "+
			"set another CrawlID, or Resume to continue it", crawl.ErrOtherCrawl, strings.TrimSuffix(strings.TrimPrefix(s.p, "crawl:{"), "}:"), v[1], fingerprint)
	}
	return nil
}

func (s *store) Claim(ctx context.Context) (crawl.SharedClaim, error) {
	v, err := s.run(ctx, claimScript, s.me, s.lease.Milliseconds())
	if err != nil {
		return crawl.SharedClaim{}, err
	}
	return s.claimed(v)
}

// claimed decodes a claim's answer {kind, host or wait, task}.
func (s *store) claimed(v []any) (crawl.SharedClaim, error) {
	switch kind, _ := v[0].(int64); kind {
	case 0:
		return crawl.SharedClaim{Done: true}, nil
	case 2:
		ms, _ := strconv.ParseInt(fmt.Sprint(v[1]), 10, 64)
		return crawl.SharedClaim{Wait: time.Duration(ms) * time.Millisecond}, nil
	}
	if len(v) < 3 {
		return crawl.SharedClaim{}, fmt.Errorf("redisstore: bad claim answer %v", v)
	}
	host, _ := v[1].(string)
	enc, _ := v[2].(string)
	t, err := decodeTask(enc)
	if err != nil {
		return crawl.SharedClaim{}, err
	}
	t.Host = host
	s.mu.Lock()
	s.held[t.Key] = struct{}{}
	s.mu.Unlock()
	return crawl.SharedClaim{Task: t, OK: true}, nil
}

func (s *store) forget(key string) {
	s.mu.Lock()
	delete(s.held, key)
	s.mu.Unlock()
}

func (s *store) Release(ctx context.Context, t crawl.SharedTask) error {
	defer s.forget(t.Key)
	// The script answers an integer (1: released, 0: not this worker's).
	return retry(ctx, func() error {
		return releaseScript.Run(ctx, s.c, nil, s.p, s.cap, s.me, t.Key).Err()
	})
}

func (s *store) Complete(ctx context.Context, p crawl.SharedPage) (crawl.SharedResult, error) {
	iv := ""
	if p.Interval >= 0 {
		iv = strconv.FormatInt(p.Interval.Milliseconds(), 10)
	}
	args := make([]any, 0, 7+4*len(p.Items)+3*len(p.Links))
	args = append(args, s.me, p.Task.Key, p.Task.Host, iv, p.Class, len(p.Items))
	for _, it := range p.Items {
		args = append(args, it.ID, it.URL, it.Depth, string(it.JSON))
	}
	args = append(args, len(p.Links))
	for _, l := range p.Links {
		args = append(args, l.Key, l.Host, encodeTask(l))
	}
	lease := int64(0)
	if p.ClaimNext {
		lease = s.lease.Milliseconds()
	}
	args = append(args, lease)
	v, err := s.run(ctx, completeScript, args...)
	if err != nil {
		return crawl.SharedResult{}, err
	}
	s.forget(p.Task.Key)
	n := func(i int) int { x, _ := v[i].(int64); return int(x) }
	res := crawl.SharedResult{Added: n(0), New: n(1), Duplicate: n(2)}
	if len(v) > 3 {
		if res.Next, err = s.claimed(v[3:]); err != nil {
			return res, err
		}
	}
	return res, nil
}

func (s *store) Alias(ctx context.Context, key, owner string) (bool, error) {
	var n int64
	err := retry(ctx, func() error {
		var err error
		n, err = aliasScript.Run(ctx, s.c, nil, s.p, s.cap, key, owner).Int64()
		return err
	})
	return n == 1, err
}

func (s *store) Pace(ctx context.Context, host string, interval time.Duration) (time.Duration, error) {
	var ms string
	err := retry(ctx, func() error {
		v, err := paceScript.Run(ctx, s.c, nil, s.p, s.cap, host, interval.Milliseconds()).Text()
		ms = v
		return err
	})
	if err != nil {
		return 0, err
	}
	n, _ := strconv.ParseInt(ms, 10, 64)
	return time.Duration(n) * time.Millisecond, nil
}

func (s *store) Robots(ctx context.Context, host string) (crawl.SharedRobots, bool, error) {
	var v string
	err := retry(ctx, func() error {
		var err error
		v, err = s.c.Get(ctx, s.p+"robots:"+host).Result()
		return err
	})
	switch {
	case errors.Is(err, redis.Nil):
		return crawl.SharedRobots{}, false, nil
	case err != nil:
		return crawl.SharedRobots{}, false, err
	case v == "A":
		return crawl.SharedRobots{AllowAll: true}, true, nil
	}
	return crawl.SharedRobots{Body: []byte(strings.TrimPrefix(v, "B"))}, true, nil
}

func (s *store) LockRobots(ctx context.Context, host string, ttl time.Duration) (bool, error) {
	var n int64
	err := retry(ctx, func() error {
		var err error
		n, err = lockScript.Run(ctx, s.c, nil, s.p+"rlock:"+host, s.me, ttl.Milliseconds()).Int64()
		return err
	})
	return n == 1, err
}

func (s *store) SetRobots(ctx context.Context, host string, r crawl.SharedRobots) error {
	v := "B" + string(r.Body)
	if r.AllowAll {
		v = "A"
	}
	return retry(ctx, func() error { return s.c.Set(ctx, s.p+"robots:"+host, v, 0).Err() })
}

// renew extends the leases this worker holds every third of the lease
// time, so only a worker that stopped (killed, hung) loses them.
func (s *store) renew() {
	defer close(s.done)
	every := max(s.lease/3, 10*time.Millisecond)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		s.mu.Lock()
		args := []any{s.me, s.lease.Milliseconds()}
		for k := range s.held {
			args = append(args, k)
		}
		s.mu.Unlock()
		if len(args) == 2 {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), every)
		renewScript.Run(ctx, s.c, nil, append([]any{s.p, s.cap}, args...)...) // a miss is retried next tick
		cancel()
	}
}

func (s *store) Close() error {
	close(s.stop)
	<-s.done
	// No longer a worker of the crawl: out of the fair shares now rather
	// than 5 s later (a miss only delays that).
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	s.c.ZRem(ctx, s.p+"workers", s.me)
	s.c.ZRem(ctx, s.p+"hungry", s.me)
	cancel()
	return s.c.Close()
}

// encodeTask is t as a queue entry: "depth\tkey\tlink" (keys and links
// hold no tab: they are escaped URLs).
func encodeTask(t crawl.SharedTask) string {
	return strconv.Itoa(t.Depth) + "\t" + t.Key + "\t" + t.Link
}

func decodeTask(s string) (crawl.SharedTask, error) {
	d, rest, ok1 := strings.Cut(s, "\t")
	key, link, ok2 := strings.Cut(rest, "\t")
	depth, err := strconv.Atoi(d)
	if !ok1 || !ok2 || err != nil {
		return crawl.SharedTask{}, fmt.Errorf("redisstore: bad queue entry %q", s)
	}
	return crawl.SharedTask{Key: key, Link: link, Depth: depth}, nil
}

func boolArg(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
