package worker_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/kafkatest"
	"github.com/newsenrich/newsenrich/internal/worker"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/decode"
)

// niceProbe records the niceness of the thread each article is processed on.
type niceProbe struct {
	worker.Processor
	mu   sync.Mutex
	seen map[int]int
}

func (p *niceProbe) Process(raw []byte, obs processor.Observer) (event.Enriched, error) {
	n, err := worker.ThreadNice()
	if err != nil {
		n = -100
	}
	p.mu.Lock()
	p.seen[n]++
	p.mu.Unlock()
	return p.Processor.Process(raw, obs)
}

// Articles are processed on threads at --lane-nice; 0 leaves the threads
// alone.
func TestLaneNiceLowersOnlyTheProcessingThreads(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("thread priorities are set on Linux only")
	}
	base, err := worker.ThreadNice()
	if err != nil {
		t.Fatal(err)
	}
	if base > 12 {
		t.Skipf("the test already runs at niceness %d", base)
	}
	for _, nice := range []int{0, 7} {
		t.Run(fmt.Sprint("nice ", nice), func(t *testing.T) {
			e := newEnv(t, 2)
			const n = 20
			var recs []*kgo.Record
			for i := 0; i < n; i++ {
				id := fmt.Sprintf("a%d", i)
				recs = append(recs, &kgo.Record{Topic: e.in, Key: []byte(id), Value: article(id, "body "+id)})
			}
			kafkatest.Produce(t, e.brokers, recs...)
			cfg := e.config("worker-nice")
			cfg.LaneNice = nice
			probe := &niceProbe{seen: map[int]int{},
				Processor: processor.New(processor.Config{Decode: decode.Limits{MaxBytes: cfg.MaxBytes}, Version: "test"}, nil, nil, nil)}
			r := runWorker(t, cfg, probe)
			kafkatest.Consume(t, e.brokers, e.out, n, 30*time.Second)
			if err := r.stop(t); err != nil {
				t.Fatal(err)
			}
			// Niceness adds up: a test run under `nice` starts above 0.
			want := min(base+nice, 19)
			probe.mu.Lock()
			defer probe.mu.Unlock()
			if probe.seen[want] != n {
				t.Errorf("niceness of the processing threads: %v, want all %d at %d", probe.seen, n, want)
			}
			// The lanes' threads end with them: no thread of the process
			// keeps the lowered priority.
			if nice > 0 {
				waitFor(t, "no thread left at the lanes' niceness", 5*time.Second, func() bool {
					return threadsAt(t, want) == 0
				})
			}
		})
	}
}

// threadsAt counts the process's threads at niceness nice, but for the main
// thread: a locked goroutine that ends on it leaves it wedged, running nothing.
func threadsAt(t *testing.T, nice int) int {
	t.Helper()
	stats, err := filepath.Glob("/proc/self/task/*/stat")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	main := fmt.Sprintf("/proc/self/task/%d/stat", os.Getpid())
	for _, f := range stats {
		if f == main {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			continue // the thread ended
		}
		// Fields after the command's closing parenthesis: state is the
		// first, nice the 17th.
		fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(fields) > 16 && fields[16] == strconv.Itoa(nice) {
			n++
		}
	}
	return n
}

func TestLaneNiceIsValidated(t *testing.T) {
	for _, n := range []int{-1, 20} {
		c := config.Default()
		c.LaneNice = n
		if err := c.Validate(); err == nil {
			t.Errorf("lane-nice %d accepted", n)
		}
	}
}
