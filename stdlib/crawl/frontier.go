package crawl

import "container/heap"

// task is one URL waiting in the frontier.
type task struct {
	url   string
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
}

func newFrontier(k FrontierKind) frontier {
	switch k {
	case DFS:
		return &stack{}
	case Priority:
		return &prioQueue{}
	}
	return &queue{}
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
