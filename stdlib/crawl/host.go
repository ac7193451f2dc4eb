package crawl

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// host holds the politeness state of one host: its robots.txt (fetched
// once), a rate limiter, a concurrency cap and a "not before" time set by a
// Retry-After.
type host struct {
	name string
	sem  chan struct{}

	// robots.txt: robotsMu serialises its fetches; robots is nil until one
	// succeeded (or the file is unavailable: then it allows everything).
	robotsMu    sync.Mutex
	robots      *robotsGroup
	robotsTries int       // failed fetches so far
	robotsNext  time.Time // no new fetch before this

	mu        sync.Mutex
	limiter   *rate.Limiter // nil: unlimited
	notBefore time.Time
}

type hosts struct {
	mu sync.Mutex
	m  map[string]*host
}

func (hs *hosts) get(name string, cfg *Config) *host {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	if hs.m == nil {
		hs.m = make(map[string]*host)
	}
	h := hs.m[name]
	if h == nil {
		h = &host{name: name, sem: make(chan struct{}, cfg.HostConcurrency)}
		if cfg.HostRate > 0 {
			h.limiter = rate.NewLimiter(cfg.HostRate, cfg.HostBurst)
		}
		hs.m[name] = h
	}
	return h
}

// setCrawlDelay slows the host to at most one request per d, unless the
// configured rate is already slower.
func (h *host) setCrawlDelay(d time.Duration) {
	if d <= 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	r := rate.Every(d)
	if h.limiter == nil || h.limiter.Limit() > r {
		h.limiter = rate.NewLimiter(r, 1)
	}
}

// delay postpones every request to the host until t (Retry-After).
func (h *host) delay(t time.Time) {
	h.mu.Lock()
	if t.After(h.notBefore) {
		h.notBefore = t
	}
	h.mu.Unlock()
}

// acquire waits for a concurrency slot, the rate limiter and any
// Retry-After; release must be called after the request.
func (h *host) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := h.pace(ctx); err != nil {
		h.release()
		return err
	}
	return nil
}

// pace waits for any Retry-After and the rate limiter (Crawl-delay,
// HostRate): what every request to the host waits for, redirect hops
// included.
func (h *host) pace(ctx context.Context) error {
	h.mu.Lock()
	lim, nb := h.limiter, h.notBefore
	h.mu.Unlock()
	if d := time.Until(nb); d > 0 {
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
	if lim != nil {
		if err := lim.Wait(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (h *host) release() { <-h.sem }

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
