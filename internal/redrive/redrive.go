// Package redrive puts dead letters back on the input topic after a fix
// (a sender corrected, a limit raised, a language policy changed), so the
// articles they hold come back as events. It reads the dead-letter topic
// outside any consumer group, up to the end seen at start, picks the
// records whose reason (and time) match, and re-publishes their original
// bytes with their headers and an incremented re-drive count, acknowledged
// by every in-sync replica (acks=all). A record already re-driven
// MaxRedrives times is skipped and reported: a record that keeps failing
// never loops.
package redrive

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"

	"github.com/newsenrich/newsenrich/event"
)

// AnyReason matches every dead letter.
const AnyReason = "any"

// DefaultMaxRedrives is how many times a record is re-driven at most.
const DefaultMaxRedrives = 3

// Config says what to re-drive and where.
type Config struct {
	Brokers    []string
	DLQTopic   string
	InputTopic string
	ClientID   string
	TLS        *tls.Config
	SASL       sasl.Mechanism
	// Reason is the dead-letter reason class to re-drive (header
	// newsenrich-error), or AnyReason.
	Reason string
	// Since skips dead letters older than this (zero = all). The time is
	// the newsenrich-error-time header, else the record's timestamp.
	Since time.Time
	// DryRun reads and reports without writing.
	DryRun bool
	// MaxRedrives skips records re-driven that many times already.
	MaxRedrives int
	// Timeout bounds each read and write (0 = 10s).
	Timeout time.Duration
}

// Validate reports configuration mistakes.
func (c Config) Validate() error {
	var errs []error
	if len(c.Brokers) == 0 {
		errs = append(errs, errors.New("at least one broker is required"))
	}
	if c.DLQTopic == "" || c.InputTopic == "" {
		errs = append(errs, errors.New("the dead-letter and input topics are required"))
	}
	if c.DLQTopic != "" && c.DLQTopic == c.InputTopic {
		errs = append(errs, errors.New("the dead-letter topic must differ from the input topic"))
	}
	if strings.TrimSpace(c.Reason) == "" {
		errs = append(errs, fmt.Errorf("--reason is required: a dead-letter reason class such as invalid_field, or %q", AnyReason))
	}
	if c.MaxRedrives < 1 {
		errs = append(errs, fmt.Errorf("--max-redrives must be at least 1, got %d", c.MaxRedrives))
	}
	return errors.Join(errs...)
}

// Skipped is a matching dead letter that was not re-driven.
type Skipped struct {
	Partition int
	Offset    int64
	Key       string
	Why       string
}

// Summary is what a run did.
type Summary struct {
	Scanned  int // dead letters read
	Matched  int // with the reason and time asked for
	Redriven int // written to the input topic (would be, in a dry run)
	Skipped  []Skipped
	DryRun   bool
}

func (s Summary) String() string {
	verb := "re-driven"
	if s.DryRun {
		verb = "would be re-driven (dry run)"
	}
	return fmt.Sprintf("%d dead letters read, %d matched, %d %s, %d skipped", s.Scanned, s.Matched, s.Redriven, verb, len(s.Skipped))
}

// batchSize is how many records are written (and acknowledged) at once.
const batchSize = 100

// Run re-drives the matching dead letters, writing progress lines to
// progress, and returns the summary. A failed write stops the run: what
// was acknowledged before stays re-driven.
func Run(ctx context.Context, cfg Config, progress io.Writer) (Summary, error) {
	sum := Summary{DryRun: cfg.DryRun}
	if err := cfg.Validate(); err != nil {
		return sum, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	client := &kafka.Client{Addr: kafka.TCP(cfg.Brokers...), Timeout: cfg.Timeout,
		Transport: &kafka.Transport{ClientID: cfg.ClientID, TLS: cfg.TLS, SASL: cfg.SASL}}
	ranges, err := Ranges(ctx, client, cfg.DLQTopic)
	if err != nil {
		return sum, err
	}
	var w *kafka.Writer
	if !cfg.DryRun {
		w = &kafka.Writer{Addr: kafka.TCP(cfg.Brokers...), Topic: cfg.InputTopic, Balancer: &kafka.Murmur2Balancer{},
			RequiredAcks: kafka.RequireAll, BatchSize: batchSize, BatchTimeout: 10 * time.Millisecond,
			WriteTimeout: cfg.Timeout, Transport: client.Transport}
		defer w.Close()
	}
	dialer := &kafka.Dialer{ClientID: cfg.ClientID, Timeout: cfg.Timeout, TLS: cfg.TLS, SASLMechanism: cfg.SASL}
	for _, rg := range ranges {
		if err := redrivePartition(ctx, cfg, dialer, w, rg, &sum, progress); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// Range is the span of one partition's log, [Start, End).
type Range struct {
	Partition  int
	Start, End int64
}

// Ranges returns the log span of every partition of topic, sorted by
// partition: the first offset still held and the high watermark. The
// replay command reads its input ranges with it too.
func Ranges(ctx context.Context, c *kafka.Client, topic string) ([]Range, error) {
	md, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, fmt.Errorf("reading metadata: %w", err)
	}
	var parts []int
	for _, t := range md.Topics {
		if t.Name != topic {
			continue
		}
		if t.Error != nil {
			return nil, fmt.Errorf("topic %s: %w", topic, t.Error)
		}
		for _, p := range t.Partitions {
			parts = append(parts, p.ID)
		}
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("topic %s not found", topic)
	}
	sort.Ints(parts)
	out := make([]Range, len(parts))
	for i, p := range parts {
		out[i].Partition = p
	}
	for _, which := range []int64{kafka.FirstOffset, kafka.LastOffset} {
		reqs := make([]kafka.OffsetRequest, len(parts))
		for i, p := range parts {
			reqs[i] = kafka.OffsetRequest{Partition: p, Timestamp: which}
		}
		// read_committed: the end is the last stable offset, not past an
		// open transaction.
		resp, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}, IsolationLevel: kafka.ReadCommitted})
		if err != nil {
			return nil, fmt.Errorf("listing offsets: %w", err)
		}
		for _, po := range resp.Topics[topic] {
			if po.Error != nil {
				return nil, fmt.Errorf("listing offsets of partition %d: %w", po.Partition, po.Error)
			}
			i := sort.SearchInts(parts, po.Partition)
			if which == kafka.FirstOffset {
				out[i].Start = po.FirstOffset
			} else {
				out[i].End = po.LastOffset
			}
		}
	}
	return out, nil
}

