// Package replay re-enriches a range of the input topic into the output
// topic (a backfill after a model upgrade). It reads the partitions
// directly, outside the consumer group, so the live workers' offsets are
// untouched; records that cannot be enriched go to the dead-letter topic as
// usual. The range ends at the high watermarks seen at start (or at To).
package replay

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"

	"github.com/newsenrich/newsenrich/consumer"
	"github.com/newsenrich/newsenrich/internal/backoff"
	"github.com/newsenrich/newsenrich/internal/pipeline"
	"github.com/newsenrich/newsenrich/internal/redrive"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/producer"
)

// Point is where a replay starts or ends: a time (the first record at or
// after it, on every partition) or an offset (the same on every
// partition). It is a flag.Value.
type Point struct {
	set    bool
	at     time.Time
	offset int64
}

// At is the point of the first record at or after t.
func At(t time.Time) Point { return Point{set: true, at: t} }

// Offset is the point of offset n on every partition.
func Offset(n int64) Point { return Point{set: true, offset: n} }

// IsSet reports whether the point was given.
func (p *Point) IsSet() bool { return p.set }

func (p *Point) String() string {
	switch {
	case !p.set:
		return ""
	case !p.at.IsZero():
		return p.at.Format(time.RFC3339)
	}
	return strconv.FormatInt(p.offset, 10)
}

// Set reads an RFC 3339 time or a non-negative offset.
func (p *Point) Set(s string) error {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		*p = At(t)
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("%q is neither an RFC 3339 time (2026-01-02T15:04:05Z) nor an offset", s)
	}
	*p = Offset(n)
	return nil
}

// Config is what to replay, from where to where.
type Config struct {
	Brokers         []string
	ClientID        string
	TLS             *tls.Config
	SASL            sasl.Mechanism
	InputTopic      string
	OutputTopic     string
	DLQTopic        string
	MaxMessageBytes int // largest record written (0: the producer's default)
	Concurrency     int // partitions replayed at once
	From, To        Point
	Quiet           bool // no progress bar
}

// Validate reports configuration mistakes.
func (c Config) Validate() error {
	var errs []error
	if !c.From.IsSet() {
		errs = append(errs, errors.New("--from is required (an RFC 3339 time or an offset)"))
	}
	if len(c.Brokers) == 0 || c.InputTopic == "" || c.OutputTopic == "" || c.DLQTopic == "" {
		errs = append(errs, errors.New("brokers and the input, output and dead-letter topics are required"))
	}
	if c.Concurrency < 1 {
		errs = append(errs, fmt.Errorf("concurrency must be at least 1, got %d", c.Concurrency))
	}
	return errors.Join(errs...)
}

// Summary counts what a replay wrote.
type Summary struct {
	Enriched     int64 // events written (enriched or passed)
	DeadLettered int64
	Dropped      int64 // dropped by the language policy
}

// NewPipeline builds the pipeline a replay enriches with; Run calls it only
// when there is something to replay, since it loads the models.
type NewPipeline func() (*pipeline.Pipeline, error)

// Run replays cfg's range, writing a line about the range, a progress bar
// (unless Quiet) and the summary to progress.
func Run(ctx context.Context, cfg Config, newPipeline NewPipeline, log *slog.Logger, m producer.Metrics, progress io.Writer) (Summary, error) {
	if err := cfg.Validate(); err != nil {
		return Summary{}, err
	}
	client := &kafka.Client{Addr: kafka.TCP(cfg.Brokers...), Timeout: 10 * time.Second,
		Transport: &kafka.Transport{ClientID: cfg.ClientID, TLS: cfg.TLS, SASL: cfg.SASL}}
	ranges, err := Ranges(ctx, client, cfg.InputTopic, cfg.From, cfg.To)
	if err != nil {
		return Summary{}, err
	}
	var total int64
	for _, r := range ranges {
		total += r.End - r.Start
	}
	fmt.Fprintf(progress, "replaying %d records of %s into %s (%s)\n", total, cfg.InputTopic, cfg.OutputTopic, Describe(ranges))
	if total == 0 {
		return Summary{}, nil
	}

	pl, err := newPipeline()
	if err != nil {
		return Summary{}, err
	}
	p, err := producer.New(producer.Config{Brokers: cfg.Brokers, OutputTopic: cfg.OutputTopic, DLQTopic: cfg.DLQTopic,
		ClientID: cfg.ClientID, TLS: cfg.TLS, SASL: cfg.SASL, MaxMessageBytes: cfg.MaxMessageBytes}, log, m)
	if err != nil {
		return Summary{}, err
	}
	defer p.Close()

	var bar *progressbar.ProgressBar
	if !cfg.Quiet {
		bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(progress), progressbar.OptionSetDescription("replay"),
			progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("records"),
			progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionSetWidth(30))
	}
	var enriched, dead, dropped atomic.Int64
	fetcher := consumer.NewFetcher(consumer.FetcherConfig{Brokers: cfg.Brokers, ClientID: cfg.ClientID, TLS: cfg.TLS, SASL: cfg.SASL, MaxBytes: 16 << 20})
	defer fetcher.Close()
	sem := make(chan struct{}, cfg.Concurrency)
	var wg sync.WaitGroup
	errs := make([]error, len(ranges))
	for i, rg := range ranges {
		if rg.End <= rg.Start {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = partition(ctx, cfg.InputTopic, fetcher, p, pl, rg, func(outcome string) {
				switch outcome {
				case metrics.OutcomeEnriched, metrics.OutcomePassed:
					enriched.Add(1)
				case metrics.OutcomeDeadLetter:
					dead.Add(1)
				default:
					dropped.Add(1)
				}
				if bar != nil {
					_ = bar.Add(1)
				}
			}, log)
		}()
	}
	wg.Wait()
	if bar != nil {
		_ = bar.Finish()
		fmt.Fprintln(progress)
	}
	sum := Summary{Enriched: enriched.Load(), DeadLettered: dead.Load(), Dropped: dropped.Load()}
	fmt.Fprintf(progress, "replayed %d records: %d enriched to %s, %d dead-lettered to %s, %d dropped (--other-languages)\n",
		sum.Enriched+sum.DeadLettered+sum.Dropped, sum.Enriched, cfg.OutputTopic, sum.DeadLettered, cfg.DLQTopic, sum.Dropped)
	return sum, errors.Join(errs...)
}

