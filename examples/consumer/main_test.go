package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/segmentio/kafka-go"

	"github.com/newsenrich/newsenrich/event"
)

type fakeReader struct {
	msgs      []kafka.Message
	committed []int64
}

func (f *fakeReader) FetchMessage(ctx context.Context) (kafka.Message, error) {
	if len(f.msgs) == 0 {
		return kafka.Message{}, io.EOF
	}
	m := f.msgs[0]
	f.msgs = f.msgs[1:]
	return m, nil
}

func (f *fakeReader) CommitMessages(ctx context.Context, msgs ...kafka.Message) error {
	for _, m := range msgs {
		f.committed = append(f.committed, m.Offset)
	}
	return nil
}

func msg(offset int64, schema string, v any) kafka.Message {
	b, _ := json.Marshal(v)
	if s, ok := v.(string); ok {
		b = []byte(s)
	}
	return kafka.Message{Offset: offset, Value: b, Headers: []kafka.Header{{Key: event.HeaderSchema, Value: []byte(schema)}}}
}

func TestConsume(t *testing.T) {
	body := "“Yes,” Rutte said."
	good := event.Enriched{
		ID: "a1", Language: "en", Body: body,
		Entities: []event.Entity{{Text: "Rutte", Type: event.TypePerson, Count: 1,
			Mentions: []event.Mention{{Start: 11, End: 16, Text: "Rutte"}}}},
		Quotes: []event.Quote{{Text: "“Yes,”", Start: 0, End: 10, Speaker: &event.Speaker{Name: "Rutte", Entity: 0}}},
		Topics: []event.Topic{},
	}
	broken := good
	broken.Quotes = []event.Quote{{Text: "x", Start: 0, End: 500}}
	r := &fakeReader{msgs: []kafka.Message{
		msg(1, event.SchemaVersion, good),
		msg(2, "2.0", good),                 // future major version: skipped
		msg(3, event.SchemaVersion, broken), // offsets outside body: skipped
		msg(4, event.SchemaVersion, "{not json"),
		msg(5, "", good), // no header: accepted
	}}
	var out, logs bytes.Buffer
	err := consume(context.Background(), r, &out, slog.New(slog.NewTextHandler(&logs, nil)), 5)
	if err != nil {
		t.Fatal(err)
	}
	want := "a1 (en): 1 entities, 1 people, 1 quotes\n  Rutte: “Yes,”\n"
	if out.String() != want+want {
		t.Errorf("output:\n%s\nwant twice:\n%s", out.String(), want)
	}
	if len(r.committed) != 5 {
		t.Errorf("committed %v, want all 5 offsets", r.committed)
	}
	for _, w := range []string{"incompatible schema", "outside the", "invalid character"} {
		if !strings.Contains(logs.String(), w) {
			t.Errorf("logs do not mention %q:\n%s", w, logs.String())
		}
	}
}

func TestConsumeStopsOnFetchError(t *testing.T) {
	r := &fakeReader{}
	if err := consume(context.Background(), r, io.Discard, slog.New(slog.DiscardHandler), 0); !errors.Is(err, io.EOF) {
		t.Errorf("got %v, want the fetch error", err)
	}
}
