package main

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/internal/kafkatest"
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
			args := []string{"--brokers", strings.Join(brokers, ","), "--input-topic", in, "--output-topic", out,
				"--dlq-topic", dlq, "--from", tc.from, "--quiet", "--log-level", "warn"}
			if tc.to != "" {
				args = append(args, "--to", tc.to)
			}
			var progress bytes.Buffer
			if err := replayRun(ctx, args, &progress); err != nil {
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
			want := fmt.Sprintf("%d enriched", len(tc.want))
			if len(tc.want) > 0 && !strings.Contains(progress.String(), want) {
				t.Fatalf("summary lacks %q:\n%s", want, progress.String())
			}
		})
	}
}

func TestReplayNeedsFrom(t *testing.T) {
	err := replayRun(context.Background(), []string{"--quiet"}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "--from is required") {
		t.Fatalf("err = %v", err)
	}
	err = replayRun(context.Background(), []string{"--from", "yesterday"}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "neither an RFC 3339 time") {
		t.Fatalf("err = %v", err)
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
	args := []string{"--brokers", strings.Join(brokers, ","), "--input-topic", in, "--output-topic", out,
		"--dlq-topic", dlq, "--from", "0", "--quiet", "--log-level", "warn"}
	if err := replayRun(ctx, args, &progress); err != nil {
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
