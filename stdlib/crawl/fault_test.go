package crawl_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gonbml/gonbml/stdlib/crawl"
	"github.com/gonbml/gonbml/stdlib/crawl/crawltest"
)

func TestFaultSite(t *testing.T) {
	other := newSite(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, crawltest.Page("other host"))
	}))
	s := newSite(t, crawltest.Hostile(other.URL))

	var mu sync.Mutex
	titles := map[string]string{}
	errs := map[string]error{}
	c, err := crawl.New(
		crawl.Workers(4),
		crawl.MaxDepth(6), // the calendar is infinite: months 0..5 sit at depths 1..6
		// The slow pages take 30 s (or until the client gives up); the
		// other pages must answer within these on a loaded machine, or
		// they are retried and the counts below fail.
		crawl.Timeouts(2*time.Second, 3*time.Second, 3*time.Second),
		crawl.Retries(2, 20*time.Millisecond, 2*time.Second), // Retry-After 1s fits under 2s
		crawl.MaxBodySize(64<<10),                            // /huge sends ~5 MB
		crawl.MaxRedirects(10),
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.OnHTML("title", func(e *crawl.HTMLElement) {
		mu.Lock()
		titles[e.Response.URL] = e.Text
		mu.Unlock()
		e.Response.Emit(map[string]string{"url": e.Response.URL, "title": e.Text})
	}); err != nil {
		t.Fatal(err)
	}
	c.OnError(func(r *crawl.Response, err error) {
		mu.Lock()
		errs[r.RequestURL] = err
		mu.Unlock()
	})
	st, err := c.Crawl(context.Background(), s.URL+"/")
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	t.Logf("stats: %+v", st)
	u := func(p string) string { return s.URL + p }

	// Every page, however many links point at it, is requested once, except
	// the ones the crawler must retry.
	retried := map[string]bool{"/500": true, "/503-retry-after": true, "/503-then-ok": true, "/429": true,
		"/slow-headers": true, "/slow-body": true, "/reset-once": true, "/reset-always": true}
	_, dups := s.Total()
	for _, d := range dups {
		if !retried[d] {
			t.Errorf("%s requested %d times, want once", d, s.Hits(d))
		}
	}
	// A page is requested as first linked (the index spells /ok/2's query
	// b=2&a=1): the sorted query is the dedupe key, not the request.
	once := []string{"/", "/robots.txt", "/ok/1", "/ok/2?b=2&a=1", "/404", "/410", "/redirect/a", "/redirect/b",
		"/redirect/c", "/huge", "/after-huge", "/binary", "/binary-no-type", "/malformed", "/ok/m1", "/ok/m2", "/ok/m3",
		"/based/page", "/other/dir/target", "/charset/meta", "/charset/wrong", "/charset/missing",
		// RFC 3986 §6.2.2 spellings of one page each, and hrefs with a tab or
		// a newline inside (dropped by browsers, not the link).
		"/pAge", "/~user", "/caf%C3%A9", "/tabbed", "/newline"}
	for _, p := range once {
		if n := s.Hits(p); n != 1 {
			t.Errorf("%s requested %d times, want 1", p, n)
		}
	}
	// Retries: 2 retries after the first try for errors that persist.
	for p, want := range map[string]int{"/500": 3, "/503-then-ok": 3, "/503-retry-after": 2, "/429": 2, "/reset-once": 2} {
		if n := s.Hits(p); n != want {
			t.Errorf("%s requested %d times, want %d", p, n, want)
		}
	}
	for _, p := range []string{"/slow-headers", "/slow-body", "/reset-always"} {
		if n := s.Hits(p); n < 3 {
			t.Errorf("%s requested %d times, want 3 (1 + 2 retries)", p, n)
		}
	}
	// 4xx are not retried.
	for _, p := range []string{"/404", "/410"} {
		if n := s.Hits(p); n != 1 {
			t.Errorf("%s requested %d times, want 1 (no retry on 4xx)", p, n)
		}
	}
	// Retry-After: 1 means the second request waits at least a second.
	for _, p := range []string{"/429", "/503-retry-after"} {
		if a := s.Arrivals(p); len(a) == 2 && a[1].Sub(a[0]) < 900*time.Millisecond {
			t.Errorf("%s retried after %v, Retry-After asked for 1s", p, a[1].Sub(a[0]))
		}
	}
	// Never requested: robots.txt disallow, other hosts, the calendar past
	// MaxDepth, non-http schemes.
	for _, p := range []string{"/private/secret", "/cal?m=6", "/chain/12", "/p%41ge", "/%7Euser", "/caf%c3%a9",
		"/ok/2?a=1&b=2"} {
		if n := s.Hits(p); n != 0 {
			t.Errorf("%s requested %d times, want 0", p, n)
		}
	}
	if n, _ := other.Total(); n != 0 {
		t.Errorf("other host got %d requests, want 0", n)
	}
	for m := 0; m <= 5; m++ {
		if n := s.Hits(fmt.Sprintf("/cal?m=%d", m)); n != 1 {
			t.Errorf("/cal?m=%d requested %d times, want 1", m, n)
		}
	}

	wantTitles := map[string]string{
		u("/ok/1"): "ok 1", u("/ok/2?a=1&b=2"): "ok 2",
		u("/503-retry-after"): "recovered 503 retry-after", u("/503-then-ok"): "recovered 503",
		u("/429"): "recovered 429", u("/reset-once"): "recovered reset",
		u("/redirect/c"): "redirect target", u("/huge"): "huge", u("/after-huge"): "after huge",
		u("/charset/meta"): "meta café",
		// A <meta charset="windows-1251"> after the first 1,024 bytes still
		// decodes the title and the link path, not as windows-1252 ("Ïðèâåò").
		u("/charset/late"): "late Привет", u("/late/%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82"): "late target", u("/charset/wrong"): "wrong café", u("/charset/missing"): "missing café",
		u("/malformed"): "malformed", u("/other/dir/target"): "base target",
	}
	for url, want := range wantTitles {
		if got := titles[url]; got != want {
			t.Errorf("title of %s = %q, want %q", url, got, want)
		}
	}
	for url, title := range titles {
		if !utf8.ValidString(title) {
			t.Errorf("title of %s is not UTF-8: %q", url, title)
		}
	}
	for _, p := range []string{"/slow-headers", "/slow-body", "/binary", "/binary-no-type", "/private/secret"} {
		if _, ok := titles[u(p)]; ok {
			t.Errorf("%s produced a title, want none", p)
		}
	}

	wantErr := map[string]string{"http 404": "/404", "http 410": "/410", "http 500": "/500",
		"redirect loop": "/loop/a", "too many redirects": "/chain/0"}
	for class, p := range wantErr {
		if st.Errors[class] != 1 {
			t.Errorf("Stats.Errors[%q] = %d, want 1", class, st.Errors[class])
		}
		if errs[u(p)] == nil {
			t.Errorf("OnError not called for %s", p)
		}
	}
	// Every error names the page (absolute), the attempts and the last
	// status or cause; a redirect loop names its absolute URLs.
	for p, parts := range map[string][]string{
		"/500":                  {"GET " + u("/500") + ": 3 attempts", "HTTP 500"},
		"/404":                  {"GET " + u("/404") + ": 1 attempt", "HTTP 404 Not Found"},
		"/503-retry-after-long": {"1 attempt", "HTTP 503 Service Unavailable, Retry-After 3600 s exceeds MaxRetryWait 2s"},
		"/slow-body":            {"3 attempts", "body timeout (BodyTimeout 3s)"},
		"/slow-headers":         {"3 attempts", "timeout"},
		"/reset-always":         {"3 attempts"},
		"/loop/a":               {"1 attempt", u("/loop/a") + " → " + u("/loop/b") + " → " + u("/loop/a")},
		"/chain/0":              {"11 hops from " + u("/chain/0") + " to " + u("/chain/11"), "MaxRedirects 10"},
	} {
		msg := fmt.Sprint(errs[u(p)])
		for _, part := range parts {
			if !strings.Contains(msg, part) {
				t.Errorf("error of %s = %q, want it to contain %q", p, msg, part)
			}
		}
		var fe *crawl.FetchError
		if !errors.As(errs[u(p)], &fe) || fe.URL != u(p) {
			t.Errorf("error of %s is not a *FetchError naming it: %#v", p, errs[u(p)])
		}
	}
	if n := s.Hits("/503-retry-after-long"); n != 1 {
		t.Errorf("/503-retry-after-long requested %d times, want 1 (Retry-After beyond MaxRetryWait)", n)
	}
	// slow-headers, slow-body: timeouts; reset-always: connection.
	if st.Errors["timeout"] != 2 {
		t.Errorf("Stats.Errors[timeout] = %d, want 2", st.Errors["timeout"])
	}
	if st.Errors["connection"] != 1 {
		t.Errorf("Stats.Errors[connection] = %d, want 1", st.Errors["connection"])
	}
	if st.Skipped["content-type"] != 2 { // /binary and /binary-no-type
		t.Errorf("Stats.Skipped[content-type] = %d, want 2", st.Skipped["content-type"])
	}
	if st.Skipped["robots"] != 1 {
		t.Errorf("Stats.Skipped[robots] = %d, want 1", st.Skipped["robots"])
	}
	if st.Truncated != 1 {
		t.Errorf("Stats.Truncated = %d, want 1", st.Truncated)
	}
	if st.Offsite != 2 { // the other loopback server and example.invalid
		t.Errorf("Stats.Offsite = %d, want 2", st.Offsite)
	}
	if st.Stop != "done" || st.Items != len(titles) {
		t.Errorf("Stop = %q, Items = %d; want done and %d", st.Stop, st.Items, len(titles))
	}
}

