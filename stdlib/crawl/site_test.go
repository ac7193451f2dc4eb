package crawl_test

import (
	"net/http"
	"testing"

	"github.com/gonbml/gonbml/stdlib/crawl/crawltest"
)

// newSite serves h on loopback for the length of the test.
func newSite(t testing.TB, h http.Handler) *crawltest.Server {
	t.Helper()
	s := crawltest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}
