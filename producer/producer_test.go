package producer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/embeddedkafka"
	"github.com/newsenrich/newsenrich/internal/kafkatest"
)

type counts struct {
	mu         sync.Mutex
	ok, failed map[string]int
	writer     kafka.WriterStats // sums of the snapshots
}

func newCounts() *counts { return &counts{ok: map[string]int{}, failed: map[string]int{}} }

func (c *counts) Produced(topic string, n int) { c.mu.Lock(); c.ok[topic] += n; c.mu.Unlock() }
func (c *counts) ProduceFailed(topic string, n int) {
	c.mu.Lock()
	c.failed[topic] += n
	c.mu.Unlock()
}
func (c *counts) ObserveWriter(s kafka.WriterStats) {
	c.mu.Lock()
	c.writer.Writes += s.Writes
	c.writer.Messages += s.Messages
	c.writer.Errors += s.Errors
	c.writer.Retries += s.Retries
	c.writer.Dials += s.Dials
	c.mu.Unlock()
}

func (c *counts) get(m map[string]int, topic string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return m[topic]
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestRecordsCarryTheContractHeaders(t *testing.T) {
	p, err := New(Config{Brokers: []string{"127.0.0.1:1"}, OutputTopic: "out", DLQTopic: "dlq"}, quiet(), newCounts())
	if err != nil {
		t.Fatal(err)
	}
	src := Source{Topic: "in", Partition: 2, Offset: 41, Headers: []kafka.Header{{Key: "traceparent", Value: []byte("00-abc-def-01")}, {Key: "other", Value: []byte("x")}}}
	hdr := func(m kafka.Message) map[string]string {
		h := map[string]string{}
		for _, x := range m.Headers {
			h[x.Key] = string(x.Value)
		}
		return h
	}
	ev := p.Enriched("art-1", []byte(`{}`), src)
	h := hdr(ev)
	if ev.Topic != "out" || string(ev.Key) != "art-1" || h[event.HeaderContentType] != "application/json" ||
		h[event.HeaderSchema] != event.SchemaVersion || h[event.HeaderSourceTopic] != "in" ||
		h[event.HeaderSourcePartition] != "2" || h[event.HeaderSourceOffset] != "41" ||
		h[event.HeaderTraceparent] != "00-abc-def-01" || h["other"] != "" {
		t.Fatalf("enriched record: topic %s key %s headers %v", ev.Topic, ev.Key, h)
	}
	orig := []byte("\xff not json at all")
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	dl := p.DeadLetter([]byte("k"), orig, event.ReasonInvalidUTF8, strings.Repeat("d", 5000), src, now)
	h = hdr(dl)
	if dl.Topic != "dlq" || string(dl.Key) != "k" || string(dl.Value) != string(orig) ||
		h[event.HeaderError] != event.ReasonInvalidUTF8 || len(h[event.HeaderErrorDetail]) != 1024 ||
		h[event.HeaderErrorTime] != "2026-01-02T03:04:05Z" || h[event.HeaderSourceOffset] != "41" {
		t.Fatalf("dead letter: topic %s key %s value %q headers %v", dl.Topic, dl.Key, dl.Value, h)
	}
}

func TestWriteRetriesUntilTheTopicIsWritable(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	dlq := kafkatest.Topic(t, brokers, "dlq", 1)
	out := kafkatest.Name(t, "out") // not created yet: writes fail
	c := newCounts()
	p, err := New(Config{Brokers: brokers, OutputTopic: out, DLQTopic: dlq, BackoffMin: 20 * time.Millisecond, BackoffMax: 100 * time.Millisecond}, quiet(), c)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := p.Check(ctx); err == nil {
		t.Fatal("ready while the output topic does not exist")
	}
	done := make(chan error, 1)
	go func() {
		done <- p.Write(ctx, p.Enriched("a", []byte(`{"id":"a"}`), Source{Topic: "in"}), p.Enriched("b", []byte(`{"id":"b"}`), Source{Topic: "in"}))
	}()
	deadline := time.Now().Add(30 * time.Second)
	for c.get(c.failed, out) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no failed attempt counted")
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case err := <-done:
		t.Fatalf("Write returned %v before the topic existed", err)
	default:
	}
	if err := embeddedkafka.CreateTopics(ctx, brokers, 1, out); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Write: %v", err)
	}
	if got := c.get(c.ok, out); got != 2 {
		t.Fatalf("acknowledged %d, want 2", got)
	}
	if err := p.Check(ctx); err != nil {
		t.Fatalf("not ready once topics exist: %v", err)
	}
	if n := len(kafkatest.Consume(t, brokers, out, 2, 10*time.Second)); n != 2 {
		t.Fatalf("topic holds %d records, want 2", n)
	}
}