func redrivePartition(ctx context.Context, cfg Config, dialer *kafka.Dialer, w *kafka.Writer, rg Range, sum *Summary, progress io.Writer) error {
	if rg.End <= rg.Start {
		return nil
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: cfg.Brokers, Topic: cfg.DLQTopic, Partition: rg.Partition,
		Dialer: dialer, MaxWait: 250 * time.Millisecond, MaxBytes: 16 << 20})
	defer r.Close()
	if err := r.SetOffset(rg.Start); err != nil {
		return fmt.Errorf("partition %d: %w", rg.Partition, err)
	}
	var batch []kafka.Message
	flush := func() error {
		if len(batch) == 0 || cfg.DryRun {
			batch = batch[:0]
			return nil
		}
		if err := w.WriteMessages(ctx, batch...); err != nil {
			return fmt.Errorf("writing to %s: %w", cfg.InputTopic, err)
		}
		batch = batch[:0]
		return nil
	}
	scanned0, redriven0 := sum.Scanned, sum.Redriven
	for next := rg.Start; next < rg.End; {
		rctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
		msg, err := r.FetchMessage(rctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, context.DeadlineExceeded) {
				break // the rest of the range holds no records (e.g. transaction markers)
			}
			return fmt.Errorf("partition %d: reading: %w", rg.Partition, err)
		}
		if msg.Offset >= rg.End {
			break
		}
		next = msg.Offset + 1
		sum.Scanned++
		out, skip, ok := decide(cfg, msg)
		if !ok {
			continue
		}
		sum.Matched++
		if skip != "" {
			sum.Skipped = append(sum.Skipped, Skipped{Partition: msg.Partition, Offset: msg.Offset, Key: string(msg.Key), Why: skip})
			fmt.Fprintf(progress, "skipped %s partition %d offset %d (key %q): %s\n", cfg.DLQTopic, msg.Partition, msg.Offset, msg.Key, skip)
			continue
		}
		batch = append(batch, out)
		sum.Redriven++
		if len(batch) >= batchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	verb := "re-driven"
	if cfg.DryRun {
		verb = "would be re-driven"
	}
	fmt.Fprintf(progress, "partition %d: %d dead letters read, %d %s\n", rg.Partition, sum.Scanned-scanned0, sum.Redriven-redriven0, verb)
	return nil
}

// decide returns the record to write for a dead letter, or why it is
// skipped; ok is false when it does not match the reason or time.
func decide(cfg Config, msg kafka.Message) (out kafka.Message, skip string, ok bool) {
	reason, at, count := "", msg.Time, 0
	for _, h := range msg.Headers {
		switch h.Key {
		case event.HeaderError:
			reason = string(h.Value)
		case event.HeaderErrorTime:
			if t, err := time.Parse(time.RFC3339Nano, string(h.Value)); err == nil {
				at = t
			}
		case event.HeaderRedriveCount:
			count, _ = strconv.Atoi(string(h.Value))
		}
	}
	if cfg.Reason != AnyReason && reason != cfg.Reason {
		return out, "", false
	}
	if !cfg.Since.IsZero() && at.Before(cfg.Since) {
		return out, "", false
	}
	if count >= cfg.MaxRedrives {
		return out, fmt.Sprintf("re-driven %d times already (--max-redrives %d)", count, cfg.MaxRedrives), true
	}
	if len(msg.Value) == 0 {
		return out, "the dead letter does not carry the original (too large); read it at its source offset", true
	}
	h := make([]kafka.Header, 0, len(msg.Headers)+1)
	for _, x := range msg.Headers {
		if x.Key != event.HeaderRedriveCount {
			h = append(h, x)
		}
	}
	h = append(h, kafka.Header{Key: event.HeaderRedriveCount, Value: []byte(strconv.Itoa(count + 1))})
	return kafka.Message{Key: msg.Key, Value: msg.Value, Headers: h}, "", true
}
