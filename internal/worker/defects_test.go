package worker_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/kafkatest"
	"github.com/newsenrich/newsenrich/internal/worker"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor"
)

// endOffsets is the log end offset of every partition of topic.
func endOffsets(t testing.TB, brokers []string, topic string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ends, err := kadm.NewClient(kafkatest.Client(t, brokers)).ListEndOffsets(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	ends.Each(func(o kadm.ListedOffset) { n += o.Offset })
	return n
}

// Transactional input: the worker sees committed records only; markers and
// aborted records never reach the processor, and the committed offset
// still moves to the end of the partition (past the markers).
func TestTransactionalInputIsReadCommitted(t *testing.T) {
	e := newEnv(t, 1)
	txn := kafkatest.Client(t, e.brokers, kgo.TransactionalID(kafkatest.Name(t, "txn")), kgo.DefaultProduceTopic(e.in))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	send := func(commit bool, ids ...string) {
		t.Helper()
		if err := txn.BeginTransaction(); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if err := txn.ProduceSync(ctx, &kgo.Record{Key: []byte(id), Value: article(id, "body of "+id)}).FirstErr(); err != nil {
				t.Fatal(err)
			}
		}
		if err := txn.EndTransaction(ctx, kgo.TransactionEndTry(commit)); err != nil {
			t.Fatal(err)
		}
	}
	send(true, "c1", "c2")
	send(false, "aborted1", "aborted2", "aborted3")
	send(true, "c3")
	send(false, "aborted4")
	end := endOffsets(t, e.brokers, e.in) // 4 markers + 7 records
	r := start(t, e, "worker-txn")
	waitFor(t, "committed to the end of the partition", 30*time.Second, func() bool {
		return kafkatest.Sum(kafkatest.Committed(t, e.brokers, e.grp, e.in)) == end
	})
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	out := kafkatest.Consume(t, e.brokers, e.out, 3, 10*time.Second)
	var got []string
	ids := map[string]bool{}
	for _, rec := range out {
		got = append(got, string(rec.Key))
		var ev event.Enriched
		if err := json.Unmarshal(rec.Value, &ev); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(ev.EventID, e.in+"/0/") || headers(rec)[event.HeaderEventID] != ev.EventID || ids[ev.EventID] {
			t.Errorf("event %s: event_id %q, header %q", ev.ID, ev.EventID, headers(rec)[event.HeaderEventID])
		}
		ids[ev.EventID] = true
	}
	sort.Strings(got)
	if strings.Join(got, ",") != "c1,c2,c3" {
		t.Errorf("output keys %v, want [c1 c2 c3]", got)
	}
	if n := value(r.m.DLQRecords.WithLabelValues(event.ReasonInvalidJSON)); n != 0 {
		t.Errorf("%v invalid_json dead letters: transaction markers reached the processor", n)
	}
	if n := value(r.m.Articles.WithLabelValues(metrics.OutcomeDeadLetter)); n != 0 {
		t.Errorf("%v dead letters, want none", n)
	}
}

// An output record the output topic rejects (over its max.message.bytes,
// while under the worker's own limit) is settled as a too_large dead letter;
// the records behind it are not held up.
func TestOutputRejectedByTheTopicIsDeadLettered(t *testing.T) {
	e := newEnv(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e.out = kafkatest.Name(t, "small-out")
	limit := "3000"
	adm := kadm.NewClient(kafkatest.Client(t, e.brokers))
	if _, err := adm.CreateTopic(ctx, 2, 1, map[string]*string{"max.message.bytes": &limit}, e.out); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = adm.DeleteTopics(context.Background(), e.out) })
	big := article("big", strings.Repeat("many words here ", 400)) // ~6 kB event
	recs := []*kgo.Record{{Topic: e.in, Key: []byte("before"), Value: article("before", "fits")},
		{Topic: e.in, Key: []byte("big"), Value: big}}
	for i := 0; i < 20; i++ {
		id := fmt.Sprintf("after-%02d", i)
		recs = append(recs, &kgo.Record{Topic: e.in, Key: []byte(id), Value: article(id, "fits too")})
	}
	kafkatest.Produce(t, e.brokers, recs...)
	r := start(t, e, "worker-rejected")
	waitFor(t, "every record committed", 60*time.Second, func() bool {
		return kafkatest.Sum(kafkatest.Committed(t, e.brokers, e.grp, e.in)) == int64(len(recs))
	})
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	dlq := kafkatest.Consume(t, e.brokers, e.dlq, 1, 10*time.Second)
	if len(dlq) != 1 || string(dlq[0].Key) != "big" || headers(dlq[0])[event.HeaderError] != event.ReasonTooLarge || string(dlq[0].Value) != string(big) {
		t.Fatalf("dead letters: %d, want the big article, untouched, as too_large", len(dlq))
	}
	out := kafkatest.Consume(t, e.brokers, e.out, len(recs)-1, 10*time.Second)
	if len(out) < len(recs)-1 {
		t.Fatalf("output has %d records, want %d", len(out), len(recs)-1)
	}
}

