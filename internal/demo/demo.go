// Package demo is the first thing a new user runs: an in-process broker,
// the sample articles and two poison records published to it, the real
// worker run against it, and what comes out of the enriched and
// dead-letter topics printed, with a summary that accounts for every
// record.
package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/embeddedkafka"
	"github.com/newsenrich/newsenrich/internal/pipeline"
	"github.com/newsenrich/newsenrich/internal/samples"
	"github.com/newsenrich/newsenrich/internal/worker"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/engine"
)

// Options are the demo's settings.
type Options struct {
	KeepRunning bool             // keep the broker and the worker running after the summary, until ctx ends
	HTTPAddr    string           // metrics/health address (port 0: any free port)
	Limit       int              // publish only the first N sample articles (0: all)
	Full        bool             // print every entity and quote in full
	Timeout     time.Duration    // give up if the worker has not handled every record by then (0: 5 minutes)
	LogLevel    string           // the worker's log level
	Engine      string           // engine of the registry
	Processor   processor.Config // the processor's configuration (version, model, decode limits)
	Build       metrics.Build    // version and model in build_info
}

// Run starts the broker, publishes, runs the worker until every record is
// enriched or dead-lettered and its offset committed, and prints the
// records and the summary to out; the worker logs to stderr.
func Run(ctx context.Context, o Options, out, stderr io.Writer) error {
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Minute
	}
	broker, err := embeddedkafka.Start()
	if err != nil {
		return err
	}
	defer broker.Close()
	cfg := config.Default()
	cfg.Brokers = broker.Addrs()
	cfg.HTTPAddr = o.HTTPAddr
	cfg.LogLevel = o.LogLevel
	cfg.Engine = o.Engine
	cfg.CommitInterval = 200 * time.Millisecond
	cfg.LagInterval = time.Second
	cfg.ShutdownTimeout = 10 * time.Second
	if err := cfg.Validate(); err != nil {
		return err
	}
	setupCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := broker.CreateTopics(setupCtx, 3, cfg.InputTopic, cfg.OutputTopic); err != nil {
		return err
	}
	if err := broker.CreateTopics(setupCtx, 1, cfg.DLQTopic); err != nil {
		return err
	}
	fmt.Fprintf(out, "embedded Kafka (kfake) on %s; topics %s -> %s, dead letters %s\n",
		strings.Join(cfg.Brokers, ","), cfg.InputTopic, cfg.OutputTopic, cfg.DLQTopic)

	records := samples.All()
	if o.Limit > 0 && o.Limit < len(records) {
		records = records[:o.Limit]
	}
	poison := [][]byte{
		[]byte(`{"id": "poison-truncated", "title": "Cut off in the middle", "body": "The wire feed dropped`),
		[]byte(`{"id": "poison-no-body", "title": "An article without a body"}`),
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(cfg.Brokers...), kgo.DefaultProduceTopic(cfg.InputTopic))
	if err != nil {
		return err
	}
	defer cl.Close()
	var recs []*kgo.Record
	for _, r := range records {
		recs = append(recs, &kgo.Record{Key: []byte(pipeline.GuessID(r)), Value: r})
	}
	for i, r := range poison {
		recs = append(recs, &kgo.Record{Key: []byte([]string{"poison-truncated", "poison-no-body"}[i]), Value: r})
	}
	if err := cl.ProduceSync(setupCtx, recs...).FirstErr(); err != nil {
		return fmt.Errorf("publishing the sample articles: %w", err)
	}
	total := len(recs)
	fmt.Fprintf(out, "published %d records to %s: %d sample articles and %d poison records\n",
		total, cfg.InputTopic, len(records), len(poison))

	t0 := time.Now()
	proc, err := engine.Build(cfg.Engine, o.Processor)
	if err != nil {
		return fmt.Errorf("building the processor: %w", err)
	}
	log := cfg.Logger(stderr)
	m := metrics.New(metrics.Topics{Input: cfg.InputTopic, Output: cfg.OutputTopic, DLQ: cfg.DLQTopic},
		o.Build)
	w, err := worker.New(cfg, log, m, proc)
	if err != nil {
		return err
	}
	srv := metrics.NewServer(cfg.HTTPAddr, m, log)
	srv.AddCheck("worker", w.Ready)
	if err := srv.Listen(); err != nil {
		return err
	}
	fmt.Fprintf(out, "worker started (processor built in %v); metrics at http://%s/metrics, health at /healthz and /readyz\n\n",
		time.Since(t0).Round(time.Millisecond), srv.Addr())

	wctx, stopWorker := context.WithCancel(context.Background())
	defer stopWorker()
	workerDone := make(chan error, 1)
	go func() { workerDone <- w.Run(wctx) }()
	sctx, stopServer := context.WithCancel(context.Background())
	defer stopServer()
	go func() { _ = srv.Serve(sctx) }()

	reader, err := kgo.NewClient(kgo.SeedBrokers(cfg.Brokers...), kgo.ConsumeTopics(cfg.OutputTopic, cfg.DLQTopic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		return err
	}
	defer reader.Close()
	adm := kadm.NewClient(cl)

	var enriched, dead int
	var got []*kgo.Record
	order := map[string]int{}
	for i, r := range recs {
		order[string(r.Key)] = i
	}
	var committed int64
	deadline := time.Now().Add(o.Timeout)
	for {
		committed = committedOffsets(ctx, adm, cfg.Group, cfg.InputTopic)
		if enriched+dead >= total && committed >= int64(total) {
			break
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			stopWorker()
			if err := <-workerDone; err != nil {
				log.Warn("worker stopped with an error", "err", err)
			}
			return fmt.Errorf("stopped before every record was handled: %d enriched, %d dead-lettered, %d committed of %d",
				enriched, dead, committed, total)
		}
		pctx, pcancel := context.WithTimeout(ctx, 500*time.Millisecond)
		fetches := reader.PollFetches(pctx)
		pcancel()
		fetches.EachRecord(func(r *kgo.Record) {
			if r.Topic == cfg.DLQTopic {
				dead++
			} else {
				enriched++
			}
			got = append(got, r)
		})
	}
	// Print in the order the records were published (the seed article
	// first), not in the order partitions happened to be read.
	sort.SliceStable(got, func(i, j int) bool { return order[string(got[i].Key)] < order[string(got[j].Key)] })
	for _, r := range got {
		if r.Topic == cfg.DLQTopic {
			printDeadLetter(out, r)
		} else {
			printEvent(out, r, o.Full)
		}
	}
	fmt.Fprintf(out, "summary: %d in, %d enriched, %d dead-lettered, %d offsets committed (group %s)\n",
		total, enriched, dead, committed, cfg.Group)
	fmt.Fprintf(out, "metrics: http://%s/metrics\n", srv.Addr())

	if o.KeepRunning {
		fmt.Fprintf(out, "\nkeeping the broker (%s) and the worker running; publish more JSON articles to %s. Ctrl-C stops.\n",
			strings.Join(cfg.Brokers, ","), cfg.InputTopic)
		for ctx.Err() == nil {
			pctx, pcancel := context.WithTimeout(ctx, time.Second)
			fetches := reader.PollFetches(pctx)
			pcancel()
			fetches.EachRecord(func(r *kgo.Record) {
				if r.Topic == cfg.DLQTopic {
					printDeadLetter(out, r)
				} else {
					printEvent(out, r, o.Full)
				}
			})
		}
	}
	stopWorker()
	if err := <-workerDone; err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	return nil
}

