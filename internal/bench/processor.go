package bench

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor"
)

// Processor is the enrichment entry point the worker calls.
type Processor interface {
	Process(raw []byte, obs processor.Observer) (event.Enriched, error)
}

// Progress is told how many articles are done; nil is fine.
type Progress interface{ Add(n int) error }

// RunProcessor sends n records of the cycled corpus through p with the
// given number of goroutines and times every Process call. No broker, no
// JSON encoding of the output: the cost of enrichment alone.
func RunProcessor(ctx context.Context, mode string, p Processor, c *Corpus, n, workers int, prog Progress) Result {
	workers = max(workers, 1)
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var errs atomic.Int64
	var wg sync.WaitGroup
	var progMu sync.Mutex
	// Stage times are summed per goroutine (no shared state on the hot
	// path) and merged at the end.
	stageSums := make([]map[string]time.Duration, workers)
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		sums := map[string]time.Duration{}
		stageSums[w] = sums
		obs := func(stage string, d time.Duration) { sums[stage] += d }
		go func() {
			defer wg.Done()
			done := 0
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					break
				}
				t0 := time.Now()
				if _, err := p.Process(c.At(i).Raw, obs); err != nil {
					errs.Add(1)
				}
				lat[i] = time.Since(t0)
				if done++; prog != nil && done == 64 {
					progMu.Lock()
					_ = prog.Add(done)
					progMu.Unlock()
					done = 0
				}
			}
			if prog != nil && done > 0 {
				progMu.Lock()
				_ = prog.Add(done)
				progMu.Unlock()
			}
		}()
	}
	wg.Wait()
	d := time.Since(start)
	got := min(int(next.Load()), n)
	r := Result{Mode: mode, Workers: workers, Articles: got, Errors: int(errs.Load())}
	for i := 0; i < got; i++ {
		rec := c.At(i)
		r.Words += int64(rec.Words)
		r.Bytes += int64(len(rec.Raw))
	}
	r.finish(d)
	r.setLatencies(lat[:got])
	if got > 0 {
		r.StageMicros = map[string]float64{}
		for _, sums := range stageSums {
			for st, d := range sums {
				r.StageMicros[st] += float64(d.Microseconds()) / float64(got)
			}
		}
	}
	return r
}
