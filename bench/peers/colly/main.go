// Command colly crawls the bench/crawl site with Colly v2.3.0 (Async,
// Parallelism 8), the Go peer of stdlib/crawl. It lives in its own module
// so Colly never enters the main go.mod.
//
//	go run . -url URL [-parallel 8] [-robots=true] [-out items.jsonl]
//
// It prints the same JSON line as bench/crawl.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/gocolly/colly/v2"
)

func main() {
	siteURL := flag.String("url", "", "running bench/crawl site (go run ./bench/crawl -serve)")
	parallel := flag.Int("parallel", 8, "colly.LimitRule Parallelism")
	robots := flag.Bool("robots", true, "obey robots.txt (Colly ignores it by default)")
	out := flag.String("out", "", "write one {url, title, depth} JSON line per page here")
	flag.Parse()
	if err := run(*siteURL, *parallel, *robots, *out); err != nil {
		fmt.Fprintln(os.Stderr, "bench/peers/colly:", err)
		os.Exit(1)
	}
}

func run(siteURL string, parallel int, robots bool, out string) error {
	u, err := url.Parse(siteURL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("need -url of a running site, got %q", siteURL)
	}
	if _, err := http.Get(siteURL + "/__reset"); err != nil {
		return err
	}
	c := colly.NewCollector(colly.Async(true), colly.AllowedDomains(u.Hostname()))
	c.IgnoreRobotsTxt = !robots
	c.SetRequestTimeout(10 * time.Second)
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: parallel}); err != nil {
		return err
	}
	var mu sync.Mutex
	var w *bufio.Writer
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = bufio.NewWriter(f)
		defer w.Flush()
		c.OnHTML("title", func(e *colly.HTMLElement) {
			b, _ := json.Marshal(map[string]any{"url": e.Request.URL.String(), "title": e.Text, "depth": e.Request.Depth})
			mu.Lock()
			w.Write(append(b, '\n'))
			mu.Unlock()
		})
	}
	errs := map[string]int{}
	c.OnError(func(r *colly.Response, err error) {
		mu.Lock()
		key := fmt.Sprintf("http %d", r.StatusCode)
		if r.StatusCode == 0 {
			key = errClass(err)
		}
		errs[key]++
		mu.Unlock()
	})
	c.OnHTML("a[href]", func(e *colly.HTMLElement) {
		e.Request.Visit(e.Attr("href"))
	})
	cpu0 := cpuTime()
	t0 := time.Now()
	if err := c.Visit(siteURL + "/page/0"); err != nil {
		return err
	}
	c.Wait()
	secs := time.Since(t0).Seconds()
	cpu := cpuTime() - cpu0

	var site struct {
		Requests   int `json:"requests"`
		Distinct   int `json:"distinct_pages"`
		Duplicates int `json:"duplicate_fetches"`
		Disallowed int `json:"disallowed_requests"`
	}
	resp, err := http.Get(siteURL + "/__stats")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&site); err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"crawler":           "colly",
		"workers":           parallel,
		"distinct_pages":    site.Distinct,
		"requests":          site.Requests,
		"duplicate_fetches": site.Duplicates,
		"disallowed_hits":   site.Disallowed,
		"seconds":           round(secs),
		"pages_per_sec":     round(float64(site.Distinct) / secs),
		"cpu_seconds":       round(cpu),
		"cpu_ms_per_page":   round(1000 * cpu / float64(max(site.Distinct, 1))),
		"errors":            errs,
	})
}

// errClass names an error without its URL.
func errClass(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var av *colly.AlreadyVisitedError
	if errors.As(err, &av) {
		return "already visited (redirect)"
	}
	return err.Error()
}

func cpuTime() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func round(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }
