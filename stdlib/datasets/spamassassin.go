package datasets

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// SpamAssassinGroups are the corpus folders, in order.
var SpamAssassinGroups = []string{"easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2"}

// LoadSpamAssassin returns the 6,046 messages of the SpamAssassin public
// corpus, sorted by Group then ID. The package carries each message twice
// (a .json wrapper and the raw .txt); the raw bytes are parsed, so legacy
// charsets convert correctly. Parsing runs on GOMAXPROCS workers.
func LoadSpamAssassin(ctx context.Context) ([]Message, error) {
	type job struct {
		group, id string
		raw       []byte
	}
	jobs := make(chan job, 64)
	var mu sync.Mutex
	var msgs []Message
	var firstErr error
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local []Message
			for j := range jobs {
				m, err := ParseMessage(j.raw)
				if err != nil {
					// An empty file is still a message of the corpus.
					m = Message{}
				}
				m.Group, m.ID = j.group, j.id
				local = append(local, m)
			}
			mu.Lock()
			msgs = append(msgs, local...)
			mu.Unlock()
		}()
	}
	known := map[string]bool{}
	for _, g := range SpamAssassinGroups {
		known[g] = true
	}
	err := SpamAssassin.Walk(ctx, func(name string, r io.Reader) error {
		dir, file := path.Split(name)
		group := path.Base(dir)
		if !strings.HasPrefix(name, "data/") || !known[group] || !strings.HasSuffix(file, ".txt") {
			return nil
		}
		raw, err := io.ReadAll(r)
		if err != nil {
			return fmt.Errorf("datasets: %s: reading %s: %w", SpamAssassin, name, err)
		}
		select {
		case jobs <- job{group, strings.TrimSuffix(file, ".txt"), raw}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	if err == nil {
		err = firstErr
	}
	if err != nil {
		return nil, err
	}
	slices.SortFunc(msgs, func(a, b Message) int {
		return cmp.Or(cmp.Compare(a.Group, b.Group), cmp.Compare(a.ID, b.ID))
	})
	return msgs, nil
}
