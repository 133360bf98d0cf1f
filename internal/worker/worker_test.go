package worker_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/kafkatest"
	"github.com/newsenrich/newsenrich/internal/worker"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/decode"
)

// env is one test's cluster, topics and group.
type env struct {
	brokers           []string
	in, out, dlq, grp string
	maxBytes          int
}

func newEnv(t testing.TB, partitions int32) env {
	b := kafkatest.Brokers(t)
	return env{
		brokers:  b,
		in:       kafkatest.Topic(t, b, "in", partitions),
		out:      kafkatest.Topic(t, b, "out", 2),
		dlq:      kafkatest.Topic(t, b, "dlq", 1),
		grp:      kafkatest.Name(t, "group"),
		maxBytes: 64 << 10,
	}
}

func (e env) config(clientID string) config.Config {
	c := config.Default()
	c.Brokers = e.brokers
	c.InputTopic, c.OutputTopic, c.DLQTopic, c.Group = e.in, e.out, e.dlq, e.grp
	c.Concurrency = 4
	c.MaxInflight = 16
	c.MaxBytes = e.maxBytes
	c.CommitInterval = 100 * time.Millisecond
	c.LagInterval = 200 * time.Millisecond
	c.ShutdownTimeout = 10 * time.Second
	c.ClientID = clientID
	return c
}

func logger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// running is a worker started in the background.
type running struct {
	w      *worker.Worker
	m      *metrics.Metrics
	cancel context.CancelFunc
	done   chan error
}

func start(t testing.TB, e env, clientID string) *running {
	return startWith(t, e, clientID, 0)
}

// slowProcessor keeps records in flight long enough for rebalances to
// catch some.
type slowProcessor struct {
	worker.Processor
	d time.Duration
}

func (s slowProcessor) Process(raw []byte, obs processor.Observer) (event.Enriched, error) {
	time.Sleep(s.d)
	return s.Processor.Process(raw, obs)
}

func startWith(t testing.TB, e env, clientID string, delay time.Duration, tweak ...func(*config.Config)) *running {
	t.Helper()
	cfg := e.config(clientID)
	for _, f := range tweak {
		f(&cfg)
	}
	// The pipeline is under test, not the NLP: the processor core without
	// stages decodes and emits events with empty entity lists.
	proc := processor.New(processor.Config{Decode: decode.Limits{MaxBytes: cfg.MaxBytes}, Version: "test"}, nil, nil, nil)
	var p worker.Processor = proc
	if delay > 0 {
		p = slowProcessor{proc, delay}
	}
	return runWorker(t, cfg, p, worker.WithGroupTiming(300*time.Millisecond, 6*time.Second, 5*time.Second))
}

// runWorker runs a worker in the background until the test ends.
func runWorker(t testing.TB, cfg config.Config, p worker.Processor, opts ...worker.Option) *running {
	t.Helper()
	m := metrics.New(metrics.Topics{Input: cfg.InputTopic, Output: cfg.OutputTopic, DLQ: cfg.DLQTopic}, metrics.Build{Version: "test", Model: "none"})
	opts = append([]worker.Option{worker.WithMaxWait(100 * time.Millisecond)}, opts...)
	w, err := worker.New(cfg, logger(t).With("worker", cfg.ClientID), m, p, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{w: w, m: m, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-r.done; err != nil {
			t.Logf("worker: %v", err)
		}
	})
	return r
}

func (r *running) stop(t testing.TB) error {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		r.done <- err // for the cleanup
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("worker did not stop within 30s")
		return nil
	}
}

func article(id, body string) []byte {
	b, _ := json.Marshal(map[string]string{"id": id, "title": "t " + id, "body": body})
	return b
}

// poison is one record of every bad-input class the decoder rejects.
func poison(maxBytes int) map[string][]byte {
	return map[string][]byte{
		event.ReasonInvalidJSON:  []byte(`{"id": "broken", "body": `),
		event.ReasonInvalidUTF8:  []byte("{\"id\":\"x\",\"body\":\"\xff\xfe\"}"),
		event.ReasonMissingField: []byte(`{"title":"no id","body":"text"}`),
		event.ReasonTooLarge:     article("huge", strings.Repeat("word ", maxBytes/4)),
	}
}

