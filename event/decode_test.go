package event_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/event"
)

const sample = `{
  "id": "a1", "language": "en", "title": "Talks",
  "body": "Mark Rutte met Donald Trump. “We talk,” Rutte said.",
  "entities": [
    {"text": "Mark Rutte", "type": "PERSON", "count": 2, "salience": 0.6,
     "mentions": [{"start": 0, "end": 10, "text": "Mark Rutte"}, {"start": 44, "end": 49, "text": "Rutte"}]},
    {"text": "Donald Trump", "type": "PERSON", "count": 1, "salience": 0.4,
     "mentions": [{"start": 15, "end": 27, "text": "Donald Trump"}]}
  ],
  "quotes": [{"text": "“We talk,”", "start": 29, "end": 43,
              "speaker": {"name": "Mark Rutte", "entity": 0, "mention": {"start": 44, "end": 49, "text": "Rutte"}}, "cue": "said"}],
  "topics": [{"code": "medtop:11000000", "label": "politics", "score": 0.9}],
  "enrichment": {"version": "v1", "model": "m1", "duration_seconds": 0.001, "processed_at": "2026-11-23T10:00:00Z"},
  "field_from_a_newer_version": true
}`

func ExampleDecodeEnriched() {
	e, err := event.DecodeEnriched([]byte(sample))
	if err != nil {
		fmt.Println("skip record:", err)
		return
	}
	for _, ent := range e.Entities {
		for _, m := range ent.Mentions {
			// Offsets are UTF-8 byte offsets into Body; Validate made
			// slicing safe.
			fmt.Printf("%s %s at %d: %q\n", ent.Type, ent.Text, m.Start, e.Body[m.Start:m.End])
		}
	}
	for _, q := range e.Quotes {
		fmt.Printf("quote %s by %s\n", e.Body[q.Start:q.End], q.Speaker.Name)
	}
	// Output:
	// PERSON Mark Rutte at 0: "Mark Rutte"
	// PERSON Mark Rutte at 44: "Rutte"
	// PERSON Donald Trump at 15: "Donald Trump"
	// quote “We talk,” by Mark Rutte
}

func ExampleSchemaCompatible() {
	fmt.Println(event.SchemaCompatible("1.3"), event.SchemaCompatible("2.0"))
	// Output: true false
}

func TestSampleOffsetsAreRight(t *testing.T) {
	e, err := event.DecodeEnriched([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	for _, ent := range e.Entities {
		for _, m := range ent.Mentions {
			if e.Body[m.Start:m.End] != m.Text {
				t.Errorf("mention %+v does not match body %q", m, e.Body[m.Start:m.End])
			}
		}
	}
	if q := e.Quotes[0]; e.Body[q.Start:q.End] != q.Text {
		t.Errorf("quote %q != %q", e.Body[q.Start:q.End], q.Text)
	}
}

func TestDecodeEnrichedRejects(t *testing.T) {
	tests := []struct {
		name, from, to, want string
	}{
		{"not json", `{`, `[`, "decode enriched"},
		{"no id", `"id": "a1"`, `"id": ""`, "id is empty"},
		{"no language", `"language": "en"`, `"language": ""`, "language is empty"},
		{"mention past body", `"start": 15, "end": 27`, `"start": 15, "end": 999`, "outside the"},
		{"negative start", `"start": 0, "end": 10`, `"start": -1, "end": 10`, "outside the"},
		{"end before start", `"start": 0, "end": 10`, `"start": 9, "end": 2`, "outside the"},
		{"split character", `"start": 29, "end": 43`, `"start": 30, "end": 43`, "splits a UTF-8 character"},
		{"speaker index", `"entity": 0`, `"entity": 5`, "speaker.entity 5"},
		{"speaker mention", `"mention": {"start": 44, "end": 49`, `"mention": {"start": 44, "end": 490`, "speaker.mention"},
		{"entity without type", `"type": "PERSON", "count": 1`, `"type": "", "count": 1`, "entities[1]"},
		{"topic code", `"medtop:11000000"`, `"11000000"`, "not a medtop: code"},
		{"wrong type", `"count": 2`, `"count": "two"`, "decode enriched"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.Replace(sample, tt.from, tt.to, 1)
			if in == sample {
				t.Fatalf("replacement %q not found", tt.from)
			}
			_, err := event.DecodeEnriched([]byte(in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want error containing %q", err, tt.want)
			}
			var se *json.SyntaxError
			var te *json.UnmarshalTypeError
			if !errors.Is(err, event.ErrInvalidEvent) && !errors.As(err, &se) && !errors.As(err, &te) {
				t.Errorf("error %v is neither ErrInvalidEvent nor a JSON error", err)
			}
		})
	}
}

func TestSchemaCompatible(t *testing.T) {
	for v, want := range map[string]bool{"": true, "1.0": true, "1.7": true, "1": true, "2.0": false, "0.9": false, "10.0": false} {
		if got := event.SchemaCompatible(v); got != want {
			t.Errorf("SchemaCompatible(%q) = %v, want %v", v, got, want)
		}
	}
}
