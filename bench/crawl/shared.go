package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gonbml/gonbml/stdlib/crawl"
	"github.com/gonbml/gonbml/stdlib/crawl/redisstore"
)

// workerReport is the JSON line a -worker process prints.
type workerReport struct {
	Pages      int     `json:"pages"`
	Items      int     `json:"items"`
	StoreCalls int64   `json:"redis_calls"`
	CPU        float64 `json:"cpu_seconds"`
}

// runWorker is one worker process of the shared crawl id: the same
// crawler as the in-memory run (title items, the same timeouts), with
// the host's concurrency cap shared by procs processes.
func runWorker(redisURL, id, siteURL string, workers, procs int) error {
	if id == "" || siteURL == "" {
		return errors.New("-worker needs -id and -url")
	}
	c, err := crawl.New(crawl.Redis(redisURL, id), crawl.Workers(workers), crawl.HostConcurrency(workers*procs),
		crawl.Timeouts(5*time.Second, 5*time.Second, 10*time.Second))
	if err != nil {
		return err
	}
	c.OnHTML("title", func(e *crawl.HTMLElement) {
		e.Response.Emit(struct {
			URL   string `json:"url"`
			Title string `json:"title"`
			Depth int    `json:"depth"`
		}{e.Response.URL, e.Text, e.Response.Depth})
	})
	cpu0 := cpuTime()
	st, err := c.Crawl(context.Background(), siteURL+"/page/0")
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(workerReport{st.Pages, st.Items, st.StoreCalls, cpuTime() - cpu0})
}

func runExport(redisURL, id, path string) error {
	if id == "" {
		return errors.New("-export needs -id")
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	n, err := redisstore.Export(context.Background(), redisURL, id, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		fmt.Fprintf(os.Stderr, "bench/crawl: %d items written to %s\n", n, path)
	}
	return err
}

// runShared starts procs worker processes of this program on one crawl
// and reports the crawl as run does, with the Redis round trips.
func runShared(redisURL, fsync, id, siteURL string, workers, procs int) error {
	if siteURL == "" {
		return errors.New("-redis needs -url (a site started with -serve)")
	}
	if redisURL == "local" {
		rs, err := redisstore.StartServer(redisstore.ServerConfig{Fsync: fsync})
		if err != nil {
			return err
		}
		defer rs.Close()
		redisURL = rs.URL()
	}
	drop := id == "" // a crawl named by -id stays, for -export
	if drop {
		id = fmt.Sprintf("bench-%d", time.Now().UnixNano())
	}
	if _, err := http.Get(siteURL + "/__reset"); err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	rcpu0, err := redisCPU(redisURL)
	if err != nil {
		return err
	}
	t0 := time.Now()
	reps := make([]workerReport, procs)
	errs := make([]error, procs)
	var wg sync.WaitGroup
	for i := range procs {
		wg.Go(func() {
			var out, errOut bytes.Buffer
			cmd := exec.Command(exe, "-redis", redisURL, "-worker", "-id", id, "-url", siteURL,
				"-workers", fmt.Sprint(workers), "-procs", fmt.Sprint(procs))
			cmd.Stdout, cmd.Stderr = &out, &errOut
			if err := cmd.Run(); err != nil {
				errs[i] = fmt.Errorf("worker %d: %v: %s", i, err, errOut.String())
				return
			}
			errs[i] = json.Unmarshal(out.Bytes(), &reps[i])
		})
	}
	wg.Wait()
	secs := time.Since(t0).Seconds()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	rcpu1, err := redisCPU(redisURL)
	if err != nil {
		return err
	}
	site, err := siteStats(siteURL)
	if err != nil {
		return err
	}
	var calls int64
	var cpu float64
	pages, items := 0, 0
	perProc := make([]int, procs)
	for i, r := range reps {
		calls += r.StoreCalls
		cpu += r.CPU
		pages += r.Pages
		items += r.Items
		perProc[i] = r.Pages
	}
	if drop {
		if err := redisstore.Drop(context.Background(), redisURL, id); err != nil {
			return err
		}
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"crawler":                  "gonbml-redis",
		"procs":                    procs,
		"workers":                  workers,
		"distinct_pages":           site.Distinct,
		"requests":                 site.Requests,
		"duplicate_fetches":        site.Duplicates,
		"disallowed_hits":          site.Disallowed,
		"robots_requests":          site.Robots,
		"seconds":                  round(secs),
		"pages_per_sec":            round(float64(site.Distinct) / secs),
		"cpu_seconds":              round(cpu),
		"cpu_ms_per_page":          round(1000 * cpu / float64(max(site.Distinct, 1))),
		"items":                    items,
		"pages_handled":            pages,
		"pages_per_proc":           perProc,
		"redis_calls":              calls,
		"redis_calls_per_page":     round(float64(calls) / float64(max(pages, 1))),
		"redis_calls_per_distinct": round(float64(calls) / float64(max(site.Distinct, 1))),
		"redis_cpu_seconds":        round(rcpu1 - rcpu0),
		"redis_cpu_us_per_page":    round(1e6 * (rcpu1 - rcpu0) / float64(max(pages, 1))),
	})
}

// redisCPU is the CPU seconds the Redis server has used (INFO cpu).
func redisCPU(redisURL string) (float64, error) {
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		return 0, err
	}
	c := redis.NewClient(opt)
	defer c.Close()
	info, err := c.Info(context.Background(), "cpu").Result()
	if err != nil {
		return 0, err
	}
	total := 0.0
	for _, line := range strings.Split(info, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if ok && (k == "used_cpu_sys" || k == "used_cpu_user") {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return 0, fmt.Errorf("redis INFO cpu: %s", line)
			}
			total += x
		}
	}
	return total, nil
}
