package crawl

import (
	"net/url"
	"testing"
)

// TestAllowedHostsNormalised: AllowedHosts compares host[:port] after
// normalisation, and an explicit default port equals none, on either
// side (RFC 3986 §6.2.3).
func TestAllowedHostsNormalised(t *testing.T) {
	r := &run{allow: map[string]bool{}}
	r.allowHosts([]string{"Example.ORG:80", "b.example:443", " c.example ", "[::1]:8080"})
	for raw, want := range map[string]bool{
		"http://example.org/":      true,
		"http://EXAMPLE.org:80/x":  true,
		"https://example.org/":     false, // :80 is http's default, not https's
		"https://b.example/":       true,
		"https://B.example:443/":   true,
		"http://b.example/":        false,
		"http://c.example:80/":     true,
		"https://c.example:443/":   true,
		"http://c.example:8080/":   false,
		"http://[::1]:8080/":       true,
		"http://[::1]/":            false,
		"http://evil.example/":     false,
		"http://example.org.evil/": false,
		"http://example.org:8080/": false,
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.allowedHost(u); got != want {
			t.Errorf("allowedHost(%s) = %v, want %v", raw, got, want)
		}
	}
}
