package crawltest

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
)

// RobotsConfig says how a Robots site's robots.txt misbehaves. The zero
// value serves DefaultRobots with 200.
type RobotsConfig struct {
	// Body is the robots.txt served once it answers 200.
	// Default (""): DefaultRobots.
	Body string
	// Status is what robots.txt answers for its first Failures requests
	// (all of them when Failures is 0). Default (0): 200.
	Status int
	// Failures bounds the requests answered with Status or Reset.
	// Default (0): every request.
	Failures int
	// Reset closes the connection instead of answering (RST), for the
	// requests Failures counts. Default (false): answers.
	Reset bool
	// Redirects sends robots.txt through this many 301 hops before the
	// body (RFC 9309 §2.3.1.2: at least five are followed).
	// Default (0): none.
	Redirects int
}

// DefaultRobots disallows /private/ for every agent.
const DefaultRobots = "User-agent: *\nDisallow: /private/\n"

// Robots is a site whose robots.txt misbehaves as cfg says. "/" links
// /public/1, /private/1 and the same private page spelled with escapes
// of unreserved characters (/%70rivate/2, /p%72ivate/3, %70 and %72 being
// p and r), which RFC 9309 §2.2.2 says match /private/ too, and
// /s?z=1&a=2 and /p?sid=3, for rules about a query as linked; every page
// answers with its path as the title.
func Robots(cfg RobotsConfig) http.Handler {
	if cfg.Body == "" {
		cfg.Body = DefaultRobots
	}
	var tries atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case p == "/robots.txt" || strings.HasPrefix(p, "/robots/"):
			hop := 0
			if strings.HasPrefix(p, "/robots/") {
				hop, _ = strconv.Atoi(strings.TrimPrefix(p, "/robots/"))
			}
			if hop == 0 {
				n := int(tries.Add(1))
				if cfg.Failures == 0 || n <= cfg.Failures {
					if cfg.Reset {
						resetConn(w)
						return
					}
					if cfg.Status != 0 && cfg.Status != 200 {
						w.WriteHeader(cfg.Status)
						return
					}
				}
			}
			if hop < cfg.Redirects {
				http.Redirect(w, r, fmt.Sprintf("/robots/%d", hop+1), http.StatusMovedPermanently)
				return
			}
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, cfg.Body)
		case p == "/":
			HTML(w, Page("robots index", Link("/public/1"), Link("/private/1"), Link("/%70rivate/2"),
				Link("/p%72ivate/3"), Link("/s?z=1&amp;a=2"), Link("/p?sid=3")))
		default:
			HTML(w, Page(r.URL.EscapedPath()))
		}
	})
}

// RobotsRequests is the number of robots.txt requests the handler of
// s answered (redirect hops not counted).
func (s *Server) RobotsRequests() int { return s.Hits("/robots.txt") }

// resetConn closes the client's connection with a TCP reset.
func resetConn(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}
