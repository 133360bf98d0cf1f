// Package consumer reads the input topic as a member of a Kafka consumer
// group and tracks offsets so that a partition is committed only up to the
// highest contiguous offset whose output the broker acknowledged.
//
// Generations. The group membership is kafka-go's ConsumerGroup: one
// Generation at a time, with its partition assignments and the group
// coordinator's committed offsets. For each generation the consumer starts,
// with Generation.Start, one fetch loop per assigned partition and one
// committer, and resets its offset tracker. kafka-go waits for every
// function started that way before it rejoins, which is the revoke hook:
// when the generation ends (a rebalance, a lost coordinator, or Close) the
// fetch loops stop, the committer waits up to DrainTimeout for the records
// already handed out to be acknowledged, commits what is acknowledged with
// Generation.CommitOffsets (still in the old generation, which the
// coordinator accepts until this member rejoins), ends the tracker's
// generation and returns. Records of an ended generation are stale: the
// worker drops the ones it has not published yet (the next owner reads them
// from the committed offset), so a graceful rebalance neither loses nor
// repeats a record.
//
// Fetching is read_committed and done by the consumer's own loops over
// kafka-go's Transport (fetch.go explains why).
//
// Delivery is at-least-once: records whose output was acknowledged after the
// last commit of a generation (a crash, a drain cut short by its deadline)
// are processed again by the next owner.
package consumer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/newsenrich/newsenrich/internal/backoff"
)

// Metrics is what the consumer reports; *metrics.Metrics implements it.
type Metrics interface {
	Fetched()
	ObserveFetch(records, bytes int, err error)
	Skipped(n int)
	Rebalanced()
	SetLag(topic string, partition int, lag int64)
	CommitOK()
	CommitFailed()
}

// Consumer is a consumer-group member with an offset tracker.
type Consumer struct {
	cfg     Config
	log     *slog.Logger
	m       Metrics
	dialer  *kafka.Dialer
	fetcher *Fetcher
	client  *kafka.Client
	tracker *Tracker
	records chan item

	joined   atomic.Bool
	owned    atomic.Int64
	groupErr atomic.Pointer[error] // the last error joining the group
	dialErr  atomic.Pointer[error] // the last failed connection of the group membership
	topicErr atomic.Pointer[error] // from the last lag measurement

	// Shutdown: Close sets final (the deadline of the last commit) and
	// closes stopping; the generation's committer then commits at once.
	stopping  chan struct{}
	stopOnce  sync.Once
	finalMu   sync.Mutex
	final     context.Context
	finalErr  error
	cg        *kafka.ConsumerGroup
	cgMu      sync.Mutex
	closed    bool
	runDone   chan struct{}
	runCalled atomic.Bool
}

// item is what a partition loop hands to Fetch: a record, or a skip past
// offsets that are not handed out (markers, aborted records).
type item struct {
	msg    kafka.Message
	epoch  uint64
	skipTo int64 // > 0: no record, only a skip
}

// New builds the consumer. Nothing connects until Run.
func New(cfg Config, log *slog.Logger, m Metrics) (*Consumer, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	f := NewFetcher(FetcherConfig{Brokers: cfg.Brokers, ClientID: cfg.ClientID, TLS: cfg.TLS, SASL: cfg.SASL,
		MaxWait: cfg.MaxWait, MaxBytes: cfg.FetchMaxBytes})
	c := &Consumer{
		fetcher:  f,
		cfg:      cfg,
		log:      log,
		m:        m,
		dialer:   &kafka.Dialer{ClientID: cfg.ClientID, Timeout: groupDialPatience, DualStack: true, TLS: cfg.TLS, SASLMechanism: cfg.SASL},
		client:   &kafka.Client{Addr: f.addr, Timeout: 10 * time.Second, Transport: f.transport},
		tracker:  NewTracker(),
		records:  make(chan item),
		stopping: make(chan struct{}),
		runDone:  make(chan struct{}),
	}
	c.dialer.DialFunc = c.patientDial
	return c, nil
}

