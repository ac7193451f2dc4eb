package crawl

import (
	"errors"
	"fmt"
	"time"

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
// comment states the default used when it is left zero. Options set fields
// of a Config; New applies them and calls Validate.
type Config struct {
	// Workers is the number of pages fetched and parsed concurrently.
	// Default 8.
	Workers int
	// HostConcurrency caps the requests in flight to one host.
	// Default 8.
	HostConcurrency int
	// HostRate limits requests per second to one host; HostBurst is the
	// limiter's burst. Default 0: no limit beyond robots.txt Crawl-delay.
	HostRate  rate.Limit
	HostBurst int // default 1

	// UserAgent is sent with every request and used to pick the robots.txt
	// group. Default DefaultUserAgent.
	UserAgent string
	// IgnoreRobots disables robots.txt. Default false: robots.txt is fetched
	// once per host, cached, obeyed, and its Crawl-delay honoured.
	IgnoreRobots bool

	// AllowedHosts lists the hosts (host or host:port, case-insensitive)
	// that may be fetched. Default: the hosts of the seeds.
	AllowedHosts []string
	// Normalizer normalises every URL before deduplication. The zero value
	// lower-cases scheme and host, drops default ports and fragments and
	// sorts query parameters.
	Normalizer Normalizer
	// Follow is the CSS selector of the elements whose href is followed
	// automatically. Default "a[href]". Set NoFollow to follow nothing
	// automatically (callbacks can still call Response.Visit).
	Follow   string
	NoFollow bool

	// Frontier selects the visiting order. Default BFS.
	Frontier FrontierKind
	// Priority scores a URL for the Priority frontier; higher first.
	// Required when Frontier is Priority.
	Priority func(url string, depth int) float64
	// MaxFrontier bounds the URLs waiting in memory. The BFS frontier
	// keeps the overflow in an unlinked temporary file (in StateDir, or
	// os.TempDir) and loses nothing; DFS and Priority drop the URLs beyond
	// it and count them in Stats.Dropped. Default 1,000,000.
	MaxFrontier int

	// MaxDepth stops following links deeper than this (seeds are depth 0).
	// Default 0: unlimited.
	MaxDepth int
	// MaxPages stops after this many pages were requested (robots.txt and
	// retries not counted). Default 0: unlimited.
	MaxPages int
	// MaxItems stops after this many items were emitted; items beyond it
	// are discarded. Default 0: unlimited.
	MaxItems int
	// MaxDuration stops the crawl after this long (a finish condition, not
	// an error). Default 0: unlimited.
	MaxDuration time.Duration

	// ConnectTimeout bounds dialing a connection. Default 10s.
	ConnectTimeout time.Duration
	// HeaderTimeout bounds waiting for response headers. Default 10s.
	HeaderTimeout time.Duration
	// BodyTimeout bounds reading the body after the headers. Default 30s.
	BodyTimeout time.Duration

	// MaxRetries is the number of retries after a 5xx, 429, timeout or
	// connection error. 4xx other than 429 are never retried. Default 3;
	// set NoRetry for none.
	MaxRetries int
	NoRetry    bool
	// RetryBase is the first backoff; it doubles each retry, with full
	// jitter. Default 250ms.
	RetryBase time.Duration
	// MaxRetryWait caps one backoff and the Retry-After a server may ask
	// for; a longer Retry-After ends the retries. Default 10s.
	MaxRetryWait time.Duration

	// MaxBodySize truncates bodies longer than this many bytes (the
	// truncation is recorded in Response.Truncated and Stats.Truncated).
	// Default 10 MiB.
	MaxBodySize int64
	// MaxRedirects bounds a redirect chain. Default 10.
	MaxRedirects int

	// StateDir, when set, journals the frontier, the seen set and the
	// emitted items there so that a crawl killed at any point resumes with
	// the same call, emitting every page's items exactly once across runs.
	// Default "": no journal.
	StateDir string
	// Output is a JSON-lines file receiving every emitted item. With
	// StateDir it is appended to and repaired on resume (default
	// StateDir/items.jsonl); without, it is written to a temporary file and
	// renamed into place when the crawl ends. Default "": no file.
	Output string

	// Progress is called at most every ProgressEvery (default 500ms) and
	// once at the end; returning an error stops the crawl with that error.
	Progress      func(Progress) error
	ProgressEvery time.Duration

	// Seed seeds the retry jitter. Default 0.
	Seed uint64
}

// DefaultUserAgent is sent when Config.UserAgent is empty.
const DefaultUserAgent = "gonbml-crawl/1.0"

// Validate reports the first invalid field.
func (c *Config) Validate() error {
	switch {
	case c.Workers < 0:
		return fmt.Errorf("crawl: Workers is negative (%d)", c.Workers)
	case c.HostConcurrency < 0:
		return fmt.Errorf("crawl: HostConcurrency is negative (%d)", c.HostConcurrency)
	case c.HostRate < 0:
		return fmt.Errorf("crawl: HostRate is negative (%v)", c.HostRate)
	case c.HostBurst < 0:
		return fmt.Errorf("crawl: HostBurst is negative (%d)", c.HostBurst)
	case c.Frontier < BFS || c.Frontier > Priority:
		return fmt.Errorf("crawl: unknown Frontier %d", int(c.Frontier))
	case c.Frontier == Priority && c.Priority == nil:
		return errors.New("crawl: Frontier is Priority but Priority is nil")
	case c.MaxFrontier < 0, c.MaxDepth < 0, c.MaxPages < 0, c.MaxItems < 0,
		c.MaxRetries < 0, c.MaxRedirects < 0, c.MaxBodySize < 0:
		return errors.New("crawl: a Max* limit is negative")
	case c.MaxDuration < 0, c.ConnectTimeout < 0, c.HeaderTimeout < 0,
		c.BodyTimeout < 0, c.RetryBase < 0, c.MaxRetryWait < 0, c.ProgressEvery < 0:
		return errors.New("crawl: a duration is negative")
	}
	for _, h := range c.AllowedHosts {
		if h == "" {
			return errors.New("crawl: empty host in AllowedHosts")
		}
	}
	if c.Follow != "" {
		if err := checkSelector(c.Follow); err != nil {
			return fmt.Errorf("crawl: Follow: %w", err)
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
	if c.NoRetry {
		c.MaxRetries = 0
	}
	if c.MaxBodySize == 0 {
		c.MaxBodySize = 10 << 20
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if c.Follow == "" && !c.NoFollow {
		c.Follow = "a[href]"
	}
	if c.NoFollow {
		c.Follow = ""
	}
	defD(&c.ConnectTimeout, 10*time.Second)
	defD(&c.HeaderTimeout, 10*time.Second)
	defD(&c.BodyTimeout, 30*time.Second)
	defD(&c.RetryBase, 250*time.Millisecond)
	defD(&c.MaxRetryWait, 10*time.Second)
	defD(&c.ProgressEvery, 500*time.Millisecond)
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

// Follow sets Config.Follow; Follow("") follows nothing automatically.
func Follow(selector string) Option {
	return func(c *Config) { c.Follow, c.NoFollow = selector, selector == "" }
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
// disables retrying.
func Retries(n int, base, maxWait time.Duration) Option {
	return func(c *Config) {
		c.MaxRetries, c.NoRetry, c.RetryBase, c.MaxRetryWait = n, n == 0, base, maxWait
	}
}

// MaxBodySize sets Config.MaxBodySize.
func MaxBodySize(n int64) Option { return func(c *Config) { c.MaxBodySize = n } }

// MaxRedirects sets Config.MaxRedirects.
func MaxRedirects(n int) Option { return func(c *Config) { c.MaxRedirects = n } }

// StateDir sets Config.StateDir.
func StateDir(dir string) Option { return func(c *Config) { c.StateDir = dir } }

// Output sets Config.Output.
func Output(path string) Option { return func(c *Config) { c.Output = path } }

// OnProgress sets Config.Progress and Config.ProgressEvery.
func OnProgress(fn func(Progress) error, every time.Duration) Option {
	return func(c *Config) { c.Progress, c.ProgressEvery = fn, every }
}

// Seed sets Config.Seed.
func Seed(s uint64) Option { return func(c *Config) { c.Seed = s } }
