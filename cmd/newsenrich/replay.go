package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/segmentio/kafka-go"

	"github.com/newsenrich/newsenrich/consumer"
	"github.com/newsenrich/newsenrich/internal/backoff"
	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/pipeline"
	"github.com/newsenrich/newsenrich/internal/redrive"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor/engine"
	"github.com/newsenrich/newsenrich/producer"
)

// replayCommand re-enriches a range of the input topic into the output
// topic (a backfill after a model upgrade). It reads the partitions
// directly, outside the consumer group, so the live workers' offsets are
// untouched; records that cannot be enriched go to the dead-letter topic as
// usual. The range ends at the high watermarks seen at start (or --to).
func replayCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return replayRun(ctx, args, stderr)
}

// replayPoint is a --from/--to value: a time or a per-partition offset.
type replayPoint struct {
	set    bool
	at     time.Time
	offset int64
}

func (p *replayPoint) String() string {
	switch {
	case !p.set:
		return ""
	case !p.at.IsZero():
		return p.at.Format(time.RFC3339)
	}
	return strconv.FormatInt(p.offset, 10)
}

func (p *replayPoint) Set(s string) error {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		*p = replayPoint{set: true, at: t}
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("%q is neither an RFC 3339 time (2026-01-02T15:04:05Z) nor an offset", s)
	}
	*p = replayPoint{set: true, offset: n}
	return nil
}

type replayRange struct {
	partition  int
	start, end int64 // [start, end)
}

func replayRun(ctx context.Context, args []string, progress io.Writer) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(progress)
	var from, to replayPoint
	fs.Var(&from, "from", "start: RFC 3339 time (first record at or after it) or offset (on every partition); required")
	fs.Var(&to, "to", "end, exclusive: RFC 3339 time or offset (default: the end of each partition at start)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: newsenrich replay --from <RFC3339|offset> [--to <RFC3339|offset>] [worker flags]\n\nReads the input topic outside the consumer group; the worker flags/env choose brokers, topics and limits.")
		fs.PrintDefaults()
	}
	cfg, err := config.Load(fs, args, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if !from.set {
		return errors.New("--from is required (an RFC 3339 time or an offset)")
	}
	log := runLogger(cfg.LogLevel, cfg.LogFormat, progress)
	tlsCfg, err := cfg.TLSConfig()
	if err != nil {
		return err
	}
	mech, err := cfg.SASL()
	if err != nil {
		return err
	}
	client := &kafka.Client{Addr: kafka.TCP(cfg.Brokers...), Timeout: 10 * time.Second,
		Transport: &kafka.Transport{ClientID: cfg.ClientID, TLS: tlsCfg, SASL: mech}}
	ranges, err := replayRanges(ctx, client, cfg.InputTopic, from, to)
	if err != nil {
		return err
	}
	var total int64
	for _, r := range ranges {
		total += r.end - r.start
	}
	fmt.Fprintf(progress, "replaying %d records of %s into %s (%s)\n", total, cfg.InputTopic, cfg.OutputTopic, replayDescribe(ranges))
	if total == 0 {
		return nil
	}

	proc, err := engine.Build(cfg.Engine, runProcessorConfig(cfg.MaxBytes))
	if err != nil {
		return fmt.Errorf("building the processor: %w", err)
	}
	m := metrics.New(metrics.Topics{Input: cfg.InputTopic, Output: cfg.OutputTopic, DLQ: cfg.DLQTopic}, metrics.Build{Version: runVersion(), Model: runModel})
	pl, err := pipeline.New(proc, pipeline.Config{MaxBytes: cfg.MaxBytes, Languages: cfg.Languages,
		OtherLanguages: pipeline.Policy(cfg.OtherLanguages)}, m)
	if err != nil {
		return err
	}
	p, err := producer.New(producer.Config{Brokers: cfg.Brokers, OutputTopic: cfg.OutputTopic, DLQTopic: cfg.DLQTopic,
		ClientID: cfg.ClientID, TLS: tlsCfg, SASL: mech, MaxMessageBytes: cfg.MaxMessageBytes}, log, m)
	if err != nil {
		return err
	}
	defer p.Close()

	var bar *progressbar.ProgressBar
	if !*quiet {
		bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(progress), progressbar.OptionSetDescription("replay"),
			progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("records"),
			progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionSetWidth(30))
	}
	var enriched, dead, dropped atomic.Int64
	fetcher := consumer.NewFetcher(consumer.FetcherConfig{Brokers: cfg.Brokers, ClientID: cfg.ClientID, TLS: tlsCfg, SASL: mech, MaxBytes: 16 << 20})
	defer fetcher.Close()
	sem := make(chan struct{}, cfg.Concurrency)
	var wg sync.WaitGroup
	errs := make([]error, len(ranges))
	for i, rg := range ranges {
		if rg.end <= rg.start {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = replayPartition(ctx, cfg, fetcher, p, pl, rg, func(outcome string) {
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
	fmt.Fprintf(progress, "replayed %d records: %d enriched to %s, %d dead-lettered to %s, %d dropped (--other-languages)\n",
		enriched.Load()+dead.Load()+dropped.Load(), enriched.Load(), cfg.OutputTopic, dead.Load(), cfg.DLQTopic, dropped.Load())
	return errors.Join(errs...)
}

// replayRanges resolves --from/--to into offsets per partition, clamped to
// what the log still holds.
func replayRanges(ctx context.Context, c *kafka.Client, topic string, from, to replayPoint) ([]replayRange, error) {
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
	resolve := func(pt replayPoint, dflt func(p int) int64) (map[int]int64, error) {
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
	var out []replayRange
	for _, p := range parts {
		b := bounds[p]
		s := min(max(starts[p], b[0]), b[1])
		e := min(max(ends[p], s), b[1])
		out = append(out, replayRange{partition: p, start: s, end: e})
	}
	return out, nil
}

func replayDescribe(rs []replayRange) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("p%d %d..%d", r.partition, r.start, r.end)
	}
	return strings.Join(parts, ", ")
}

// replayPartition reads [start, end) of one partition read_committed
// (transaction markers and aborted records are skipped, as in the worker),
// enriches each record and writes the outputs in order, a batch at a time,
// each batch acknowledged (acks=all) before the next is read.
func replayPartition(ctx context.Context, cfg config.Config, f *consumer.Fetcher, p *producer.Producer,
	pl *pipeline.Pipeline, rg replayRange, done func(outcome string), log *slog.Logger) error {
	var batch []kafka.Message
	var outcomes []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := p.Write(ctx, batch...); err != nil {
			return fmt.Errorf("partition %d: %w", rg.partition, err)
		}
		for _, o := range outcomes {
			done(o)
		}
		batch, outcomes = batch[:0], outcomes[:0]
		return nil
	}
	bo := backoff.New(100*time.Millisecond, 2*time.Second)
	next := rg.start
	idleSince := time.Now()
	for next < rg.end {
		res, err := f.Fetch(ctx, cfg.InputTopic, rg.partition, next)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			log.Warn("fetch failed; retrying", "partition", rg.partition, "offset", next, "err", err)
			bo.Wait(ctx)
			continue
		}
		bo.Reset()
		if res.Next <= next {
			// Nothing committed there (yet): an open transaction holds the
			// rest of the range back; give up on it after a while.
			if time.Since(idleSince) > 10*time.Second {
				log.Warn("no more committed records before the end of the range", "partition", rg.partition, "at", next, "end", rg.end)
				break
			}
			continue
		}
		idleSince = time.Now()
		for _, msg := range res.Records {
			if msg.Offset >= rg.end {
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