// groupDialPatience is how long the group membership keeps trying to reach a
// broker before kafka-go gives up on the connection.
const groupDialPatience = 60 * time.Second

// patientDial retries a failed connection until the dial's deadline. When
// the brokers go away, kafka-go's ConsumerGroup ends the generation and
// dials the coordinator again; a failed dial makes it forget its member id
// and join as a new member once the brokers are back, and the coordinator
// then waits for the old member (up to a session timeout) before it assigns
// anything. Waiting for the dial to succeed keeps the member id, so the
// group settles as soon as the coordinator is back. The cause is kept for
// readiness and logged when it changes.
func (c *Consumer) patientDial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	bo := backoff.New(c.cfg.BackoffMin, c.cfg.BackoffMax)
	for {
		conn, err := d.DialContext(ctx, network, addr)
		if err == nil {
			if c.dialErr.Swap(nil) != nil {
				c.log.Info("brokers reachable again", "addr", addr)
			}
			return conn, nil
		}
		if prev := c.dialErr.Swap(&err); prev == nil || (*prev).Error() != err.Error() {
			c.log.Warn("cannot reach a broker for the consumer group; retrying", "addr", addr, "err", err)
		}
		// After Close, one attempt only (leaving the group still dials):
		// shutdown must not wait out the patience.
		select {
		case <-c.stopping:
			return nil, err
		default:
		}
		t := time.NewTimer(bo.Next())
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, err
		case <-c.stopping:
			t.Stop()
			return nil, err
		case <-t.C:
		}
	}
}

// Run is the group membership: it joins the group and runs one generation
// after the other until ctx ends or Close is called. Call it once, in its
// own goroutine, before Fetch.
func (c *Consumer) Run(ctx context.Context) error {
	c.runCalled.Store(true)
	defer close(c.runDone)
	logger := kafka.LoggerFunc(func(msg string, args ...any) { c.log.Debug("kafka group", "msg", fmt.Sprintf(msg, args...)) })
	errLogger := kafka.LoggerFunc(func(msg string, args ...any) { c.log.Warn("kafka group", "msg", fmt.Sprintf(msg, args...)) })
	cg, err := kafka.NewConsumerGroup(kafka.ConsumerGroupConfig{
		ID:                c.cfg.Group,
		Brokers:           c.cfg.Brokers,
		Dialer:            c.dialer,
		Topics:            []string{c.cfg.Topic},
		HeartbeatInterval: c.cfg.HeartbeatInterval,
		SessionTimeout:    c.cfg.SessionTimeout,
		RebalanceTimeout:  c.cfg.RebalanceTimeout,
		// kafka-go waits 5s by default before rejoining after an error;
		// after a broker restart that is the time to resume.
		JoinGroupBackoff:      250 * time.Millisecond,
		StartOffset:           kafka.FirstOffset, // a new group reads everything: nothing is skipped
		WatchPartitionChanges: true,
		Timeout:               10 * time.Second,
		Logger:                logger,
		ErrorLogger:           errLogger,
	})
	if err != nil {
		return fmt.Errorf("consumer group: %w", err)
	}
	c.cgMu.Lock()
	if c.closed {
		c.cgMu.Unlock()
		_ = cg.Close()
		return nil
	}
	c.cg = cg
	c.cgMu.Unlock()
	for {
		gen, err := cg.Next(ctx)
		switch {
		case err == nil:
		case errors.Is(err, kafka.ErrGroupClosed) || ctx.Err() != nil:
			return nil
		default:
			// kafka-go backs off and rejoins by itself; keep the cause for
			// readiness.
			c.groupErr.Store(&err)
			c.log.Warn("consumer group: cannot join; retrying", "group", c.cfg.Group, "err", err)
			continue
		}
		c.groupErr.Store(nil)
		c.startGeneration(ctx, gen)
	}
}

