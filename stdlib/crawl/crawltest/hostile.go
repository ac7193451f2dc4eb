package crawltest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Latin1Cafe is "café" in windows-1252: é is the single byte 0xE9.
const Latin1Cafe = "caf\xe9"

// cp1251Privet is "Привет" in windows-1251, which the windows-1252
// fallback would read as "Ïðèâåò".
const cp1251Privet = "\xcf\xf0\xe8\xe2\xe5\xf2"

// Hostile is the site of faults and corner cases: one path per failure the
// crawler must survive (resets, slow headers and bodies, 5xx with and
// without Retry-After, 429, redirect loops and chains, a huge body, binary
// content, legacy charsets, malformed HTML, <base href>, an infinite
// calendar) linked from "/", whose links also spell the same pages several
// ways (fragments, query orders, dot segments, escapes of unreserved
// characters, hex case, tabs and newlines inside the href). other is the URL of another host the index links to.
func Hostile(other string) http.Handler {
	var resetOnce atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		HTML(w, Page("index",
			Link("/ok/1#top"), Link("/ok/1#bottom"), Link("/ok/1"), Link("HTTP://127.0.0.1:"+r.Host[strings.LastIndexByte(r.Host, ':')+1:]+"/ok/1"),
			Link("/ok/2?b=2&a=1"), Link("/ok/2?a=1&b=2"), Link("./ok/../ok/2?a=1&b=2#x"),
			Link("/404"), Link("/410"), Link("/500"), Link("/503-retry-after"), Link("/503-then-ok"), Link("/503-retry-after-long"),
			Link("/429"), Link("/slow-headers"), Link("/slow-body"), Link("/reset-once"), Link("/reset-always"),
			Link("/redirect/a"), Link("/loop/a"), Link("/chain/0"), Link("/huge"), Link("/binary"), Link("/binary-no-type"),
			Link("/charset/meta"), Link("/charset/late"), Link("/charset/wrong"), Link("/charset/missing"), Link("/malformed"),
			Link("/private/secret"), Link("/based/page"), Link("/cal?m=0"),
			Link(other+"/from-other"), Link("http://example.invalid/x"),
			Link("/p%41ge"), Link("/pAge"), Link("/%7Euser"), Link("/~user"), Link("/caf%c3%a9"), Link("/caf%C3%A9"),
			Link("/tab\tbed"), Link(" /new\nline "),
			Link("mailto:someone@example.invalid"), Link("javascript:void(0)"), Link("ftp://127.0.0.1/x"),
		))
	})
	mux.HandleFunc("/ok/{n}", func(w http.ResponseWriter, r *http.Request) {
		HTML(w, Page("ok "+r.PathValue("n")))
	})
	for _, p := range []string{"/pAge", "/~user", "/café", "/tabbed", "/newline"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) { HTML(w, Page("spelled "+p)) })
	}
	mux.HandleFunc("/404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/410", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) })
	mux.HandleFunc("/503-retry-after", failing(1, 503, "1", "recovered 503 retry-after"))
	mux.HandleFunc("/503-retry-after-long", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(503)
	})
	mux.HandleFunc("/503-then-ok", failing(2, 503, "", "recovered 503"))
	mux.HandleFunc("/429", failing(1, 429, "1", "recovered 429"))
	mux.HandleFunc("/slow-headers", func(w http.ResponseWriter, r *http.Request) {
		if Wait(r, 30*time.Second) { // ends when the client gives up
			HTML(w, Page("too late"))
		}
	})
	mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><head><title>slowloris</title>")
		w.(http.Flusher).Flush()
		for i := 0; i < 300; i++ { // one byte every 100ms: 30s in all, or until the client gives up
			if !Wait(r, 100*time.Millisecond) {
				return
			}
			fmt.Fprint(w, " ")
			w.(http.Flusher).Flush()
		}
	})
	reset := resetConn
	mux.HandleFunc("/reset-once", func(w http.ResponseWriter, r *http.Request) {
		if resetOnce.Add(1) == 1 {
			reset(w)
			return
		}
		HTML(w, Page("recovered reset"))
	})
	mux.HandleFunc("/reset-always", func(w http.ResponseWriter, r *http.Request) { reset(w) })
	mux.HandleFunc("/redirect/a", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/redirect/b", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/redirect/b", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/redirect/c#frag", http.StatusFound)
	})
	mux.HandleFunc("/redirect/c", func(w http.ResponseWriter, r *http.Request) {
		HTML(w, Page("redirect target", Link("/redirect/a"), Link("/redirect/c")))
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
		fmt.Fprint(w, "<html><head><title>huge</title></head><body>"+Link("/after-huge"))
		chunk := strings.Repeat("<p>filler</p>", 1000)
		for i := 0; i < 400; i++ { // 400 × 13,000 bytes ≈ 5 MB, far over the 64 KiB limit
			if _, err := fmt.Fprint(w, chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/after-huge", func(w http.ResponseWriter, r *http.Request) { HTML(w, Page("after huge")) })
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
		fmt.Fprint(w, `<html><head><meta charset="windows-1252"><title>meta `+Latin1Cafe+`</title></head></html>`)
	})
	mux.HandleFunc("/charset/late", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><head><!-- `+strings.Repeat("padding ", 200)+` -->`+
			`<meta charset="windows-1251"><title>late `+cp1251Privet+`</title></head>`+
			`<body><a href="/late/`+cp1251Privet+`">привет</a></body></html>`)
	})
	mux.HandleFunc("/late/Привет", func(w http.ResponseWriter, r *http.Request) { HTML(w, Page("late target")) })
	mux.HandleFunc("/charset/wrong", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>wrong `+Latin1Cafe+`</title></head></html>`)
	})
	mux.HandleFunc("/charset/missing", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil
		fmt.Fprint(w, `<html><head><title>missing `+Latin1Cafe+`</title></head><body>`+strings.Repeat("text ", 100)+`</body></html>`)
	})
	mux.HandleFunc("/malformed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><title>malformed</title><body><div><a href="/ok/m1">one<p><a href=/ok/m2>two</div></table></span><a href='/ok/m3'>three`)
	})
	mux.HandleFunc("/private/", func(w http.ResponseWriter, r *http.Request) { HTML(w, Page("secret")) })
	mux.HandleFunc("/based/page", func(w http.ResponseWriter, r *http.Request) {
		HTML(w, `<html><head><base href="/other/dir/"><title>based</title></head><body>`+Link("target")+`</body></html>`)
	})
	mux.HandleFunc("/other/dir/target", func(w http.ResponseWriter, r *http.Request) { HTML(w, Page("base target")) })
	mux.HandleFunc("/cal", func(w http.ResponseWriter, r *http.Request) {
		m, _ := strconv.Atoi(r.URL.Query().Get("m"))
		HTML(w, Page("month "+strconv.Itoa(m), Link(fmt.Sprintf("/cal?m=%d", m+1))))
	})
	return mux
}

// failing answers status (with a Retry-After when retryAfter is set) to
// the first n requests, then a page titled title.
func failing(n int32, status int, retryAfter, title string) http.HandlerFunc {
	var tries atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if tries.Add(1) <= n {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(status)
			return
		}
		HTML(w, Page(title))
	}
}
