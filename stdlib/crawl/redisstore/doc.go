// Package redisstore shares a crawl of stdlib/crawl among processes and
// machines through Redis (Debian's redis-server, client
// github.com/redis/go-redis/v9). Importing it registers the redis:// and
// rediss:// schemes of crawl.Config.Redis:
//
//	import _ "github.com/gonbml/gonbml/stdlib/crawl/redisstore"
//
//	c, _ := crawl.New(crawl.Redis("redis://:password@10.0.0.5:6379/0", "news"), crawl.Workers(8))
//	stats, err := c.Crawl(ctx, "https://example.org/")
//
// Run the same program on as many machines as wanted: each is a worker
// of crawl "news". crawl's package documentation ("Many processes") says
// what is guaranteed; this package's scripts.go lists the keys.
//
// # Per page
//
// A worker makes two round trips per page, each one Lua script run
// atomically by Redis: claim (give expired leases back, take the first
// URL of a host whose next slot has come and that has room under its
// concurrency cap, lease it) and complete (end the lease, add the
// page's items to the stream unless the page is done already, add the
// new links to the seen set and their hosts' queues). Redis does
// O(links per page) work in them, so one Redis serves tens of thousands
// of pages per second before its one thread saturates; see
// bench/crawl/RESULTS.md.
//
// # Helpers
//
// StartServer runs a local redis-server (AOF on) for tests, benchmarks
// and notebooks; StartWorkers starts worker processes, copies of the
// running program that crawl page titles; ReadItems, Export, Inspect and
// Drop read, write out, examine and delete a crawl.
package redisstore
