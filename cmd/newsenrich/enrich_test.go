package main

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/internal/samples"
	"github.com/newsenrich/newsenrich/processor"
)

func TestEnrichRecordsSplitsInput(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"jsonl", "{\"a\":1}\n{\"b\":2}\n", []string{`{"a":1}`, `{"b":2}`}},
		{"no trailing newline", `{"a":1}`, []string{`{"a":1}`}},
		{"blank lines", "\n\n{\"a\":1}\n\n", []string{`{"a":1}`}},
		{"pretty object", "{\n  \"a\": 1,\n  \"b\": [1,\n 2]\n}\n", []string{"{\n  \"a\": 1,\n  \"b\": [1,\n 2]\n}"}},
		{"array", `[{"a":1},{"b":2}]`, []string{`{"a":1}`, `{"b":2}`}},
		{"garbage line", "nope\n{\"a\":1}\n", []string{"nope", `{"a":1}`}},
		{"broken then valid", "{\"a\": \n{\"b\":2}\n", []string{`{"a":`, `{"b":2}`}},
		{"broken at end", "{\"a\":1}\n{\"b\": ", []string{`{"a":1}`, `{"b":`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			err := enrichRecords(strings.NewReader(tc.in), func(raw []byte) error {
				got = append(got, string(raw))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestEnrichRecordsLongLine(t *testing.T) {
	body := strings.Repeat("word ", 400_000) // 2 MB on one line
	in := `{"id":"long","body":"` + body + `"}` + "\n"
	n := 0
	err := enrichRecords(strings.NewReader(in), func(raw []byte) error {
		n++
		if len(raw) != len(in)-1 {
			t.Fatalf("record is %d bytes, want %d", len(raw), len(in)-1)
		}
		return nil
	})
	if err != nil || n != 1 {
		t.Fatalf("n=%d err=%v", n, err)
	}
}

func TestEnrichStreamOneLinePerRecord(t *testing.T) {
	proc := processor.New(runProcessorConfig(1<<20, []string{"en"}), nil, nil, nil)
	in := string(samples.Seed()) + "\n" + `{"id":"x1","title":"no body"}` + "\nnot json\n"
	var out bytes.Buffer
	ok, failed, err := enrichStream(context.Background(), proc, strings.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	if ok != 1 || failed != 2 {
		t.Fatalf("ok=%d failed=%d, want 1 and 2", ok, failed)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d output lines, want 3", len(lines))
	}
	var ev struct {
		ID         string `json:"id"`
		Enrichment struct {
			ProcessedAt string `json:"processed_at"`
		} `json:"enrichment"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &ev); err != nil || ev.ID != "seed-nato-rutte-trump" || ev.Enrichment.ProcessedAt == "" {
		t.Fatalf("line 1 = %.200s (err %v)", lines[0], err)
	}
	var e1, e2 enrichError
	if err := json.Unmarshal([]byte(lines[1]), &e1); err != nil || e1.ID != "x1" || e1.Error.Reason != "missing_field" {
		t.Fatalf("line 2 = %s", lines[1])
	}
	if err := json.Unmarshal([]byte(lines[2]), &e2); err != nil || e2.ID != "" || e2.Error.Reason != "invalid_json" || e2.Error.Detail == "" {
		t.Fatalf("line 3 = %s", lines[2])
	}
}
