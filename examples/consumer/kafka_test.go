package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/kafkatest"
)

// TestConsumeOverKafka runs the example against a broker (kfake unless
// NEWSENRICH_TEST_BROKERS is set): two events in, two printed, both
// committed.
func TestConsumeOverKafka(t *testing.T) {
	if testing.Short() {
		t.Skip("joins a consumer group over the wire (~10 s)")
	}
	brokers := kafkatest.Brokers(t)
	topic := kafkatest.Topic(t, brokers, "enriched", 1)
	group := kafkatest.Name(t, "group")
	for _, id := range []string{"k1", "k2"} {
		b, _ := json.Marshal(event.Enriched{ID: id, Language: "en", Body: "Text.",
			Entities: []event.Entity{}, Quotes: []event.Quote{}, Topics: []event.Topic{}})
		kafkatest.Produce(t, brokers, &kgo.Record{Topic: topic, Key: []byte(id), Value: b,
			Headers: []kgo.RecordHeader{{Key: event.HeaderSchema, Value: []byte(event.SchemaVersion)}}})
	}

	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic, GroupID: group, StartOffset: kafka.FirstOffset})
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := consume(ctx, r, &out, slog.New(slog.DiscardHandler), 2); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, "k1 (en): 0 entities") || !strings.Contains(got, "k2 (en)") {
		t.Errorf("output:\n%s", got)
	}
	if n := kafkatest.Sum(kafkatest.Committed(t, brokers, group, topic)); n != 2 {
		t.Errorf("committed %d records, want 2", n)
	}
}