func committedOffsets(ctx context.Context, adm *kadm.Client, group, topic string) int64 {
	cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	offs, err := adm.FetchOffsets(cctx, group)
	if err != nil {
		return 0
	}
	var n int64
	for _, o := range offs[topic] {
		if o.Err == nil && o.At > 0 {
			n += o.At
		}
	}
	return n
}

var typeOrder = []string{event.TypePerson, event.TypeOrg, event.TypeGPE, event.TypeLoc, event.TypeNORP,
	event.TypeFac, event.TypeEvent, event.TypeMisc}

func printEvent(w io.Writer, r *kgo.Record, full bool) {
	var ev event.Enriched
	if err := json.Unmarshal(r.Value, &ev); err != nil {
		fmt.Fprintf(w, "!! undecodable event at %s/%d@%d: %v\n\n", r.Topic, r.Partition, r.Offset, err)
		return
	}
	title := ev.Title
	if title == "" {
		title = clip(ev.Body, 70)
	}
	fmt.Fprintf(w, "== %s  %q\n", ev.ID, title)
	fmt.Fprintf(w, "   %d words, enriched in %.1f ms, %s partition %d offset %d\n",
		words(ev.Body), ev.Enrichment.DurationSeconds*1000, r.Topic, r.Partition, r.Offset)
	byType := map[string][]event.Entity{}
	for _, e := range ev.Entities {
		byType[e.Type] = append(byType[e.Type], e)
	}
	if len(ev.Entities) == 0 {
		fmt.Fprintln(w, "   entities  (none)")
	}
	for _, t := range typeOrder {
		es := byType[t]
		if len(es) == 0 {
			continue
		}
		sort.SliceStable(es, func(i, j int) bool { return es[i].Count > es[j].Count })
		shown := es
		if !full && len(shown) > 8 {
			shown = shown[:8]
		}
		names := make([]string, len(shown))
		for i, e := range shown {
			names[i] = e.Text
			if e.Count > 1 {
				names[i] += fmt.Sprintf(" (%d)", e.Count)
			}
		}
		more := ""
		if len(es) > len(shown) {
			more = fmt.Sprintf(", ... %d more", len(es)-len(shown))
		}
		fmt.Fprintf(w, "   %-8s  %s%s\n", t, strings.Join(names, ", "), more)
	}
	qs := ev.Quotes
	if !full && len(qs) > 5 {
		qs = qs[:5]
	}
	for i, q := range qs {
		label := "quotes"
		if i > 0 {
			label = ""
		}
		speaker := "(speaker unknown)"
		if q.Speaker != nil && q.Speaker.Name != "" {
			speaker = q.Speaker.Name
		}
		cue := ""
		if q.Cue != "" {
			cue = " (" + q.Cue + ")"
		}
		text := q.Text
		if !full {
			text = clip(text, 110)
		}
		fmt.Fprintf(w, "   %-8s  %s\n             -- %s%s\n", label, text, speaker, cue)
	}
	if len(ev.Quotes) > len(qs) {
		fmt.Fprintf(w, "             ... %d more quotes\n", len(ev.Quotes)-len(qs))
	}
	if len(ev.Quotes) == 0 {
		fmt.Fprintln(w, "   quotes    (none)")
	}
	if len(ev.Topics) == 0 {
		fmt.Fprintln(w, "   topics    (none)")
	}
	for i, t := range ev.Topics {
		label := "topics"
		if i > 0 {
			label = ""
		}
		if t.Probability > 0 {
			fmt.Fprintf(w, "   %-8s  %s %s (score %.2f, probability %.2f)\n", label, t.Code, t.Label, t.Score, t.Probability)
			continue
		}
		fmt.Fprintf(w, "   %-8s  %s %s (score %.2f)\n", label, t.Code, t.Label, t.Score)
	}
	fmt.Fprintln(w)
}

func printDeadLetter(w io.Writer, r *kgo.Record) {
	h := map[string]string{}
	for _, x := range r.Headers {
		h[x.Key] = string(x.Value)
	}
	fmt.Fprintf(w, "xx dead letter %q: %s: %s\n   original %d bytes kept untouched, from %s partition %s offset %s\n\n",
		string(r.Key), h[event.HeaderError], clip(h[event.HeaderErrorDetail], 100), len(r.Value),
		h[event.HeaderSourceTopic], h[event.HeaderSourcePartition], h[event.HeaderSourceOffset])
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func words(s string) int { return len(strings.Fields(s)) }
