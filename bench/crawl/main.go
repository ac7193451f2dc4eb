// Command crawl benchmarks stdlib/crawl on a local site.
//
//	go run ./bench/crawl -n 5000                 # start a 5,000-page site in a child process and crawl it
//	go run ./bench/crawl -url URL -workers 8 -out items.jsonl   # crawl a running site
//	go run ./bench/crawl -serve -n 5000          # only serve the site (prints its URL)
//
// A crawl shared through Redis (stdlib/crawl/redisstore):
//
//	crawlbench -redis URL -procs 2 -url SITE     # start 2 worker processes of itself, wait, report
//	crawlbench -redis local -procs 2 -url SITE   # the same on a redis-server started for the run
//	crawlbench -redis URL -worker -url SITE -id ID   # one worker process; exits when the crawl is done
//	crawlbench -redis URL -id ID -export ITEMS.jsonl # write the crawl's items, one line per page
//
// It prints one JSON line: distinct_pages, requests, duplicate_fetches,
// seconds, pages_per_sec, cpu_seconds (this process only: the site runs in
// another process; with -procs, the worker processes' CPU) and
// cpu_ms_per_page; with -redis also redis_calls and redis_calls_per_page.
// bench/crawl/compare.sh runs it side by side with bench/peers/colly,
// bench/crawl/redis.sh against itself with 1, 2 and 4 worker processes.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/gonbml/gonbml/stdlib/crawl"
	"github.com/gonbml/gonbml/stdlib/crawl/crawltest"
	"github.com/gonbml/gonbml/stdlib/fit"
)

func main() {
	n := flag.Int("n", 5000, "pages of the local site")
	siteURL := flag.String("url", "", "crawl this running site instead of starting one (its /page/0 is the seed)")
	workers := flag.Int("workers", 8, "concurrent requests")
	out := flag.String("out", "", "write one {url, title, depth} JSON line per page here")
	serve := flag.Bool("serve", false, "only serve the site on 127.0.0.1 and print its URL")
	seed := flag.Uint64("seed", 1, "seed of the site's link structure")
	delay := flag.Duration("delay", 0, "with -serve: the time every page takes to answer")
	redisURL := flag.String("redis", "", `share the crawl through this Redis URL ("local": a redis-server started for the run)`)
	worker := flag.Bool("worker", false, "with -redis: run one worker process of the shared crawl -id on -url")
	procs := flag.Int("procs", 1, "with -redis: worker processes to start")
	id := flag.String("id", "", "with -redis: the crawl ID (default: a new one per run)")
	export := flag.String("export", "", "with -redis: write the crawl's items to this JSON-lines file")
	mem := flag.Bool("mem", false, "crawl in this process through the in-memory SharedStore (mem://) instead of the default path")
	fsync := flag.String("fsync", "always", `with -redis local: appendfsync "always" or "everysec"`)
	flag.Parse()
	var err error
	switch {
	case *redisURL != "" && *worker:
		err = runWorker(*redisURL, *id, *siteURL, *workers, *procs)
	case *redisURL != "" && *export != "":
		err = runExport(*redisURL, *id, *export)
	case *redisURL != "":
		err = runShared(*redisURL, *fsync, *id, *siteURL, *workers, *procs)
	default:
		err = run(*n, *siteURL, *workers, *out, *serve, *seed, *delay, *mem)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/crawl:", err)
		os.Exit(1)
	}
}

func run(n int, siteURL string, workers int, out string, serve bool, seed uint64, delay time.Duration, mem bool) error {
	if serve {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		fmt.Printf("http://%s\n", l.Addr())
		return http.Serve(l, crawltest.NewSite(crawltest.SiteConfig{Pages: n, Seed: seed, Delay: delay}))
	}
	if siteURL == "" {
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		cmd := exec.Command(exe, "-serve", "-n", fmt.Sprint(n), "-seed", fmt.Sprint(seed))
		cmd.Stderr = os.Stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			return err
		}
		if err := cmd.Start(); err != nil {
			return err
		}
		defer func() { cmd.Process.Kill(); cmd.Wait() }()
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil {
			return fmt.Errorf("site did not start: %w", err)
		}
		siteURL = strings.TrimSpace(line)
	}
	if _, err := http.Get(siteURL + "/__reset"); err != nil {
		return err
	}

	opts := []crawl.Option{crawl.Workers(workers), crawl.HostConcurrency(workers), crawl.Output(out),
		crawl.Timeouts(5*time.Second, 5*time.Second, 10*time.Second)}
	name := "gonbml"
	if mem {
		opts = append(opts, crawl.Redis("mem://bench", ""))
		name = "gonbml-mem"
	}
	c, err := crawl.New(opts...)
	if err != nil {
		return err
	}
	if out != "" {
		c.OnHTML("title", func(e *crawl.HTMLElement) {
			e.Response.Emit(struct {
				URL   string `json:"url"`
				Title string `json:"title"`
				Depth int    `json:"depth"`
			}{e.Response.URL, e.Text, e.Response.Depth})
		})
	}
	cpu0 := cpuTime()
	t0 := time.Now()
	st, err := c.Crawl(context.Background(), siteURL+"/page/0")
	secs := time.Since(t0).Seconds()
	cpu := cpuTime() - cpu0
	if err != nil {
		return err
	}
	site, err := siteStats(siteURL)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"crawler":           name,
		"workers":           workers,
		"distinct_pages":    site.Distinct,
		"requests":          site.Requests,
		"duplicate_fetches": site.Duplicates,
		"disallowed_hits":   site.Disallowed,
		"seconds":           round(secs),
		"pages_per_sec":     round(float64(site.Distinct) / secs),
		"cpu_seconds":       round(cpu),
		"cpu_ms_per_page":   round(1000 * cpu / float64(max(site.Distinct, 1))),
		"errors":            st.Errors,
	})
}

// cpuTime is the process's CPU seconds so far (fit.ProcessCPU; 0 where the
// system cannot say).
func cpuTime() float64 {
	d, _ := fit.ProcessCPU()
	return d.Seconds()
}

// siteStats reads what the test site counted (distinct pages, requests,
// duplicate fetches, disallowed hits).
func siteStats(siteURL string) (crawltest.SiteStats, error) {
	var site crawltest.SiteStats
	resp, err := http.Get(siteURL + "/__stats")
	if err != nil {
		return site, err
	}
	defer resp.Body.Close()
	err = json.NewDecoder(resp.Body).Decode(&site)
	return site, err
}

func round(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }
