package crawl_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gonbml/gonbml/stdlib/crawl"
	"github.com/gonbml/gonbml/stdlib/crawl/crawltest"
	"github.com/gonbml/gonbml/stdlib/fit"
)

// resumePages is the size of the site the crash test crawls: big enough
// that a kill lands mid-crawl, small enough to finish in about a second.
const resumePages = 300

type titleItem struct {
	URL   string `json:"url"`
	Title string `json:"title"`
}

// resumableCrawl is the call both runs make: the same call resumes.
func resumableCrawl(ctx context.Context, seed, dir string) (crawl.Stats, error) {
	c, err := crawl.New(crawl.StateDir(dir), crawl.Workers(4))
	if err != nil {
		return crawl.Stats{}, err
	}
	c.OnHTML("title", func(e *crawl.HTMLElement) {
		e.Response.Emit(titleItem{URL: e.Response.URL, Title: e.Text})
	})
	// The callback's own copy: one line per item ID, appended by a slow
	// consumer (2 ms), so that kills land between journal and callback.
	ids, err := os.OpenFile(filepath.Join(dir, "callback.ids"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return crawl.Stats{}, err
	}
	defer ids.Close()
	// And the exactly-once sink, fed by the same callback.
	sink, err := crawl.OpenItemSink(filepath.Join(dir, "sink.jsonl"))
	if err != nil {
		return crawl.Stats{}, err
	}
	defer sink.Close()
	var sinkErr error
	c.OnItem(func(it crawl.Item) {
		time.Sleep(2 * time.Millisecond)
		added, err := sink.Add(it)
		if err != nil && sinkErr == nil {
			sinkErr = err
		}
		fmt.Fprintf(ids, "%s %s %v\n", it.ID, it.URL, added)
	})
	st, err := c.Crawl(ctx, seed)
	if err == nil {
		err = sinkErr
	}
	return st, err
}

// checkSink asserts that the sink holds every page's item exactly once.
func checkSink(t *testing.T, path, site string, pages int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for _, l := range lines {
		var sl struct {
			ID   string    `json:"id"`
			URL  string    `json:"url"`
			Item titleItem `json:"item"`
		}
		if err := json.Unmarshal([]byte(l), &sl); err != nil {
			t.Fatalf("bad sink line %q: %v", l, err)
		}
		got[sl.URL]++
		if sl.Item.URL != sl.URL || sl.ID == "" {
			t.Errorf("sink line %q: item of another page or no ID", l)
		}
	}
	for i := 0; i < pages; i++ {
		if u := fmt.Sprintf("%s/p/%d", site, i); got[u] != 1 {
			t.Errorf("%s is %d times in the sink, want exactly 1", u, got[u])
		}
	}
	if len(lines) != pages {
		t.Errorf("the sink has %d lines, want %d", len(lines), pages)
	}
}

func TestMain(m *testing.M) {
	if seed := os.Getenv("CRAWL_TEST_CHILD_SEED"); seed != "" {
		_, err := resumableCrawl(context.Background(), seed, os.Getenv("CRAWL_TEST_CHILD_DIR"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func countLines(path string) int {
	b, _ := os.ReadFile(path)
	return bytes.Count(b, []byte("\n"))
}

// TestResumeAfterKill runs the crawler in a child process, kills it with
// SIGKILL twice mid-crawl, then resumes to the end and checks that every
// page's item is in the items file exactly once.
func TestResumeAfterKill(t *testing.T) {
	var gate atomic.Int64
	s := newSite(t, crawltest.Chain(resumePages, &gate))
	dir := t.TempDir()
	items := filepath.Join(dir, "items.jsonl")
	seed := s.URL + "/p/0"

	// Each child is let through until the site has served killAt page
	// requests in all, then it stalls and is killed once it has written
	// the items of what it got (minus a few in flight or fetched twice).
	// The first kill lands anywhere between journal, Output file and
	// callback; the second waits for the stall, when every page fetched
	// has been delivered to the sink but the last acknowledgement is not
	// yet journaled (it rides on the next page's record): the resume
	// delivers that page's item again and the sink must skip it.
	sinkPath := filepath.Join(dir, "sink.jsonl")
	for run, killAt := range []int{60, 160} {
		gate.Store(int64(killAt))
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "CRAWL_TEST_CHILD_SEED="+seed, "CRAWL_TEST_CHILD_DIR="+dir)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill() })
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		deadline := time.After(20 * time.Second)
	poll:
		for countLines(items) < killAt-10 {
			select {
			case err := <-exited:
				t.Fatalf("child exited before the kill (%d items): %v %s", countLines(items), err, stderr.String())
			case <-deadline:
				cmd.Process.Kill()
				t.Fatalf("child wrote only %d items in 20s", countLines(items))
			case <-time.After(2 * time.Millisecond):
				continue poll
			}
		}
		for last, since := -1, time.Now(); run == 1 && time.Since(since) < 200*time.Millisecond; time.Sleep(5 * time.Millisecond) {
			if n := countLines(sinkPath); n != last {
				last, since = n, time.Now()
			}
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-exited
		t.Logf("killed at %d item lines", countLines(items))
	}
	gate.Store(math.MaxInt64)
	st, err := resumableCrawl(context.Background(), seed, dir)
	if err != nil {
		t.Fatalf("resume: %v", err)
	}
	if st.Resumed == 0 {
		t.Errorf("Stats.Resumed = 0, want the pages of the killed runs")
	}

	f, err := os.Open(items)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var it titleItem
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatalf("bad item line %q: %v", sc.Text(), err)
		}
		got[it.URL]++
		i, _ := strconv.Atoi(strings.TrimPrefix(it.URL, s.URL+"/p/"))
		if want := fmt.Sprintf("page %d", i); it.Title != want {
			t.Errorf("%s has title %q, want %q", it.URL, it.Title, want)
		}
	}
	for i := 0; i < resumePages; i++ {
		u := fmt.Sprintf("%s/p/%d", s.URL, i)
		if got[u] != 1 {
			t.Errorf("%s emitted %d times across the runs, want exactly 1", u, got[u])
		}
	}
	if len(got) != resumePages || st.Items != resumePages {
		t.Errorf("%d distinct items, Stats.Items = %d; want %d", len(got), st.Items, resumePages)
	}
	// The callback saw every item at least once across the kills, under
	// one stable ID per page; repeats are the items of pages in delivery
	// at a kill.
	b, err := os.ReadFile(filepath.Join(dir, "callback.ids"))
	if err != nil {
		t.Fatal(err)
	}
	ids, urls, lines, skipped := map[string]string{}, map[string]bool{}, 0, 0
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		id, rest, _ := strings.Cut(l, " ")
		u, added, _ := strings.Cut(rest, " ")
		if added == "false" {
			skipped++
		}
		if prev, ok := ids[id]; ok && prev != u {
			t.Errorf("ID %s named %s and %s", id, prev, u)
		}
		ids[id], urls[u] = u, true
		lines++
	}
	if len(urls) != resumePages || len(ids) != resumePages {
		t.Errorf("the callback saw %d pages under %d IDs, want all %d: items lost to the kills", len(urls), len(ids), resumePages)
	}
	t.Logf("callback: %d deliveries of %d items (%d repeated after the kills, %d of them already in the sink)",
		lines, len(ids), lines-len(ids), skipped)
	if skipped == 0 {
		t.Errorf("no redelivered item was already in the sink: the kill after the stall should leave one")
	}
	// The ItemSink, fed by that callback, holds each exactly once.
	checkSink(t, filepath.Join(dir, "sink.jsonl"), s.URL, resumePages)
}

