// Package producer writes enriched events and dead letters with acks=all
// and retries failed writes with backoff until they succeed or the caller
// gives up (shutdown). A record's input offset may be committed only after
// Write returned nil for its output.
package producer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/backoff"
)

// Metrics is what the producer reports; *metrics.Metrics implements it.
type Metrics interface {
	Produced(topic string, n int)
	ProduceFailed(topic string, n int)
	ObserveWriter(kafka.WriterStats)
}

// Config configures a Producer.
type Config struct {
	Brokers     []string
	OutputTopic string
	DLQTopic    string
	ClientID    string
	TLS         *tls.Config
	SASL        sasl.Mechanism
	// MaxMessageBytes is the largest record written (default 1000000, under
	// Kafka's default message.max.bytes); it also caps the records of one
	// produce request to a partition, which the brokers take as one batch.
	MaxMessageBytes int
	// Backoff bounds between retries of a failed write (default 100ms..2s).
	BackoffMin, BackoffMax time.Duration
	// StuckAfter is how long writes may keep failing before Check reports
	// the producer as unable to make progress (default 10s).
	StuckAfter time.Duration
}

// Producer writes to the output and dead-letter topics.
//
// It sends produce requests itself instead of going through kafka-go's
// Writer. The Writer sends a batch only once it is full or its BatchTimeout
// has passed, and in an idle Go process a timer shorter than a millisecond
// fires after about one: the runtime's network poller sleeps in whole
// milliseconds. Every paced record then waited ~1.1 ms for a batch that the
// lane had already made. Here each Write sends one request per partition
// (per MaxMessageBytes of records) at once.
type Producer struct {
	cfg       Config
	log       *slog.Logger
	m         Metrics
	client    *kafka.Client
	transport *kafka.Transport
	balancer  kafka.Hash // same key -> same partition, so per-key order holds downstream

	partsMu sync.Mutex
	parts   map[string]topicParts

	writes, messages, bytes, errors, retries, dials atomic.Int64

	failingSince atomic.Int64 // unix nanos of the first failure since the last success; 0 when none
	lastErr      atomic.Pointer[error]
}

// topicParts caches a topic's partition ids for the balancer.
type topicParts struct {
	ids []int
	at  time.Time
}

// partsTTL is how long a topic's partition count is trusted; a failed
// write forgets it at once.
const partsTTL = 5 * time.Second

// writeTimeout bounds one produce request.
const writeTimeout = 10 * time.Second

// New builds the producer. It connects lazily.
func New(cfg Config, log *slog.Logger, m Metrics) (*Producer, error) {
	if len(cfg.Brokers) == 0 || cfg.OutputTopic == "" || cfg.DLQTopic == "" {
		return nil, errors.New("producer: brokers, output topic and dead-letter topic are required")
	}
	if cfg.MaxMessageBytes <= 0 {
		cfg.MaxMessageBytes = 1000000
	}
	if cfg.BackoffMin <= 0 {
		cfg.BackoffMin = 100 * time.Millisecond
	}
	if cfg.BackoffMax < cfg.BackoffMin {
		cfg.BackoffMax = 2 * time.Second
	}
	if cfg.StuckAfter <= 0 {
		cfg.StuckAfter = 10 * time.Second
	}
	p := &Producer{cfg: cfg, log: log, m: m, parts: map[string]topicParts{}}
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	p.transport = &kafka.Transport{ClientID: cfg.ClientID, TLS: cfg.TLS, SASL: cfg.SASL, DialTimeout: 10 * time.Second,
		// The transport refuses a produce request by itself while its
		// cached metadata gives the partition no leader, and refreshes
		// that cache at a random moment within the TTL: with the default
		// 6s a restarted broker went unused for up to 5s after it was
		// back, and a retry's backoff (up to 2s) can meet a stale cache
		// twice. Only the two topics are refreshed, so a short TTL is a
		// small request.
		MetadataTTL:    time.Second,
		MetadataTopics: []string{cfg.OutputTopic, cfg.DLQTopic},
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			p.dials.Add(1)
			return dialer.DialContext(ctx, network, addr)
		}}
	p.client = &kafka.Client{Addr: kafka.TCP(cfg.Brokers...), Timeout: 5 * time.Second, Transport: p.transport}
	return p, nil
}

