package replay

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/internal/kafkatest"
	"github.com/newsenrich/newsenrich/internal/pipeline"
	"github.com/newsenrich/newsenrich/internal/redrive"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/engine"
)

func TestReplayTimeAndOffsetRanges(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	in := kafkatest.Topic(t, brokers, "in", 2)
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	recent := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var recs []*kgo.Record
	for i := 0; i < 6; i++ {
		id := fmt.Sprintf("old-%d", i)
		recs = append(recs, &kgo.Record{Topic: in, Partition: int32(i % 2), Key: []byte(id), Timestamp: old,
			Value: []byte(fmt.Sprintf(`{"id":%q,"body":"Old news %d."}`, id, i))})
	}
	for i := 0; i < 6; i++ {
		id := fmt.Sprintf("new-%d", i)
		recs = append(recs, &kgo.Record{Topic: in, Partition: int32(i % 2), Key: []byte(id), Timestamp: recent,
			Value: []byte(fmt.Sprintf(`{"id":%q,"body":"New news %d."}`, id, i))})
	}
	recs = append(recs, &kgo.Record{Topic: in, Partition: 1, Key: []byte("bad"), Timestamp: recent, Value: []byte(`{"id":`)})
	cl := kafkatest.Client(t, brokers, kgo.RecordPartitioner(kgo.ManualPartitioner()))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		from, to string
		want     []string
		dead     int
	}{
		{"from a time to the end", "2022-01-01T00:00:00Z", "", []string{"new-0", "new-1", "new-2", "new-3", "new-4", "new-5"}, 1},
		{"offsets up to a time", "0", "2022-01-01T00:00:00Z", []string{"old-0", "old-1", "old-2", "old-3", "old-4", "old-5"}, 0},
		{"offset range", "3", "4", []string{"new-0", "new-1"}, 0}, // offset 3 on each partition: the 4th record
		{"after the end", "2030-01-01T00:00:00Z", "", nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := kafkatest.Topic(t, brokers, "out", 1)
			dlq := kafkatest.Topic(t, brokers, "dlq", 1)
			cfg := testConfig(brokers, in, out, dlq)
			if err := cfg.From.Set(tc.from); err != nil {
				t.Fatal(err)
			}
			if tc.to != "" {
				if err := cfg.To.Set(tc.to); err != nil {
					t.Fatal(err)
				}
			}
			var progress bytes.Buffer
			sum, err := Run(ctx, cfg, nonePipeline(t), slog.New(slog.DiscardHandler), testMetrics(), &progress)
			if err != nil {
				t.Fatalf("replay: %v\n%s", err, progress.String())
			}
			var got []string
			for _, r := range kafkatest.Consume(t, brokers, out, len(tc.want), 10*time.Second) {
				got = append(got, string(r.Key))
			}
			sort.Strings(got)
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("replayed %v, want %v\n%s", got, tc.want, progress.String())
			}
			if tc.dead > 0 {
				if n := len(kafkatest.Consume(t, brokers, dlq, tc.dead, 10*time.Second)); n != tc.dead {
					t.Fatalf("%d dead letters, want %d", n, tc.dead)
				}
			}
			if sum.Enriched != int64(len(tc.want)) || sum.DeadLettered != int64(tc.dead) {
				t.Fatalf("summary %+v, want %d enriched and %d dead-lettered", sum, len(tc.want), tc.dead)
			}
			want := fmt.Sprintf("%d enriched", len(tc.want))
			if len(tc.want) > 0 && !strings.Contains(progress.String(), want) {
				t.Fatalf("summary lacks %q:\n%s", want, progress.String())
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	cfg := testConfig([]string{"127.0.0.1:9092"}, "in", "out", "dlq")
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "--from is required") {
		t.Fatalf("no --from: %v", err)
	}
	cfg.From = Offset(0)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	cfg.Concurrency, cfg.DLQTopic = 0, ""
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "concurrency") || !strings.Contains(err.Error(), "topics") {
		t.Fatalf("bad config: %v", err)
	}
}

