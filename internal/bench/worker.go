package bench

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/embeddedkafka"
	"github.com/newsenrich/newsenrich/internal/worker"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/decode"
)

// Topics names one run's topics; each run gets fresh ones so leftovers of
// an earlier run never count.
type Topics struct {
	Input, Output, DLQ, Group string
}

// NewTopics derives topic and group names from a prefix.
func NewTopics(prefix string) Topics {
	return Topics{Input: prefix + ".raw", Output: prefix + ".enriched", DLQ: prefix + ".dlq", Group: prefix}
}

// WorkerConfig is the worker configuration a bench child runs with: the
// documented defaults, pointed at the bench topics.
func WorkerConfig(brokers []string, t Topics, concurrency int) config.Config {
	cfg := config.Default()
	cfg.Brokers = brokers
	cfg.InputTopic, cfg.OutputTopic, cfg.DLQTopic, cfg.Group = t.Input, t.Output, t.DLQ, t.Group
	if concurrency > 0 {
		cfg.Concurrency = concurrency
	}
	cfg.ShutdownTimeout = 10 * time.Second
	cfg.LogLevel = "warn"
	return cfg
}

// ProcessorConfig is the processor configuration matching a worker config.
func ProcessorConfig(cfg config.Config, model string) processor.Config {
	return processor.Config{
		Decode:  decode.Limits{MaxBytes: cfg.MaxBytes},
		Version: "bench", Model: model,
	}
}

// RunWorker runs the real worker (package worker) until ctx ends. It is
// what a bench child process does in worker mode.
func RunWorker(ctx context.Context, cfg config.Config, proc Processor, log *slog.Logger, opts ...worker.Option) error {
	m := metrics.New(metrics.Topics{Input: cfg.InputTopic, Output: cfg.OutputTopic, DLQ: cfg.DLQTopic},
		metrics.Build{Version: "bench"})
	w, err := worker.New(cfg, log, m, proc, opts...)
	if err != nil {
		return err
	}
	return w.Run(ctx)
}

// Load is the bench's side of a broker run: it creates the topics, produces
// the input records, and consumes the outputs to see when each one lands.
type Load struct {
	brokers []string
	topics  Topics
	prod    *kgo.Client
	coll    *kgo.Client

	mu    sync.Mutex
	sent  []time.Time // by sequence number
	recv  []time.Time
	outTS []time.Time // the output record's own timestamp
	got   atomic.Int64
	dups  atomic.Int64
	// first and last arrival among the first `window` sequence numbers
	window      int
	first, last time.Time
	firstPoll   int // backlog outputs that arrived with the first one
	collErr     atomic.Pointer[error]
}

// Embedded starts franz-go's in-process broker (kfake) for a run.
func Embedded() (addrs []string, stop func(), err error) {
	b, err := embeddedkafka.Start()
	if err != nil {
		return nil, nil, err
	}
	return b.Addrs(), b.Close, nil
}

// NewLoad creates the run's topics and the producing and collecting
// clients. capacity bounds the sequence numbers that will be sent.
func NewLoad(ctx context.Context, brokers []string, t Topics, partitions int32, capacity int) (*Load, error) {
	if err := embeddedkafka.CreateTopics(ctx, brokers, partitions, t.Input, t.Output, t.DLQ); err != nil {
		return nil, err
	}
	prod, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.DefaultProduceTopic(t.Input),
		kgo.ProducerLinger(0), kgo.ProducerBatchMaxBytes(16<<20), kgo.MaxBufferedRecords(1<<16))
	if err != nil {
		return nil, err
	}
	coll, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(t.Output, t.DLQ),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(50*time.Millisecond),
		kgo.FetchMaxBytes(64<<20))
	if err != nil {
		prod.Close()
		return nil, err
	}
	return &Load{brokers: brokers, topics: t, prod: prod, coll: coll,
		sent: make([]time.Time, capacity), recv: make([]time.Time, capacity), outTS: make([]time.Time, capacity)}, nil
}

