package crawl_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gonbml/gonbml/stdlib/crawl"
)

// latin1Cafe is "café" in windows-1252: é is the single byte 0xE9.
const latin1Cafe = "caf\xe9"

// faultHandler serves one path per failure the crawler must survive.
func faultHandler(other string) http.Handler {
	var resetOnce, ra503, plain503, tooMany atomic.Int32
	mux := http.NewServeMux()
	html := func(w http.ResponseWriter, s string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, s)
	}
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		html(w, page("index",
			link("/ok/1#top"), link("/ok/1#bottom"), link("/ok/1"), link("HTTP://127.0.0.1:"+r.Host[strings.LastIndexByte(r.Host, ':')+1:]+"/ok/1"),
			link("/ok/2?b=2&a=1"), link("/ok/2?a=1&b=2"), link("./ok/../ok/2?a=1&b=2#x"),
			link("/404"), link("/410"), link("/500"), link("/503-retry-after"), link("/503-then-ok"),
			link("/429"), link("/slow-headers"), link("/slow-body"), link("/reset-once"), link("/reset-always"),
			link("/redirect/a"), link("/loop/a"), link("/chain/0"), link("/huge"), link("/binary"), link("/binary-no-type"),
			link("/charset/meta"), link("/charset/wrong"), link("/charset/missing"), link("/malformed"),
			link("/private/secret"), link("/based/page"), link("/cal?m=0"),
			link(other+"/from-other"), link("http://example.invalid/x"),
			link("mailto:someone@example.invalid"), link("javascript:void(0)"), link("ftp://127.0.0.1/x"),
		))
	})
	mux.HandleFunc("/ok/{n}", func(w http.ResponseWriter, r *http.Request) {
		html(w, page("ok "+r.PathValue("n")))
	})
	mux.HandleFunc("/404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/410", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) })
	mux.HandleFunc("/503-retry-after", func(w http.ResponseWriter, r *http.Request) {
		if ra503.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(503)
			return
		}
		html(w, page("recovered 503 retry-after"))
	})
	mux.HandleFunc("/503-then-ok", func(w http.ResponseWriter, r *http.Request) {
		if plain503.Add(1) <= 2 {
			w.WriteHeader(503)
			return
		}
		html(w, page("recovered 503"))
	})
	mux.HandleFunc("/429", func(w http.ResponseWriter, r *http.Request) {
		if tooMany.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			return
		}
		html(w, page("recovered 429"))
	})
	mux.HandleFunc("/slow-headers", func(w http.ResponseWriter, r *http.Request) {
		if wait(r, 5*time.Second) {
			html(w, page("too late"))
		}
	})
	mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><head><title>slowloris</title>")
		w.(http.Flusher).Flush()
		for i := 0; i < 50; i++ { // one byte every 100ms: 5s in all
			if !wait(r, 100*time.Millisecond) {
				return
			}
			fmt.Fprint(w, " ")
			w.(http.Flusher).Flush()
		}
	})
	reset := func(w http.ResponseWriter) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		conn.(*net.TCPConn).SetLinger(0) // close with RST
		conn.Close()
	}
	mux.HandleFunc("/reset-once", func(w http.ResponseWriter, r *http.Request) {
		if resetOnce.Add(1) == 1 {
			reset(w)
			return
		}
		html(w, page("recovered reset"))
	})
	mux.HandleFunc("/reset-always", func(w http.ResponseWriter, r *http.Request) { reset(w) })
	mux.HandleFunc("/redirect/a", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/redirect/b", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/redirect/b", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/redirect/c#frag", http.StatusFound)
	})
	mux.HandleFunc("/redirect/c", func(w http.ResponseWriter, r *http.Request) {
		html(w, page("redirect target", link("/redirect/a"), link("/redirect/c")))
	})
	mux.HandleFunc("/loop/a", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop/b", http.StatusFound)
	})
	mux.HandleFunc("/loop/b", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop/a", http.StatusFound)
	})
	mux.HandleFunc("/chain/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n+1), http.StatusFound)
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><head><title>huge</title></head><body>"+link("/after-huge"))
		chunk := strings.Repeat("<p>filler</p>", 1000)
		for i := 0; i < 400; i++ { // 400 × 13,000 bytes ≈ 5 MB, far over the 64 KiB limit
			if _, err := fmt.Fprint(w, chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/after-huge", func(w http.ResponseWriter, r *http.Request) { html(w, page("after huge")) })
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + strings.Repeat("\x00", 64)
	mux.HandleFunc("/binary", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		fmt.Fprint(w, png)
	})
	mux.HandleFunc("/binary-no-type", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil // stop net/http from sniffing for us
		fmt.Fprint(w, png)
	})
	mux.HandleFunc("/charset/meta", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><head><meta charset="windows-1252"><title>meta `+latin1Cafe+`</title></head></html>`)
	})
	mux.HandleFunc("/charset/wrong", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>wrong `+latin1Cafe+`</title></head></html>`)
	})
	mux.HandleFunc("/charset/missing", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil
		fmt.Fprint(w, `<html><head><title>missing `+latin1Cafe+`</title></head><body>`+strings.Repeat("text ", 100)+`</body></html>`)
	})
	mux.HandleFunc("/malformed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><title>malformed</title><body><div><a href="/ok/m1">one<p><a href=/ok/m2>two</div></table></span><a href='/ok/m3'>three`)
	})
	mux.HandleFunc("/private/", func(w http.ResponseWriter, r *http.Request) { html(w, page("secret")) })
	mux.HandleFunc("/based/page", func(w http.ResponseWriter, r *http.Request) {
		html(w, `<html><head><base href="/other/dir/"><title>based</title></head><body>`+link("target")+`</body></html>`)
	})
	mux.HandleFunc("/other/dir/target", func(w http.ResponseWriter, r *http.Request) { html(w, page("base target")) })
	mux.HandleFunc("/cal", func(w http.ResponseWriter, r *http.Request) {
		m, _ := strconv.Atoi(r.URL.Query().Get("m"))
		html(w, page("month "+strconv.Itoa(m), link(fmt.Sprintf("/cal?m=%d", m+1))))
	})
	return mux
}