// Source is where an input record came from; it goes into the headers.
type Source struct {
	Topic     string
	Partition int
	Offset    int64
	Headers   []kafka.Header
}

func (s Source) headers() []kafka.Header {
	return []kafka.Header{
		{Key: event.HeaderSourceTopic, Value: []byte(s.Topic)},
		{Key: event.HeaderSourcePartition, Value: []byte(strconv.Itoa(s.Partition))},
		{Key: event.HeaderSourceOffset, Value: []byte(strconv.FormatInt(s.Offset, 10))},
		{Key: event.HeaderEventID, Value: []byte(event.EventID(s.Topic, s.Partition, s.Offset))},
	}
}

func (s Source) traceparent() []kafka.Header {
	for _, h := range s.Headers {
		if h.Key == event.HeaderTraceparent {
			return []kafka.Header{{Key: event.HeaderTraceparent, Value: h.Value}}
		}
	}
	return nil
}

// Enriched builds the output record for an enriched event: key = article
// id, value = the JSON event.
func (p *Producer) Enriched(id string, value []byte, src Source) kafka.Message {
	h := []kafka.Header{
		{Key: event.HeaderContentType, Value: []byte("application/json")},
		{Key: event.HeaderSchema, Value: []byte(event.SchemaVersion)},
	}
	h = append(h, src.headers()...)
	h = append(h, src.traceparent()...)
	return kafka.Message{Topic: p.cfg.OutputTopic, Key: []byte(id), Value: value, Headers: h}
}

// DeadLetter builds the dead-letter record: the original key and value,
// untouched, with the reason in the headers.
func (p *Producer) DeadLetter(key, original []byte, reason, detail string, src Source, now time.Time) kafka.Message {
	const maxDetail = 1024 // headers are not the place for a 1 MB error text
	if len(detail) > maxDetail {
		detail = detail[:maxDetail]
	}
	h := []kafka.Header{
		{Key: event.HeaderError, Value: []byte(reason)},
		{Key: event.HeaderErrorDetail, Value: []byte(detail)},
		{Key: event.HeaderErrorTime, Value: []byte(now.UTC().Format(time.RFC3339Nano))},
	}
	h = append(h, src.headers()...)
	h = append(h, src.traceparent()...)
	return kafka.Message{Topic: p.cfg.DLQTopic, Key: key, Value: original, Headers: h}
}

// Fits reports whether m is small enough to be written. A record that does
// not fit would be rejected on every retry, so the caller must replace it.
func (p *Producer) Fits(m kafka.Message) bool { return Size(m) <= p.cfg.MaxMessageBytes }

// MaxMessageBytes is the configured record size limit.
func (p *Producer) MaxMessageBytes() int { return p.cfg.MaxMessageBytes }

// Size is a conservative estimate of m's size inside a record batch.
func Size(m kafka.Message) int {
	const recordOverhead, batchOverhead, perHeader = 32, 70, 10
	n := batchOverhead + recordOverhead + len(m.Key) + len(m.Value)
	for _, h := range m.Headers {
		n += perHeader + len(h.Key) + len(h.Value)
	}
	return n
}

// Rejected is one record the brokers refused for what it is (too large,
// invalid), as opposed to a failure that a retry can get past.
type Rejected struct {
	Index int // into the msgs passed to Write
	Err   error
}

// RejectedError is Write's answer when some records were rejected: every
// other record was acknowledged. The caller settles each rejected record
// (a dead letter in its place, or a loud failure); retrying it is futile.
type RejectedError struct{ Records []Rejected }

func (e *RejectedError) Error() string {
	return fmt.Sprintf("%d record(s) rejected by the brokers: %v", len(e.Records), e.Records[0].Err)
}