// Downstream services rely on one key always landing in one partition, and
// on the partition kafka-go's Hash balancer chose before: records written
// with keys go where kafka.Hash puts them, in input order per partition.
func TestWriteSpreadsKeysAsTheHashBalancer(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	out := kafkatest.Topic(t, brokers, "out", 4)
	dlq := kafkatest.Topic(t, brokers, "dlq", 1)
	c := newCounts()
	p, err := New(Config{Brokers: brokers, OutputTopic: out, DLQTopic: dlq}, quiet(), c)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var msgs []kafka.Message
	for i := range 40 {
		id := fmt.Sprintf("article-%d", i%13)
		msgs = append(msgs, p.Enriched(id, fmt.Appendf(nil, `{"n":%d}`, i), Source{Topic: "in", Offset: int64(i)}))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Write(ctx, msgs[:1]...); err != nil { // one record: sent without a hand-off
		t.Fatal(err)
	}
	if err := p.Write(ctx, msgs[1:]...); err != nil { // several partitions at once
		t.Fatal(err)
	}
	got := kafkatest.Consume(t, brokers, out, len(msgs), 10*time.Second)
	if len(got) != len(msgs) {
		t.Fatalf("topic holds %d records, want %d", len(got), len(msgs))
	}
	parts := []int{0, 1, 2, 3}
	last := map[int32]int{}
	for _, r := range got {
		want := (&kafka.Hash{}).Balance(kafka.Message{Key: r.Key}, parts...)
		if int(r.Partition) != want {
			t.Errorf("key %s in partition %d, kafka.Hash says %d", r.Key, r.Partition, want)
		}
		var n int
		if _, err := fmt.Sscanf(string(r.Value), `{"n":%d}`, &n); err != nil {
			t.Fatal(err)
		}
		if prev, ok := last[r.Partition]; ok && n <= prev {
			t.Errorf("partition %d: record %d after %d", r.Partition, n, prev)
		}
		last[r.Partition] = n
	}
	if len(last) < 2 {
		t.Fatalf("all records in %d partition(s): the test needs keys spread", len(last))
	}
}

// The brokers take one produce request's records for a partition as one
// batch and refuse a batch over max.message.bytes, so a write's records for
// one partition are cut into requests of at most MaxMessageBytes.
func TestWriteCutsAPartitionsRecordsAtMaxMessageBytes(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	out := kafkatest.Topic(t, brokers, "out", 1)
	dlq := kafkatest.Topic(t, brokers, "dlq", 1)
	c := newCounts()
	p, err := New(Config{Brokers: brokers, OutputTopic: out, DLQTopic: dlq, MaxMessageBytes: 3000}, quiet(), c)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var msgs []kafka.Message
	for i := range 10 {
		v := fmt.Appendf(nil, `{"n":%d,"pad":"%s"}`, i, strings.Repeat("x", 900))
		msgs = append(msgs, p.Enriched("same-key", v, Source{Topic: "in", Offset: int64(i)}))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Write(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	p.PollStats()
	per := 3000 / Size(msgs[0]) // records that fit in one request
	if want := int64((len(msgs) + per - 1) / per); c.writer.Writes != want || c.writer.Messages != int64(len(msgs)) {
		t.Fatalf("%d requests for %d records, want %d requests for %d", c.writer.Writes, c.writer.Messages, want, len(msgs))
	}
	got := kafkatest.Consume(t, brokers, out, len(msgs), 10*time.Second)
	for i, r := range got {
		if !strings.HasPrefix(string(r.Value), fmt.Sprintf(`{"n":%d,`, i)) {
			t.Fatalf("record %d is %.20s", i, r.Value)
		}
	}
}

func TestWriteGivesUpWhenTheContextEnds(t *testing.T) {
	c := newCounts()
	// Nothing listens on port 1: every attempt fails.
	p, err := New(Config{Brokers: []string{"127.0.0.1:1"}, OutputTopic: "out", DLQTopic: "dlq", BackoffMin: 10 * time.Millisecond}, quiet(), c)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	err = p.Write(ctx, p.Enriched("a", []byte(`{}`), Source{}))
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Write = %v, want a deadline error", err)
	}
	if c.get(c.ok, "out") != 0 || c.get(c.failed, "out") == 0 {
		t.Fatalf("ok %d failed %d", c.get(c.ok, "out"), c.get(c.failed, "out"))
	}
}

func TestWritesFailingPastStuckAfterMakeCheckFail(t *testing.T) {
	c := newCounts()
	p, err := New(Config{Brokers: []string{"127.0.0.1:1"}, OutputTopic: "out", DLQTopic: "dlq",
		BackoffMin: 10 * time.Millisecond, StuckAfter: 200 * time.Millisecond}, quiet(), c)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.Stuck(); err != nil {
		t.Fatalf("stuck before any write: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	_ = p.Write(ctx, p.Enriched("a", []byte(`{}`), Source{}))
	err = p.Stuck()
	if err == nil || !strings.Contains(err.Error(), "writes failing for") {
		t.Fatalf("Stuck = %v after 400ms of failed writes, want an error", err)
	}
	if cerr := p.Check(context.Background()); cerr == nil {
		t.Fatal("Check passed with the producer stuck")
	}
}

func TestPermanentErrorsAreNotRetried(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{kafka.MessageSizeTooLarge, true},
		{kafka.InvalidRecord, true},
		{kafka.NotEnoughReplicas, false},
		{kafka.LeaderNotAvailable, false},
		{errors.New("connection refused"), false},
	} {
		if got := permanent(tc.err); got != tc.want {
			t.Errorf("permanent(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestSummarizeNamesEachErrorOnce(t *testing.T) {
	errs := []error{nil, kafka.MessageSizeTooLarge, kafka.MessageSizeTooLarge, kafka.NotEnoughReplicas}
	got := summarize(errs)
	if strings.Count(got, "Message Size Too Large") != 1 || !strings.Contains(got, "(x2)") {
		t.Fatalf("summarize = %q", got)
	}
}
