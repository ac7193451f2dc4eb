package crawl

import (
	"errors"
	"fmt"
	"time"

	"github.com/gonbml/gonbml/stdlib/fit"
	"golang.org/x/time/rate"
)

// FrontierKind selects the order in which discovered URLs are visited.
type FrontierKind int

const (
	// BFS visits URLs in the order they were discovered (the article's deque
	// used as a queue): all pages at depth d before any page at depth d+1
	// when Workers is 1.
	BFS FrontierKind = iota
	// DFS visits the most recently discovered URL first (a stack).
	DFS
	// Priority visits the URL with the highest Config.Priority score first;
	// ties are broken by discovery order.
	Priority
)

func (k FrontierKind) String() string {
	switch k {
	case BFS:
		return "bfs"
	case DFS:
		return "dfs"
	case Priority:
		return "priority"
	}
	return fmt.Sprintf("FrontierKind(%d)", int(k))
}

// Config holds every knob of a crawl. The zero value is valid: each field's
// comment states the default used when it is left zero and, for numeric
// fields whose default is not zero, what fit.Off (any negative value)
// means. Options set fields of a Config; New applies them and calls
// Validate.
type Config struct {
	// Workers is the number of pages fetched and parsed concurrently.
	// Default (0): 8, not GOMAXPROCS: a crawler waits on the network, not
	// on the CPU, so it needs more workers than cores.
	Workers int
	// HostConcurrency caps the requests in flight to one host.
	// Default (0): 8.
	HostConcurrency int
	// HostRate limits requests per second to one host.
	// Default (0): no limit beyond robots.txt Crawl-delay.
	HostRate rate.Limit
	// HostBurst is the burst of the HostRate limiter. Default (0): 1.
	HostBurst int

	// UserAgent is sent with every request and picks the robots.txt group
	// by its product token (the part before the first "/").
	// Default (""): DefaultUserAgent.
	UserAgent string
	// IgnoreRobots disables robots.txt. Default (false): robots.txt is
	// fetched once per host, cached, obeyed, and its Crawl-delay honoured.
	IgnoreRobots bool

	// AllowedHosts lists the hosts (host or host:port, case-insensitive)
	// that may be fetched. Default (nil): the hosts of the seeds.
	AllowedHosts []string
	// Normalizer normalises every URL before deduplication.
	// Default (zero Normalizer): see Normalizer.
	Normalizer Normalizer
	// Follow is the CSS selector of the elements whose href is followed
	// automatically. Default (""): "a[href]". FollowNone follows nothing
	// automatically (callbacks can still call Response.Visit).
	Follow string

	// Frontier selects the visiting order. Default (0): BFS.
	Frontier FrontierKind
	// Priority scores a URL for the Priority frontier; higher first.
	// Default (nil): none; required when Frontier is Priority.
	Priority func(url string, depth int) float64
	// MaxFrontier bounds the URLs waiting in memory. The BFS frontier
	// keeps the overflow in an unlinked temporary file (in StateDir, or
	// os.TempDir) and loses nothing; DFS and Priority drop the URLs beyond
	// it and count them in Stats.Dropped. Default (0): 1,000,000.
	MaxFrontier int

	// MaxDepth stops following links deeper than this (seeds are depth 0).
	// Default (0): unlimited.
	MaxDepth int
	// MaxPages stops after this many pages were requested (robots.txt and
	// retries not counted). Default (0): unlimited.
	MaxPages int
	// MaxItems stops after this many items were emitted; items beyond it
	// are discarded. Default (0): unlimited.
	MaxItems int
	// MaxDuration stops the crawl after this long (a finish condition, not
	// an error). Default (0): unlimited.
	MaxDuration time.Duration

	// ConnectTimeout bounds dialing a connection. Default (0): 10 s.
	ConnectTimeout time.Duration
	// HeaderTimeout bounds waiting for response headers. Default (0): 10 s.
	HeaderTimeout time.Duration
	// BodyTimeout bounds reading the body after the headers.
	// Default (0): 30 s.
	BodyTimeout time.Duration

	// MaxRetries is the number of retries after a 5xx, 429, timeout or
	// connection error; 4xx other than 429 are never retried.
	// Default (0): 3. Off: no retries.
	MaxRetries int
	// RetryBase is the first backoff; it doubles each retry, with full
	// jitter. Default (0): 250 ms.
	RetryBase time.Duration
	// MaxRetryWait caps one backoff and the Retry-After a server may ask
	// for; a longer Retry-After ends the retries. Default (0): 10 s.
	MaxRetryWait time.Duration

	// MaxBodySize truncates bodies longer than this many bytes (the
	// truncation is recorded in Response.Truncated and Stats.Truncated).
	// Default (0): 10 MiB.
	MaxBodySize int64
	// MaxRedirects bounds a redirect chain. Default (0): 10.
	// Off: no redirect is followed (each is a "too many redirects" error).
	MaxRedirects int

	// StateDir, when set, journals the frontier, the seen set and the
	// emitted items there so that a crawl killed at any point resumes with
	// the same call, emitting every page's items exactly once across runs.
	// Default (""): no journal.
	StateDir string
	// Output is a JSON-lines file receiving every emitted item. With
	// StateDir it is appended to and repaired on resume (default
	// StateDir/items.jsonl); without, it is written atomically (safefile)
	// when the crawl ends. Default (""): no file.
	Output string

	// Progress receives the crawl's progress (fit.Progress: Step counts
	// the pages finished, Unit "page", Total is MaxPages or 0, Loss NaN)
	// with the metrics named in ProgressMetrics, and a final event whose
	// Status is "finished: N pages" (with the finish condition when it was
	// not an empty frontier) or "stopped: <error>". Returning an error
	// stops the crawl with that error. Default (nil): no reports.
	Progress fit.Func
	// ProgressInterval is the least time between two reports.
	// Default (0): fit.DefaultInterval, 250 ms. Off: every page.
	ProgressInterval time.Duration

	// Seed seeds the retry jitter; the same seed gives the same waits.
	// Default (0): seed 0, a seed like any other.
	Seed uint64

	// Redis, when set, shares the crawl among worker processes on this
	// machine and others through a Redis server:
	// "redis://[user:password@]host:port[/db]" ("rediss://" for TLS).
	// The frontier with leases, the seen set, the items (a stream, each
	// page's items exactly once), the robots.txt cache and each host's
	// Crawl-delay, rate and concurrency cap live there, so every worker
	// started with the same seeds and CrawlID works on the same crawl
	// (see the package doc, "Many processes"). The program must import
	// github.com/gonbml/gonbml/stdlib/crawl/redisstore, which registers
	// the scheme. Only the BFS frontier; StateDir and Output must be
	// empty. "mem://NAME" shares a crawl the same way among Collectors
	// of this process, through an in-memory store (no import needed).
	// Default (""): the crawl lives in this Collector.
	Redis string
	// CrawlID namespaces the crawl's keys in Redis. Default (""): "crawl".
	CrawlID string
	// Resume lets a worker continue the crawl stored under CrawlID when
	// that crawl has other seeds or settings (its seeds are then not
	// added). Default (false): such a crawl is refused with ErrOtherCrawl;
	// a worker with the same seeds and settings always joins.
	Resume bool
	// LeaseTime is how long a claimed URL stays leased to a worker that
	// stops renewing it (a live worker renews its leases every third of
	// it): a killed worker's pages go back to the frontier after at most
	// this long. Default (0): 30 s.
	LeaseTime time.Duration
}