// startGeneration starts the fetch loops and the committer of gen.
func (c *Consumer) startGeneration(runCtx context.Context, gen *kafka.Generation) {
	epoch := c.tracker.Begin()
	c.m.Rebalanced()
	var parts []kafka.PartitionAssignment
	for topic, as := range gen.Assignments {
		if topic == c.cfg.Topic {
			parts = as
		}
	}
	c.owned.Store(int64(len(parts)))
	c.joined.Store(true)
	c.log.Info("consumer group generation joined", "generation", gen.ID, "member", gen.MemberID, "partitions", len(parts))
	var fetchers sync.WaitGroup
	for _, pa := range parts {
		tp := TP{c.cfg.Topic, pa.ID}
		fetchers.Add(1)
		gen.Start(func(ctx context.Context) {
			defer fetchers.Done()
			c.fetchLoop(ctx, runCtx, epoch, tp, pa.Offset)
		})
	}
	gen.Start(func(ctx context.Context) {
		c.commitLoop(ctx, gen, epoch, &fetchers)
	})
}

// stopped reports whether the worker stopped fetching (shutdown).
func (c *Consumer) stopped(runCtx context.Context) bool {
	select {
	case <-c.stopping:
		return true
	case <-runCtx.Done():
		return true
	default:
		return false
	}
}

// fetchLoop fetches one partition for one generation. It returns only when
// the generation ends (a function started with Generation.Start that
// returns ends the generation); on shutdown it stops fetching and waits.
func (c *Consumer) fetchLoop(ctx, runCtx context.Context, epoch uint64, tp TP, offset int64) {
	bo := backoff.New(c.cfg.BackoffMin, c.cfg.BackoffMax)
	idle := func() { <-ctx.Done() }
	// handOff gives one item to the lanes; false means the loop must end
	// (after waiting out the generation when the worker is stopping).
	handOff := func(it item) bool {
		select {
		case c.records <- it:
			return true
		case <-ctx.Done():
		case <-c.stopping:
			idle()
		case <-runCtx.Done():
			idle()
		}
		return false
	}
	var lastErr string
	logErr := func(what string, err error) {
		// Log a change of cause loudly, repeats quietly.
		lvl := slog.LevelDebug
		if err.Error() != lastErr {
			lvl = slog.LevelWarn
			lastErr = err.Error()
		}
		c.log.Log(ctx, lvl, what+"; retrying", "topic", tp.Topic, "partition", tp.Partition, "offset", offset, "err", err)
	}
	for offset < 0 {
		o, err := resolveOffset(ctx, c.client, tp, offset)
		if err == nil {
			offset = o
			break
		}
		if ctx.Err() != nil {
			return
		}
		logErr("resolving the start offset", err)
		if !bo.Wait(ctx) {
			return
		}
	}
	c.tracker.Start(epoch, tp, offset)
	bo.Reset()
	for {
		if c.stopped(runCtx) {
			idle()
			return
		}
		res, err := c.fetcher.Fetch(ctx, tp.Topic, tp.Partition, offset)
		if ctx.Err() != nil {
			return
		}
		c.m.ObserveFetch(len(res.Records), res.Bytes, err)
		if errors.Is(err, kafka.OffsetOutOfRange) {
			// The records at offset are gone (retention): nothing can be
			// read there; restart at the log start.
			o, rerr := resolveOffset(ctx, c.client, tp, kafka.FirstOffset)
			if rerr == nil && o > offset {
				c.log.Error("committed offset is below the log start (records expired unread); continuing at the log start",
					"topic", tp.Topic, "partition", tp.Partition, "offset", offset, "log_start", o)
				offset = o
				c.tracker.Start(epoch, tp, o)
				continue
			}
		}
		if err != nil {
			logErr("fetch failed", err)
			if !bo.Wait(ctx) {
				return
			}
			continue
		}
		if lastErr != "" {
			c.log.Info("fetching again", "topic", tp.Topic, "partition", tp.Partition, "offset", offset)
			lastErr = ""
		}
		bo.Reset()
		if res.Skipped > 0 {
			c.m.Skipped(res.Skipped)
		}
		for _, m := range res.Records {
			if !handOff(item{msg: m, epoch: epoch}) {
				return
			}
		}
		last := offset
		if len(res.Records) > 0 {
			last = res.Records[len(res.Records)-1].Offset + 1
		}
		if res.Next > last {
			// Markers or aborted records after the last record handed out:
			// move the commit point over them. This goes through Fetch too,
			// so that it is applied after the records before it were
			// tracked.
			if !handOff(item{msg: kafka.Message{Topic: tp.Topic, Partition: tp.Partition}, epoch: epoch, skipTo: res.Next}) {
				return
			}
		}
		offset = max(offset, res.Next)
	}
}