// Grow makes room for sequence numbers below total.
func (l *Load) Grow(total int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if total > len(l.sent) {
		l.sent = append(l.sent, make([]time.Time, total-len(l.sent))...)
		l.recv = append(l.recv, make([]time.Time, total-len(l.recv))...)
		l.outTS = append(l.outTS, make([]time.Time, total-len(l.outTS))...)
	}
}

// Close stops the clients.
func (l *Load) Close() {
	l.prod.Close()
	l.coll.Close()
}

// DeleteTopics removes the run's topics (for real brokers).
func (l *Load) DeleteTopics(ctx context.Context) error {
	_, err := kadm.NewClient(l.prod).DeleteTopics(ctx, l.topics.Input, l.topics.Output, l.topics.DLQ)
	return err
}

// ID is the article id given to sequence number seq.
func ID(seq int) string { return "bench-" + strconv.Itoa(seq) }

func seqOf(key []byte) (int, bool) {
	s, ok := strings.CutPrefix(string(key), "bench-")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func (l *Load) record(c *Corpus, seq int) *kgo.Record {
	id := ID(seq)
	now := time.Now()
	l.mu.Lock()
	l.sent[seq] = now
	l.mu.Unlock()
	return &kgo.Record{Key: []byte(id), Value: c.Unique(seq, id), Timestamp: now}
}

// Backlog produces sequence numbers [0, n) as fast as the broker takes
// them and waits for every acknowledgement.
func (l *Load) Backlog(ctx context.Context, c *Corpus, n int, prog Progress) error {
	const batch = 512
	for from := 0; from < n; from += batch {
		to := min(from+batch, n)
		recs := make([]*kgo.Record, 0, to-from)
		for seq := from; seq < to; seq++ {
			recs = append(recs, l.record(c, seq))
		}
		if err := l.prod.ProduceSync(ctx, recs...).FirstErr(); err != nil {
			return fmt.Errorf("producing backlog: %w", err)
		}
		if prog != nil {
			_ = prog.Add(to - from)
		}
	}
	return nil
}

// Paced produces sequence numbers [from, from+n) at rate records/s, each
// at its scheduled time, without waiting for acknowledgements.
func (l *Load) Paced(ctx context.Context, c *Corpus, from, n int, rate float64) error {
	start := time.Now()
	var perr atomic.Pointer[error]
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
		if d := time.Until(at); d > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(d):
			}
		}
		l.prod.Produce(ctx, l.record(c, from+i), func(_ *kgo.Record, err error) {
			if err != nil {
				perr.Store(&err)
			}
		})
	}
	if err := l.prod.Flush(ctx); err != nil {
		return err
	}
	if e := perr.Load(); e != nil {
		return fmt.Errorf("paced produce: %w", *e)
	}
	return nil
}

// Collect consumes the output and dead-letter topics until ctx ends,
// stamping the arrival of every sequence number. window is how many of the
// first sequence numbers count towards First/Last (the backlog).
func (l *Load) Collect(ctx context.Context, window int, prog Progress) {
	l.window = window
	for ctx.Err() == nil {
		fs := l.coll.PollFetches(ctx)
		if ctx.Err() != nil {
			return
		}
		fs.EachError(func(_ string, _ int32, err error) { l.collErr.Store(&err) })
		now := time.Now()
		n := 0
		l.mu.Lock()
		opened := l.first.IsZero()
		fs.EachRecord(func(r *kgo.Record) {
			seq, ok := seqOf(r.Key)
			if !ok || seq >= len(l.recv) {
				return
			}
			if !l.recv[seq].IsZero() {
				l.dups.Add(1)
				return
			}
			l.recv[seq] = now
			l.outTS[seq] = r.Timestamp
			n++
			if seq < l.window {
				if l.first.IsZero() {
					l.first = now
				}
				if opened {
					l.firstPoll++
				}
				l.last = now
			}
		})
		l.mu.Unlock()
		l.got.Add(int64(n))
		if prog != nil && n > 0 {
			_ = prog.Add(n)
		}
	}
}

