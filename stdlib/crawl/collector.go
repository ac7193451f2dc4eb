package crawl

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"hash/maphash"
	"iter"
	"maps"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"github.com/gonbml/gonbml/stdlib/fit"
)

// Collector holds a crawl's configuration and callbacks. Register callbacks
// before calling Crawl; one Collector may run several crawls one after the
// other. Callbacks run concurrently on the worker goroutines.
type Collector struct {
	cfg Config

	onRequest  []func(*Request)
	onResponse []func(*Response)
	onHTML     []htmlCallback
	onError    []func(*Response, error)
	onScraped  []func(*Response)
	onItem     []func(Item)
}

type htmlCallback struct {
	sel cascadia.Selector
	fn  func(*HTMLElement)
}

// New returns a Collector configured by opts, or an error naming the first
// invalid setting.
func New(opts ...Option) (*Collector, error) {
	c := &Collector{}
	for _, o := range opts {
		o(&c.cfg)
	}
	if err := c.cfg.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// Config returns the configuration with defaults filled in.
func (c *Collector) Config() Config { return c.cfg.withDefaults() }

// OnRequest registers fn to run before every page request; fn may call
// Request.Abort to skip the page.
func (c *Collector) OnRequest(fn func(*Request)) { c.onRequest = append(c.onRequest, fn) }

// OnResponse registers the whole-document hook: fn runs for every HTML page
// fetched, with the parsed document in Response.Doc.
func (c *Collector) OnResponse(fn func(*Response)) { c.onResponse = append(c.onResponse, fn) }

// OnHTML registers fn to run for every element matching the CSS selector on
// every HTML page, in document order. It returns an error for a selector
// that does not parse.
func (c *Collector) OnHTML(selector string, fn func(*HTMLElement)) error {
	m, err := cascadia.Compile(selector)
	if err != nil {
		return fmt.Errorf("crawl: bad selector %q: %w", selector, err)
	}
	c.onHTML = append(c.onHTML, htmlCallback{sel: m, fn: fn})
	return nil
}

// OnError registers fn to run when a page fails after its retries: a
// non-2xx status (*StatusError), a timeout, a connection error or a
// redirect loop. r.StatusCode is 0 when no response arrived.
func (c *Collector) OnError(fn func(r *Response, err error)) { c.onError = append(c.onError, fn) }

// OnScraped registers fn to run after the OnHTML callbacks of a page.
func (c *Collector) OnScraped(fn func(*Response)) { c.onScraped = append(c.onScraped, fn) }

// OnItem registers fn to receive every emitted item, serially, after the
// item was written to the journal and the Output file.
//
// Delivery is exactly-once within a run and at-least-once across a crash:
// with a StateDir, the items of pages whose delivery was not acknowledged
// in the journal before a kill are delivered again when the crawl resumes,
// before new pages, with the same Item.ID (the Output file itself holds
// every item exactly once). For exactly once across kill -9, feed an
// ItemSink from fn, or skip the IDs fn has stored.
func (c *Collector) OnItem(fn func(Item)) { c.onItem = append(c.onItem, fn) }

// Request is a page about to be requested.
type Request struct {
	URL    string
	Depth  int
	Header http.Header // extra headers sent with the page request
	abort  bool
}

// Abort skips the page; it is recorded in Stats.Skipped["aborted"].
func (r *Request) Abort() { r.abort = true }

// Response is a fetched HTML page.
type Response struct {
	URL        string // final URL, normalised, after redirects
	RequestURL string // URL taken from the frontier
	Depth      int
	StatusCode int
	Header     http.Header
	Body       []byte            // decoded to UTF-8, at most Config.MaxBodySize bytes
	Truncated  bool              // the body was longer than Config.MaxBodySize
	Doc        *goquery.Document // nil when no OnResponse or OnHTML callback needs it

	base  *url.URL
	run   *run
	items []json.RawMessage
	links []link
	err   error
}

// Emit records v, marshalled to one line of JSON, as an item of this page.
func (r *Response) Emit(v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep & < > readable in URLs and titles
	err := enc.Encode(v)
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if err != nil {
		err = fmt.Errorf("crawl: emit on %s: %w", r.URL, err)
		if r.err == nil {
			r.err = err
		}
		return err
	}
	r.items = append(r.items, b)
	return nil
}

// AbsoluteURL resolves ref against the page (and its <base href>) and
// normalises it; "" when ref is not an http or https URL.
func (r *Response) AbsoluteURL(ref string) string {
	u, err := r.normalizer().Resolve(r.base, ref)
	if err != nil {
		return ""
	}
	return u
}

func (r *Response) normalizer() Normalizer {
	if r.run == nil {
		return Normalizer{}
	}
	return r.run.cfg.Normalizer
}

// Visit adds ref, resolved against the page, to the frontier at depth
// Depth+1 (subject to the host, depth and dedupe rules).
func (r *Response) Visit(ref string) error {
	l, err := r.normalizer().resolveLink(r.base, ref)
	if err != nil {
		return err
	}
	r.links = append(r.links, l)
	return nil
}

// HTMLElement is one element matched by an OnHTML selector.
type HTMLElement struct {
	Name      string
	Text      string
	Index     int // position among the page's matches of the selector
	Selection *goquery.Selection
	Response  *Response
}

// Attr returns the element's attribute k, "" when absent.
func (e *HTMLElement) Attr(k string) string { return e.Selection.AttrOr(k, "") }

// ChildText returns the trimmed text of the descendants matching selector.
func (e *HTMLElement) ChildText(selector string) string {
	return strings.TrimSpace(e.Selection.Find(selector).Text())
}

// ChildAttr returns attribute k of the first descendant matching selector.
func (e *HTMLElement) ChildAttr(selector, k string) string {
	return e.Selection.Find(selector).First().AttrOr(k, "")
}

// ChildAttrs returns attribute k of every descendant matching selector.
func (e *HTMLElement) ChildAttrs(selector, k string) []string {
	var out []string
	e.Selection.Find(selector).Each(func(_ int, s *goquery.Selection) {
		if v, ok := s.Attr(k); ok {
			out = append(out, v)
		}
	})
	return out
}

// Item is one value emitted by a callback.
type Item struct {
	// ID is stable across runs and resumes: the page's URL hashed and the
	// item's index on the page. ItemSink skips the IDs it holds, which
	// makes delivery exactly once across kill -9 and resume.
	ID    string
	URL   string          // page that emitted it (final URL)
	Depth int             // depth of that page
	JSON  json.RawMessage // the emitted value, one line of JSON
}

// Decode unmarshals the item into v.
func (it Item) Decode(v any) error { return json.Unmarshal(it.JSON, v) }

// Stats describes a crawl. After a resume the counts include the pages
// and items of the earlier runs.
type Stats struct {
	Pages    int            // pages taken from the frontier and finished
	Fetched  int            // HTML pages fetched and parsed
	Requests int            // HTTP requests: every attempt of a page (a redirect chain counts once) and robots.txt
	Retries  int            // retried requests
	Items    int            // items emitted
	Bytes    int64          // body bytes read
	Errors   map[string]int // failed pages by class ("http 404", "timeout", "connection", ...)
	Skipped  map[string]int // pages not parsed by reason ("robots", "robots-unavailable", "content-type", "redirect-seen", ...)
	// RobotsErrors counts robots.txt fetches that failed with a 5xx (or
	// 429) or no answer: the host is disallowed until a retry succeeds.
	RobotsErrors int
	Truncated    int           // bodies cut at Config.MaxBodySize
	Duplicate    int           // links dropped because their URL was already seen
	Offsite      int           // links dropped because their host is not allowed
	TooDeep      int           // links dropped by MaxDepth
	Dropped      int           // links dropped because the frontier was full
	Frontier     int           // URLs still waiting
	Resumed      int           // pages restored from the state directory
	StoreCalls   int64         // round trips to the shared store (Config.Redis)
	Elapsed      time.Duration // wall time of this run
	Stop         string        // "done", "max-pages", "max-items", "deadline", "canceled", "error"
}

func (s Stats) clone() Stats {
	s.Errors = maps.Clone(s.Errors)
	s.Skipped = maps.Clone(s.Skipped)
	return s
}

// Crawl visits seeds and every link followed from them until the frontier
// is empty or a finish condition holds. It returns the Stats and, when ctx
// was cancelled or a callback failed, the error (the partial results are
// kept: with a StateDir the same call resumes).
func (c *Collector) Crawl(ctx context.Context, seeds ...string) (Stats, error) {
	return c.crawl(ctx, seeds, nil)
}

// Items runs Crawl and yields its items as they are emitted, one at a time:
// a page's items are acknowledged in the journal only after the loop body
// has run for each, so a kill or a break loses none (the same call
// resumes and yields the unacknowledged ones again; see ItemSink for
// exactly once). Breaking out of the loop stops the crawl. A crawl error
// is yielded last with a zero Item.
func (c *Collector) Items(ctx context.Context, seeds ...string) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		// Each item is handed over and waited for: the crawl acknowledges
		// a page's items in the journal only once the loop body has run
		// for all of them, so a kill never loses an item in a buffer.
		type handoff struct {
			it   Item
			done chan bool
		}
		ch := make(chan handoff)
		var err error
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer close(ch)
			_, err = c.crawl(ctx, seeds, func(it Item) bool {
				h := handoff{it, make(chan bool, 1)}
				select {
				case ch <- h:
				case <-ctx.Done():
					return false
				}
				return <-h.done
			})
		}()
		stopped := false
		for h := range ch {
			if stopped {
				h.done <- false
				continue
			}
			if !yield(h.it, nil) {
				stopped = true
				cancel()
			}
			h.done <- true
		}
		<-done
		if err != nil && !stopped {
			yield(Item{}, err)
		}
	}
}

