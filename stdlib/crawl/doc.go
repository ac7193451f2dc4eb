// Package crawl is a web crawler built on goquery: polite, concurrent,
// fault-tolerant and resumable.
//
// # Overview
//
// A crawl is a fixed loop with replaceable parts (the Template pattern):
//
//  1. take a URL from the frontier and fetch it (robots.txt, per-host rate
//     limit and concurrency cap, timeouts, retries);
//  2. extract information: OnResponse sees the whole parsed document,
//     OnHTML(selector, fn) sees every matching element, and callbacks
//     record results with Response.Emit;
//  3. add the next URLs: the hrefs of Config.Follow ("a[href]") plus any
//     Response.Visit, resolved against the page and its <base href>,
//     normalised, deduplicated and filtered by host and depth.
//
// The steps never change; what they do is configured with Options (a
// Config) and callbacks named as in Colly: OnRequest, OnResponse, OnHTML,
// OnError, OnScraped, plus OnItem for results.
//
//	c, _ := crawl.New(crawl.MaxDepth(3), crawl.Workers(8))
//	c.OnHTML("h1", func(e *crawl.HTMLElement) {
//		e.Response.Emit(map[string]string{"url": e.Response.URL, "title": e.Text})
//	})
//	stats, err := c.Crawl(ctx, "https://example.org/")
//
// # URLs
//
// Only http and https are crawled. Every URL is normalised (Normalizer,
// RFC 3986 §6) before deduplication: scheme and host lower-cased, default
// ports and fragments dropped, escapes of unreserved characters decoded
// and other escapes in upper-case hex, dot segments resolved, query
// parameters sorted and optionally filtered. A page is requested, and
// matched against robots.txt, as first linked (normalised, but with its
// query as written); the sorted form is only the key. The seen set is checked and marked in one step
// under a lock, so no URL is fetched twice, whatever the number of
// workers; a redirect to a URL already seen is not followed. By default
// only the seeds' hosts are fetched (Config.AllowedHosts).
//
// # Politeness and faults
//
// robots.txt is fetched once per host, cached and obeyed as RFC 9309 says,
// by this package's own parser and matcher (longest match, allow on a tie,
// "*" and "$", escapes of unreserved characters decoded on both sides),
// matched against the URL as the page spells it, and its Crawl-delay slows
// that host. A robots.txt that answers 5xx or 429 or cannot be fetched
// disallows the whole host until a retry (with backoff, MaxRetries times)
// succeeds; one that answers 4xx allows everything; redirects are followed
// for five hops. Each host has a concurrency cap and an
// optional rate limit. Connect, header and body timeouts bound every
// request; 5xx, 429, timeouts and connection errors are retried with
// exponential backoff and jitter, a Retry-After is honoured (and delays
// the whole host); other 4xx are not retried. Bodies over MaxBodySize are
// truncated and recorded, non-HTML content is skipped, redirect chains
// are bounded and loops detected, and bodies are decoded to UTF-8 from the
// header, a <meta> charset or a guess. Malformed HTML is parsed the way
// browsers do (golang.org/x/net/html).
//
// # Memory
//
// When no callback needs the page (no OnResponse, OnHTML or OnScraped, and
// Follow "a[href]" or ""), the body is never held: it flows through the
// MaxBodySize cap, the charset decoder and the HTML tokenizer as it is
// read, and only the <a>/<base> tags with an href are kept (and the
// <head> while a late <meta charset> is looked for). Otherwise a page in
// flight costs its body (at most MaxBodySize, one buffer sized by the
// Content-Length when the server sends one, else grown by doubling) and a
// goquery DOM. BenchmarkPeakMemory measures the peak heap, garbage not
// yet collected included, per in-flight page for 4 MiB pages of text with
// a link per KB: 0.19–0.26 × MaxBodySize without a DOM (bound: ≈ 1 ×,
// the head of a page that is all head), 2.9 × with one and a
// Content-Length, 2.7–3.0 × with one on a chunked body (bound: ≈ 3 ×). Pages dense with
// elements cost more with a DOM (a node per element).
//
// # Finishing
//
// A crawl ends when the frontier is empty, or at MaxPages, MaxItems or
// MaxDuration (finish conditions: no error, Stats.Stop says which), or
// when ctx is cancelled (the partial Stats and ctx.Err()). MaxDepth bounds
// infinite URL spaces such as calendars. The frontier keeps at most
// MaxFrontier URLs in memory (breadth-first spills the rest to a temporary
// file); the seen set keeps a 64-bit hash per URL.
//
// # Progress
//
// Config.Progress receives fit.Progress events (Step: pages finished;
// Metrics: ProgressMetrics) at most every ProgressInterval and a final
// one, "finished: N pages" or "stopped: …"; chart.Track draws them.
//
// # Results and resuming
//
// Items stream to OnItem callbacks, to the Items iterator and to a
// JSON-lines file (Config.Output). With Config.StateDir the seeds, every
// finished page, its new links and its items are journaled; after a crash,
// even kill -9, the same call resumes where the journal ends and every
// page's items are in the file exactly once across both runs.
//
// Callbacks (OnItem, the Items loop) get every item exactly once within a
// run and at least once across a kill: a page's items are acknowledged in
// the journal only after the callbacks (or the Items loop body) have
// returned for all of them, and items recorded but not acknowledged are
// delivered again on resume, before new pages, with the same stable
// Item.ID. Exactly once across kill -9 is what ItemSink adds: a JSON-lines
// file, fed from the callback, that skips the IDs it holds and cuts off a
// line torn by a kill when reopened (TestResumeAfterKill kills a crawl
// twice, once right after a delivery not yet acknowledged, and finds every
// item in the sink exactly once). A callback with its own store does the
// same by skipping IDs it has stored. Stats
// counts pages, requests, retries, items, bytes and errors by class.
//
// # Many processes
//
// When a crawl outgrows one process or one machine, Config.Redis shares
// it among worker processes through a Redis server (the SharedStore
// implemented by stdlib/crawl/redisstore, which a program imports to
// register the redis:// scheme; a single-process program does not link a
// Redis client). Every worker started with the same seeds, settings and
// CrawlID works on the same crawl and keeps the single-process
// guarantees:
//
//   - Leases: a worker claims a URL with a lease of LeaseTime, renewed
//     while it lives; a worker killed with kill -9 loses its leases after
//     LeaseTime and its URLs go back to the frontier. No URL is handed
//     out while its lease is alive; every URL is fetched at least once.
//   - Exactly-once items: a page's items go to a Redis stream in the
//     same Lua script that marks the page done, which adds them only if
//     the page was not done before, so a refetch after a lost lease adds
//     no second copy. redisstore.ReadItems reads the stream resumably
//     from a position; OnItem callbacks get the items this worker added.
//   - Shared politeness: robots.txt is fetched by one worker per host
//     and cached in Redis for all; each host has one slot schedule and
//     one concurrency cap (HostConcurrency) across the workers: the claim
//     script spaces a paced host's claims by its interval, and right
//     before each request to it a worker takes the next request slot from
//     Redis's clock, so a host never sees two requests closer than its
//     Crawl-delay (or 1/HostRate), however many workers there are. Until a host's robots.txt is known, it gets one
//     request at a time. HostBurst is 1; a Retry-After delays only the
//     worker that got it.
//     HostConcurrency is the cap of all workers together. A worker
//     that completes a page claims its next one in the same step, but
//     while another worker is hungry (was refused a page and has not
//     had one since) it holds at most its share of a host's cap (the
//     cap over the workers active in the last 5 s, at least 1), so one
//     worker whose own Workers fill the cap cannot starve the others;
//     alone, a worker may fill the cap.
//   - Durability: with Redis's append-only file and appendfsync always,
//     a kill -9 of Redis loses no acknowledged write; workers retry their
//     calls while it restarts (redisstore.RetryFor). With everysec a
//     crash of the machine may lose up to a second of writes, and with
//     them claims and completions (pages are then fetched again; an item
//     already read from the stream may be added again under its same
//     Item.ID). Redis 7.0 has no WAITAOF to ask for more per call.
//   - Round trips: a page costs one completion script, which also claims
//     the worker's next page (a separate claim when it has none waiting);
//     robots.txt adds one per host and worker (three for the one that
//     fetches it), and each request to a paced host one.
//     Stats.StoreCalls counts them.
//
// The state of a shared crawl is behind one interface, SharedStore, with
// two implementations that pass the same conformance suite
// (stdlib/crawl/storetest): redisstore, for workers in several processes
// or machines, and an in-memory store in this package, selected by
// Config.Redis = "mem://NAME", for several Collectors of one process
// (each a worker with its own Workers, settings and callbacks; OnItem
// gets the items its own pages added, so together they see every item
// once). The two keep the same state with the same rules (a queue per
// host, a ready set of hosts with room, leases, the done and seen sets,
// claim and request slots, the robots.txt cache); the in-memory one
// guards it with one mutex where Redis runs a Lua script, and renews a
// lease while its worker's Collector runs rather than on a timer, so a
// lease ends LeaseTime after the Crawl that held it returned without
// completing it. Its state lives until the process ends or
// ForgetMemStore drops it; it has no items stream (items go to the
// callbacks) and survives no crash.
//
// A single Collector without Config.Redis does not use a SharedStore: it
// keeps its own frontier (BFS, DFS or Priority, spilling to disk beyond
// MaxFrontier) and seen set, and its journal. Measured on the 5,000-page
// bench against the same crawl through mem:// (bench/crawl/RESULTS.md),
// the store costs a median 1.11× the time and 1.26× the CPU per page, and
// its contract has no DFS or Priority order, no spilling and no journal,
// so the single-process path stays as it is.
//
// A crawl ID holding another crawl (other seeds or settings) is refused
// with ErrOtherCrawl unless Config.Resume is set. MaxPages, MaxItems and
// MaxDuration apply to each worker; the frontier is breadth-first per
// host.
//
// # Errors
//
// Bad configuration is reported by New as ErrBadConfig naming the field;
// bad seeds and selectors by Crawl and OnHTML. A failing page is not an error of the crawl: it is counted in
// Stats.Errors and passed to OnError. Callbacks run concurrently on the
// worker goroutines; Workers > 1 is not reproducible in order.
package crawl