func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestEveryRecordIsAccountedForAndCommitted(t *testing.T) {
	e := newEnv(t, 3)
	var recs []*kgo.Record
	valid := map[string]bool{}
	for i := 0; i < 40; i++ {
		id := fmt.Sprintf("a-%02d", i)
		valid[id] = true
		r := &kgo.Record{Topic: e.in, Value: article(id, "Body of article "+id+" with a few words.")}
		if i%3 != 0 { // some records have no key
			r.Key = []byte(id)
		}
		if i == 7 {
			r.Headers = []kgo.RecordHeader{{Key: event.HeaderTraceparent, Value: []byte("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")}}
		}
		recs = append(recs, r)
	}
	bad := poison(e.maxBytes)
	for reason, v := range bad {
		recs = append(recs, &kgo.Record{Topic: e.in, Key: []byte("poison-" + reason), Value: v})
	}
	n := len(recs)
	kafkatest.Produce(t, e.brokers, recs...)

	r := start(t, e, "worker-1")
	waitFor(t, "all offsets committed", 30*time.Second, func() bool {
		return kafkatest.Sum(kafkatest.Committed(t, e.brokers, e.grp, e.in)) == int64(n)
	})
	waitFor(t, "ready", 10*time.Second, func() bool { return r.w.Ready() == nil })
	waitFor(t, "lag 0 on every partition", 10*time.Second, func() bool {
		lag := 0.0
		for p := 0; p < 3; p++ {
			lag += value(r.m.ConsumerLag.WithLabelValues(e.in, fmt.Sprint(p)))
		}
		return lag == 0 && value(r.m.ConsumerRecords.WithLabelValues(e.in)) == float64(n)
	})
	if err := r.stop(t); err != nil {
		t.Fatalf("unclean shutdown: %v", err)
	}

	out := kafkatest.Consume(t, e.brokers, e.out, len(valid), 10*time.Second)
	dlq := kafkatest.Consume(t, e.brokers, e.dlq, len(bad), 10*time.Second)
	if len(out)+len(dlq) != n {
		t.Fatalf("output %d + dead letters %d != input %d", len(out), len(dlq), n)
	}
	for _, rec := range out {
		var ev event.Enriched
		if err := json.Unmarshal(rec.Value, &ev); err != nil {
			t.Fatalf("output is not an event: %v", err)
		}
		if !valid[ev.ID] || string(rec.Key) != ev.ID {
			t.Fatalf("unexpected or mis-keyed event %q (key %q)", ev.ID, rec.Key)
		}
		delete(valid, ev.ID)
		h := headers(rec)
		if h[event.HeaderContentType] != "application/json" || h[event.HeaderSchema] != event.SchemaVersion ||
			h[event.HeaderSourceTopic] != e.in || h[event.HeaderSourceOffset] == "" || h[event.HeaderSourcePartition] == "" {
			t.Fatalf("event %s headers: %v", ev.ID, h)
		}
		if ev.ID == "a-07" && h[event.HeaderTraceparent] == "" {
			t.Fatalf("traceparent not passed through: %v", h)
		}
		if ev.Enrichment.ProcessedAt == "" || ev.Enrichment.DurationSeconds <= 0 {
			t.Fatalf("enrichment block not filled: %+v", ev.Enrichment)
		}
	}
	if len(valid) != 0 {
		t.Fatalf("articles missing from the output: %v", valid)
	}
	for _, rec := range dlq {
		h := headers(rec)
		reason := h[event.HeaderError]
		want, ok := bad[reason]
		if !ok {
			t.Fatalf("dead letter with reason %q (detail %q)", reason, h[event.HeaderErrorDetail])
		}
		if string(rec.Value) != string(want) {
			t.Fatalf("dead letter %s: value changed", reason)
		}
		if h[event.HeaderErrorDetail] == "" || h[event.HeaderErrorTime] == "" || h[event.HeaderSourceTopic] != e.in {
			t.Fatalf("dead letter %s headers: %v", reason, h)
		}
		delete(bad, reason)
	}
	if len(bad) != 0 {
		t.Fatalf("poison records not dead-lettered: %v", bad)
	}

	m := r.m
	checks := []struct {
		name      string
		got, want float64
	}{
		{"consumer records", value(m.ConsumerRecords.WithLabelValues(e.in)), float64(n)},
		{"enriched", value(m.Articles.WithLabelValues(metrics.OutcomeEnriched)), float64(len(out))},
		{"dead letters", value(m.Articles.WithLabelValues(metrics.OutcomeDeadLetter)), float64(len(dlq))},
		{"produced out", value(m.ProducerRecords.WithLabelValues(e.out)), float64(len(out))},
		{"produced dlq", value(m.ProducerRecords.WithLabelValues(e.dlq)), float64(len(dlq))},
		{"dlq too_large", value(m.DLQRecords.WithLabelValues(event.ReasonTooLarge)), 1},
		{"in flight", value(m.Inflight), 0},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("metric %s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if value(m.Commits) < 1 {
		t.Error("no commits counted")
	}
}

func headers(r *kgo.Record) map[string]string {
	h := map[string]string{}
	for _, x := range r.Headers {
		h[x.Key] = string(x.Value)
	}
	return h
}

func TestShutdownMidStreamThenRestartLosesNothing(t *testing.T) {
	e := newEnv(t, 4)
	const n = 400
	var recs []*kgo.Record
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("r-%03d", i)
		v := article(id, strings.Repeat("Some words to process. ", 20))
		if i%50 == 0 {
			v = []byte("not json " + id)
		}
		recs = append(recs, &kgo.Record{Topic: e.in, Key: []byte(id), Value: v})
	}
	kafkatest.Produce(t, e.brokers, recs...)

	first := start(t, e, "worker-a")
	waitFor(t, "some output", 30*time.Second, func() bool {
		return value(first.m.Articles.WithLabelValues(metrics.OutcomeEnriched)) >= 20
	})
	if err := first.stop(t); err != nil {
		t.Fatalf("first worker: unclean shutdown: %v", err)
	}
	committedAfterFirst := kafkatest.Sum(kafkatest.Committed(t, e.brokers, e.grp, e.in))
	doneByFirst := value(first.m.Articles.WithLabelValues(metrics.OutcomeEnriched)) +
		value(first.m.Articles.WithLabelValues(metrics.OutcomeDeadLetter))
	if committedAfterFirst > int64(doneByFirst) {
		t.Fatalf("committed %d offsets but only %v outputs were acknowledged", committedAfterFirst, doneByFirst)
	}
	t.Logf("first worker: %v outputs acknowledged, %d offsets committed", doneByFirst, committedAfterFirst)

	second := start(t, e, "worker-b")
	waitFor(t, "all offsets committed", 30*time.Second, func() bool {
		return kafkatest.Sum(kafkatest.Committed(t, e.brokers, e.grp, e.in)) == n
	})
	if err := second.stop(t); err != nil {
		t.Fatalf("second worker: unclean shutdown: %v", err)
	}

	seen := map[string]int{}
	for _, rec := range kafkatest.Consume(t, e.brokers, e.out, n-n/50, 10*time.Second) {
		seen[string(rec.Key)]++
	}
	for _, rec := range kafkatest.Consume(t, e.brokers, e.dlq, n/50, 10*time.Second) {
		seen[string(rec.Key)]++
	}
	missing, dups := 0, 0
	for i := 0; i < n; i++ {
		c := seen[fmt.Sprintf("r-%03d", i)]
		if c == 0 {
			missing++
		}
		if c > 1 {
			dups += c - 1
		}
	}
	t.Logf("records in %d, missing %d, duplicates %d", n, missing, dups)
	if missing != 0 {
		t.Fatalf("%d records lost", missing)
	}
}

