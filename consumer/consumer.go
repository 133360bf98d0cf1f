// Package consumer reads the input topic as a member of a Kafka consumer
// group (kafka-go Reader, FetchMessage + explicit commits, never
// auto-commit) and tracks offsets so that a partition is committed only up
// to the highest contiguous offset whose output the broker acknowledged.
//
// Rebalances. kafka-go's group Reader hides generations: it neither tells
// the caller which partitions it owns nor when they change, and
// CommitMessages sends offsets with whatever generation is current. The
// consumer therefore
//   - watches Reader.Stats().Rebalances; when it moves, the assignment is
//     marked unknown and nothing is committed until it is confirmed;
//   - confirms the assignment before every commit round with DescribeGroups,
//     finding this member by its client id (which must be unique per worker),
//     and commits only partitions the group says this member owns (the group
//     must be Stable, or PreparingRebalance with this member's assignment
//     confirmed and no newer generation joined: it still owns them, and
//     committing then is what a revoke callback would do; in its first
//     generation the partitions it fetched from stand for the assignment);
//   - commits every 25 ms while the group prepares a rebalance that this
//     member has not joined yet, so less finished work moves uncommitted;
//   - detects a partition restarted at an earlier offset (the new generation
//     resumed from the committed offset) and does not process again what
//     this run already fetched: published records are skipped, in-flight
//     ones complete under their original handle;
//   - on shutdown (CommitFinal) retries until the assignment is confirmed,
//     so a worker stopping during a rebalance still commits what it owns.
//
// Limits: between the DescribeGroups answer and the commit a new rebalance
// can start; a commit that slips through then covers only offsets whose
// output was acknowledged, so it can cause duplicates (a rewind) but never
// loss. Records in flight when a partition is lost are still published (more
// duplicates, no loss). Delivery is at-least-once.
package consumer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
)

// Metrics is what the consumer reports; *metrics.Metrics implements it.
type Metrics interface {
	Fetched()
	ObserveReader(kafka.ReaderStats)
	SetLag(topic string, partition int, lag int64)
	CommitOK()
	CommitFailed()
}

// Config configures a Consumer.
type Config struct {
	Brokers        []string
	Topic          string
	Group          string
	ClientID       string
	CommitInterval time.Duration
	LagInterval    time.Duration
	TLS            *tls.Config
	SASL           sasl.Mechanism
	// Group timing; zero values mean 1s heartbeat, 10s session and
	// rebalance timeouts. Tests shorten them.
	HeartbeatInterval time.Duration
	SessionTimeout    time.Duration
	RebalanceTimeout  time.Duration
	// MaxWait bounds how long a fetch waits for new data (default 250ms).
	MaxWait time.Duration
}

// Consumer is a consumer-group member with an offset tracker.
type Consumer struct {
	cfg     Config
	log     *slog.Logger
	m       Metrics
	r       *kafka.Reader
	client  *kafka.Client
	tracker *Tracker
	joined  atomic.Bool
	owned   atomic.Int64 // partitions owned per the last confirmed assignment
	// confirmed: the assignment was read from a Stable group and kafka-go
	// has not joined a newer generation since. Only the commit goroutine
	// touches it.
	confirmed     bool
	preparing     bool  // the last round found the group PreparingRebalance with this member confirmed
	generations   int64 // group generations kafka-go joined (Reader.Stats().Rebalances, summed)
	warnedMissing bool
	topicErr      atomic.Pointer[error] // from the last lag measurement
}

