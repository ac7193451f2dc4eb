package crawl

import (
	"bytes"
	"container/heap"
	"os"
	"strconv"
	"strings"
)

// task is one URL waiting in the frontier.
type task struct {
	url   string // the normal form: the key of deduplication
	link  string // the URL as linked (requested, matched by robots.txt); "" when url
	depth int
	seq   uint64  // discovery order, breaks priority ties
	score float64 // Priority frontier only
}

// frontier holds the URLs waiting to be fetched. It is not safe for
// concurrent use; the crawler guards it with its mutex.
type frontier interface {
	push(t task)
	pop() (task, bool)
	len() int
	// full reports whether n more URLs would exceed the memory bound and
	// so be dropped.
	full(n int) bool
	close()
}

// newFrontier returns a frontier holding at most limit URLs in memory. The
// BFS queue keeps the rest in a temporary file in dir (os.TempDir when
// empty) and loses nothing; DFS and Priority report full.
func newFrontier(k FrontierKind, limit int, dir string) frontier {
	switch k {
	case DFS:
		return &bounded{frontier: &stack{}, limit: limit}
	case Priority:
		return &bounded{frontier: &prioQueue{}, limit: limit}
	}
	return &spillQueue{limit: limit, dir: dir}
}

type bounded struct {
	frontier interface {
		push(t task)
		pop() (task, bool)
		len() int
	}
	limit int
}

func (b *bounded) push(t task)       { b.frontier.push(t) }
func (b *bounded) pop() (task, bool) { return b.frontier.pop() }
func (b *bounded) len() int          { return b.frontier.len() }
func (b *bounded) full(n int) bool   { return b.frontier.len()+n > b.limit }
func (b *bounded) close()            {}

// spillQueue is a FIFO whose head lives in memory and whose tail, once the
// memory part holds limit URLs, is appended to a file and read back in
// order when the memory part runs dry.
type spillQueue struct {
	mem   queue
	limit int
	dir   string

	file     *os.File // nil until the first spill; unlinked at creation
	wbuf     []byte   // lines not yet written
	rbuf     []byte   // bytes read and not yet parsed
	writeOff int64
	readOff  int64
	onDisk   int // URLs spilled and not yet read back
}

const spillChunk = 64 << 10

func (q *spillQueue) len() int      { return q.mem.len() + q.onDisk }
func (q *spillQueue) full(int) bool { return false }

func (q *spillQueue) push(t task) {
	if q.onDisk == 0 && q.mem.len() < q.limit {
		q.mem.push(t)
		return
	}
	if q.file == nil {
		f, err := os.CreateTemp(q.dir, "crawl-frontier-*")
		if err != nil {
			q.mem.push(t) // no disk: keep it in memory rather than lose it
			return
		}
		os.Remove(f.Name()) // the space is freed when the file is closed
		q.file = f
	}
	q.wbuf = strconv.AppendInt(q.wbuf, int64(t.depth), 10)
	q.wbuf = append(q.wbuf, '\t')
	q.wbuf = append(q.wbuf, t.url...)
	if t.link != "" { // normalised URLs hold no tab
		q.wbuf = append(append(q.wbuf, '\t'), t.link...)
	}
	q.wbuf = append(q.wbuf, '\n')
	q.onDisk++
	if len(q.wbuf) >= spillChunk {
		q.flush()
	}
}

func (q *spillQueue) flush() {
	if len(q.wbuf) == 0 {
		return
	}
	n, _ := q.file.WriteAt(q.wbuf, q.writeOff)
	q.writeOff += int64(n)
	q.wbuf = q.wbuf[:0]
}

func (q *spillQueue) pop() (task, bool) {
	if q.mem.len() == 0 && q.onDisk > 0 {
		q.refill()
	}
	return q.mem.pop()
}

// refill moves up to limit spilled URLs back into memory.
func (q *spillQueue) refill() {
	q.flush()
	for q.onDisk > 0 && q.mem.len() < max(q.limit, 1) {
		i := bytes.IndexByte(q.rbuf, '\n')
		if i < 0 {
			n := min(int64(spillChunk), q.writeOff-q.readOff)
			if n <= 0 {
				q.onDisk = 0 // a short write lost the rest
				break
			}
			chunk := make([]byte, n)
			m, err := q.file.ReadAt(chunk, q.readOff)
			if m == 0 && err != nil {
				q.onDisk = 0
				break
			}
			q.readOff += int64(m)
			q.rbuf = append(q.rbuf, chunk[:m]...)
			continue
		}
		d, u, _ := strings.Cut(string(q.rbuf[:i]), "\t")
		u, l, _ := strings.Cut(u, "\t")
		q.rbuf = q.rbuf[i+1:]
		depth, _ := strconv.Atoi(d)
		q.mem.push(task{url: u, link: l, depth: depth})
		q.onDisk--
	}
	if q.onDisk == 0 { // drained: start the file over
		q.file.Truncate(0)
		q.writeOff, q.readOff, q.rbuf = 0, 0, nil
	}
}

func (q *spillQueue) close() {
	if q.file != nil {
		q.file.Close()
	}
}

// queue is a FIFO ring buffer; it shrinks when mostly empty so a burst does
// not pin memory.
type queue struct {
	buf        []task
	head, size int
}

func (q *queue) len() int { return q.size }

func (q *queue) push(t task) {
	if q.size == len(q.buf) {
		q.resize(max(16, 2*len(q.buf)))
	}
	q.buf[(q.head+q.size)%len(q.buf)] = t
	q.size++
}

func (q *queue) pop() (task, bool) {
	if q.size == 0 {
		return task{}, false
	}
	t := q.buf[q.head]
	q.buf[q.head] = task{}
	q.head = (q.head + 1) % len(q.buf)
	q.size--
	if len(q.buf) > 64 && q.size < len(q.buf)/4 {
		q.resize(len(q.buf) / 2)
	}
	return t, true
}

func (q *queue) resize(n int) {
	nb := make([]task, n)
	for i := 0; i < q.size; i++ {
		nb[i] = q.buf[(q.head+i)%len(q.buf)]
	}
	q.buf, q.head = nb, 0
}

type stack struct{ s []task }

func (s *stack) len() int    { return len(s.s) }
func (s *stack) push(t task) { s.s = append(s.s, t) }
func (s *stack) pop() (task, bool) {
	if len(s.s) == 0 {
		return task{}, false
	}
	t := s.s[len(s.s)-1]
	s.s[len(s.s)-1] = task{}
	s.s = s.s[:len(s.s)-1]
	return t, true
}

type prioQueue struct{ h taskHeap }

func (p *prioQueue) len() int    { return len(p.h) }
func (p *prioQueue) push(t task) { heap.Push(&p.h, t) }
func (p *prioQueue) pop() (task, bool) {
	if len(p.h) == 0 {
		return task{}, false
	}
	return heap.Pop(&p.h).(task), true
}

type taskHeap []task

func (h taskHeap) Len() int { return len(h) }
func (h taskHeap) Less(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score > h[j].score
	}
	return h[i].seq < h[j].seq
}
func (h taskHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *taskHeap) Push(x any)   { *h = append(*h, x.(task)) }
func (h *taskHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = task{}
	*h = old[:len(old)-1]
	return t
}