// WaitFor blocks until total outputs have arrived, ctx ends, or nothing
// new arrives for stall.
func (l *Load) WaitFor(ctx context.Context, total int, stall time.Duration) error {
	lastN, lastT := l.got.Load(), time.Now()
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for {
		n := l.got.Load()
		if n >= int64(total) {
			return nil
		}
		if n != lastN {
			lastN, lastT = n, time.Now()
		} else if time.Since(lastT) > stall {
			msg := ""
			if e := l.collErr.Load(); e != nil {
				msg = fmt.Sprintf(" (last consumer error: %v)", *e)
			}
			return fmt.Errorf("only %d of %d outputs after %v without progress%s", n, total, stall, msg)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Duplicates is how many outputs arrived more than once (at-least-once
// delivery allows it; a clean run has none).
func (l *Load) Duplicates() int { return int(l.dups.Load()) }

// DrainResult is the backlog's throughput: from the first output to the
// last, so worker start-up and group join are not counted.
func (l *Load) DrainResult(mode string, c *Corpus, n, workers int) Result {
	l.mu.Lock()
	first, last, skip := l.first, l.last, l.firstPoll
	l.mu.Unlock()
	// The first arrivals open the clock: they were processed before it
	// started, so they are not counted. Sizes are averaged over the
	// backlog, as the order of arrival is not the order of production.
	r := Result{Mode: mode, Workers: workers, Articles: max(n-skip, 0)}
	var words, bytes int64
	for seq := 0; seq < n; seq++ {
		rec := c.At(seq)
		words += int64(rec.Words)
		bytes += int64(len(rec.Raw))
	}
	if n > 0 {
		r.Words = words * int64(r.Articles) / int64(n)
		r.Bytes = bytes * int64(r.Articles) / int64(n)
	}
	r.finish(last.Sub(first))
	r.Note = fmt.Sprintf("backlog of %d drained; rate from the first output to the last (%d outputs that came with the first not counted)", n, skip)
	return r
}

// PacedResult is the latency of sequence numbers [from, from+n): from the
// input record's timestamp to the output reaching the bench's own consumer,
// which is everything a downstream service sees: fetch, processing, the
// write and its acknowledgement, and one more fetch. The note adds the
// latency to the output record's timestamp, which the worker's producer
// stamps as it encodes the write (milliseconds; no acknowledgement in it).
func (l *Load) PacedResult(mode string, c *Corpus, from, n, workers int, rate float64, d time.Duration) Result {
	l.mu.Lock()
	var written, consumed []time.Duration
	for seq := from; seq < from+n; seq++ {
		if l.recv[seq].IsZero() {
			continue
		}
		consumed = append(consumed, l.recv[seq].Sub(l.sent[seq]))
		// Kafka timestamps are whole milliseconds: compare like with like.
		if ts, in := l.outTS[seq], l.sent[seq].Truncate(time.Millisecond); !ts.IsZero() && !ts.Before(in) {
			written = append(written, ts.Sub(in))
		}
	}
	l.mu.Unlock()
	r := Result{Mode: mode, Workers: workers, Articles: len(consumed), TargetRate: rate}
	for seq := from; seq < from+n; seq++ {
		rec := c.At(seq)
		r.Words += int64(rec.Words)
		r.Bytes += int64(len(rec.Raw))
	}
	r.finish(d)
	r.setLatencies(consumed)
	r.Note = fmt.Sprintf("paced at %.0f articles/s; latency = input record timestamp -> output consumed by the bench", rate)
	if len(written) > 0 {
		var w Result
		w.setLatencies(written)
		r.WrittenP99 = w.P99
		r.Note += fmt.Sprintf("; to the output record's timestamp (set as the worker sends the write, ms): p50 %.0f, p95 %.0f, p99 %.0f ms",
			w.P50, w.P95, w.P99)
	}
	return r
}