// New creates the group Reader. It joins the group on the first Fetch.
func New(cfg Config, log *slog.Logger, m Metrics) (*Consumer, error) {
	if len(cfg.Brokers) == 0 || cfg.Topic == "" || cfg.Group == "" || cfg.ClientID == "" {
		return nil, errors.New("consumer: brokers, topic, group and client id are required")
	}
	if cfg.CommitInterval <= 0 {
		cfg.CommitInterval = time.Second
	}
	if cfg.LagInterval <= 0 {
		cfg.LagInterval = 5 * time.Second
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = 250 * time.Millisecond
	}
	// Shorter than kafka-go's 3s/30s/30s: after a broker restart the
	// coordinator waits up to these for members it remembers, and records
	// take milliseconds, so nothing needs the long defaults.
	if cfg.HeartbeatInterval <= 0 {
		cfg.HeartbeatInterval = time.Second
	}
	if cfg.SessionTimeout <= 0 {
		cfg.SessionTimeout = 10 * time.Second
	}
	if cfg.RebalanceTimeout <= 0 {
		cfg.RebalanceTimeout = 10 * time.Second
	}
	dialer := &kafka.Dialer{ClientID: cfg.ClientID, Timeout: 10 * time.Second, DualStack: true, TLS: cfg.TLS, SASLMechanism: cfg.SASL}
	rc := kafka.ReaderConfig{
		Brokers:           cfg.Brokers,
		GroupID:           cfg.Group,
		Topic:             cfg.Topic,
		Dialer:            dialer,
		StartOffset:       kafka.FirstOffset, // a new group reads everything: nothing is skipped
		CommitInterval:    0,                 // synchronous, explicit commits only
		MaxWait:           cfg.MaxWait,
		HeartbeatInterval: cfg.HeartbeatInterval,
		SessionTimeout:    cfg.SessionTimeout,
		RebalanceTimeout:  cfg.RebalanceTimeout,
		ReadBackoffMin:    100 * time.Millisecond,
		ReadBackoffMax:    2 * time.Second,
		ErrorLogger:       kafka.LoggerFunc(func(msg string, args ...any) { log.Debug("kafka reader", "msg", fmt.Sprintf(msg, args...)) }),
	}
	transport := &kafka.Transport{ClientID: cfg.ClientID, TLS: cfg.TLS, SASL: cfg.SASL, DialTimeout: 10 * time.Second}
	return &Consumer{
		cfg:     cfg,
		log:     log,
		m:       m,
		r:       kafka.NewReader(rc),
		client:  &kafka.Client{Addr: kafka.TCP(cfg.Brokers...), Timeout: 10 * time.Second, Transport: transport},
		tracker: NewTracker(),
	}, nil
}

// Fetch returns the next record that needs processing and its tracking
// handle. Records whose output was already acknowledged (re-read after a
// rebalance) are marked done and skipped here. It blocks until a record
// arrives or ctx ends.
func (c *Consumer) Fetch(ctx context.Context) (kafka.Message, Handle, error) {
	for {
		msg, err := c.r.FetchMessage(ctx)
		if err != nil {
			return msg, Handle{}, err
		}
		c.joined.Store(true)
		c.m.Fetched()
		h, skip := c.tracker.Track(msg.Topic, msg.Partition, msg.Offset)
		if skip {
			c.log.Debug("skipping record already published", "partition", msg.Partition, "offset", msg.Offset)
			continue
		}
		return msg, h, nil
	}
}

// Done marks a record's output as acknowledged by the broker.
func (c *Consumer) Done(h Handle) { c.tracker.Done(h) }

// Joined reports whether the group was joined (an assignment confirmed or a
// record fetched).
func (c *Consumer) Joined() bool { return c.joined.Load() }

// Owned is the number of partitions this member owns per the last
// assignment confirmed with the group coordinator (0 before the first).
func (c *Consumer) Owned() int { return int(c.owned.Load()) }

// Check reports a problem with the input topic found by the last lag
// measurement (it does not exist), for readiness.
func (c *Consumer) Check() error {
	if p := c.topicErr.Load(); p != nil {
		return *p
	}
	return nil
}

// Tracker exposes the offset tracker (for tests and diagnostics).
func (c *Consumer) Tracker() *Tracker { return c.tracker }

// RunCommitter commits completed offsets every CommitInterval until ctx
// ends. The final commit on shutdown is the caller's (CommitFinal), after
// the in-flight work has drained.
//
// While the group is preparing a rebalance and this member still owns its
// partitions, it commits every rebalanceCommitInterval instead: kafka-go
// gives no revoke callback, and the partitions may move at this member's
// next heartbeat; what it finished but did not commit by then is redone by
// the next owner (duplicates). Committing that often lasts only until the
// rebalance completes.
func (c *Consumer) RunCommitter(ctx context.Context) error {
	t := time.NewTimer(c.cfg.CommitInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			if err := c.Commit(cctx); err != nil && ctx.Err() == nil {
				c.log.Warn("commit failed; will retry", "err", err)
			}
			cancel()
			next := c.cfg.CommitInterval
			if c.preparing {
				next = min(next, rebalanceCommitInterval)
			}
			t.Reset(next)
		}
	}
}

// rebalanceCommitInterval is the commit cadence while a rebalance is being
// prepared (see RunCommitter).
const rebalanceCommitInterval = 25 * time.Millisecond