// ProgressMetrics are the keys of fit.Progress.Metrics in the crawl's
// reports: pages per second since the start, pages in flight, failed
// pages, emitted items, URLs waiting in the frontier, HTTP requests,
// retries and pages fetched and parsed.
var ProgressMetrics = []string{"pages/s", "in-flight", "errors", "items", "frontier", "requests", "retries", "fetched"}

// FollowNone is a Config.Follow selector that matches nothing: no link is
// followed automatically.
const FollowNone = ":not(*)"

// DefaultUserAgent is sent when Config.UserAgent is empty.
const DefaultUserAgent = "gonbml-crawl/1.0"

// ErrBadConfig is wrapped by every error of Validate.
var ErrBadConfig = errors.New("crawl: bad config")

// Validate reports the first invalid field, naming it, its value and what
// is wanted.
func (c Config) Validate() error {
	bad := func(field string, v any, want string) error { return fit.BadConfig(ErrBadConfig, field, v, want) }
	for _, f := range []struct {
		name string
		v    int
	}{{"Workers", c.Workers}, {"HostConcurrency", c.HostConcurrency}, {"HostBurst", c.HostBurst},
		{"MaxFrontier", c.MaxFrontier}, {"MaxDepth", c.MaxDepth}, {"MaxPages", c.MaxPages}, {"MaxItems", c.MaxItems}} {
		if f.v < 0 {
			return bad(f.name, f.v, "at least 0")
		}
	}
	for _, f := range []struct {
		name string
		v    time.Duration
	}{{"MaxDuration", c.MaxDuration}, {"ConnectTimeout", c.ConnectTimeout}, {"HeaderTimeout", c.HeaderTimeout},
		{"BodyTimeout", c.BodyTimeout}, {"RetryBase", c.RetryBase}, {"MaxRetryWait", c.MaxRetryWait}} {
		if f.v < 0 {
			return bad(f.name, f.v, "at least 0")
		}
	}
	switch {
	case c.MaxBodySize < 0:
		return bad("MaxBodySize", c.MaxBodySize, "at least 0")
	case c.HostRate < 0:
		return bad("HostRate", c.HostRate, "at least 0")
	case c.Frontier < BFS || c.Frontier > Priority:
		return bad("Frontier", int(c.Frontier), "BFS, DFS or Priority")
	case c.Frontier == Priority && c.Priority == nil:
		return bad("Priority", "nil", "a score function when Frontier is Priority")
	}
	for i, h := range c.AllowedHosts {
		if _, err := normalHost("http", h); err != nil {
			return bad(fmt.Sprintf("AllowedHosts[%d]", i), fmt.Sprintf("%q", h), "a host or host:port")
		}
	}
	if err := c.validateShared(bad); err != nil {
		return err
	}
	if c.Follow != "" {
		if err := checkSelector(c.Follow); err != nil {
			return bad("Follow", fmt.Sprintf("%q", c.Follow), "a CSS selector ("+err.Error()+")")
		}
	}
	return nil
}

