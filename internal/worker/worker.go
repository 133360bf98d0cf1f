// Package worker is the pipeline of `newsenrich run`: consumer -> a bounded
// pool of processor lanes -> producer -> offset tracker.
//
// Ordering and parallelism. Each record goes to one of Concurrency lanes,
// chosen by a hash of (partition, key) — or of the offset when the record
// has no key. A lane processes its records one after the other and
// publishes them in that order, so records with the same key on the same
// partition reach the output topic in input order; different keys run in
// parallel. The output key is the article id and the writer hashes it to a
// partition, so per-article order holds downstream as well.
//
// Backpressure. At most MaxInflight records are between fetch and broker
// acknowledgement; when that many are outstanding the fetch loop stops
// asking the reader for more.
//
// Delivery. A record's offset is handed to the tracker as done only after
// its enriched event or dead letter was acknowledged with acks=all; the
// consumer commits contiguous done offsets (package consumer). Output
// writes are retried with backoff until the shutdown deadline.
package worker

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/newsenrich/newsenrich/consumer"
	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/pipeline"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/producer"
)

// Processor is the enrichment step; *processor.Processor implements it.
// The worker runs it through package pipeline.
type Processor = pipeline.Processor

// Worker runs the pipeline.
type Worker struct {
	cfg  config.Config
	log  *slog.Logger
	m    *metrics.Metrics
	pl   *pipeline.Pipeline
	c    *consumer.Consumer
	p    *producer.Producer
	opts options

	producerErr  atomic.Pointer[error]
	shuttingDown atomic.Bool
	abandoned    atomic.Int64
	fail         func(error) // set by Run
	failErr      atomic.Pointer[error]
}

// New builds the worker and its Kafka clients (which connect lazily).
func New(cfg config.Config, log *slog.Logger, m *metrics.Metrics, proc Processor, opts ...Option) (*Worker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	o := options{readyInterval: 2 * time.Second}
	for _, f := range opts {
		f(&o)
	}
	tlsCfg, err := cfg.TLSConfig()
	if err != nil {
		return nil, err
	}
	mech, err := cfg.SASL()
	if err != nil {
		return nil, err
	}
	c, err := consumer.New(consumer.Config{
		Brokers: cfg.Brokers, Topic: cfg.InputTopic, Group: cfg.Group, ClientID: cfg.ClientID,
		CommitInterval: cfg.CommitInterval, LagInterval: cfg.LagInterval, TLS: tlsCfg, SASL: mech,
		HeartbeatInterval: o.heartbeat, SessionTimeout: o.session, RebalanceTimeout: o.rebalance,
		MaxWait: o.maxWait,
	}, log.With("component", "consumer"), m)
	if err != nil {
		return nil, err
	}
	p, err := producer.New(producer.Config{
		Brokers: cfg.Brokers, OutputTopic: cfg.OutputTopic, DLQTopic: cfg.DLQTopic, ClientID: cfg.ClientID,
		TLS: tlsCfg, SASL: mech, MaxMessageBytes: cfg.MaxMessageBytes,
	}, log.With("component", "producer"), m)
	if err != nil {
		return nil, err
	}
	pl, err := pipeline.New(proc, pipeline.Config{MaxBytes: cfg.MaxBytes, Languages: cfg.Languages,
		OtherLanguages: pipeline.Policy(cfg.OtherLanguages)}, m)
	if err != nil {
		return nil, err
	}
	w := &Worker{cfg: cfg, log: log, m: m, pl: pl, c: c, p: p, opts: o}
	notYet := errors.New("not checked yet")
	w.producerErr.Store(&notYet)
	return w, nil
}

// Ready is nil once the group is joined and the producer can write.
func (w *Worker) Ready() error {
	if w.shuttingDown.Load() {
		return errors.New("shutting down")
	}
	if p := w.failErr.Load(); p != nil {
		return *p
	}
	if err := w.c.Check(); err != nil {
		return err
	}
	if err := w.p.Stuck(); err != nil {
		return fmt.Errorf("producer: %w", err)
	}
	if err := *w.producerErr.Load(); err != nil {
		return fmt.Errorf("producer: %w", err)
	}
	return nil
}

// Consumer exposes the consumer (tests, diagnostics).
func (w *Worker) Consumer() *consumer.Consumer { return w.c }

type job struct {
	msg kafka.Message
	h   consumer.Handle
	t   *Timing // only WithTimings
}

type result struct {
	job
	out     kafka.Message
	outcome string
	reason  string
	ev      *event.Enriched
	words   int
}