// run is the state of one crawl.
type run struct {
	c      *Collector
	cfg    Config
	client *http.Client
	hosts  hosts
	allow  map[string]bool
	hseed  maphash.Seed
	follow cascadia.Selector
	stream bool // no callback needs the page: links are read as it streams

	mu       sync.Mutex
	cond     *sync.Cond
	front    frontier
	seen     map[uint64]struct{}
	seq      uint64
	inflight int
	stopped  bool
	stats    Stats
	err      error
	cancel   context.CancelFunc

	commitMu   sync.Mutex
	acks       []string    // pages delivered to the callbacks, not yet journaled
	shared     SharedStore // Config.Redis: the crawl's state lives there
	claimed    []task      // pages a completion claimed for this worker, not started
	sharedRate float64     // Config.HostRate, enforced by the store
	j          *journal
	emit       func(Item) bool // the Items loop; false: not delivered
	kick       chan struct{}   // wakes progressLoop after a page; nil without Progress
}

func (c *Collector) crawl(ctx context.Context, seeds []string, emit func(Item) bool) (Stats, error) {
	start := time.Now()
	r := &run{c: c, cfg: c.cfg.withDefaults(), hseed: maphash.MakeSeed(), emit: emit,
		seen: make(map[uint64]struct{}), allow: make(map[string]bool)}
	r.cond = sync.NewCond(&r.mu)
	if r.cfg.Follow != "" {
		r.follow, _ = cascadia.Compile(r.cfg.Follow) // checked by Validate
	}
	r.stream = len(c.onResponse) == 0 && len(c.onHTML) == 0 && len(c.onScraped) == 0 &&
		(r.cfg.Follow == "a[href]" || r.cfg.Follow == "")
	r.front = newFrontier(r.cfg.Frontier, r.cfg.MaxFrontier, r.cfg.StateDir)
	defer r.front.close()
	r.stats.Errors, r.stats.Skipped = map[string]int{}, map[string]int{}
	r.client = r.newClient()
	defer r.client.CloseIdleConnections()

	var norm []string
	var seedLinks []link
	for _, s := range seeds {
		if _, err := url.Parse(cleanHref(s)); err != nil {
			return r.stats, fmt.Errorf("crawl: seed: crawl: bad URL %q: %w", s, err)
		}
		l, err := r.cfg.Normalizer.resolveLink(nil, s)
		if err != nil {
			return r.stats, fmt.Errorf("crawl: seed: %w", err)
		}
		norm, seedLinks = append(norm, l.key), append(seedLinks, l)
	}
	if len(r.cfg.AllowedHosts) > 0 {
		r.allowHosts(r.cfg.AllowedHosts)
	} else {
		for _, s := range norm {
			u, _ := url.Parse(s)
			r.allow[u.Host] = true
		}
	}

	if r.cfg.Redis != "" {
		if err := r.startShared(ctx, norm, seedLinks); err != nil {
			return r.stats, err
		}
		defer r.shared.Close()
		norm = nil // the store holds the seeds
	}
	j, err := openJournal(r.cfg.StateDir, r.cfg.Output)
	if err != nil {
		return r.stats, err
	}
	r.j = j
	if j != nil {
		if err := r.restore(); err == nil {
			err = r.redeliver()
		}
		if err != nil {
			j.close()
			return r.stats, err
		}
	}
	var fresh []task
	for i, s := range norm {
		if u, _ := url.Parse(s); !r.allowedHost(u) {
			r.stats.Offsite++ // AllowedHosts binds the seeds too
			continue
		}
		if r.claim(s) {
			fresh = append(fresh, task{url: s, link: seedLinks[i].url})
		}
	}
	if len(fresh) > 0 && j != nil {
		if err := j.seeds(fresh); err != nil {
			j.close()
			return r.stats, err
		}
	}
	for _, t := range fresh {
		r.push(t)
	}

	dctx, cancel := context.WithCancel(ctx)
	if r.cfg.MaxDuration > 0 {
		dctx, cancel = context.WithTimeout(ctx, r.cfg.MaxDuration)
	}
	defer cancel()
	r.cancel = cancel
	stopWake := context.AfterFunc(dctx, func() {
		r.mu.Lock()
		r.cond.Broadcast()
		r.mu.Unlock()
	})
	defer stopWake()

	progDone := make(chan struct{})
	var progWG sync.WaitGroup
	interval := r.cfg.ProgressInterval
	if interval == 0 { // Off after withDefaults: every page
		interval = fit.Off
	}
	rep := fit.NewReporter(r.cfg.Progress, interval)
	if r.cfg.Progress != nil {
		r.kick = make(chan struct{}, 1)
		progWG.Go(func() { r.progressLoop(rep, progDone) })
	}

	var wg sync.WaitGroup
	pool := rngPool{seed: r.cfg.Seed}
	for range r.cfg.Workers {
		rng := pool.next()
		wg.Go(func() { r.worker(dctx, rng) })
	}
	wg.Wait()
	if r.shared != nil {
		r.releaseClaimed(ctx)
	}
	close(progDone)
	progWG.Wait()

	r.mu.Lock()
	switch {
	case r.err != nil:
		r.stats.Stop = "error"
	case ctx.Err() != nil:
		r.stats.Stop, r.err = "canceled", ctx.Err()
	case dctx.Err() != nil && r.stats.Stop == "":
		r.stats.Stop = "deadline"
	case r.stats.Stop == "":
		r.stats.Stop = "done"
	}
	r.stats.Frontier = r.front.len()
	r.stats.Elapsed = time.Since(start)
	if r.shared != nil {
		r.stats.StoreCalls = r.shared.Calls()
	}
	st, rerr := r.stats.clone(), r.err
	r.mu.Unlock()

	if aerr := j.ack(r.acks); aerr != nil && rerr == nil {
		rerr = aerr
	}
	if cerr := j.finish(); cerr != nil && rerr == nil {
		rerr = cerr
	}
	done := fmt.Sprintf("finished: %d pages", st.Pages)
	if st.Stop != "done" {
		done += " (" + st.Stop + ")"
	}
	if perr := rep.Finish(r.progress(st, 0), fit.Status(rerr, done)); perr != nil && rerr == nil {
		rerr = perr
	}
	return st, rerr
}

