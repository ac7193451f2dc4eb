package crawltest

import (
	"fmt"
	"net/http"
	"strings"
)

// Hops is a site of redirects: "/" links /r/0 … /r/N-1, and /r/i answers
// 302 to to+"/p/i" (to is another site's URL, or "" for this one); /p/i
// is a page. No robots.txt (404). It tests that politeness holds on
// redirect hops: the target host's Crawl-delay, rate and cap.
func Hops(to string, n int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case p == "/":
			var links []string
			for i := range n {
				links = append(links, Link(fmt.Sprintf("/r/%d", i)))
			}
			HTML(w, Page("hops", links...))
		case strings.HasPrefix(p, "/r/"):
			http.Redirect(w, r, to+"/p/"+strings.TrimPrefix(p, "/r/"), http.StatusFound)
		case strings.HasPrefix(p, "/p/"):
			HTML(w, Page(p))
		default:
			http.NotFound(w, r)
		}
	})
}
