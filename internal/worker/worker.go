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

// Option adjusts a Worker beyond what config.Config covers (tests, demo).
type Option func(*options)

type options struct {
	heartbeat, session, rebalance time.Duration
	maxWait                       time.Duration
	readyInterval                 time.Duration
}

// WithGroupTiming shortens consumer-group timers (tests that rebalance).
func WithGroupTiming(heartbeat, session, rebalance time.Duration) Option {
	return func(o *options) { o.heartbeat, o.session, o.rebalance = heartbeat, session, rebalance }
}

// WithMaxWait sets how long one fetch waits for new data.
func WithMaxWait(d time.Duration) Option { return func(o *options) { o.maxWait = d } }

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
	if err := w.c.Check(); err != nil {
		return err
	}
	if !w.c.Joined() {
		return errors.New("consumer group not joined yet")
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
}

type result struct {
	job
	out     kafka.Message
	outcome string
	reason  string
	ev      *event.Enriched
	words   int
}

// Run consumes until ctx is cancelled, then shuts down: stop fetching,
// finish in-flight records within cfg.ShutdownTimeout, commit what is done,
// leave the group. It returns nil only for a clean shutdown.
func (w *Worker) Run(ctx context.Context) error {
	deadline := make(chan struct{})
	// The shutdown deadline covers draining, the final commit and closing;
	// draining stops early enough to leave the rest a reserve.
	reserve := min(5*time.Second, w.cfg.ShutdownTimeout/4)
	// workCtx bounds processing and producing: it ends at the drain
	// deadline, not at the shutdown signal, so in-flight work can finish.
	workCtx, cancelWork := context.WithCancel(context.Background())
	defer cancelWork()
	go func() {
		select {
		case <-ctx.Done():
		case <-workCtx.Done():
			return
		}
		w.shuttingDown.Store(true)
		t := time.NewTimer(w.cfg.ShutdownTimeout - reserve)
		defer t.Stop()
		select {
		case <-t.C:
			close(deadline)
			cancelWork()
		case <-workCtx.Done():
		}
	}()

	var bg sync.WaitGroup
	bgCtx, cancelBg := context.WithCancel(ctx)
	defer cancelBg()
	bg.Add(3)
	go func() { defer bg.Done(); _ = w.c.RunCommitter(bgCtx) }()
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

	fetchErr := w.fetchLoop(ctx, lanes, sem)
	shutdownBy := time.Now().Add(w.cfg.ShutdownTimeout)
	for _, l := range lanes {
		close(l)
	}
	drained := make(chan struct{})
	go func() { lanesDone.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-deadline:
		<-drained // lanes return promptly once workCtx is cancelled
	}
	cancelBg()
	bg.Wait()

	// Final commit: everything acknowledged so far, on the partitions this
	// member still owns, before leaving the group (waits out a rebalance
	// until the shutdown deadline).
	cctx, cancel := context.WithDeadline(context.Background(), shutdownBy)
	commitErr := w.c.CommitFinal(cctx)
	cancel()
	w.p.PollStats()
	closeErr := errors.Join(w.c.Close(), w.p.Close())
	cancelWork()

	var errs []error
	if fetchErr != nil {
		errs = append(errs, fetchErr)
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

// fetchLoop fetches until ctx ends, holding a slot of sem for every record
// until its output is acknowledged.
func (w *Worker) fetchLoop(ctx context.Context, lanes []chan job, sem chan struct{}) error {
	backoff := 100 * time.Millisecond
	for {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
		msg, h, err := w.c.Fetch(ctx)
		if err != nil {
			<-sem
			if ctx.Err() != nil {
				return nil
			}
			w.log.Warn("fetch failed; retrying", "err", err, "backoff", backoff)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 5*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
		w.m.Inflight.Inc()
		lanes[laneFor(msg, len(lanes))] <- job{msg: msg, h: h}
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
// batching whatever is ready into one write.
func (w *Worker) lane(ctx context.Context, in <-chan job, sem chan struct{}) {
	out := make(chan result, cap(in))
	var pub sync.WaitGroup
	pub.Add(1)
	go func() { defer pub.Done(); w.publish(ctx, out, sem) }()
	for j := range in {
		out <- w.process(j)
	}
	close(out)
	pub.Wait()
}

func (w *Worker) process(j job) result {
	o := w.pl.Record(w.p, j.msg, w.m.ObserveStage)
	w.m.ProcessorDuration.Observe(o.Duration.Seconds())
	return result{job: j, out: o.Record, outcome: o.Outcome, reason: o.Reason, ev: o.Event, words: o.Words}
}

const maxBatch = 64

func (w *Worker) publish(ctx context.Context, in <-chan result, sem chan struct{}) {
	batch := make([]result, 0, maxBatch)
	msgs := make([]kafka.Message, 0, maxBatch)
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
		msgs = msgs[:0]
		for _, b := range batch {
			if b.outcome != metrics.OutcomeDropped { // nothing to write, only to commit
				msgs = append(msgs, b.out)
			}
		}
		var err error
		if len(msgs) > 0 {
			err = w.p.Write(ctx, msgs...)
		}
		now := time.Now()
		for _, b := range batch {
			if err != nil {
				// Deadline passed: not delivered, not committed; redelivered later.
				w.abandoned.Add(1)
			} else {
				w.acked(b, now)
			}
			w.m.Inflight.Dec()
			<-sem
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