// withDefaults returns a copy with zero fields replaced by their defaults.
func (c Config) withDefaults() Config {
	def := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	defD := func(p *time.Duration, v time.Duration) {
		if *p == 0 {
			*p = v
		}
	}
	def(&c.Workers, 8)
	def(&c.HostConcurrency, 8)
	def(&c.HostBurst, 1)
	def(&c.MaxFrontier, 1_000_000)
	def(&c.MaxRetries, 3)
	def(&c.MaxRedirects, 10)
	c.MaxRetries = max(c.MaxRetries, 0) // Off: none
	c.MaxRedirects = max(c.MaxRedirects, 0)
	if c.MaxBodySize == 0 {
		c.MaxBodySize = 10 << 20
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if c.Follow == "" {
		c.Follow = "a[href]"
	}
	defD(&c.ConnectTimeout, 10*time.Second)
	defD(&c.HeaderTimeout, 10*time.Second)
	defD(&c.BodyTimeout, 30*time.Second)
	defD(&c.RetryBase, 250*time.Millisecond)
	defD(&c.MaxRetryWait, 10*time.Second)
	defD(&c.LeaseTime, 30*time.Second)
	defD(&c.ProgressInterval, fit.DefaultInterval)
	c.ProgressInterval = max(c.ProgressInterval, 0) // Off: every page
	return c
}

// Option sets a field of the Config.
type Option func(*Config)

// WithConfig replaces the whole Config (later options still apply).
func WithConfig(c Config) Option { return func(d *Config) { *d = c } }

// Workers sets Config.Workers.
func Workers(n int) Option { return func(c *Config) { c.Workers = n } }

// HostConcurrency sets Config.HostConcurrency.
func HostConcurrency(n int) Option { return func(c *Config) { c.HostConcurrency = n } }

// HostRate sets Config.HostRate and Config.HostBurst.
func HostRate(r rate.Limit, burst int) Option {
	return func(c *Config) { c.HostRate, c.HostBurst = r, burst }
}

// UserAgent sets Config.UserAgent.
func UserAgent(ua string) Option { return func(c *Config) { c.UserAgent = ua } }

// IgnoreRobots sets Config.IgnoreRobots.
func IgnoreRobots() Option { return func(c *Config) { c.IgnoreRobots = true } }

// AllowedHosts sets Config.AllowedHosts.
func AllowedHosts(hosts ...string) Option {
	return func(c *Config) { c.AllowedHosts = append([]string(nil), hosts...) }
}

// DropQuery makes the normaliser remove these query parameters (such as
// session ids or tracking parameters) before deduplication.
func DropQuery(keys ...string) Option {
	return func(c *Config) { c.Normalizer.DropQuery = append(c.Normalizer.DropQuery, keys...) }
}

// Follow sets Config.Follow; Follow("") follows nothing automatically
// (FollowNone).
func Follow(selector string) Option {
	if selector == "" {
		selector = FollowNone
	}
	return func(c *Config) { c.Follow = selector }
}

// WithFrontier sets Config.Frontier.
func WithFrontier(k FrontierKind) Option { return func(c *Config) { c.Frontier = k } }

// WithPriority selects the Priority frontier with this score.
func WithPriority(score func(url string, depth int) float64) Option {
	return func(c *Config) { c.Frontier, c.Priority = Priority, score }
}

// MaxFrontier sets Config.MaxFrontier.
func MaxFrontier(n int) Option { return func(c *Config) { c.MaxFrontier = n } }

// MaxDepth sets Config.MaxDepth.
func MaxDepth(n int) Option { return func(c *Config) { c.MaxDepth = n } }

// MaxPages sets Config.MaxPages.
func MaxPages(n int) Option { return func(c *Config) { c.MaxPages = n } }

// MaxItems sets Config.MaxItems.
func MaxItems(n int) Option { return func(c *Config) { c.MaxItems = n } }

// MaxDuration sets Config.MaxDuration.
func MaxDuration(d time.Duration) Option { return func(c *Config) { c.MaxDuration = d } }

// Timeouts sets the connect, header and body timeouts (zero keeps a default).
func Timeouts(connect, headers, body time.Duration) Option {
	return func(c *Config) {
		c.ConnectTimeout, c.HeaderTimeout, c.BodyTimeout = connect, headers, body
	}
}

// Retries sets the retry count, first backoff and longest wait; Retries(0, …)
// disables retrying (MaxRetries fit.Off).
func Retries(n int, base, maxWait time.Duration) Option {
	if n == 0 {
		n = fit.Off
	}
	return func(c *Config) { c.MaxRetries, c.RetryBase, c.MaxRetryWait = n, base, maxWait }
}

// MaxBodySize sets Config.MaxBodySize.
func MaxBodySize(n int64) Option { return func(c *Config) { c.MaxBodySize = n } }

// MaxRedirects sets Config.MaxRedirects.
func MaxRedirects(n int) Option { return func(c *Config) { c.MaxRedirects = n } }

// StateDir sets Config.StateDir.
func StateDir(dir string) Option { return func(c *Config) { c.StateDir = dir } }

// Output sets Config.Output.
func Output(path string) Option { return func(c *Config) { c.Output = path } }

// Progress sets Config.Progress (chart.Track(title) draws it as a bar).
func Progress(fn fit.Func) Option { return func(c *Config) { c.Progress = fn } }

// ProgressInterval sets Config.ProgressInterval (fit.Off: every page).
func ProgressInterval(d time.Duration) Option { return func(c *Config) { c.ProgressInterval = d } }

// Seed sets Config.Seed.
func Seed(s uint64) Option { return func(c *Config) { c.Seed = s } }

// Redis sets Config.Redis and Config.CrawlID: the crawl is shared through
// the Redis server at redisURL (import stdlib/crawl/redisstore).
func Redis(redisURL, crawlID string) Option {
	return func(c *Config) { c.Redis, c.CrawlID = redisURL, crawlID }
}

// Resume sets Config.Resume.
func Resume() Option { return func(c *Config) { c.Resume = true } }

// LeaseTime sets Config.LeaseTime.
func LeaseTime(d time.Duration) Option { return func(c *Config) { c.LeaseTime = d } }
