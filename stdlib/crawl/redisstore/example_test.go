package redisstore_test

import (
	"context"
	"fmt"

	"github.com/gonbml/gonbml/stdlib/crawl"
	"github.com/gonbml/gonbml/stdlib/crawl/crawltest"
	"github.com/gonbml/gonbml/stdlib/crawl/redisstore"
)

// Two collectors share one crawl through a local Redis; in production
// each runs in its own process, on any machine that reaches Redis.
func Example() {
	server, err := redisstore.StartServer(redisstore.ServerConfig{Password: "secret"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer server.Close()
	site := crawltest.NewServer(crawltest.Chain(50, nil)) // /p/0 … /p/49
	defer site.Close()

	done := make(chan crawl.Stats)
	for range 2 {
		go func() {
			c, _ := crawl.New(crawl.Redis(server.URL(), "example"), crawl.Workers(2))
			c.OnHTML("title", func(e *crawl.HTMLElement) { e.Response.Emit(e.Text) })
			st, err := c.Crawl(context.Background(), site.URL+"/p/0")
			if err != nil {
				fmt.Println(err)
			}
			done <- st
		}()
	}
	a, b := <-done, <-done
	fmt.Println("pages fetched by the two workers:", a.Fetched+b.Fetched)

	// A consumer reads the items, and resumes after the last one it handled.
	var last string
	n := 0
	for e, err := range redisstore.ReadItems(context.Background(), server.URL(), "example", "") {
		if err != nil || n == 10 {
			break
		}
		last, n = e.Pos, n+1
	}
	rest := 0
	for _, err := range redisstore.ReadItems(context.Background(), server.URL(), "example", last) {
		if err == nil {
			rest++
		}
	}
	fmt.Println("items:", n, "then", rest, "more")
	// Output:
	// pages fetched by the two workers: 50
	// items: 10 then 40 more
}