// progress is the report of the stats st with n pages in flight.
func (r *run) progress(st Stats, n int) fit.Progress {
	total := int64(0)
	if r.cfg.MaxPages > 0 {
		total = int64(r.cfg.MaxPages)
	}
	errs := 0
	for _, v := range st.Errors {
		errs += v
	}
	rate := 0.0
	if s := st.Elapsed.Seconds(); s > 0 {
		rate = float64(st.Pages-st.Resumed) / s
	}
	return fit.Progress{Phase: "crawl", Unit: "page", Step: int64(st.Pages), Total: total, Loss: math.NaN(),
		Metrics: map[string]float64{"pages/s": rate, "in-flight": float64(n), "errors": float64(errs),
			"items": float64(st.Items), "frontier": float64(st.Frontier), "requests": float64(st.Requests),
			"retries": float64(st.Retries), "fetched": float64(st.Fetched)}}
}

// progressLoop reports every ProgressInterval and, with the interval Off,
// after every page (commit kicks it).
func (r *run) progressLoop(rep *fit.Reporter, done <-chan struct{}) {
	every := r.cfg.ProgressInterval
	if every <= 0 {
		every = fit.DefaultInterval
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
		case <-r.kick:
		}
		r.mu.Lock()
		st, n := r.stats.clone(), r.inflight
		st.Frontier = r.front.len()
		r.mu.Unlock()
		st.Elapsed = rep.Elapsed()
		if err := rep.Report(r.progress(st, n)); err != nil {
			r.fail(err)
			return
		}
	}
}

