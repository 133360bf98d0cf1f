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
	"strconv"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"

	"github.com/newsenrich/newsenrich/event"
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
	// BatchTimeout is how long the writer waits to fill a batch (default 1ms:
	// a lane writes whatever it has ready as one synchronous batch, so waiting
	// longer only adds latency; at half of peak load 1ms gave p50 4 ms against
	// 11 ms with 5ms, see docs/bench.md).
	BatchTimeout time.Duration
	// MaxMessageBytes is the largest record written (default 1000000, under
	// Kafka's default message.max.bytes); it also caps a batch.
	MaxMessageBytes int
	// Backoff bounds between retries of a failed write (default 100ms..5s).
	BackoffMin, BackoffMax time.Duration
}

// Producer writes to the output and dead-letter topics.
type Producer struct {
	cfg    Config
	log    *slog.Logger
	m      Metrics
	w      *kafka.Writer
	client *kafka.Client
}

// New builds the producer. It connects lazily.
func New(cfg Config, log *slog.Logger, m Metrics) (*Producer, error) {
	if len(cfg.Brokers) == 0 || cfg.OutputTopic == "" || cfg.DLQTopic == "" {
		return nil, errors.New("producer: brokers, output topic and dead-letter topic are required")
	}
	if cfg.BatchTimeout <= 0 {
		cfg.BatchTimeout = 1 * time.Millisecond
	}
	if cfg.MaxMessageBytes <= 0 {
		cfg.MaxMessageBytes = 1000000
	}
	if cfg.BackoffMin <= 0 {
		cfg.BackoffMin = 100 * time.Millisecond
	}
	if cfg.BackoffMax < cfg.BackoffMin {
		cfg.BackoffMax = 5 * time.Second
	}
	transport := &kafka.Transport{ClientID: cfg.ClientID, TLS: cfg.TLS, SASL: cfg.SASL, DialTimeout: 10 * time.Second}
	w := &kafka.Writer{
		Addr:         kafka.TCP(cfg.Brokers...),
		Balancer:     &kafka.Hash{}, // same key -> same partition, so per-key order holds downstream
		RequiredAcks: kafka.RequireAll,
		BatchTimeout: cfg.BatchTimeout,
		BatchSize:    100,
		// The brokers limit the size of a whole batch, not of one record.
		BatchBytes: int64(cfg.MaxMessageBytes),
		// Few internal attempts: Write retries the whole batch itself, with
		// backoff, for as long as its context allows.
		MaxAttempts:     2,
		WriteBackoffMin: 50 * time.Millisecond,
		WriteBackoffMax: 500 * time.Millisecond,
		WriteTimeout:    10 * time.Second,
		ReadTimeout:     10 * time.Second,
		Transport:       transport,
		ErrorLogger:     kafka.LoggerFunc(func(msg string, args ...any) { log.Debug("kafka writer", "msg", fmt.Sprintf(msg, args...)) }),
	}
	return &Producer{
		cfg:    cfg,
		log:    log,
		m:      m,
		w:      w,
		client: &kafka.Client{Addr: kafka.TCP(cfg.Brokers...), Timeout: 5 * time.Second, Transport: transport},
	}, nil
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

// Write writes msgs, in order, and returns nil once the brokers
// acknowledged all of them (acks=all). Failed writes are retried with
// exponential backoff until ctx ends; then the context's error is
// returned and none of msgs may be treated as delivered.
//
// producer_errors_total counts records per failed attempt;
// producer_records_total counts each record once, when acknowledged.
func (p *Producer) Write(ctx context.Context, msgs ...kafka.Message) error {
	backoff := p.cfg.BackoffMin
	for attempt := 1; ; attempt++ {
		err := p.w.WriteMessages(ctx, msgs...)
		if err == nil {
			p.count(msgs, p.m.Produced)
			return nil
		}
		// Retry from the first failed record on, successes after it
		// included: re-sending those makes a duplicate, but the last copy of
		// every key then still comes in input order.
		var werrs kafka.WriteErrors
		if errors.As(err, &werrs) && len(werrs) == len(msgs) {
			first := 0
			for first < len(werrs) && werrs[first] == nil {
				first++
			}
			p.count(msgs[:first], p.m.Produced)
			msgs = msgs[first:]
		}
		p.count(msgs, p.m.ProduceFailed)
		if ctx.Err() != nil {
			return fmt.Errorf("write abandoned after %d attempts: %w", attempt, ctx.Err())
		}
		p.log.Warn("write failed; retrying", "attempt", attempt, "records", len(msgs), "backoff", backoff, "err", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("write abandoned after %d attempts: %w", attempt, ctx.Err())
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, p.cfg.BackoffMax)
	}
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

// PollStats folds the writer's stats into the metrics. Call from one
// goroutine only (kafka-go resets counters on read).
func (p *Producer) PollStats() { p.m.ObserveWriter(p.w.Stats()) }

// Close flushes and closes the writer.
func (p *Producer) Close() error { return p.w.Close() }