func TestFaultSite(t *testing.T) {
	other := newSite(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, page("other host"))
	}))
	s := newSite(t, faultHandler(other.URL))

	var mu sync.Mutex
	titles := map[string]string{}
	errs := map[string]error{}
	c, err := crawl.New(
		crawl.Workers(4),
		crawl.MaxDepth(6), // the calendar is infinite: months 0..5 sit at depths 1..6
		crawl.Timeouts(2*time.Second, time.Second, 1500*time.Millisecond), // slow pages take 5s; generous for loaded machines
		crawl.Retries(2, 20*time.Millisecond, 2*time.Second),              // Retry-After 1s fits under 2s
		crawl.MaxBodySize(64<<10),                                         // /huge sends ~5 MB
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
	_, dups := s.total()
	for _, d := range dups {
		if !retried[d] {
			t.Errorf("%s requested %d times, want once", d, s.hits(d))
		}
	}
	once := []string{"/", "/robots.txt", "/ok/1", "/ok/2?a=1&b=2", "/404", "/410", "/redirect/a", "/redirect/b",
		"/redirect/c", "/huge", "/after-huge", "/binary", "/binary-no-type", "/malformed", "/ok/m1", "/ok/m2", "/ok/m3",
		"/based/page", "/other/dir/target", "/charset/meta", "/charset/wrong", "/charset/missing"}
	for _, p := range once {
		if n := s.hits(p); n != 1 {
			t.Errorf("%s requested %d times, want 1", p, n)
		}
	}
	// Retries: 2 retries after the first try for errors that persist.
	for p, want := range map[string]int{"/500": 3, "/503-then-ok": 3, "/503-retry-after": 2, "/429": 2, "/reset-once": 2} {
		if n := s.hits(p); n != want {
			t.Errorf("%s requested %d times, want %d", p, n, want)
		}
	}
	for _, p := range []string{"/slow-headers", "/slow-body", "/reset-always"} {
		if n := s.hits(p); n < 3 {
			t.Errorf("%s requested %d times, want 3 (1 + 2 retries)", p, n)
		}
	}
	// 4xx are not retried.
	for _, p := range []string{"/404", "/410"} {
		if n := s.hits(p); n != 1 {
			t.Errorf("%s requested %d times, want 1 (no retry on 4xx)", p, n)
		}
	}
	// Retry-After: 1 means the second request waits at least a second.
	for _, p := range []string{"/429", "/503-retry-after"} {
		if a := s.arrivals(p); len(a) == 2 && a[1].Sub(a[0]) < 900*time.Millisecond {
			t.Errorf("%s retried after %v, Retry-After asked for 1s", p, a[1].Sub(a[0]))
		}
	}
	// Never requested: robots.txt disallow, other hosts, the calendar past
	// MaxDepth, non-http schemes.
	for _, p := range []string{"/private/secret", "/cal?m=6", "/chain/12"} {
		if n := s.hits(p); n != 0 {
			t.Errorf("%s requested %d times, want 0", p, n)
		}
	}
	if n, _ := other.total(); n != 0 {
		t.Errorf("other host got %d requests, want 0", n)
	}
	for m := 0; m <= 5; m++ {
		if n := s.hits(fmt.Sprintf("/cal?m=%d", m)); n != 1 {
			t.Errorf("/cal?m=%d requested %d times, want 1", m, n)
		}
	}

	wantTitles := map[string]string{
		u("/ok/1"): "ok 1", u("/ok/2?a=1&b=2"): "ok 2",
		u("/503-retry-after"): "recovered 503 retry-after", u("/503-then-ok"): "recovered 503",
		u("/429"): "recovered 429", u("/reset-once"): "recovered reset",
		u("/redirect/c"): "redirect target", u("/huge"): "huge", u("/after-huge"): "after huge",
		u("/charset/meta"): "meta café", u("/charset/wrong"): "wrong café", u("/charset/missing"): "missing café",
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
			fmt.Fprint(w, page("p", link(fmt.Sprintf("/%d", n+1)), link(fmt.Sprintf("/%d", n+2))))
		}
	}))
	c, _ := crawl.New(crawl.Workers(4))
	if _, err := c.Crawl(context.Background(), s.URL+"/0"); err != nil {
		t.Fatal(err)
	}
	var all []time.Time
	for i := 0; i <= 6; i++ {
		all = append(all, s.arrivals(fmt.Sprintf("/%d", i))...)
	}
	if len(all) != 7 {
		t.Fatalf("got %d page requests, want 7 (/0 … /6)", len(all))
	}
	sortTimes(all)
	for i := 1; i < len(all); i++ {
		// Crawl-delay 0.1s: consecutive requests at least 100ms apart (90ms
		// allows for clock granularity); a loaded machine only widens gaps.
		if gap := all[i].Sub(all[i-1]); gap < 90*time.Millisecond {
			t.Errorf("requests %d and %d only %v apart, Crawl-delay is 100ms", i-1, i, gap)
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
		fmt.Fprint(w, page("open"))
	}))
	c, _ := crawl.New(crawl.UserAgent("test-bot/1.0"))
	st, err := c.Crawl(context.Background(), s.URL+"/")
	if err != nil {
		t.Fatal(err)
	}
	// The test-bot group disallows everything: only robots.txt is fetched.
	if st.Skipped["robots"] != 1 || s.hits("/") != 0 {
		t.Errorf("Skipped = %v, hits(/) = %d; want the page disallowed", st.Skipped, s.hits("/"))
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
