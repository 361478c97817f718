package kaizen

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// each runs fn(i) for every i in [0, n) on up to GOMAXPROCS goroutines: events are
// analysed independently and an analysis is CPU-bound (the bootstrap's resamples),
// so a board of many events uses every core. It stops handing out work once ctx ends.
func each(ctx context.Context, n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}
