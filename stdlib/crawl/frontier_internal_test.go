package crawl

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestSpillQueueFIFO pushes and pops in a random interleaving through a
// queue that holds 7 URLs in memory; the order must stay first in, first
// out, with depths intact, across spills, refills and file restarts.
func TestSpillQueueFIFO(t *testing.T) {
	q := newFrontier(BFS, 7, t.TempDir())
	defer q.close()
	rng := rand.New(rand.NewPCG(1, 2))
	next, want := 0, 0
	for step := 0; step < 5000; step++ {
		if rng.IntN(3) > 0 { // push twice as often as pop, so the queue grows and spills
			q.push(task{url: fmt.Sprintf("http://h/%d", next), depth: next % 5})
			next++
		} else if tk, ok := q.pop(); ok {
			if tk.url != fmt.Sprintf("http://h/%d", want) || tk.depth != want%5 {
				t.Fatalf("pop = %+v, want url %d depth %d", tk, want, want%5)
			}
			want++
		}
		if q.len() != next-want {
			t.Fatalf("len = %d, want %d", q.len(), next-want)
		}
	}
	for tk, ok := q.pop(); ok; tk, ok = q.pop() {
		if tk.url != fmt.Sprintf("http://h/%d", want) {
			t.Fatalf("drain: pop = %+v, want %d", tk, want)
		}
		want++
	}
	if want != next {
		t.Fatalf("drained %d of %d", want, next)
	}
	if sq := q.(*spillQueue); sq.mem.len() > 7 {
		t.Fatalf("memory part holds %d URLs, limit 7", sq.mem.len())
	}
}