// Commit runs one commit round: fold in reader stats (spotting rebalances),
// confirm the assignment, commit what is committable. A round during a
// rebalance commits nothing and is not an error.
func (c *Consumer) Commit(ctx context.Context) error {
	_, err := c.commitRound(ctx)
	return err
}

// CommitFinal commits, before the worker leaves the group, everything whose
// output was acknowledged on partitions this member still owns. Unlike a
// periodic round it does not skip a rebalance: it retries until a round
// confirmed the assignment and committed, or ctx ends. A worker stopping
// right after another one left (or joined) would otherwise leave its
// finished records uncommitted, and they would be redone.
func (c *Consumer) CommitFinal(ctx context.Context) error {
	c.tracker.Recommit()
	backoff := 50 * time.Millisecond
	start := time.Now()
	for round := 1; ; round++ {
		settled, err := c.commitRound(ctx)
		if err == nil && (settled || !c.tracker.Progress()) {
			if round > 1 {
				c.log.Info("final commit done after waiting for the group", "rounds", round, "waited", time.Since(start).Round(time.Millisecond))
			}
			return nil
		}
		if err == nil {
			c.log.Debug("final commit: assignment not confirmed yet (group rebalancing); retrying")
		} else {
			c.log.Debug("final commit failed; retrying", "err", err)
		}
		select {
		case <-ctx.Done():
			if err == nil {
				err = errors.New("the group was still rebalancing, so this member's assignment could not be confirmed")
			}
			return fmt.Errorf("%w (finished records not committed will be redone)", err)
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 500*time.Millisecond)
	}
}

// commitRound is one commit round. settled reports that the assignment was
// confirmed in this round and everything committable was committed.
func (c *Consumer) commitRound(ctx context.Context) (settled bool, err error) {
	c.pollStats()
	confirmed, err := c.refreshAssignment(ctx)
	if err != nil {
		if !c.tracker.Progress() {
			// Nothing to commit anyway (e.g. the brokers are unreachable
			// before anything was fetched): not a failed commit.
			c.log.Debug("cannot confirm the assignment", "err", err)
			return false, nil
		}
		return false, err
	}
	commits := c.tracker.Committable()
	if len(commits) == 0 {
		return confirmed, nil
	}
	msgs := make([]kafka.Message, len(commits))
	for i, cm := range commits {
		// kafka-go commits Offset+1.
		msgs[i] = kafka.Message{Topic: cm.TP.Topic, Partition: cm.TP.Partition, Offset: cm.Offset - 1}
	}
	if err := c.r.CommitMessages(ctx, msgs...); err != nil {
		c.m.CommitFailed()
		return false, fmt.Errorf("committing offsets: %w", err)
	}
	for _, cm := range commits {
		c.tracker.Committed(cm)
		c.log.Debug("committed", "topic", cm.TP.Topic, "partition", cm.TP.Partition, "offset", cm.Offset)
	}
	c.m.CommitOK()
	return confirmed, nil
}

// pollStats is the only caller of Reader.Stats (kafka-go resets its counters
// on every call).
func (c *Consumer) pollStats() {
	s := c.r.Stats()
	c.m.ObserveReader(s)
	if s.Rebalances > 0 {
		c.generations += s.Rebalances
		c.log.Info("consumer group rebalanced; confirming assignment before committing", "generations", s.Rebalances)
		c.tracker.Unknown()
		c.confirmed = false
	}
}

