package redisstore_test

import (
	"testing"

	"github.com/gonbml/gonbml/stdlib/crawl/redisstore"
	"github.com/gonbml/gonbml/stdlib/crawl/storetest"
)

// The Redis store passes the SharedStore conformance suite, against a
// real redis-server (the in-memory store runs the same suite in crawl).
func TestRedisStoreConformance(t *testing.T) {
	rs := startRedis(t, redisstore.ServerConfig{Password: "conf pass"})
	storetest.Run(t, func(*testing.T) string { return rs.URL() })
}