func TestSameKeyKeepsInputOrder(t *testing.T) {
	e := newEnv(t, 1)
	const n = 60
	var recs []*kgo.Record
	for i := 0; i < n; i++ {
		key := fmt.Sprintf("k%d", i%3)
		recs = append(recs, &kgo.Record{Topic: e.in, Key: []byte(key), Value: article(key, fmt.Sprintf("seq %03d", i))})
	}
	kafkatest.Produce(t, e.brokers, recs...)
	r := start(t, e, "worker-order")
	out := kafkatest.Consume(t, e.brokers, e.out, n, 30*time.Second)
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	if len(out) != n {
		t.Fatalf("got %d events, want %d", len(out), n)
	}
	requirePerKeyOrder(t, out)
}

// requirePerKeyOrder fails unless each article's events came in the order of
// their bodies ("seq 000", "seq 003", ...).
func requirePerKeyOrder(t *testing.T, out []*kgo.Record) {
	t.Helper()
	last := map[string]string{}
	for _, rec := range out {
		var ev event.Enriched
		if err := json.Unmarshal(rec.Value, &ev); err != nil {
			t.Fatal(err)
		}
		if prev := last[ev.ID]; ev.Body <= prev {
			t.Fatalf("key %s: %q published after %q", ev.ID, ev.Body, prev)
		}
		last[ev.ID] = ev.Body
	}
}