// TestResumeAfterCancel interrupts a crawl through ctx and resumes it in
// the same process: the union is complete and nothing is doubled.
func TestResumeAfterCancel(t *testing.T) {
	s := newSite(t, crawltest.Chain(100, nil))
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	c, _ := crawl.New(crawl.StateDir(dir), crawl.Workers(2), crawl.ProgressInterval(fit.Off),
		crawl.Progress(func(p fit.Progress) error {
			if p.Metrics["items"] >= 30 {
				cancel()
			}
			return nil
		}))
	c.OnHTML("title", func(e *crawl.HTMLElement) { e.Response.Emit(titleItem{e.Response.URL, e.Text}) })
	st, err := c.Crawl(ctx, s.URL+"/p/0")
	if err != context.Canceled || st.Stop != "canceled" {
		t.Fatalf("first run: err = %v, Stop = %q; want context.Canceled", err, st.Stop)
	}
	first := st.Items
	st, err = c.Crawl(context.Background(), s.URL+"/p/0")
	if err != nil {
		t.Fatal(err)
	}
	if st.Resumed != first || st.Items != 100 {
		t.Errorf("Resumed = %d (want %d), Items = %d (want 100)", st.Resumed, first, st.Items)
	}
	if n := countLines(filepath.Join(dir, "items.jsonl")); n != 100 {
		t.Errorf("items file has %d lines, want 100", n)
	}
	// Only pages in flight at the cancel (at most one per worker) may be
	// requested again; robots.txt is fetched once per run.
	_, dup := s.Total()
	var pages []string
	for _, d := range dup {
		if d != "/robots.txt" {
			pages = append(pages, d)
		}
	}
	if len(pages) > 2 {
		t.Errorf("pages fetched twice: %v, want at most the 2 in flight", pages)
	}
}
