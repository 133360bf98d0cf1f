package pipeline

import (
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/segmentio/kafka-go"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/samples"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/decode"
	"github.com/newsenrich/newsenrich/processor/engine"
	"github.com/newsenrich/newsenrich/producer"
)

const (
	french = "Le conseil municipal s'est réuni lundi soir pour voter le budget de l'année prochaine. " +
		"La maire a déclaré que les impôts locaux ne seraient pas augmentés cette année."
	german = "Der Stadtrat hat am Montagabend den Haushalt für das kommende Jahr beschlossen. " +
		"Die Bürgermeisterin sagte, die Steuern würden in diesem Jahr nicht erhöht."
	english = "The city council met on Monday evening to vote on next year's budget. " +
		"The mayor said local taxes would not be raised this year."
)

type counts struct {
	mu       sync.Mutex
	warnings map[string]int
	other    map[string]int
}

func (c *counts) Warning(f string) { c.mu.Lock(); c.warnings[f]++; c.mu.Unlock() }
func (c *counts) OtherLanguageHandled(a string) {
	c.mu.Lock()
	c.other[a]++
	c.mu.Unlock()
}

func newPipeline(t testing.TB, policy Policy) (*Pipeline, *counts) {
	t.Helper()
	proc := processor.New(processor.Config{Decode: decode.Limits{MaxBytes: 1 << 20}, Version: "v", Model: "m"}, nil, nil, nil)
	c := &counts{warnings: map[string]int{}, other: map[string]int{}}
	pl, err := New(proc, Config{MaxBytes: 1 << 20, Languages: []string{"en"}, OtherLanguages: policy}, c)
	if err != nil {
		t.Fatal(err)
	}
	return pl, c
}

func record(id, body, extra string) []byte {
	b, _ := json.Marshal(map[string]string{"id": id, "body": body})
	if extra != "" {
		b = append(b[:len(b)-1], ","+extra+"}"...)
	}
	return b
}

func TestDetectLanguage(t *testing.T) {
	for text, want := range map[string]string{french: "fr", german: "de", english: "en", "T": ""} {
		if got := DetectLanguage(text); got != want {
			t.Errorf("DetectLanguage(%.30q) = %q, want %q", text, got, want)
		}
	}
}

// Every sample article, its language removed, is detected as English.
func TestDetectSampleArticles(t *testing.T) {
	for _, a := range samples.WikinewsArticles() {
		if got := DetectLanguage(a.Title + "\n" + a.Body); got != "en" {
			t.Errorf("%s: detected %q", a.ID, got)
		}
	}
}

func TestLanguagePolicy(t *testing.T) {
	tests := []struct {
		policy  Policy
		outcome string
		action  string
	}{
		{PolicyPass, metrics.OutcomePassed, metrics.ActionPassed},
		{PolicyDeadLetter, metrics.OutcomeDeadLetter, metrics.ActionDeadLetter},
		{PolicyDrop, metrics.OutcomeDropped, metrics.ActionDropped},
	}
	for _, tc := range tests {
		t.Run(string(tc.policy), func(t *testing.T) {
			pl, c := newPipeline(t, tc.policy)
			for _, raw := range [][]byte{record("fr", french, ""), record("de", german, `"language":"ger"`)} {
				r := pl.Process(raw, nil)
				if r.Outcome != tc.outcome {
					t.Fatalf("outcome %s, want %s (%+v)", r.Outcome, tc.outcome, r)
				}
				switch tc.policy {
				case PolicyPass:
					if r.Event == nil || r.Event.Enrichment.Skipped == "" || len(r.Event.Entities) != 0 || r.Event.Body == "" {
						t.Errorf("passed event %+v", r.Event)
					}
				case PolicyDeadLetter:
					if r.Reason != event.ReasonUnsupportedLanguage || !strings.Contains(r.Detail, "not one the engine enriches") {
						t.Errorf("dead letter %s: %s", r.Reason, r.Detail)
					}
				}
			}
			if c.other[tc.action] != 2 {
				t.Errorf("counted %v, want 2 %s", c.other, tc.action)
			}
			r := pl.Process(record("en", english, ""), nil)
			if r.Outcome != metrics.OutcomeEnriched || r.Event.Language != "en" || r.Event.Enrichment.Skipped != "" {
				t.Errorf("English article: %+v", r)
			}
		})
	}
}

