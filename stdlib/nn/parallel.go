package nn

import "sync"

// parallelFor calls body on [lo, hi) chunks covering [0, n), on up to
// workers goroutines; below minChunk elements per worker it runs inline.
func parallelFor(n, workers, minChunk int, body func(lo, hi int)) {
	if workers > n/minChunk {
		workers = n / minChunk
	}
	if workers <= 1 {
		body(0, n)
		return
	}
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			body(lo, hi)
		}()
	}
	wg.Wait()
}

// ParallelFor is parallelFor for other packages: it splits [0, n) into at
// most workers contiguous ranges of at least minChunk elements.
func ParallelFor(n, workers, minChunk int, body func(lo, hi int)) {
	parallelFor(n, workers, max(minChunk, 1), body)
}