// countingProcessor sleeps per article and counts the articles started.
type countingProcessor struct {
	worker.Processor
	d       time.Duration
	mu      sync.Mutex
	started int
}

func (c *countingProcessor) Process(raw []byte, obs processor.Observer) (event.Enriched, error) {
	c.mu.Lock()
	c.started++
	c.mu.Unlock()
	time.Sleep(c.d)
	return c.Processor.Process(raw, obs)
}

// Shutdown stops new work at once and keeps a share of --shutdown-timeout
// for the final commit: slow articles queued in the lanes do not push the
// shutdown past its deadline, and what was acknowledged is committed.
func TestShutdownHonoursTheTimeoutAndCommits(t *testing.T) {
	e := newEnv(t, 1)
	var recs []*kgo.Record
	for i := 0; i < 60; i++ {
		id := fmt.Sprintf("slow-%02d", i)
		recs = append(recs, &kgo.Record{Topic: e.in, Key: []byte(id), Value: article(id, "slow")})
	}
	kafkatest.Produce(t, e.brokers, recs...)
	cfg := e.config("worker-slow")
	cfg.ShutdownTimeout = 2 * time.Second
	cfg.Concurrency = 2
	cfg.MaxInflight = 60
	cfg.CommitInterval = time.Hour // only the final commit commits
	m := metrics.New(metrics.Topics{Input: cfg.InputTopic, Output: cfg.OutputTopic, DLQ: cfg.DLQTopic}, metrics.Build{Version: "test", Model: "none"})
	proc := &countingProcessor{Processor: processor.New(processor.Config{Version: "test"}, nil, nil, nil), d: 300 * time.Millisecond}
	w, err := worker.New(cfg, logger(t), m, proc, worker.WithGroupTiming(300*time.Millisecond, 6*time.Second, 5*time.Second), worker.WithMaxWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	waitFor(t, "some records published", 30*time.Second, func() bool {
		return value(m.Articles.WithLabelValues(metrics.OutcomeEnriched)) >= 4
	})
	t0 := time.Now()
	cancel()
	err = <-done
	took := time.Since(t0)
	t.Logf("shutdown took %v (timeout 2s): %v", took.Round(time.Millisecond), err)
	if took > cfg.ShutdownTimeout+700*time.Millisecond {
		t.Errorf("shutdown took %v, over the 2s timeout", took.Round(time.Millisecond))
	}
	committed := kafkatest.Sum(kafkatest.Committed(t, e.brokers, e.grp, e.in))
	if committed == 0 {
		t.Errorf("nothing committed although %v records were published", value(m.Articles.WithLabelValues(metrics.OutcomeEnriched)))
	}
	if proc.started >= len(recs) {
		t.Errorf("all %d queued records were processed after the shutdown signal", proc.started)
	}
}

// Starting and stopping workers in one process leaves no goroutines behind.
func TestStartStopLeaksNoGoroutines(t *testing.T) {
	e := newEnv(t, 2)
	kafkatest.Produce(t, e.brokers, &kgo.Record{Topic: e.in, Value: article("a", "x")})
	cycle := func() {
		r := start(t, e, "worker-cycle")
		waitFor(t, "ready", 30*time.Second, func() bool { return r.w.Ready() == nil })
		if err := r.stop(t); err != nil {
			t.Fatal(err)
		}
	}
	cycle() // warm up kafka-go's and kfake's lazily started goroutines
	time.Sleep(500 * time.Millisecond)
	before := runtime.NumGoroutine()
	for i := 0; i < 3; i++ {
		cycle()
	}
	var after int
	deadline := time.Now().Add(10 * time.Second)
	for {
		after = runtime.NumGoroutine()
		if after <= before+3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if after > before+3 {
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		t.Fatalf("goroutines %d before three start/stop cycles, %d after\n%s", before, after, buf[:n])
	}
}

// captured collects log records at or above Warn.
type captured struct {
	mu   sync.Mutex
	msgs []string
}

func (c *captured) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }
func (c *captured) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&b, " %s=%v", a.Key, a.Value); return true })
	c.mu.Lock()
	c.msgs = append(c.msgs, b.String())
	c.mu.Unlock()
	return nil
}
func (c *captured) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c *captured) WithGroup(string) slog.Handler      { return c }
func (c *captured) has(sub string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range c.msgs {
		if strings.Contains(m, sub) {
			return true
		}
	}
	return false
}

