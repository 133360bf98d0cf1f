package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/internal/kafkatest"
)

// The replay command wires the worker flags and --from/--to into a replay
// with the real engine; the replay itself is tested in package replay.
func TestReplayCommandWiresFlags(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	in := kafkatest.Topic(t, brokers, "in", 1)
	out := kafkatest.Topic(t, brokers, "out", 1)
	dlq := kafkatest.Topic(t, brokers, "dlq", 1)
	var recs []*kgo.Record
	for i := range 4 {
		id := fmt.Sprintf("r%d", i)
		recs = append(recs, &kgo.Record{Topic: in, Key: []byte(id), Value: []byte(fmt.Sprintf(`{"id":%q,"body":"NATO met in Brussels %d."}`, id, i))})
	}
	kafkatest.Produce(t, brokers, recs...)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stderr bytes.Buffer
	args := []string{"--brokers", strings.Join(brokers, ","), "--input-topic", in, "--output-topic", out,
		"--dlq-topic", dlq, "--from", "1", "--to", "3", "--quiet", "--log-level", "warn"}
	if err := replayCommand(ctx, args, io.Discard, &stderr); err != nil {
		t.Fatalf("replay: %v\n%s", err, stderr.String())
	}
	var got []string
	for _, r := range kafkatest.Consume(t, brokers, out, 2, 10*time.Second) {
		got = append(got, string(r.Key))
	}
	if strings.Join(got, ",") != "r1,r2" || !strings.Contains(stderr.String(), "replayed 2 records: 2 enriched") {
		t.Fatalf("replayed %v\n%s", got, stderr.String())
	}
}

func TestReplayCommandNeedsFrom(t *testing.T) {
	err := replayCommand(context.Background(), []string{"--quiet"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--from is required") {
		t.Fatalf("err = %v", err)
	}
	err = replayCommand(context.Background(), []string{"--from", "yesterday"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "neither an RFC 3339 time") {
		t.Fatalf("err = %v", err)
	}
}