// permanent reports whether err rejects the record itself: retrying the same
// bytes fails the same way.
func permanent(err error) bool {
	var tooLarge kafka.MessageTooLargeError
	if errors.As(err, &tooLarge) {
		return true
	}
	var kerr kafka.Error
	if !errors.As(err, &kerr) {
		return false
	}
	switch kerr {
	case kafka.MessageSizeTooLarge, kafka.RecordListTooLarge, kafka.InvalidRecord,
		kafka.InvalidTopic, kafka.TopicAuthorizationFailed, kafka.UnsupportedForMessageFormat:
		return true
	}
	return false
}

// Write writes msgs, in order, and returns nil once the brokers
// acknowledged all of them (acks=all). Failed writes are retried with
// jittered exponential backoff until ctx ends; then the context's error is
// returned and none of msgs may be treated as delivered.
//
// A permanent error (MESSAGE_TOO_LARGE and the like) is settled per record:
// the records of one partition go in one produce request, which fails as a
// whole, so after one the records are written one at a time, each in a
// produce request of its own, and a record rejected that way is given back
// in a *RejectedError (everything else was acknowledged).
//
// producer_errors_total counts records per failed attempt;
// producer_records_total counts each record once, when acknowledged.
func (p *Producer) Write(ctx context.Context, msgs ...kafka.Message) error {
	bo := backoff.New(p.cfg.BackoffMin, p.cfg.BackoffMax)
	var rejected []Rejected
	base := 0 // index in the caller's msgs of msgs[0]
	alone := false
	lonelyFailures := 0
	for attempt := 1; ; attempt++ {
		batch := msgs
		if alone && len(batch) > 1 {
			batch = batch[:1]
		}
		wasAlone := alone
		errs := p.produce(ctx, batch)
		if errs == nil {
			p.succeeded()
			p.count(batch, p.m.Produced)
			msgs, base, lonelyFailures = msgs[len(batch):], base+len(batch), 0
			bo.Reset()
			if len(msgs) == 0 {
				if len(rejected) > 0 {
					return &RejectedError{Records: rejected}
				}
				return nil
			}
			continue
		}
		p.retries.Add(1)
		// Retry from the first failed record on, successes after it
		// included: re-sending those makes a duplicate, but the last copy of
		// every key then still comes in input order.
		first := 0
		for first < len(errs) && errs[first] == nil {
			first++
		}
		p.count(batch[:first], p.m.Produced)
		msgs, base, errs = msgs[first:], base+first, errs[first:]
		if first > 0 {
			lonelyFailures = 0
		}
		p.count(msgs[:len(errs)], p.m.ProduceFailed)
		p.failed(errs[0])
		if slices.ContainsFunc(errs, permanent) {
			if wasAlone && permanent(errs[0]) {
				lonelyFailures++
			}
			alone = true
			if lonelyFailures >= 1 {
				p.log.Error("record rejected by the brokers; settling it", "record", describe(msgs[0]), "err", errs[0])
				rejected = append(rejected, Rejected{Index: base, Err: errs[0]})
				msgs, base, lonelyFailures = msgs[1:], base+1, 0
				if len(msgs) == 0 {
					return &RejectedError{Records: rejected}
				}
				continue
			}
		}
		if ctx.Err() != nil {
			return fmt.Errorf("write abandoned after %d attempts: %w", attempt, ctx.Err())
		}
		d := bo.Next()
		p.log.Warn("write failed; retrying", "attempt", attempt, "records", len(msgs), "first", describe(msgs[0]),
			"backoff", d.Round(time.Millisecond), "err", summarize(errs))
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("write abandoned after %d attempts: %w", attempt, ctx.Err())
		case <-t.C:
		}
	}
}