// Ranges resolves from and to into offsets per partition, clamped to what
// the log still holds; End is exclusive.
func Ranges(ctx context.Context, c *kafka.Client, topic string, from, to Point) ([]redrive.Range, error) {
	logRanges, err := redrive.Ranges(ctx, c, topic)
	if err != nil {
		return nil, err
	}
	parts := make([]int, len(logRanges))
	bounds := map[int][2]int64{}
	for i, r := range logRanges {
		parts[i] = r.Partition
		bounds[r.Partition] = [2]int64{r.Start, r.End}
	}
	resolve := func(pt Point, dflt func(p int) int64) (map[int]int64, error) {
		out := map[int]int64{}
		if !pt.set {
			for _, p := range parts {
				out[p] = dflt(p)
			}
			return out, nil
		}
		if pt.at.IsZero() {
			for _, p := range parts {
				out[p] = pt.offset
			}
			return out, nil
		}
		reqs := make([]kafka.OffsetRequest, len(parts))
		for i, p := range parts {
			reqs[i] = kafka.TimeOffsetOf(p, pt.at)
		}
		resp, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
		if err != nil {
			return nil, fmt.Errorf("finding offsets at %s: %w", pt.at.Format(time.RFC3339), err)
		}
		for _, p := range parts {
			out[p] = bounds[p][1] // no record at or after the time: nothing from here
		}
		for _, po := range resp.Topics[topic] {
			if po.Error != nil {
				return nil, fmt.Errorf("finding offsets of partition %d: %w", po.Partition, po.Error)
			}
			for off := range po.Offsets {
				if off >= 0 {
					out[po.Partition] = off
				}
			}
		}
		return out, nil
	}
	starts, err := resolve(from, func(p int) int64 { return bounds[p][0] })
	if err != nil {
		return nil, err
	}
	ends, err := resolve(to, func(p int) int64 { return bounds[p][1] })
	if err != nil {
		return nil, err
	}
	var out []redrive.Range
	for _, p := range parts {
		b := bounds[p]
		s := min(max(starts[p], b[0]), b[1])
		e := min(max(ends[p], s), b[1])
		out = append(out, redrive.Range{Partition: p, Start: s, End: e})
	}
	return out, nil
}

// Describe is a short form of ranges for a log line: "p0 3..7, p1 0..5".
func Describe(rs []redrive.Range) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("p%d %d..%d", r.Partition, r.Start, r.End)
	}
	return strings.Join(parts, ", ")
}

// partition reads [Start, End) of one partition read_committed
// (transaction markers and aborted records are skipped, as in the worker),
// enriches each record and writes the outputs in order, a batch at a time,
// each batch acknowledged (acks=all) before the next is read.
func partition(ctx context.Context, topic string, f *consumer.Fetcher, p *producer.Producer,
	pl *pipeline.Pipeline, rg redrive.Range, done func(outcome string), log *slog.Logger) error {
	var batch []kafka.Message
	var outcomes []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := p.Write(ctx, batch...); err != nil {
			return fmt.Errorf("partition %d: %w", rg.Partition, err)
		}
		for _, o := range outcomes {
			done(o)
		}
		batch, outcomes = batch[:0], outcomes[:0]
		return nil
	}
	bo := backoff.New(100*time.Millisecond, 2*time.Second)
	next := rg.Start
	idleSince := time.Now()
	for next < rg.End {
		res, err := f.Fetch(ctx, topic, rg.Partition, next)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			log.Warn("fetch failed; retrying", "partition", rg.Partition, "offset", next, "err", err)
			bo.Wait(ctx)
			continue
		}
		bo.Reset()
		if res.Next <= next {
			// Nothing committed there (yet): an open transaction holds the
			// rest of the range back; give up on it after a while.
			if time.Since(idleSince) > 10*time.Second {
				log.Warn("no more committed records before the end of the range", "partition", rg.Partition, "at", next, "end", rg.End)
				break
			}
			continue
		}
		idleSince = time.Now()
		for _, msg := range res.Records {
			if msg.Offset >= rg.End {
				break
			}
			o := pl.Record(p, msg, nil)
			if o.Outcome == metrics.OutcomeDropped {
				done(o.Outcome) // nothing to write
				continue
			}
			batch = append(batch, o.Record)
			outcomes = append(outcomes, o.Outcome)
		}
		next = res.Next
		if err := flush(); err != nil {
			return err
		}
	}
	return flush()
}