// With unreachable brokers /readyz names the cause, and the client errors
// are logged at warn level.
func TestUnreachableBrokersAreTheReadinessCause(t *testing.T) {
	cfg := config.Default()
	cfg.Brokers = []string{"127.0.0.1:1"} // nothing listens on port 1
	cfg.InputTopic, cfg.OutputTopic, cfg.DLQTopic, cfg.Group = "in", "out", "dlq", "g"
	cfg.ShutdownTimeout = 2 * time.Second
	m := metrics.New(metrics.Topics{Input: "in", Output: "out", DLQ: "dlq"}, metrics.Build{Version: "test", Model: "none"})
	logs := &captured{}
	w, err := worker.New(cfg, slog.New(logs), m, processor.New(processor.Config{Version: "test"}, nil, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Logf("worker: %v", err)
		}
	}()
	waitFor(t, "readiness naming the refused connection", 30*time.Second, func() bool {
		err := w.Ready()
		return err != nil && strings.Contains(err.Error(), "connection refused")
	})
	waitFor(t, "a warning naming the refused connection", 10*time.Second, func() bool { return logs.has("connection refused") })
}

type panickingProcessor struct{ worker.Processor }

func (p panickingProcessor) Process(raw []byte, obs processor.Observer) (event.Enriched, error) {
	if strings.Contains(string(raw), "boom") {
		panic("decoder exploded")
	}
	return p.Processor.Process(raw, obs)
}

// A panic anywhere in the enrichment step (decoding included) dead-letters
// the record instead of stopping the worker.
func TestPanicInEnrichmentIsDeadLettered(t *testing.T) {
	e := newEnv(t, 1)
	kafkatest.Produce(t, e.brokers, &kgo.Record{Topic: e.in, Key: []byte("boom"), Value: article("boom", "boom")},
		&kgo.Record{Topic: e.in, Key: []byte("ok"), Value: article("ok", "fine")})
	cfg := e.config("worker-panic")
	m := metrics.New(metrics.Topics{Input: cfg.InputTopic, Output: cfg.OutputTopic, DLQ: cfg.DLQTopic}, metrics.Build{Version: "test", Model: "none"})
	w, err := worker.New(cfg, logger(t), m, panickingProcessor{processor.New(processor.Config{Version: "test"}, nil, nil, nil)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	waitFor(t, "both records committed", 30*time.Second, func() bool {
		return kafkatest.Sum(kafkatest.Committed(t, e.brokers, e.grp, e.in)) == 2
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	dlq := kafkatest.Consume(t, e.brokers, e.dlq, 1, 10*time.Second)
	if len(dlq) != 1 || headers(dlq[0])[event.HeaderError] != event.ReasonEnrichmentFailed {
		t.Fatalf("dead letters %d, want the panicking record as enrichment_failed", len(dlq))
	}
}