// value reads a counter or gauge.
func value(c prometheus.Metric) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		panic(err)
	}
	if m.Counter != nil {
		return m.Counter.GetValue()
	}
	return m.Gauge.GetValue()
}

func TestRebalanceWithRecordsInFlightLosesNothing(t *testing.T) {
	e := newEnv(t, 6)
	const batch = 150
	total := 0
	produce := func() {
		var recs []*kgo.Record
		for i := 0; i < batch; i++ {
			id := fmt.Sprintf("rb-%04d", total)
			total++
			recs = append(recs, &kgo.Record{Topic: e.in, Key: []byte(id), Value: article(id, "Words of the article.")})
		}
		kafkatest.Produce(t, e.brokers, recs...)
	}
	outputs := func(rs ...*running) float64 {
		s := 0.0
		for _, r := range rs {
			s += value(r.m.Articles.WithLabelValues(metrics.OutcomeEnriched))
		}
		return s
	}
	produce()
	a := startWith(t, e, "worker-a", 2*time.Millisecond)
	waitFor(t, "worker a under way", 30*time.Second, func() bool { return outputs(a) >= 30 })
	b := startWith(t, e, "worker-b", 2*time.Millisecond)
	// Produce the next batch only once b owns partitions: a alone gets
	// through a batch faster than a real broker completes the rebalance,
	// and then b would have no work left to receive.
	waitFor(t, "worker b assigned partitions", 30*time.Second, func() bool { return b.w.Consumer().Owned() > 0 })
	produce()
	waitFor(t, "worker b received work", 30*time.Second, func() bool { return outputs(b) >= 30 })
	produce()
	// Stop a while it still has records in flight: its partitions move to b.
	if err := a.stop(t); err != nil {
		t.Logf("worker a: %v", err)
	}
	produce()
	waitFor(t, "all offsets committed", 60*time.Second, func() bool {
		return kafkatest.Sum(kafkatest.Committed(t, e.brokers, e.grp, e.in)) == int64(total)
	})
	if err := b.stop(t); err != nil {
		t.Fatalf("worker b: %v", err)
	}
	seen := map[string]int{}
	for _, rec := range kafkatest.Consume(t, e.brokers, e.out, total, 10*time.Second) {
		seen[string(rec.Key)]++
	}
	missing, dups := 0, 0
	for i := 0; i < total; i++ {
		c := seen[fmt.Sprintf("rb-%04d", i)]
		if c == 0 {
			missing++
		}
		dups += max(0, c-1)
	}
	t.Logf("records in %d, missing %d, duplicates %d (a acked %v, b acked %v)", total, missing, dups, outputs(a), outputs(b))
	if missing != 0 {
		t.Fatalf("%d records lost", missing)
	}
}

