package worker_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/internal/kafkatest"
	"github.com/newsenrich/newsenrich/internal/worker"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/decode"
)

// Every acknowledged record reports its timings once, in the order the
// record went through the worker.
func TestTimingsFollowEachRecord(t *testing.T) {
	e := newEnv(t, 2)
	const n = 40
	var recs []*kgo.Record
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("a%d", i)
		recs = append(recs, &kgo.Record{Topic: e.in, Key: []byte(id), Value: article(id, "body "+id)})
	}
	kafkatest.Produce(t, e.brokers, recs...)

	var mu sync.Mutex
	var got []worker.Timing
	cfg := e.config("worker-timings")
	proc := processor.New(processor.Config{Decode: decode.Limits{MaxBytes: cfg.MaxBytes}, Version: "test"}, nil, nil, nil)
	r := runWorker(t, cfg, proc, worker.WithTimings(func(tm worker.Timing) { mu.Lock(); got = append(got, tm); mu.Unlock() }))
	kafkatest.Consume(t, e.brokers, e.out, n, 30*time.Second)
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != n {
		t.Fatalf("%d timings for %d records", len(got), n)
	}
	for _, tm := range got {
		steps := []time.Time{tm.Input.Truncate(time.Millisecond), tm.Fetched, tm.Started, tm.Processed, tm.Sent, tm.Acked}
		for i := 1; i < len(steps); i++ {
			if steps[i].Before(steps[i-1]) || steps[i].IsZero() {
				t.Fatalf("timings out of order at step %d: %+v", i, tm)
			}
		}
	}
}
