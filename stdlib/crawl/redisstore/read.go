package redisstore

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/gonbml/gonbml/stdlib/crawl"
)

// Entry is one item of a shared crawl's stream with its position in it.
type Entry struct {
	crawl.Item
	// Pos is the stream entry's ID: pass the last Pos a consumer has
	// handled to ReadItems to resume after it.
	Pos string
}

// ReadItems yields the items of crawl id from the position after (""
// for the start) to the current end of the stream, in the order they
// were added: a consumer that records the Pos of the last item it has
// handled resumes from there after a restart, and with the stable
// Item.ID it can skip an item handled but not recorded. An error is
// yielded last with a zero Entry.
func ReadItems(ctx context.Context, redisURL, id, after string) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		c, err := newClient(redisURL)
		if err != nil {
			yield(Entry{}, err)
			return
		}
		defer c.Close()
		start := "-"
		if after != "" {
			start = "(" + after
		}
		for {
			var msgs []redis.XMessage
			err := retry(ctx, func() error {
				var err error
				msgs, err = c.XRangeN(ctx, prefix(id)+"items", start, "+", 1000).Result()
				return err
			})
			if err != nil {
				yield(Entry{}, fmt.Errorf("redisstore: read items: %w", err))
				return
			}
			for _, m := range msgs {
				e, err := entry(m)
				if !yield(e, err) || err != nil {
					return
				}
			}
			if len(msgs) < 1000 {
				return
			}
			start = "(" + msgs[len(msgs)-1].ID
		}
	}
}

func entry(m redis.XMessage) (Entry, error) {
	str := func(k string) string { s, _ := m.Values[k].(string); return s }
	d, err := strconv.Atoi(str("depth"))
	if err != nil || str("id") == "" {
		return Entry{}, fmt.Errorf("redisstore: stream entry %s is not an item", m.ID)
	}
	return Entry{Item: crawl.Item{ID: str("id"), URL: str("url"), Depth: d, JSON: json.RawMessage(str("item"))}, Pos: m.ID}, nil
}

// Export writes the items of crawl id as JSON lines, one
// {"id", "url", "depth", "item"} object per item (the format of
// crawl.ItemSink), and returns how many.
func Export(ctx context.Context, redisURL, id string, w io.Writer) (int, error) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	for e, err := range ReadItems(ctx, redisURL, id, "") {
		if err != nil {
			return n, err
		}
		line := struct {
			ID    string          `json:"id"`
			URL   string          `json:"url"`
			Depth int             `json:"depth"`
			Item  json.RawMessage `json:"item"`
		}{e.ID, e.URL, e.Depth, e.JSON}
		if err := enc.Encode(line); err != nil {
			return n, fmt.Errorf("redisstore: export: %w", err)
		}
		n++
	}
	return n, nil
}

// Status is the state of a shared crawl.
type Status struct {
	Seen      int            // URLs ever queued (and redirect targets)
	Done      int            // pages completed
	Items     int            // items in the stream
	Waiting   int            // URLs in the frontier
	Leased    int            // URLs claimed and not completed
	Reclaimed []string       // URL keys whose lease expired before their page was completed
	Counters  map[string]int // the crawl's counters: claims, pages, items, reclaimed, late-completions, class:…
}

// Inspect reads the state of crawl id.
func Inspect(ctx context.Context, redisURL, id string) (Status, error) {
	c, err := newClient(redisURL)
	if err != nil {
		return Status{}, err
	}
	defer c.Close()
	p := prefix(id)
	var st Status
	err = retry(ctx, func() error {
		pipe := c.Pipeline()
		seen, done, items := pipe.SCard(ctx, p+"seen"), pipe.SCard(ctx, p+"done"), pipe.XLen(ctx, p+"items")
		leased, recl := pipe.ZCard(ctx, p+"leases"), pipe.SMembers(ctx, p+"reclaimed")
		hosts, counters := pipe.SMembers(ctx, p+"hosts"), pipe.HGetAll(ctx, p+"stats")
		if _, err := pipe.Exec(ctx); err != nil {
			return err
		}
		st = Status{Seen: int(seen.Val()), Done: int(done.Val()), Items: int(items.Val()), Leased: int(leased.Val()),
			Reclaimed: recl.Val(), Counters: map[string]int{}}
		for k, v := range counters.Val() {
			st.Counters[k], _ = strconv.Atoi(v)
		}
		pipe = c.Pipeline()
		var lens []*redis.IntCmd
		for _, h := range hosts.Val() {
			lens = append(lens, pipe.LLen(ctx, p+"q:"+h))
		}
		if len(lens) > 0 {
			if _, err := pipe.Exec(ctx); err != nil {
				return err
			}
		}
		for _, l := range lens {
			st.Waiting += int(l.Val())
		}
		return nil
	})
	if err != nil {
		return Status{}, fmt.Errorf("redisstore: inspect: %w", err)
	}
	return st, nil
}

// Drop deletes every key of crawl id.
func Drop(ctx context.Context, redisURL, id string) error {
	c, err := newClient(redisURL)
	if err != nil {
		return err
	}
	defer c.Close()
	pattern := strings.NewReplacer("{", `\{`, "}", `\}`, "*", `\*`, "?", `\?`, "[", `\[`).Replace(prefix(id)) + "*"
	return retry(ctx, func() error {
		iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if err := iter.Err(); err != nil {
			return err
		}
		for len(keys) > 0 {
			n := min(len(keys), 1000)
			if err := c.Del(ctx, keys[:n]...).Err(); err != nil {
				return err
			}
			keys = keys[n:]
		}
		return nil
	})
}