// fail stops the crawl with err (the first error wins).
func (r *run) fail(err error) {
	r.mu.Lock()
	if r.err == nil {
		r.err = err
	}
	r.stopped = true
	r.cond.Broadcast()
	r.mu.Unlock()
	r.cancel()
}

func (r *run) hash(u string) uint64 { return maphash.String(r.hseed, u) }

// claim marks u seen and reports whether it was new: check and mark are
// one step under the lock, so no URL is handed out twice.
func (r *run) claim(u string) bool {
	h := r.hash(u)
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.seen[h]; ok {
		return false
	}
	r.seen[h] = struct{}{}
	return true
}

// claimAlias claims the redirect target u for the page owner: in the
// seen set, or in the shared store, where a refetch of owner after a lost
// lease may follow its own redirect again.
func (r *run) claimAlias(ctx context.Context, u, owner string) bool {
	if r.shared == nil {
		return r.claim(u)
	}
	ok, err := r.shared.Alias(ctx, u, owner)
	if err != nil {
		if ctx.Err() == nil {
			r.fail(fmt.Errorf("crawl: alias: %w", err))
		}
		return false
	}
	return ok
}

// push adds t to the frontier; the caller holds no lock.
func (r *run) push(t task) {
	r.mu.Lock()
	r.pushLocked(t)
	r.mu.Unlock()
}

