package crawl_test

import (
	"context"
	"github.com/gonbml/gonbml/stdlib/crawl/crawltest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbml/gonbml/stdlib/crawl"
)

func TestItemSink(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sink.jsonl")
	s, err := crawl.OpenItemSink(path)
	if err != nil {
		t.Fatal(err)
	}
	a := crawl.Item{ID: "00aa-0", URL: "http://h/a", JSON: []byte(`{"t":"a & b"}`)}
	b := crawl.Item{ID: "00bb-0", URL: "http://h/b", Depth: 1, JSON: []byte(`{"t":"b"}`)}
	for i, c := range []struct {
		it   crawl.Item
		want bool
	}{{a, true}, {a, false}, {b, true}} {
		if added, err := s.Add(c.it); err != nil || added != c.want {
			t.Fatalf("Add #%d = %v, %v; want %v", i, added, err, c.want)
		}
	}
	if _, err := s.Add(crawl.Item{URL: "http://h/c", JSON: []byte(`1`)}); err == nil || !strings.Contains(err.Error(), "no ID") {
		t.Errorf("Add without an ID: err = %v", err)
	}
	if _, err := s.Add(crawl.Item{ID: "x", JSON: []byte(`{`)}); err == nil || !strings.Contains(err.Error(), "not JSON") {
		t.Errorf("Add of bad JSON: err = %v", err)
	}
	s.Close()
	if _, err := s.Add(b); err == nil {
		t.Error("Add after Close: no error")
	}

	// A kill in the middle of a write leaves a torn last line: reopening
	// cuts it off, and the item (not acknowledged) can be added again.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"id":"00cc-0","url":"http://h/c","depth":0,"it`)
	f.Close()
	s, err = crawl.OpenItemSink(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Len() != 2 {
		t.Errorf("Len after reopen = %d, want 2", s.Len())
	}
	if added, _ := s.Add(a); added {
		t.Error("an ID written before the reopen was added again")
	}
	c := crawl.Item{ID: "00cc-0", URL: "http://h/c", JSON: []byte(`[1,2]`)}
	if added, err := s.Add(c); !added || err != nil {
		t.Errorf("Add of the torn item = %v, %v; want true", added, err)
	}
	got, _ := os.ReadFile(path)
	want := `{"id":"00aa-0","url":"http://h/a","depth":0,"item":{"t":"a & b"}}
{"id":"00bb-0","url":"http://h/b","depth":1,"item":{"t":"b"}}
{"id":"00cc-0","url":"http://h/c","depth":0,"item":[1,2]}
`
	if string(got) != want {
		t.Errorf("sink file:\n%s\nwant:\n%s", got, want)
	}
}

func TestItemSinkBadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "notes.txt")
	os.WriteFile(path, []byte("{\"id\":\"a-0\",\"item\":1}\nhello\n"), 0o644)
	_, err := crawl.OpenItemSink(path)
	if err == nil || !strings.Contains(err.Error(), "line 2 is not an item line") || strings.Contains(err.Error(), "\n") {
		t.Errorf("OpenItemSink on a foreign file: err = %v, want a one-line error naming line 2", err)
	}
	if _, err := crawl.OpenItemSink(dir); err == nil {
		t.Error("OpenItemSink on a directory: no error")
	}
}

// TestItemsBreakResume: breaking out of the Items loop and calling it
// again with the same StateDir loses no item (an item handed to the loop
// is acknowledged only once the loop body ran), and the sink holds each
// once.
func TestItemsBreakResume(t *testing.T) {
	const pages = 60
	s := newSite(t, crawltest.Chain(pages, nil))
	dir := t.TempDir()
	sink, err := crawl.OpenItemSink(filepath.Join(dir, "sink.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	seen := map[string]bool{}
	for run, stopAt := range []int{10, -1} {
		c, _ := crawl.New(crawl.StateDir(dir), crawl.Workers(4))
		c.OnHTML("title", func(e *crawl.HTMLElement) { e.Response.Emit(titleItem{e.Response.URL, e.Text}) })
		n := 0
		for it, err := range c.Items(context.Background(), s.URL+"/p/0") {
			if err != nil {
				t.Fatalf("run %d: %v", run, err)
			}
			if _, err := sink.Add(it); err != nil {
				t.Fatal(err)
			}
			seen[it.ID] = true
			if n++; n == stopAt {
				break
			}
		}
	}
	if len(seen) != pages || sink.Len() != pages {
		t.Errorf("the loop saw %d items, the sink holds %d; want %d", len(seen), sink.Len(), pages)
	}
	checkSink(t, filepath.Join(dir, "sink.jsonl"), s.URL, pages)
}

// FuzzItemSinkOpen: any file either opens (its torn last line cut off,
// every complete line an item, the IDs counted once) or gives a one-line
// error; it never panics.
func FuzzItemSinkOpen(f *testing.F) {
	f.Add("")
	f.Add("{\"id\":\"a-0\",\"url\":\"http://h/\",\"depth\":0,\"item\":1}\n{\"id\":\"a-0\",\"item\":2}\n{\"id\":\"b")
	f.Add("{\"id\":\"\",\"item\":1}\n")
	f.Add("[1]\n")
	f.Fuzz(func(t *testing.T, content string) {
		path := filepath.Join(t.TempDir(), "sink.jsonl")
		os.WriteFile(path, []byte(content), 0o644)
		s, err := crawl.OpenItemSink(path)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error of more than one line: %q", err)
			}
			return
		}
		defer s.Close()
		got, _ := os.ReadFile(path)
		if len(got) > 0 && got[len(got)-1] != '\n' {
			t.Fatalf("after open the file ends in a torn line: %q", got)
		}
		if !strings.HasPrefix(content, string(got)) {
			t.Fatalf("open changed more than the torn last line: %q -> %q", content, got)
		}
		if n := strings.Count(string(got), "\n"); s.Len() > n || (n > 0 && s.Len() == 0) {
			t.Fatalf("Len = %d for %d lines", s.Len(), n)
		}
	})
}