// describe names a record for logs: topic, key and the input record it
// comes from.
func describe(m kafka.Message) string {
	key := string(m.Key)
	if len(key) > 64 {
		key = key[:64] + "..."
	}
	var part, off string
	for _, h := range m.Headers {
		switch h.Key {
		case event.HeaderSourcePartition:
			part = string(h.Value)
		case event.HeaderSourceOffset:
			off = string(h.Value)
		}
	}
	return fmt.Sprintf("%s key=%q source=%s/%s (%d bytes)", m.Topic, key, part, off, len(m.Value))
}

// summarize lists the distinct errors of a failed write once each, instead
// of kafka-go's one line per record.
func summarize(errs []error) string {
	seen := map[string]int{}
	var order []string
	for _, e := range errs {
		if e == nil {
			continue
		}
		s := e.Error()
		if seen[s] == 0 {
			order = append(order, s)
		}
		seen[s]++
	}
	parts := make([]string, len(order))
	for i, s := range order {
		parts[i] = fmt.Sprintf("%s (x%d)", s, seen[s])
	}
	return strings.Join(parts, "; ")
}

func (p *Producer) succeeded() {
	p.failingSince.Store(0)
}

func (p *Producer) failed(err error) {
	p.failingSince.CompareAndSwap(0, time.Now().UnixNano())
	p.lastErr.Store(&err)
}

// Stuck reports writes that have kept failing for longer than StuckAfter:
// the producer cannot make progress (readiness goes red).
func (p *Producer) Stuck() error {
	since := p.failingSince.Load()
	if since == 0 {
		return nil
	}
	d := time.Since(time.Unix(0, since))
	if d < p.cfg.StuckAfter {
		return nil
	}
	var last error
	if e := p.lastErr.Load(); e != nil {
		last = *e
	}
	return fmt.Errorf("writes failing for %v: %w", d.Round(time.Second), last)
}

func (p *Producer) count(msgs []kafka.Message, f func(string, int)) {
	if len(msgs) == 0 {
		return
	}
	n := map[string]int{}
	for _, m := range msgs {
		n[m.Topic]++
	}
	for t, k := range n {
		f(t, k)
	}
}

// Check reports whether the brokers answer and both topics exist with a
// leader for each partition: the readiness condition for writing.
func (p *Producer) Check(ctx context.Context) error {
	// kafka-go answers Metadata from its transport cache, which survives a
	// dead broker; ApiVersions always makes a round trip.
	if err := p.Stuck(); err != nil {
		return err
	}
	if _, err := p.client.ApiVersions(ctx, &kafka.ApiVersionsRequest{}); err != nil {
		return fmt.Errorf("brokers unreachable: %w", err)
	}
	md, err := p.client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{p.cfg.OutputTopic, p.cfg.DLQTopic}})
	if err != nil {
		return fmt.Errorf("brokers unreachable: %w", err)
	}
	seen := map[string]bool{}
	for _, t := range md.Topics {
		if t.Error != nil {
			return fmt.Errorf("topic %s: %w", t.Name, t.Error)
		}
		for _, pt := range t.Partitions {
			if pt.Error != nil || pt.Leader.Host == "" {
				return fmt.Errorf("topic %s partition %d has no leader", t.Name, pt.ID)
			}
		}
		seen[t.Name] = true
	}
	for _, t := range []string{p.cfg.OutputTopic, p.cfg.DLQTopic} {
		if !seen[t] {
			return fmt.Errorf("topic %s does not exist", t)
		}
	}
	return nil
}

// PollStats folds the counts since the last call into the metrics. Call
// from one goroutine only.
func (p *Producer) PollStats() {
	p.m.ObserveWriter(kafka.WriterStats{
		Writes: p.writes.Swap(0), Messages: p.messages.Swap(0), Bytes: p.bytes.Swap(0),
		Errors: p.errors.Swap(0), Retries: p.retries.Swap(0), Dials: p.dials.Swap(0),
	})
}

// Close closes the connections. Writes are synchronous: nothing is left to
// flush.
func (p *Producer) Close() error {
	p.transport.CloseIdleConnections()
	return nil
}