// Fetch returns the next record to process and its tracking handle. It
// blocks until a record arrives or ctx ends.
func (c *Consumer) Fetch(ctx context.Context) (kafka.Message, Handle, error) {
	for {
		select {
		case <-ctx.Done():
			return kafka.Message{}, Handle{}, ctx.Err()
		case it := <-c.records:
			tp := TP{it.msg.Topic, it.msg.Partition}
			if it.skipTo > 0 {
				c.tracker.Skip(it.epoch, tp, it.skipTo)
				continue
			}
			h, ok := c.tracker.Track(it.epoch, tp, it.msg.Offset)
			if !ok {
				continue // its generation ended while it was on its way
			}
			c.m.Fetched()
			return it.msg, h, nil
		}
	}
}

// Done marks a record's output as acknowledged.
func (c *Consumer) Done(h Handle) { c.tracker.Done(h) }

// Live reports whether h belongs to the current generation. A record whose
// generation ended is another member's now: the worker must not start or
// publish it (the new owner reads it from the committed offset).
func (c *Consumer) Live(h Handle) bool { return c.tracker.Live(h) }

// Joined reports whether a generation was joined.
func (c *Consumer) Joined() bool { return c.joined.Load() }

// Owned is the number of partitions of the current generation.
func (c *Consumer) Owned() int { return int(c.owned.Load()) }

// Check reports, for readiness, why the consumer cannot consume: the group
// cannot be joined (brokers unreachable, ...), the input topic does not
// exist, or no generation was joined yet.
func (c *Consumer) Check() error {
	if p := c.topicErr.Load(); p != nil {
		return *p
	}
	if p := c.groupErr.Load(); p != nil {
		return fmt.Errorf("cannot join consumer group %s: %w", c.cfg.Group, *p)
	}
	if p := c.dialErr.Load(); p != nil {
		return fmt.Errorf("consumer group %s: brokers unreachable: %w", c.cfg.Group, *p)
	}
	if !c.joined.Load() {
		return errors.New("consumer group not joined yet")
	}
	return nil
}

// Tracker exposes the offset tracker (for tests and diagnostics).
func (c *Consumer) Tracker() *Tracker { return c.tracker }

// Close ends the membership: the current generation commits what is
// acknowledged (retrying until ctx ends), the member leaves the group and
// the Kafka connections are closed. Stop handing records to the worker and
// drain it before calling Close. The error is the final commit's.
func (c *Consumer) Close(ctx context.Context) error {
	c.finalMu.Lock()
	c.final = ctx
	c.finalMu.Unlock()
	c.stopOnce.Do(func() { close(c.stopping) })
	c.cgMu.Lock()
	c.closed = true
	cg := c.cg
	c.cgMu.Unlock()
	if cg != nil {
		_ = cg.Close() // waits for the generation's functions: the final commit
	}
	if c.runCalled.Load() {
		<-c.runDone
	}
	c.fetcher.Close()
	c.finalMu.Lock()
	defer c.finalMu.Unlock()
	return c.finalErr
}