func TestProcessKeepsMetadataAndCountsWarnings(t *testing.T) {
	pl, c := newPipeline(t, PolicyPass)
	r := pl.Process(record("x", english, `"published_at":"2019-01-26","language":"English","authors":[{"name":"Jo"},7],"source":{"name":"Wire"}`), nil)
	if r.Outcome != metrics.OutcomeEnriched {
		t.Fatalf("%+v", r)
	}
	ev := r.Event
	if ev.PublishedAt != "2019-01-26T00:00:00Z" || ev.PublishedAtRaw != "2019-01-26" || ev.Language != "en" ||
		ev.Source != "Wire" || len(ev.Authors) != 1 || len(ev.Warnings) != 1 || ev.Enrichment.ProcessedAt == "" {
		t.Errorf("event %+v", ev)
	}
	if c.warnings[decode.FieldAuthors] != 1 {
		t.Errorf("warnings counted %v", c.warnings)
	}
	// Absent language: detected, and the default when detection is unsure.
	if r := pl.Process(record("short", "T", ""), nil); r.Event == nil || r.Event.Language != DefaultLanguage {
		t.Errorf("short article: %+v", r)
	}
}

func TestRecord(t *testing.T) {
	pl, _ := newPipeline(t, PolicyDrop)
	prod, err := producer.New(producer.Config{Brokers: []string{"127.0.0.1:1"}, OutputTopic: "out", DLQTopic: "dlq", MaxMessageBytes: 1 << 20},
		slog.New(slog.NewTextHandler(io.Discard, nil)), metrics.New(metrics.Topics{}, metrics.Build{}))
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	redriven := kafka.Header{Key: event.HeaderRedriveCount, Value: []byte("2")}
	msg := func(v []byte) kafka.Message {
		return kafka.Message{Topic: "in", Partition: 1, Offset: 7, Key: []byte("k"), Value: v, Headers: []kafka.Header{redriven}}
	}
	o := pl.Record(prod, msg(record("a", english, "")), nil)
	if o.Outcome != metrics.OutcomeEnriched || o.Record.Topic != "out" || string(o.Record.Key) != "a" || o.Words == 0 {
		t.Errorf("enriched: %+v", o)
	}
	o = pl.Record(prod, msg([]byte(`{"id":"b"}`)), nil)
	if o.Outcome != metrics.OutcomeDeadLetter || o.Record.Topic != "dlq" || string(o.Record.Value) != `{"id":"b"}` {
		t.Errorf("dead letter: %+v", o)
	}
	var kept bool
	for _, h := range o.Record.Headers {
		kept = kept || (h.Key == redriven.Key && string(h.Value) == "2")
	}
	if !kept {
		t.Errorf("dead letter lost the re-drive count: %v", o.Record.Headers)
	}
	if o = pl.Record(prod, msg(record("c", french, "")), nil); o.Outcome != metrics.OutcomeDropped || o.Record.Topic != "" {
		t.Errorf("dropped: %+v", o)
	}
}

func TestParsePolicy(t *testing.T) {
	for _, s := range []string{"pass", "dead-letter", "DROP"} {
		if _, err := ParsePolicy(s); err != nil {
			t.Error(err)
		}
	}
	if _, err := ParsePolicy("skip"); err == nil {
		t.Error("skip accepted")
	}
	if err := (Config{OtherLanguages: "skip"}).Validate(); err == nil {
		t.Error("bad policy validated")
	}
}

// BenchmarkDetectLanguage measures language detection per article (it
// reads at most detectBytes of the body) beside a decode and a full
// default-engine enrichment of the same records, on the sample articles.
func BenchmarkDetectLanguage(b *testing.B) {
	arts := samples.WikinewsArticles()
	b.Run("detect", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			a := arts[i%len(arts)]
			DetectLanguage(a.Title + "\n" + a.Body)
		}
	})
	recs := samples.Wikinews()
	b.Run("decode", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			_, _ = decode.Decode(recs[i%len(recs)], decode.Limits{})
		}
	})
	proc, err := engine.New(processor.Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("enrich-default-engine", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			_, _ = proc.Enrich(arts[i%len(arts)], nil)
		}
	})
}
