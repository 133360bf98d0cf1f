package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/decode"
)

func mustCompile(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	s, err := Compile(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, doc []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("test document is not JSON: %v\n%s", err, doc)
	}
	return s.Validate(v)
}

func rawSchema(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSchemasAreVersioned(t *testing.T) {
	for _, name := range []string{Article, Enriched, DeadLetter} {
		t.Run(name, func(t *testing.T) {
			mustCompile(t, name)
			m := rawSchema(t, name)
			if m["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
				t.Errorf("$schema = %v", m["$schema"])
			}
			if m["$id"] != BaseURI+name {
				t.Errorf("$id = %v, want %s", m["$id"], BaseURI+name)
			}
			if m["x-newsenrich-version"] != event.SchemaVersion {
				t.Errorf("x-newsenrich-version = %v, event.SchemaVersion = %s: bump both together", m["x-newsenrich-version"], event.SchemaVersion)
			}
			if d, _ := m["description"].(string); !strings.Contains(d, "version "+event.SchemaVersion) {
				t.Errorf("description does not state contract version %s", event.SchemaVersion)
			}
		})
	}
	if d := rawSchema(t, Enriched)["description"].(string); !strings.Contains(d, "UTF-8 BYTE OFFSETS INTO body") {
		t.Error("enriched schema must say that offsets are UTF-8 byte offsets into body")
	}
}

// The article schema and the decoder must agree on what is acceptable
// (for everything a schema can express).
func TestArticleSchemaAgreesWithDecoder(t *testing.T) {
	s := mustCompile(t, Article)
	seed, err := os.ReadFile(filepath.Join("testdata", "seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		doc  string
		ok   bool
	}{
		{"seed article", string(seed), true},
		{"minimal", `{"id":"a","body":"T"}`, true},
		{"numeric id", `{"id":42,"body":"T"}`, true},
		{"html only", `{"id":"a","body_html":"<p>T</p>"}`, true},
		{"all fields and extras", `{"id":"a","title":"t","body":"T","language":"en-GB","source":"s","url":"u","published_at":"2026-11-23T06:15:00+01:00","authors":["x"],"extra":{"k":1}}`, true},
		{"nulls", `{"id":"a","body":"T","title":null,"language":null,"published_at":null,"authors":null}`, true},
		{"author string", `{"id":"a","body":"T","authors":"Jo"}`, true},
		{"ninjs 1.x", `{"uri":"u","headline":"h","body_text":"T","versioncreated":"2026-01-01T00:00:00Z","byline":"Jo"}`, true},
		{"ninjs 2.x", `{"uri":"u","headlines":[{"role":"main","value":"h"}],"bodies":[{"role":"main","contenttype":"text/plain","value":"T"}],"by":"Jo"}`, true},
		{"ninjs 3.x camelCase", `{"uri":"u","versionCreated":"2026-01-01T00:00:00Z","bodies":[{"contentType":"text/plain","value":"T"}]}`, true},
		{"no id", `{"body":"T"}`, false},
		{"blank id", `{"id":" ","body":"T"}`, false},
		{"id boolean", `{"id":true,"body":"T"}`, false},
		{"no body", `{"id":"a","title":"t"}`, false},
		{"blank body", `{"id":"a","body":"  "}`, false},
		{"body number", `{"id":"a","body":5}`, false},
		{"title number", `{"id":"a","body":"T","title":5}`, true},
		// Metadata is read liberally: what cannot be read is a warning.
		{"bad published_at", `{"id":"a","body":"T","published_at":"yesterday"}`, true},
		{"plain date", `{"id":"a","body":"T","published_at":"2019-01-26"}`, true},
		{"epoch published_at", `{"id":"a","body":"T","published_at":1549533600}`, true},
		{"bad language", `{"id":"a","body":"T","language":"english please"}`, true},
		{"language name", `{"id":"a","body":"T","language":"French"}`, true},
		{"authors numbers", `{"id":"a","body":"T","authors":[1]}`, true},
		{"authors objects", `{"id":"a","body":"T","authors":[{"name":"Jo"}]}`, true},
		{"source object", `{"id":"a","body":"T","source":{"name":"Wire","url":"https://example.com"}}`, true},
		{"ninjs without uri", `{"headline":"h","body_text":"T"}`, false},
		{"ninjs without body", `{"uri":"u","headline":"h"}`, false},
		{"ninjs bad bodies", `{"uri":"u","bodies":"T"}`, false},
		{"not an object", `["a"]`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validate(t, s, []byte(tt.doc))
			if (err == nil) != tt.ok {
				t.Errorf("schema valid = %v, want %v: %v", err == nil, tt.ok, err)
			}
			_, derr := decode.Decode([]byte(tt.doc), decode.Limits{})
			if (derr == nil) != tt.ok {
				t.Errorf("decoder ok = %v, want %v: %v", derr == nil, tt.ok, derr)
			}
		})
	}
}

// fullEvent sets every field of every type, so the schema sees each one.
func fullEvent() event.Enriched {
	body := "Mark Rutte met Donald Trump. “We talk,” Rutte said."
	mention := event.Mention{Start: 44, End: 49, Text: "Rutte"}
	return event.Enriched{
		ID: "a1", Title: "Talks", Source: "Example Wire", URL: "https://news.example.com/a1",
		PublishedAt: "2026-11-23T05:15:00Z", PublishedAtRaw: "2026-11-23T06:15:00+01:00", Language: "en", Authors: []string{"Jo Smith"},
		Warnings: []event.Warning{{Field: "authors", Value: "42", Why: "entry is neither a name nor an object with a name; left out"}},
		Body:     body,
		Entities: []event.Entity{
			{Text: "Mark Rutte", Type: event.TypePerson, Count: 2, Salience: 0.6, Wikidata: "Q57792",
				Mentions: []event.Mention{{Start: 0, End: 10, Text: "Mark Rutte"}, mention}},
			{Text: "Donald Trump", Type: event.TypePerson, Count: 1, Salience: 0.4,
				Mentions: []event.Mention{{Start: 15, End: 27, Text: "Donald Trump"}}},
		},
		Quotes: []event.Quote{{Text: "“We talk,”", Start: 29, End: 43,
			Speaker: &event.Speaker{Name: "Mark Rutte", Entity: 0, Mention: &mention}, Cue: "said"}},
		Topics:      []event.Topic{{Code: "medtop:11000000", Label: "politics", Score: 0.92}},
		Passthrough: json.RawMessage(`{"priority":3}`),
		Enrichment:  event.Enrichment{Version: "v1.0.0", Model: "prose-v2+rules-1", DurationSeconds: 0.0004, ProcessedAt: "2026-11-23T10:00:00.123Z", Skipped: ""},
	}
}

func TestEnrichedSchemaValidatesGoEvents(t *testing.T) {
	s := mustCompile(t, Enriched)
	full := fullEvent()
	if err := full.Validate(); err != nil {
		t.Fatalf("the test event itself is wrong: %v", err)
	}

	// An event with no entities etc., made by the real processor from the
	// seed article (stages nil), as the worker would publish it.
	seed, err := os.ReadFile(filepath.Join("testdata", "seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := processor.New(processor.Config{Version: "test", Model: "none"}, nil, nil, nil)
	fromSeed, err := p.Process(seed, nil)
	if err != nil {
		t.Fatal(err)
	}
	fromSeed.Enrichment.ProcessedAt = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC).Format(time.RFC3339Nano)

	// Producers always write arrays, never null, for entities, quotes and
	// topics (the processor initialises them).
	minimal := event.Enriched{ID: "a", Language: "en", Body: "T",
		Entities: []event.Entity{}, Quotes: []event.Quote{}, Topics: []event.Topic{},
		Enrichment: event.Enrichment{ProcessedAt: "2026-11-23T10:00:00Z"}}

	for name, ev := range map[string]event.Enriched{"full": full, "from seed": fromSeed, "minimal": minimal} {
		t.Run(name, func(t *testing.T) {
			b, err := json.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(t, s, b); err != nil {
				t.Errorf("%v\n%s", err, b)
			}
			back, err := event.DecodeEnriched(b)
			if err != nil {
				t.Fatalf("DecodeEnriched: %v", err)
			}
			if name == "full" && !reflect.DeepEqual(back, ev) {
				t.Errorf("round trip changed the event:\n got %+v\nwant %+v", back, ev)
			}
		})
	}

	// The schema must be able to fail.
	bad := map[string]func(*event.Enriched){
		"empty id":           func(e *event.Enriched) { e.ID = "" },
		"unknown type":       func(e *event.Enriched) { e.Entities[0].Type = "PER" },
		"negative offset":    func(e *event.Enriched) { e.Entities[0].Mentions[0].Start = -1 },
		"salience above 1":   func(e *event.Enriched) { e.Entities[0].Salience = 1.5 },
		"topic code":         func(e *event.Enriched) { e.Topics[0].Code = "politics" },
		"speaker entity -2":  func(e *event.Enriched) { e.Quotes[0].Speaker.Entity = -2 },
		"processed_at blank": func(e *event.Enriched) { e.Enrichment.ProcessedAt = "" },
		"published_at":       func(e *event.Enriched) { e.PublishedAt = "Monday" },
	}
	for name, mutate := range bad {
		t.Run("rejects "+name, func(t *testing.T) {
			ev := fullEvent()
			mutate(&ev)
			b, _ := json.Marshal(ev)
			if err := validate(t, s, b); err == nil {
				t.Errorf("schema accepted %s", b)
			}
		})
	}
}

// TestEnrichedSchemaMatchesGoTypes walks event.Enriched and the schema
// together: every JSON field of the Go types is a schema property and vice
// versa, and a property is required exactly when its Go field has no
// omitempty. A field added on one side only fails here.
func TestEnrichedSchemaMatchesGoTypes(t *testing.T) {
	root := rawSchema(t, Enriched)
	resolve := func(node map[string]any) map[string]any {
		for {
			ref, ok := node["$ref"].(string)
			if !ok {
				return node
			}
			name := strings.TrimPrefix(ref, "#/$defs/")
			node = root["$defs"].(map[string]any)[name].(map[string]any)
		}
	}
	var walk func(path string, typ reflect.Type, node map[string]any)
	walk = func(path string, typ reflect.Type, node map[string]any) {
		node = resolve(node)
		if typ == reflect.TypeFor[json.RawMessage]() {
			if node["type"] != "object" {
				t.Errorf("%s: raw JSON passthrough should be an object in the schema", path)
			}
			return
		}
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			if typ.Kind() == reflect.Slice {
				items, ok := node["items"].(map[string]any)
				if !ok {
					t.Errorf("%s: Go slice but schema has no items", path)
					return
				}
				node = resolve(items)
				path += "[]"
			}
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct {
			return
		}
		props, _ := node["properties"].(map[string]any)
		var required []string
		for _, r := range node["required"].([]any) {
			required = append(required, r.(string))
		}
		var goFields, goRequired []string
		for f := range typ.Fields() {
			tag := f.Tag.Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			goFields = append(goFields, name)
			if !strings.Contains(opts, "omitempty") {
				goRequired = append(goRequired, name)
			}
			p, ok := props[name].(map[string]any)
			if !ok {
				t.Errorf("%s.%s: Go field %s is not in the schema", path, name, f.Name)
				continue
			}
			walk(path+"."+name, f.Type, p)
		}
		for name := range props {
			if !slices.Contains(goFields, name) {
				t.Errorf("%s.%s: schema property has no Go field", path, name)
			}
		}
		sort.Strings(required)
		sort.Strings(goRequired)
		if !slices.Equal(required, goRequired) {
			t.Errorf("%s: schema requires %v, Go (fields without omitempty) %v", path, required, goRequired)
		}
	}
	walk("enriched", reflect.TypeFor[event.Enriched](), root)

	// The entity type enum lists exactly the event.Type* constants.
	ent := root["$defs"].(map[string]any)["entity"].(map[string]any)
	var enum []string
	for _, v := range ent["properties"].(map[string]any)["type"].(map[string]any)["enum"].([]any) {
		enum = append(enum, v.(string))
	}
	want := []string{event.TypePerson, event.TypeOrg, event.TypeGPE, event.TypeLoc, event.TypeNORP, event.TypeFac, event.TypeEvent, event.TypeMisc}
	if !slices.Equal(enum, want) {
		t.Errorf("entity type enum %v, event constants %v", enum, want)
	}
}

func deadLetterHeaders() map[string]string {
	return map[string]string{
		event.HeaderError:           event.ReasonInvalidField,
		event.HeaderErrorDetail:     `published_at "23 Nov 2026" is not an RFC 3339 timestamp`,
		event.HeaderErrorTime:       time.Date(2026, 11, 23, 10, 0, 0, 123456789, time.UTC).Format(time.RFC3339Nano),
		event.HeaderSourceTopic:     "articles.raw",
		event.HeaderSourcePartition: "3",
		event.HeaderSourceOffset:    "1042",
		event.HeaderTraceparent:     "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
	}
}

func TestDeadLetterSchema(t *testing.T) {
	s := mustCompile(t, DeadLetter)
	ok := deadLetterHeaders()
	b, _ := json.Marshal(ok)
	if err := validate(t, s, b); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	// Every reason the code can produce is allowed, and only those.
	reasons := []string{event.ReasonInvalidJSON, event.ReasonInvalidUTF8, event.ReasonMissingField, event.ReasonInvalidField,
		event.ReasonTooLarge, event.ReasonUnsupportedLanguage, event.ReasonUnsupportedFormat, event.ReasonEnrichmentFailed}
	var enum []string
	for _, v := range rawSchema(t, DeadLetter)["properties"].(map[string]any)[event.HeaderError].(map[string]any)["enum"].([]any) {
		enum = append(enum, v.(string))
	}
	if !slices.Equal(enum, reasons) {
		t.Errorf("reason enum %v, event constants %v", enum, reasons)
	}
	// Details the decoder produces fit the header schema.
	_, err := decode.Decode([]byte(`{"id":"`+strings.Repeat("ab-", 400)+`","body":"T"}`), decode.Limits{})
	var de *decode.Error
	if !errors.As(err, &de) {
		t.Fatalf("got %v", err)
	}
	h := deadLetterHeaders()
	h[event.HeaderError], h[event.HeaderErrorDetail] = de.Reason, de.Detail
	b, _ = json.Marshal(h)
	if err := validate(t, s, b); err != nil {
		t.Errorf("decoder error does not fit the dead-letter headers: %v", err)
	}

	bad := map[string]func(map[string]string){
		"unknown reason":    func(h map[string]string) { h[event.HeaderError] = "oops" },
		"missing detail":    func(h map[string]string) { delete(h, event.HeaderErrorDetail) },
		"partition not int": func(h map[string]string) { h[event.HeaderSourcePartition] = "-1" },
		"bad time":          func(h map[string]string) { h[event.HeaderErrorTime] = "now" },
		"bad traceparent":   func(h map[string]string) { h[event.HeaderTraceparent] = "xyz" },
	}
	for name, mutate := range bad {
		h := deadLetterHeaders()
		mutate(h)
		b, _ := json.Marshal(h)
		if err := validate(t, s, b); err == nil {
			t.Errorf("%s: schema accepted %s", name, b)
		}
	}
}

// The example event in testdata (also shown in docs/contracts.md) must stay
// valid for both the schema and the Go decode helper.
func TestExampleEvent(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "enriched-example.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := validate(t, mustCompile(t, Enriched), b); err != nil {
		t.Error(err)
	}
	e, err := event.DecodeEnriched(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, ent := range e.Entities {
		for _, m := range ent.Mentions {
			if e.Body[m.Start:m.End] != m.Text {
				t.Errorf("mention %+v: body has %q", m, e.Body[m.Start:m.End])
			}
		}
	}
	for _, q := range e.Quotes {
		if e.Body[q.Start:q.End] != q.Text {
			t.Errorf("quote %+v: body has %q", q, e.Body[q.Start:q.End])
		}
	}
}
