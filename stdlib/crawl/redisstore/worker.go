package redisstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gonbml/gonbml/stdlib/crawl"
)

// workerEnv carries a WorkerConfig to a worker process.
const workerEnv = "GONBML_CRAWL_WORKER"

// WorkerConfig is the crawl a worker process started by StartWorkers
// runs: every page's <title> as an item {"url", "title", "depth"}.
type WorkerConfig struct {
	Redis   string   // the Redis URL (Config.Redis)
	CrawlID string   // Config.CrawlID
	Seeds   []string // the crawl's seeds
	// Workers is the pages each process fetches at once. Default (0): 8.
	Workers int
	// HostConcurrency caps the requests in flight to one host across
	// all processes. Default (0): 8 (crawl's default).
	HostConcurrency int
	// LeaseTime is Config.LeaseTime. Default (0): 30 s.
	LeaseTime time.Duration
	// DropQuery lists query parameters removed before deduplication.
	DropQuery []string
}

// WorkerResult is what one worker process did.
type WorkerResult struct {
	PID    int
	Killed bool        // stopped by Kill (or Stop) before it finished
	Stats  crawl.Stats // its own pages (zero when killed)
	Err    string      // its error, "" when it finished
}

// Workers are worker processes of one shared crawl: copies of this
// program (os.Executable) that run WorkerConfig's crawl, because the
// importing of this package makes a process started with the worker
// environment variable run the crawl and exit before main. They work
// whatever the program is (a notebook cell, a test binary, a command).
type Workers struct {
	cfg   WorkerConfig
	mu    sync.Mutex
	procs []*workerProc
}

type workerProc struct {
	cmd    *exec.Cmd
	out    bytes.Buffer
	errOut bytes.Buffer
	done   chan struct{}
	err    error
	killed atomic.Bool
}

// StartWorkers starts n worker processes of the crawl cfg describes.
func StartWorkers(n int, cfg WorkerConfig) (*Workers, error) {
	if cfg.Redis == "" || len(cfg.Seeds) == 0 {
		return nil, errors.New("redisstore: WorkerConfig needs Redis and Seeds")
	}
	w := &Workers{cfg: cfg}
	for range n {
		if err := w.Add(); err != nil {
			w.Stop()
			return nil, err
		}
	}
	return w, nil
}

// Add starts one more worker process (a replacement for a killed one).
func (w *Workers) Add() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("redisstore: start worker: %w", err)
	}
	spec, err := json.Marshal(w.cfg)
	if err != nil {
		return fmt.Errorf("redisstore: start worker: %w", err)
	}
	p := &workerProc{done: make(chan struct{})}
	p.cmd = exec.Command(exe)
	p.cmd.Env = append(os.Environ(), workerEnv+"="+string(spec))
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.errOut
	// Its own process group, killed with the parent if the parent dies.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		return fmt.Errorf("redisstore: start worker: %w", err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	w.mu.Lock()
	w.procs = append(w.procs, p)
	w.mu.Unlock()
	return nil
}

// Len is the number of processes started so far.
func (w *Workers) Len() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.procs)
}

// Kill stops process i at once (SIGKILL), as a crash would: its leases
// expire after the lease time and its pages go to the other workers.
func (w *Workers) Kill(i int) {
	w.mu.Lock()
	p := w.procs[i]
	w.mu.Unlock()
	select {
	case <-p.done:
		return
	default:
	}
	p.killed.Store(true)
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}

// Wait waits for every process to end and returns what each did; when
// ctx ends first it kills the rest and returns ctx.Err().
func (w *Workers) Wait(ctx context.Context) ([]WorkerResult, error) {
	w.mu.Lock()
	procs := append([]*workerProc(nil), w.procs...)
	w.mu.Unlock()
	var errs []error
	out := make([]WorkerResult, len(procs))
	for i, p := range procs {
		select {
		case <-p.done:
		case <-ctx.Done():
			w.Stop()
			return nil, ctx.Err()
		}
		r := WorkerResult{PID: p.cmd.Process.Pid, Killed: p.killed.Load()}
		if !r.Killed {
			line := bytes.TrimSpace(p.out.Bytes())
			if i := bytes.LastIndexByte(line, '\n'); i >= 0 {
				line = line[i+1:]
			}
			var rep workerReport
			if err := json.Unmarshal(line, &rep); err != nil {
				r.Err = fmt.Sprintf("no report (%v): %s", p.err, strings.TrimSpace(p.errOut.String()))
			} else {
				r.Stats, r.Err = rep.Stats, rep.Err
			}
			if r.Err != "" {
				errs = append(errs, fmt.Errorf("redisstore: worker %d (pid %d): %s", i, r.PID, r.Err))
			}
		}
		out[i] = r
	}
	return out, errors.Join(errs...)
}

// Stop kills every process still running.
func (w *Workers) Stop() {
	w.mu.Lock()
	n := len(w.procs)
	w.mu.Unlock()
	for i := range n {
		w.Kill(i)
	}
}

type workerReport struct {
	Stats crawl.Stats `json:"stats"`
	Err   string      `json:"err,omitempty"`
}

func init() {
	if spec, ok := os.LookupEnv(workerEnv); ok {
		os.Exit(runWorker(spec))
	}
}

// runWorker is the body of a worker process: it crawls, prints its
// report as one JSON line and returns the exit code.
func runWorker(spec string) int {
	var cfg WorkerConfig
	rep := workerReport{}
	if err := json.Unmarshal([]byte(spec), &cfg); err != nil {
		rep.Err = "bad " + workerEnv + ": " + err.Error()
	} else {
		rep.Stats, rep.Err = crawlTitles(cfg)
	}
	json.NewEncoder(os.Stdout).Encode(rep)
	if rep.Err != "" {
		return 1
	}
	return 0
}

func crawlTitles(cfg WorkerConfig) (crawl.Stats, string) {
	workers := cfg.Workers
	if workers == 0 {
		workers = 8
	}
	c, err := crawl.New(crawl.Redis(cfg.Redis, cfg.CrawlID), crawl.Workers(workers),
		crawl.HostConcurrency(cfg.HostConcurrency), crawl.LeaseTime(cfg.LeaseTime), crawl.DropQuery(cfg.DropQuery...),
		crawl.Timeouts(5*time.Second, 5*time.Second, 10*time.Second))
	if err != nil {
		return crawl.Stats{}, err.Error()
	}
	c.OnHTML("title", func(e *crawl.HTMLElement) {
		e.Response.Emit(struct {
			URL   string `json:"url"`
			Title string `json:"title"`
			Depth int    `json:"depth"`
		}{e.Response.URL, e.Text, e.Response.Depth})
	})
	st, err := c.Crawl(context.Background(), cfg.Seeds...)
	if err != nil {
		return st, err.Error()
	}
	return st, ""
}
