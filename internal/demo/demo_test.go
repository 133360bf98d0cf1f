package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/engine"
)

func TestDemoAccountsForEveryRecord(t *testing.T) {
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	o := Options{HTTPAddr: "127.0.0.1:0", Limit: 3, LogLevel: "warn", Engine: engine.Default,
		Processor: processor.Config{Version: "test", Model: "test"}, Build: metrics.Build{Version: "test", Model: "test"}}
	if err := Run(ctx, o, &out, io.Discard); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	s := out.String()
	want := "summary: 5 in, 3 enriched, 2 dead-lettered, 5 offsets committed"
	if !strings.Contains(s, want) {
		t.Fatalf("summary missing %q:\n%s", want, s)
	}
	for _, w := range []string{"== seed-nato-rutte-trump", "xx dead letter \"poison-truncated\": invalid_json", "/metrics"} {
		if !strings.Contains(s, w) {
			t.Errorf("output lacks %q", w)
		}
	}
}

func TestDemoRejectsBadOptions(t *testing.T) {
	o := Options{HTTPAddr: "127.0.0.1:0", LogLevel: "loud", Engine: engine.None}
	if err := Run(context.Background(), o, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "log-level") {
		t.Fatalf("bad log level: %v", err)
	}
}

func TestPrintEvent(t *testing.T) {
	ev := event.Enriched{}
	ev.ID, ev.Title, ev.Body = "a1", "", "Mark Rutte met Donald Trump in Florida on Friday."
	ev.Enrichment.DurationSeconds = 0.0021
	ev.Entities = []event.Entity{{Text: "Mark Rutte", Type: event.TypePerson, Count: 2}, {Text: "Florida", Type: event.TypeGPE, Count: 1}}
	ev.Quotes = []event.Quote{{Text: "We talked about NATO", Cue: "said", Speaker: &event.Speaker{Name: "Mark Rutte"}}}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	var w bytes.Buffer
	printEvent(&w, &kgo.Record{Topic: "out", Partition: 1, Offset: 7, Value: b}, false)
	for _, want := range []string{`== a1  "Mark Rutte met Donald Trump in Florida on Friday."`, "9 words, enriched in 2.1 ms, out partition 1 offset 7",
		"PERSON    Mark Rutte (2)", "GPE       Florida", "We talked about NATO\n             -- Mark Rutte (said)", "topics    (none)"} {
		if !strings.Contains(w.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, w.String())
		}
	}
	w.Reset()
	printEvent(&w, &kgo.Record{Topic: "out", Value: []byte("{")}, false)
	if !strings.HasPrefix(w.String(), "!! undecodable event") {
		t.Errorf("undecodable: %q", w.String())
	}
}

func TestPrintDeadLetter(t *testing.T) {
	var w bytes.Buffer
	printDeadLetter(&w, &kgo.Record{Key: []byte("p1"), Value: []byte("{bad"), Headers: []kgo.RecordHeader{
		{Key: event.HeaderError, Value: []byte("invalid_json")}, {Key: event.HeaderErrorDetail, Value: []byte("unexpected end")},
		{Key: event.HeaderSourceTopic, Value: []byte("in")}, {Key: event.HeaderSourcePartition, Value: []byte("0")},
		{Key: event.HeaderSourceOffset, Value: []byte("3")}}})
	want := "xx dead letter \"p1\": invalid_json: unexpected end\n   original 4 bytes kept untouched, from in partition 0 offset 3\n\n"
	if w.String() != want {
		t.Errorf("got %q, want %q", w.String(), want)
	}
}

func TestClip(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"  spaced \n out  ", 20, "spaced out"},
		{"Ça va très bien", 6, "Ça va…"},
	} {
		if got := clip(tc.in, tc.n); got != tc.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