// refreshAssignment reads this member's assignment from the group
// coordinator. confirmed reports that this member's partitions are known
// for the current generation (committable ones may be committed).
func (c *Consumer) refreshAssignment(ctx context.Context) (confirmed bool, err error) {
	c.preparing = false
	resp, err := c.client.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: []string{c.cfg.Group}})
	if err != nil {
		c.tracker.Unknown()
		c.confirmed = false
		return false, fmt.Errorf("describing group: %w", err)
	}
	if len(resp.Groups) != 1 || resp.Groups[0].Error != nil {
		c.tracker.Unknown()
		c.confirmed = false
		if len(resp.Groups) == 1 {
			return false, fmt.Errorf("describing group: %w", resp.Groups[0].Error)
		}
		return false, errors.New("describing group: no answer")
	}
	g := resp.Groups[0]
	if g.GroupState == "PreparingRebalance" && c.confirmed {
		// A rebalance is starting but this member has not rejoined yet: it
		// still owns its confirmed partitions, and the coordinator accepts
		// commits of the current generation in this state. Committing now
		// is what a revoke callback would do.
		c.preparing = true
		return true, nil
	}
	if g.GroupState == "PreparingRebalance" && c.generations == 1 && isMember(g, c.cfg.ClientID) {
		// A rebalance is starting before this member's first assignment
		// was confirmed (a second worker joined right after this one; the
		// coordinator lists no assignments in this state). kafka-go has
		// joined one generation only and drops records of earlier ones, so
		// the partitions fetched from are that generation's assignment,
		// still this member's until it rejoins.
		c.tracker.SetOwned(c.tracker.Partitions())
		c.confirmed = true
		c.preparing = true
		return true, nil
	}
	if g.GroupState != "Stable" {
		c.tracker.Unknown()
		c.confirmed = false
		c.log.Debug("group not stable; committing nothing this round", "state", g.GroupState)
		return false, nil
	}
	var owned []TP
	found := false
	for _, mem := range g.Members {
		if mem.ClientID != c.cfg.ClientID {
			continue
		}
		found = true
		for _, t := range mem.MemberAssignments.Topics {
			for _, p := range t.Partitions {
				owned = append(owned, TP{t.Topic, p})
			}
		}
	}
	if !found {
		c.tracker.Unknown()
		c.confirmed = false
		if c.joined.Load() && !c.warnedMissing {
			// It fetched records, so it was a member: it is rejoining, or
			// another worker has the same client id (then nothing would
			// ever be committed).
			c.log.Warn("this worker's client id is not among the group's members (rejoining, or another worker uses the same client id); not committing until it is",
				"client_id", c.cfg.ClientID, "members", len(g.Members))
			c.warnedMissing = true
		}
		return false, nil
	}
	c.warnedMissing = false
	c.tracker.SetOwned(owned)
	c.confirmed = true
	c.owned.Store(int64(len(owned)))
	c.joined.Store(true)
	return true, nil
}

func isMember(g kafka.DescribeGroupsResponseGroup, clientID string) bool {
	for _, m := range g.Members {
		if m.ClientID == clientID {
			return true
		}
	}
	return false
}

// RunLag measures consumer lag every LagInterval until ctx ends.
func (c *Consumer) RunLag(ctx context.Context) error {
	t := time.NewTicker(c.cfg.LagInterval)
	defer t.Stop()
	for {
		if err := c.MeasureLag(ctx); err != nil && ctx.Err() == nil {
			c.log.Debug("measuring lag", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// MeasureLag sets, for every partition of the input topic, high watermark
// minus the group's committed offset (log start when nothing is committed).
// kafka-go's Reader lag does not work with groups, hence this. Every worker
// of a group reports the same numbers: aggregate with max by (partition).
func (c *Consumer) MeasureLag(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	md, err := c.client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{c.cfg.Topic}})
	if err != nil {
		return err
	}
	var parts []int
	for _, t := range md.Topics {
		if t.Name == c.cfg.Topic && t.Error == nil {
			for _, p := range t.Partitions {
				parts = append(parts, p.ID)
			}
		}
	}
	if len(parts) == 0 {
		err := fmt.Errorf("input topic %s does not exist", c.cfg.Topic)
		c.topicErr.Store(&err)
		return err
	}
	c.topicErr.Store(nil)
	reqs := make([]kafka.OffsetRequest, 0, 2*len(parts))
	for _, p := range parts {
		reqs = append(reqs, kafka.FirstOffsetOf(p), kafka.LastOffsetOf(p))
	}
	lo, err := c.client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{c.cfg.Topic: reqs}})
	if err != nil {
		return err
	}
	of, err := c.client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: c.cfg.Group, Topics: map[string][]int{c.cfg.Topic: parts}})
	if err != nil {
		return err
	}
	if of.Error != nil {
		return of.Error
	}
	committed := map[int]int64{}
	for _, p := range of.Topics[c.cfg.Topic] {
		if p.Error == nil {
			committed[p.Partition] = p.CommittedOffset
		}
	}
	for _, p := range lo.Topics[c.cfg.Topic] {
		if p.Error != nil {
			continue
		}
		pos, ok := committed[p.Partition]
		if !ok || pos < 0 {
			pos = p.FirstOffset
		}
		lag := p.LastOffset - pos
		if lag < 0 {
			lag = 0
		}
		c.m.SetLag(c.cfg.Topic, p.Partition, lag)
	}
	return nil
}

// Close leaves the group. Commit first: Close does not commit.
func (c *Consumer) Close() error {
	return c.r.Close()
}