func (r *run) pushLocked(t task) {
	if r.front.full(1) {
		r.stats.Dropped++
		return
	}
	r.seq++
	t.seq = r.seq
	if r.cfg.Frontier == Priority {
		t.score = r.cfg.Priority(t.url, t.depth)
	}
	r.front.push(t)
	r.cond.Broadcast()
}

// allowHosts adds AllowedHosts entries (checked by Validate) to the
// allowed set, lower-cased.
func (r *run) allowHosts(hosts []string) {
	for _, h := range hosts {
		r.allow[strings.ToLower(strings.TrimSpace(h))] = true
	}
}

// allowedHost reports whether u's host[:port] is allowed; an explicit
// default port equals none, on either side.
func (r *run) allowedHost(u *url.URL) bool {
	scheme := strings.ToLower(u.Scheme)
	h, err := normalHost(scheme, u.Host)
	if err != nil {
		return false
	}
	if r.allow[h] {
		return true
	}
	switch scheme {
	case "http":
		return r.allow[h+":80"]
	case "https":
		return r.allow[h+":443"]
	}
	return false
}

func (r *run) addRobotsRequest() {
	r.mu.Lock()
	r.stats.Requests++
	r.mu.Unlock()
}

// next blocks until a task is available or the crawl is over.
func (r *run) next(ctx context.Context) (task, bool) {
	if r.shared != nil {
		return r.sharedNext(ctx)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		if r.stopped || ctx.Err() != nil {
			return task{}, false
		}
		if r.cfg.MaxPages > 0 && r.stats.Pages+r.inflight >= r.cfg.MaxPages {
			if r.inflight == 0 {
				r.stopLocked("max-pages")
				return task{}, false
			}
			r.cond.Wait()
			continue
		}
		if t, ok := r.front.pop(); ok {
			r.inflight++
			return t, true
		}
		if r.inflight == 0 {
			r.stopLocked("done")
			return task{}, false
		}
		r.cond.Wait()
	}
}

func (r *run) stopLocked(reason string) {
	if !r.stopped {
		r.stopped = true
		if r.stats.Stop == "" {
			r.stats.Stop = reason
		}
	}
	r.cond.Broadcast()
}