func TestCrawlDelay(t *testing.T) {
	s := newSite(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nCrawl-delay: 0.1\n")
			return
		}
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		w.Header().Set("Content-Type", "text/html")
		if n < 5 {
			fmt.Fprint(w, crawltest.Page("p", crawltest.Link(fmt.Sprintf("/%d", n+1)), crawltest.Link(fmt.Sprintf("/%d", n+2))))
		}
	}))
	c, _ := crawl.New(crawl.Workers(4))
	if _, err := c.Crawl(context.Background(), s.URL+"/0"); err != nil {
		t.Fatal(err)
	}
	var all []time.Time
	for i := 0; i <= 6; i++ {
		all = append(all, s.Arrivals(fmt.Sprintf("/%d", i))...)
	}
	if len(all) != 7 {
		t.Fatalf("got %d page requests, want 7 (/0 … /6)", len(all))
	}
	checkSpacing(t, all, 100*time.Millisecond, "Crawl-delay 100ms")
}

// LateArrival is how late a test server's handler may see a request on a
// loaded machine (the process or goroutine not scheduled): checkSpacing
// allows one request seen that late.
const LateArrival = 250 * time.Millisecond

// checkSpacing asserts that requests the crawler starts at least gap
// apart were seen so: any k consecutive intervals span at least k·gap.
// The times are taken where the server's handler sees each request, so
// one request seen late shortens the spans that start at it;
// LateArrival of slack allows that (a span of fewer intervals than
// LateArrival/gap is not checked), while a crawler ignoring the gap
// (intervals near 0) fails the longer spans.
func checkSpacing(t *testing.T, times []time.Time, gap time.Duration, what string) {
	t.Helper()
	all := slices.Clone(times)
	sortTimes(all)
	if time.Duration(len(all)-1)*gap <= 2*LateArrival {
		t.Fatalf("checkSpacing: %d requests %v apart cannot tell a crawler ignoring %s from a late arrival", len(all), gap, what)
	}
	for i := 0; i < len(all); i++ {
		for j := i + 1; j < len(all); j++ {
			if span, want := all[j].Sub(all[i]), time.Duration(j-i)*gap-LateArrival; span < want {
				t.Errorf("requests %d to %d span %v, want at least %v (%s)", i, j, span, want, what)
			}
		}
	}
}

func sortTimes(ts []time.Time) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Before(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

func TestUserAgentAndRobotsGroup(t *testing.T) {
	var mu sync.Mutex
	agents := map[string]bool{}
	s := newSite(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.UserAgent()] = true
		mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: test-bot\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, crawltest.Page("open"))
	}))
	c, _ := crawl.New(crawl.UserAgent("test-bot/1.0"))
	st, err := c.Crawl(context.Background(), s.URL+"/")
	if err != nil {
		t.Fatal(err)
	}
	// The test-bot group disallows everything: only robots.txt is fetched.
	if st.Skipped["robots"] != 1 || s.Hits("/") != 0 {
		t.Errorf("Skipped = %v, hits(/) = %d; want the page disallowed", st.Skipped, s.Hits("/"))
	}
	if len(agents) != 1 || !agents["test-bot/1.0"] {
		t.Errorf("User-Agent headers seen: %v, want only test-bot/1.0", agents)
	}
	// Another agent falls in the * group and may fetch the page.
	c, _ = crawl.New(crawl.UserAgent("other-bot"))
	if st, _ = c.Crawl(context.Background(), s.URL+"/"); st.Fetched != 1 {
		t.Errorf("other-bot fetched %d pages, want 1", st.Fetched)
	}
}