func TestPointParsesTimesAndOffsets(t *testing.T) {
	tests := []struct {
		in, want string
		bad      bool
	}{
		{"2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z", false},
		{" 42 ", "42", false},
		{"0", "0", false},
		{"-1", "", true},
		{"yesterday", "", true},
	}
	for _, tc := range tests {
		var p Point
		err := p.Set(tc.in)
		if tc.bad {
			if err == nil || !strings.Contains(err.Error(), "neither an RFC 3339 time") {
				t.Errorf("%q: err = %v", tc.in, err)
			}
			continue
		}
		if err != nil || !p.IsSet() || p.String() != tc.want {
			t.Errorf("%q: %q (set %v), err %v; want %q", tc.in, p.String(), p.IsSet(), err, tc.want)
		}
	}
	var unset Point
	if unset.IsSet() || unset.String() != "" {
		t.Errorf("zero point: %q", unset.String())
	}
}

func TestDescribe(t *testing.T) {
	got := Describe([]redrive.Range{{Partition: 0, Start: 3, End: 7}, {Partition: 1, Start: 0, End: 5}})
	if got != "p0 3..7, p1 0..5" {
		t.Errorf("Describe = %q", got)
	}
}

// Replay reads read_committed, like the worker: transaction markers and
// records of aborted transactions are neither enriched nor dead-lettered.
func TestReplaySkipsMarkersAndAbortedRecords(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	in := kafkatest.Topic(t, brokers, "in", 1)
	out := kafkatest.Topic(t, brokers, "out", 1)
	dlq := kafkatest.Topic(t, brokers, "dlq", 1)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	txn := kafkatest.Client(t, brokers, kgo.TransactionalID(kafkatest.Name(t, "txn")), kgo.DefaultProduceTopic(in))
	for _, tx := range []struct {
		commit bool
		ids    []string
	}{{true, []string{"c1", "c2"}}, {false, []string{"a1", "a2"}}, {true, []string{"c3"}}} {
		if err := txn.BeginTransaction(); err != nil {
			t.Fatal(err)
		}
		for _, id := range tx.ids {
			v := []byte(fmt.Sprintf(`{"id":%q,"body":"News %s."}`, id, id))
			if err := txn.ProduceSync(ctx, &kgo.Record{Key: []byte(id), Value: v}).FirstErr(); err != nil {
				t.Fatal(err)
			}
		}
		if err := txn.EndTransaction(ctx, kgo.TransactionEndTry(tx.commit)); err != nil {
			t.Fatal(err)
		}
	}
	var progress bytes.Buffer
	cfg := testConfig(brokers, in, out, dlq)
	cfg.From = Offset(0)
	if _, err := Run(ctx, cfg, nonePipeline(t), slog.New(slog.DiscardHandler), testMetrics(), &progress); err != nil {
		t.Fatalf("replay: %v\n%s", err, progress.String())
	}
	var got []string
	for _, r := range kafkatest.Consume(t, brokers, out, 3, 10*time.Second) {
		got = append(got, string(r.Key))
	}
	if strings.Join(got, ",") != "c1,c2,c3" {
		t.Fatalf("replayed %v, want [c1 c2 c3]\n%s", got, progress.String())
	}
	if !strings.Contains(progress.String(), "3 enriched") || !strings.Contains(progress.String(), "0 dead-lettered") {
		t.Fatalf("summary:\n%s", progress.String())
	}
}

func testConfig(brokers []string, in, out, dlq string) Config {
	return Config{Brokers: brokers, InputTopic: in, OutputTopic: out, DLQTopic: dlq, Concurrency: 2, Quiet: true}
}

func testMetrics() *metrics.Metrics {
	return metrics.New(metrics.Topics{Input: "in", Output: "out", DLQ: "dlq"}, metrics.Build{Version: "test", Model: "test"})
}

// nonePipeline enriches with no NLP stages: what is under test is reading
// the ranges and writing the outputs, not the models.
func nonePipeline(t *testing.T) NewPipeline {
	return func() (*pipeline.Pipeline, error) {
		proc, err := engine.Build(engine.None, processor.Config{Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return pipeline.New(proc, pipeline.Config{MaxBytes: 1 << 20}, nil)
	}
}