func (r *run) worker(ctx context.Context, rng *rand.Rand) {
	for {
		t, ok := r.next(ctx)
		if !ok {
			return
		}
		r.visit(ctx, t, rng)
	}
}

// visit runs the fixed steps for one page: request, extract, add links.
func (r *run) visit(ctx context.Context, t task, rng *rand.Rand) {
	out := pageOutcome{task: t}
	defer func() { r.commit(ctx, &out) }()

	target := link{key: t.url, url: t.link}.target()
	req := &Request{URL: target, Depth: t.depth, Header: http.Header{}}
	for _, fn := range r.c.onRequest {
		fn(req)
	}
	if req.abort {
		out.skip = "aborted"
		return
	}
	u, _ := url.Parse(target) // robots.txt is matched against the URL as linked
	h := r.hosts.get(hostKey(u), &r.cfg)
	if ok, why := r.robotsAllow(ctx, u); !ok {
		out.skip = why
		return
	}
	if ctx.Err() != nil {
		out.abandon = true
		return
	}
	res := r.fetch(ctx, h, target, t.url, req.Header, rng)
	out.fetch = res
	if ctx.Err() != nil && res.err != nil {
		out.abandon = true // not journaled: a resume fetches it again
		return
	}
	resp := &Response{URL: res.url, RequestURL: t.url, Depth: t.depth, StatusCode: res.status,
		Header: res.header, Body: res.body, Truncated: res.truncated, run: r}
	if res.err != nil {
		for _, fn := range r.c.onError {
			fn(resp, res.err)
		}
		return
	}
	if res.skip != "" {
		out.skip = res.skip
		return
	}
	if res.streamed {
		resp.links = res.links
		r.scraped(resp, &out)
		return
	}
	pu, _ := url.Parse(res.url)
	if len(r.c.onResponse) == 0 && len(r.c.onHTML) == 0 && r.cfg.Follow == "a[href]" {
		// No callback needs the document: the links are read off the
		// tokenizer, and no DOM is built (about one body of memory
		// instead of several).
		resp.links = r.cfg.Normalizer.tokenLinks(pu, res.body, resp.links)
		r.scraped(resp, &out)
		return
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(res.body))
	if err != nil { // the HTML parser accepts anything; only a reader error lands here
		out.fetch.err, out.fetch.class = err, "parse"
		return
	}
	resp.Doc, resp.base = doc, documentBase(doc, pu)
	for _, fn := range r.c.onResponse {
		fn(resp)
	}
	for _, cb := range r.c.onHTML {
		doc.FindMatcher(cb.sel).Each(func(i int, s *goquery.Selection) {
			e := &HTMLElement{Name: goquery.NodeName(s), Text: s.Text(), Index: i, Selection: s, Response: resp}
			cb.fn(e)
		})
	}
	if r.cfg.Follow != "" {
		resp.links = r.cfg.Normalizer.links(resp.base, doc.FindMatcher(r.follow), resp.links)
	}
	r.scraped(resp, &out)
}

// scraped runs the OnScraped callbacks and hands the page's items and
// links to commit.
func (r *run) scraped(resp *Response, out *pageOutcome) {
	for _, fn := range r.c.onScraped {
		fn(resp)
	}
	out.parsed = true
	out.items, out.links = resp.items, resp.links
	if resp.err != nil {
		out.fetch.err, out.fetch.class = resp.err, "emit"
	}
}

// pageOutcome is what visit hands to commit.
type pageOutcome struct {
	task    task
	fetch   fetchResult
	parsed  bool
	skip    string
	items   []json.RawMessage
	links   []link
	abandon bool
}

// countPage adds a finished page to st: one page, its error class or skip
// reason, whether it was parsed and truncated (items are counted by the
// caller, who knows how many the journal or the store took).
func (o *pageOutcome) countPage(st *Stats) {
	st.Pages++
	switch {
	case o.fetch.err != nil:
		st.Errors[o.fetch.class]++
	case o.skip != "":
		st.Skipped[o.skip]++
	}
	if o.parsed {
		st.Fetched++
	}
	if o.fetch.truncated {
		st.Truncated++
	}
}