// Run consumes until ctx is cancelled, then shuts down within
// cfg.ShutdownTimeout: stop fetching at once, finish the records already
// fetched until the drain deadline (the timeout minus the share reserved for
// the final commit), abandon what is left, commit what is acknowledged,
// leave the group. It returns nil only for a clean shutdown.
func (w *Worker) Run(ctx context.Context) error {
	// workCtx bounds processing and producing: it ends at the drain
	// deadline (or when the worker fails), not at the shutdown signal, so
	// in-flight work can finish.
	workCtx, cancelWork := context.WithCancelCause(context.Background())
	defer cancelWork(nil)
	var shutdownBy atomic.Pointer[time.Time]
	go func() {
		select {
		case <-ctx.Done():
		case <-workCtx.Done():
			return
		}
		w.shuttingDown.Store(true)
		by := time.Now().Add(w.cfg.ShutdownTimeout)
		shutdownBy.Store(&by)
		t := time.NewTimer(w.cfg.ShutdownTimeout - commitReserve(w.cfg.ShutdownTimeout))
		defer t.Stop()
		select {
		case <-t.C:
			cancelWork(errDrainDeadline)
		case <-workCtx.Done():
		}
	}()
	// failCtx ends the fetching when the worker fails (a record it can
	// neither publish nor dead-letter).
	fetchCtx, cancelFetch := context.WithCancel(ctx)
	defer cancelFetch()
	w.fail = func(err error) {
		w.failErr.CompareAndSwap(nil, &err)
		cancelFetch()
	}

	var bg sync.WaitGroup
	bgCtx, cancelBg := context.WithCancel(fetchCtx)
	defer cancelBg()
	bg.Add(3)
	go func() { defer bg.Done(); _ = w.c.Run(fetchCtx) }()
	go func() { defer bg.Done(); _ = w.c.RunLag(bgCtx) }()
	go func() { defer bg.Done(); w.watchProducer(bgCtx) }()

	sem := make(chan struct{}, w.cfg.MaxInflight)
	lanes := make([]chan job, w.cfg.Concurrency)
	var lanesDone sync.WaitGroup
	for i := range lanes {
		lanes[i] = make(chan job, w.cfg.MaxInflight)
		lanesDone.Add(1)
		go func(in <-chan job) {
			defer lanesDone.Done()
			w.lane(workCtx, in, sem)
		}(lanes[i])
	}

	w.fetchLoop(fetchCtx, lanes, sem)
	if !w.shuttingDown.Load() {
		// The worker failed: shut down as if signalled.
		w.shuttingDown.Store(true)
		by := time.Now().Add(w.cfg.ShutdownTimeout)
		shutdownBy.Store(&by)
		go func() {
			t := time.NewTimer(w.cfg.ShutdownTimeout - commitReserve(w.cfg.ShutdownTimeout))
			defer t.Stop()
			select {
			case <-t.C:
				cancelWork(errDrainDeadline)
			case <-workCtx.Done():
			}
		}()
	}
	for _, l := range lanes {
		close(l)
	}
	lanesDone.Wait() // lanes return by the drain deadline
	cancelBg()

	// Final commit: everything acknowledged, within the reserved share.
	by := time.Now().Add(commitReserve(w.cfg.ShutdownTimeout))
	if p := shutdownBy.Load(); p != nil && p.After(by) {
		by = *p
	}
	cctx, cancel := context.WithDeadline(context.Background(), by)
	commitErr := w.c.Close(cctx)
	cancel()
	bg.Wait()
	w.p.PollStats()
	closeErr := w.p.Close()
	cancelWork(nil)

	var errs []error
	if p := w.failErr.Load(); p != nil {
		errs = append(errs, *p)
	}
	if n := w.abandoned.Load(); n > 0 {
		errs = append(errs, fmt.Errorf("shutdown deadline %v passed with %d records unpublished (they will be redelivered)", w.cfg.ShutdownTimeout, n))
	}
	if commitErr != nil {
		errs = append(errs, fmt.Errorf("final commit: %w", commitErr))
	}
	if closeErr != nil {
		errs = append(errs, fmt.Errorf("closing kafka clients: %w", closeErr))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	w.log.Info("worker stopped cleanly")
	return nil
}

var errDrainDeadline = errors.New("shutdown drain deadline passed")

// commitReserve is the share of the shutdown timeout kept for the final
// commit and leaving the group: a quarter, at most 5s.
func commitReserve(timeout time.Duration) time.Duration {
	return min(5*time.Second, timeout/4)
}

// fetchLoop fetches until ctx ends, holding a slot of sem for every record
// until its output is acknowledged or it is dropped.
func (w *Worker) fetchLoop(ctx context.Context, lanes []chan job, sem chan struct{}) {
	for {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		msg, h, err := w.c.Fetch(ctx)
		if err != nil {
			<-sem
			return // only ctx ends Fetch; the partition loops retry by themselves
		}
		w.m.Inflight.Inc()
		j := job{msg: msg, h: h}
		if w.opts.timings != nil {
			j.t = &Timing{Input: msg.Time, Fetched: time.Now()}
		}
		lanes[laneFor(msg, len(lanes))] <- j
	}
}

func laneFor(m kafka.Message, n int) int {
	h := fnv.New32a()
	var b [8]byte
	for i := 0; i < 8; i++ {
		b[i] = byte(uint64(m.Partition) >> (8 * i))
	}
	h.Write(b[:])
	if len(m.Key) > 0 {
		h.Write(m.Key)
	} else {
		for i := 0; i < 8; i++ {
			b[i] = byte(uint64(m.Offset) >> (8 * i))
		}
		h.Write(b[:])
	}
	return int(h.Sum32() % uint32(n))
}

// lane processes its records in order and publishes them in that order,
// batching whatever is ready into one write. A record is dropped, unprocessed,
// once the drain deadline passed or its generation ended (its partition may
// be another member's now; the group re-reads it from the committed offset).
func (w *Worker) lane(ctx context.Context, in <-chan job, sem chan struct{}) {
	out := make(chan result, cap(in))
	var pub sync.WaitGroup
	pub.Add(1)
	go func() { defer pub.Done(); w.publish(ctx, out, sem) }()
	for j := range in {
		if ctx.Err() != nil {
			w.abandoned.Add(1)
			w.release(sem)
			continue
		}
		if !w.c.Live(j.h) {
			w.release(sem)
			continue
		}
		out <- w.process(j)
	}
	close(out)
	pub.Wait()
}

func (w *Worker) release(sem chan struct{}) {
	w.m.Inflight.Dec()
	<-sem
}

// process turns one record into its output; the enrichment step is this
// one call.
func (w *Worker) process(j job) result {
	if j.t != nil {
		j.t.Started = time.Now()
	}
	o := w.pl.Record(w.p, j.msg, w.m.ObserveStage)
	if j.t != nil {
		j.t.Processed = time.Now()
	}
	w.m.ProcessorDuration.Observe(o.Duration.Seconds())
	return result{job: j, out: o.Record, outcome: o.Outcome, reason: o.Reason, ev: o.Event, words: o.Words}
}

const maxBatch = 64

func (w *Worker) publish(ctx context.Context, in <-chan result, sem chan struct{}) {
	batch := make([]result, 0, maxBatch)
	msgs := make([]kafka.Message, 0, maxBatch)
	written := make([]int, 0, maxBatch)
	for r := range in {
		batch = append(batch[:0], r)
	fill:
		for len(batch) < maxBatch {
			select {
			case r2, ok := <-in:
				if !ok {
					break fill
				}
				batch = append(batch, r2)
			default:
				break fill
			}
		}
		// Records whose generation ended are not published: the new owner
		// of the partition processes them from the committed offset.
		live := batch[:0]
		for _, b := range batch {
			if w.c.Live(b.h) {
				live = append(live, b)
			} else {
				w.release(sem)
			}
		}
		batch = live
		if len(batch) == 0 {
			continue
		}
		msgs, written = msgs[:0], written[:0]
		for i, b := range batch {
			if b.outcome != metrics.OutcomeDropped { // nothing to write, only to commit
				msgs = append(msgs, b.out)
				written = append(written, i)
			}
		}
		if w.opts.timings != nil {
			now := time.Now()
			for _, b := range batch {
				b.t.Sent = now
			}
		}
		var err error
		if len(msgs) > 0 {
			err = w.p.Write(ctx, msgs...)
		}
		var rej *producer.RejectedError
		if errors.As(err, &rej) {
			err = w.settleRejected(ctx, batch, written, rej)
		}
		now := time.Now()
		for _, b := range batch {
			if err != nil {
				// Deadline passed: not delivered, not committed; redelivered later.
				w.abandoned.Add(1)
			} else {
				w.acked(b, now)
			}
			w.release(sem)
		}
	}
}

func (w *Worker) acked(r result, now time.Time) {
	w.c.Done(r.h)
	w.m.Articles.WithLabelValues(r.outcome).Inc()
	switch r.outcome {
	case metrics.OutcomeDeadLetter:
		w.m.DLQRecords.WithLabelValues(r.reason).Inc()
	case metrics.OutcomeEnriched:
		w.m.Enriched(r.ev, r.words)
	}
	if !r.msg.Time.IsZero() {
		w.m.EndToEnd.Observe(now.Sub(r.msg.Time).Seconds())
	}
	if r.t != nil {
		r.t.Acked = now
		w.opts.timings(*r.t)
	}
}

// watchProducer keeps the producer's readiness current and folds in the
// writer stats.
func (w *Worker) watchProducer(ctx context.Context) {
	t := time.NewTicker(w.opts.readyInterval)
	defer t.Stop()
	var last error
	first := true
	for {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := w.p.Check(cctx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		// Log changes, not every probe.
		switch {
		case err != nil && (first || last == nil || err.Error() != last.Error()):
			w.log.Warn("cannot write to the output topics; not ready", "err", err)
		case err == nil && last != nil:
			w.log.Info("output topics writable again")
		}
		first, last = false, err
		w.producerErr.Store(&err)
		w.p.PollStats()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