func TestEventTooLargeToPublishIsDeadLettered(t *testing.T) {
	e := newEnv(t, 1)
	// An input that fits both limits but whose event does not fit the
	// output limit: encoding/json writes each '<' as \u003c, six bytes.
	small := article("small", "fits easily")
	big := []byte(`{"id":"big","body":"` + strings.Repeat("<", 1000) + `"}`)
	kafkatest.Produce(t, e.brokers, &kgo.Record{Topic: e.in, Key: []byte("small"), Value: small},
		&kgo.Record{Topic: e.in, Key: []byte("big"), Value: big})
	r := startWith(t, e, "worker-size", 0, func(c *config.Config) { c.MaxMessageBytes = 3000 })
	waitFor(t, "both records committed", 30*time.Second, func() bool {
		return kafkatest.Sum(kafkatest.Committed(t, e.brokers, e.grp, e.in)) == 2
	})
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	dlq := kafkatest.Consume(t, e.brokers, e.dlq, 1, 10*time.Second)
	if len(dlq) != 1 || string(dlq[0].Key) != "big" || string(dlq[0].Value) != string(big) ||
		headers(dlq[0])[event.HeaderError] != event.ReasonTooLarge {
		t.Fatalf("dead letters: %d, want the big article with reason too_large", len(dlq))
	}
	if out := kafkatest.Consume(t, e.brokers, e.out, 1, 10*time.Second); len(out) != 1 || string(out[0].Key) != "small" {
		t.Fatalf("output: %d records, want the small article", len(out))
	}
}

func TestShutdownDeadlineAbandonsUnpublishedWorkWithoutCommitting(t *testing.T) {
	b := kafkatest.Brokers(t)
	e := env{brokers: b, in: kafkatest.Topic(t, b, "in", 1), dlq: kafkatest.Topic(t, b, "dlq", 1),
		out: kafkatest.Name(t, "missing"), grp: kafkatest.Name(t, "g"), maxBytes: 1 << 20}
	kafkatest.Produce(t, b, &kgo.Record{Topic: e.in, Value: article("a", "x")}, &kgo.Record{Topic: e.in, Value: article("b", "y")})
	r := startWith(t, e, "worker-deadline", 0, func(c *config.Config) { c.ShutdownTimeout = 2 * time.Second })
	waitFor(t, "failed writes", 30*time.Second, func() bool {
		return value(r.m.ProducerErrors.WithLabelValues(e.out)) > 0
	})
	if r.w.Ready() == nil {
		t.Error("ready although the output topic does not exist")
	}
	t0 := time.Now()
	err := r.stop(t)
	t.Logf("shutdown took %v (deadline 2s): %v", time.Since(t0).Round(time.Millisecond), err)
	if err == nil || !strings.Contains(err.Error(), "2 records unpublished") {
		t.Fatalf("Run = %v, want the unpublished records reported", err)
	}
	if n := kafkatest.Sum(kafkatest.Committed(t, b, e.grp, e.in)); n != 0 {
		t.Fatalf("%d offsets committed without output", n)
	}
}

func TestNotReadyWithoutTheInputTopic(t *testing.T) {
	b := kafkatest.Brokers(t)
	e := env{brokers: b, in: kafkatest.Name(t, "missing"), out: kafkatest.Topic(t, b, "out", 1),
		dlq: kafkatest.Topic(t, b, "dlq", 1), grp: kafkatest.Name(t, "g"), maxBytes: 1 << 20}
	r := start(t, e, "worker-noinput")
	waitFor(t, "input topic reported missing", 30*time.Second, func() bool {
		err := r.w.Ready()
		return err != nil && strings.Contains(err.Error(), "does not exist")
	})
	if err := r.stop(t); err != nil {
		t.Fatalf("idle worker did not stop cleanly: %v", err)
	}
}