// commit records a finished page: its items go to the Output file, then one
// journal record makes the page, its items and its new links durable
// together, then the links enter the frontier.
func (r *run) commit(ctx context.Context, o *pageOutcome) {
	if r.shared != nil {
		r.sharedCommit(ctx, o)
		return
	}
	r.commitMu.Lock()
	defer r.commitMu.Unlock()

	r.mu.Lock()
	st := &r.stats
	st.Requests += o.fetch.requests
	st.Retries += o.fetch.retries
	st.Bytes += o.fetch.bytes
	if o.abandon {
		r.inflight--
		r.cond.Broadcast()
		r.mu.Unlock()
		return
	}
	var newLinks []task
	depth := o.task.depth + 1
	for _, l := range o.links {
		if r.cfg.MaxDepth > 0 && depth > r.cfg.MaxDepth {
			st.TooDeep++
			continue
		}
		lu, err := url.Parse(l.key)
		if err != nil || !r.allowedHost(lu) {
			st.Offsite++
			continue
		}
		h := r.hash(l.key)
		if _, ok := r.seen[h]; ok {
			st.Duplicate++
			continue
		}
		if r.front.full(len(newLinks) + 1) {
			st.Dropped++ // not marked seen: a later page may offer it again
			continue
		}
		r.seen[h] = struct{}{}
		newLinks = append(newLinks, task{url: l.key, link: l.url, depth: depth})
	}
	items := o.items
	if r.cfg.MaxItems > 0 {
		left := max(r.cfg.MaxItems-st.Items, 0)
		if len(items) > left {
			items = items[:left]
		}
	}
	r.mu.Unlock()

	var jerr error
	if r.j != nil {
		class := o.skip
		if o.fetch.err != nil {
			class = o.fetch.class
		}
		rec := pageRecord{URL: o.task.url, Aliases: o.fetch.aliases, Links: newLinks, Depth: o.task.depth,
			Class: class, Failed: o.fetch.err != nil, Parsed: o.parsed, Acks: r.acks}
		if o.fetch.url != "" && o.fetch.url != o.task.url && len(items) > 0 {
			rec.Final = o.fetch.url
		}
		jerr = r.j.page(rec, items)
		r.acks = r.acks[:0]
	}

	r.mu.Lock()
	o.countPage(st)
	st.Items += len(items)
	for _, t := range newLinks {
		r.pushLocked(t)
	}
	if r.cfg.MaxItems > 0 && st.Items >= r.cfg.MaxItems {
		r.stopLocked("max-items")
	}
	r.inflight--
	r.cond.Broadcast()
	r.mu.Unlock()

	if r.kick != nil && r.cfg.ProgressInterval == 0 {
		select {
		case r.kick <- struct{}{}:
		default:
		}
	}
	if jerr != nil {
		r.fail(jerr)
		return
	}
	if len(r.c.onItem) > 0 || r.emit != nil {
		u := o.fetch.url
		if u == "" {
			u = o.task.url
		}
		all := true
		for i, b := range items {
			all = r.deliver(Item{ID: itemID(o.task.url, i), URL: u, Depth: o.task.depth, JSON: b}) && all
		}
		if r.j != nil && len(items) > 0 && all {
			r.acks = append(r.acks, o.task.url) // journaled with the next record
		}
	}
}

// deliver passes it to the OnItem callbacks and the Items iterator, and
// reports whether both got it (the Items loop may have stopped).
func (r *run) deliver(it Item) bool {
	for _, fn := range r.c.onItem {
		fn(it)
	}
	if r.emit != nil {
		return r.emit(it)
	}
	return true
}

// redeliver passes the items of pages recorded but not acknowledged by an
// earlier run to the callbacks, and acknowledges them.
func (r *run) redeliver() error {
	if len(r.c.onItem) == 0 && r.emit == nil {
		return nil
	}
	items, pages, err := r.j.unacked()
	if err != nil {
		return err
	}
	for _, it := range items {
		if !r.deliver(it) { // the Items loop stopped: they stay unacknowledged
			return nil
		}
	}
	return r.j.ack(pages)
}

// itemID is the stable ID of the i-th item of the page at key.
func itemID(key string, i int) string {
	h := fnv.New64a()
	h.Write([]byte(key))
	return fmt.Sprintf("%016x-%d", h.Sum64(), i)
}
