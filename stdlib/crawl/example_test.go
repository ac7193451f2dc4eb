package crawl_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/gonbml/gonbml/stdlib/crawl"
	"github.com/gonbml/gonbml/stdlib/crawl/crawltest"
)

// exampleSite serves three search-result pages, like the article's
// example: a result heading per page and a "next" link.
func exampleSite() *crawltest.Server {
	return crawltest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := strings.TrimPrefix(r.URL.Path, "/search/")
		next := map[string]string{"1": "2", "2": "3"}[n]
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<div class="result-heading"><a title="Result %s">r</a></div>`, n)
		if next != "" {
			fmt.Fprintf(w, `<a class="nextlink" href="/search/%s#top">next</a>`, next)
		}
	}))
}

func Example() {
	site := exampleSite()
	defer site.Close()

	c, _ := crawl.New(crawl.Workers(1), crawl.Follow("a.nextlink"))
	c.OnHTML("div.result-heading a", func(e *crawl.HTMLElement) {
		e.Response.Emit(e.Attr("title"))
	})
	c.OnItem(func(it crawl.Item) { fmt.Println(string(it.JSON), it.Depth) })
	st, err := c.Crawl(context.Background(), site.URL+"/search/1")
	fmt.Println(st.Fetched, st.Items, st.Stop, err)
	// Output:
	// "Result 1" 0
	// "Result 2" 1
	// "Result 3" 2
	// 3 3 done <nil>
}

func ExampleCollector_Items() {
	site := exampleSite()
	defer site.Close()

	c, _ := crawl.New(crawl.Workers(1), crawl.Follow("a.nextlink"), crawl.MaxItems(2))
	c.OnHTML("div.result-heading a", func(e *crawl.HTMLElement) {
		e.Response.Emit(map[string]string{"title": e.Attr("title")})
	})
	for it, err := range c.Items(context.Background(), site.URL+"/search/1") {
		if err != nil {
			fmt.Println(err)
			break
		}
		var v struct{ Title string }
		it.Decode(&v)
		fmt.Println(v.Title)
	}
	// Output:
	// Result 1
	// Result 2
}

func ExampleStateDir() {
	site := exampleSite()
	defer site.Close()
	dir, _ := os.MkdirTemp("", "crawl-example")
	defer os.RemoveAll(dir)

	run := func(opts ...crawl.Option) crawl.Stats {
		c, _ := crawl.New(append(opts, crawl.Workers(1), crawl.Follow("a.nextlink"), crawl.StateDir(dir))...)
		c.OnHTML("div.result-heading a", func(e *crawl.HTMLElement) { e.Response.Emit(e.Attr("title")) })
		st, _ := c.Crawl(context.Background(), site.URL+"/search/1")
		return st
	}
	st := run(crawl.MaxPages(2)) // an interrupted crawl
	fmt.Println(st.Items, st.Stop)
	st = run() // the same call resumes
	fmt.Println(st.Items, st.Resumed, st.Stop)
	b, _ := os.ReadFile(filepath.Join(dir, "items.jsonl"))
	fmt.Print(string(b))
	// Output:
	// 2 max-pages
	// 3 2 done
	// "Result 1"
	// "Result 2"
	// "Result 3"
}

func ExampleNormalize() {
	u, _ := crawl.Normalize("HTTP://Example.COM:80/a/./b/../c?b=2&a=1#section")
	fmt.Println(u)
	_, err := crawl.Normalize("ftp://example.com/")
	fmt.Println(err != nil)
	// Output:
	// http://example.com/a/c?a=1&b=2
	// true
}

func ExampleExtractLinks() {
	html := `<base href="/docs/"><a href="intro#top">i</a><a href="intro">i</a><a href="mailto:x@y">m</a>`
	links, _ := crawl.ExtractLinks("http://example.com/index.html", []byte(html), "")
	fmt.Println(links)
	// Output:
	// [http://example.com/docs/intro]
}

func ExampleNew() {
	_, err := crawl.New(crawl.Workers(-1))
	fmt.Println(err)
	// Output:
	// crawl: bad config: Workers is -1, want at least 0
}

// An ItemSink fed from OnItem holds every item exactly once, even when a
// crawl with a StateDir is killed and run again: items delivered again on
// resume carry the same ID and are skipped.
func ExampleItemSink() {
	site := exampleSite()
	defer site.Close()
	dir, _ := os.MkdirTemp("", "crawl-sink")
	defer os.RemoveAll(dir)

	sink, err := crawl.OpenItemSink(filepath.Join(dir, "sink.jsonl"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sink.Close()
	for range 2 { // the same call twice: the second finds the crawl finished
		c, _ := crawl.New(crawl.Workers(1), crawl.Follow("a.nextlink"), crawl.StateDir(dir))
		c.OnHTML("div.result-heading a", func(e *crawl.HTMLElement) { e.Response.Emit(e.Attr("title")) })
		c.OnItem(func(it crawl.Item) {
			if _, err := sink.Add(it); err != nil {
				fmt.Println(err)
			}
		})
		c.Crawl(context.Background(), site.URL+"/search/1")
	}
	fmt.Println(sink.Len(), "items")
	// Output:
	// 3 items
}
