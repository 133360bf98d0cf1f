package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/samples"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/decode"
	"github.com/newsenrich/newsenrich/processor/engine"
)

func TestStreamOneLinePerRecord(t *testing.T) {
	pl := nonePipeline(t, PolicyPass, 1<<20)
	in := string(samples.Seed()) + "\n" + `{"id":"x1","title":"no body"}` + "\nnot json\n"
	var out bytes.Buffer
	ok, failed, err := pl.Stream(context.Background(), strings.NewReader(in), &out)
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
	var e1, e2 ErrorLine
	if err := json.Unmarshal([]byte(lines[1]), &e1); err != nil || e1.ID != "x1" || e1.Error.Reason != "missing_field" {
		t.Fatalf("line 2 = %s", lines[1])
	}
	if err := json.Unmarshal([]byte(lines[2]), &e2); err != nil || e2.ID != "" || e2.Error.Reason != "invalid_json" || e2.Error.Detail == "" {
		t.Fatalf("line 3 = %s", lines[2])
	}
}

// nonePipeline is a pipeline without NLP stages: what is under test is
// reading the stream and the metadata, not the models.
func nonePipeline(t testing.TB, policy Policy, maxBytes int) *Pipeline {
	t.Helper()
	proc, err := engine.Build(engine.None, processor.Config{Decode: decode.Limits{MaxBytes: maxBytes}, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := New(proc, Config{MaxBytes: maxBytes, Languages: []string{"en"}, OtherLanguages: policy}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

func streamLines(t *testing.T, pl *Pipeline, in string) []map[string]any {
	t.Helper()
	var out bytes.Buffer
	if _, _, err := pl.Stream(context.Background(), strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("output line is not JSON: %v: %.200s", err, l)
		}
		lines = append(lines, m)
	}
	return lines
}

// Every metadata form of the decoder's table comes through the stream as an
// event, with the normalised value and a warning exactly when expected.
func TestStreamMetadataForms(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "processor", "decode", "testdata", "forms", "forms.json"))
	if err != nil {
		t.Fatal(err)
	}
	var forms []struct {
		Name    string          `json:"name"`
		Field   string          `json:"field"`
		Value   json.RawMessage `json:"value"`
		Want    json.RawMessage `json:"want"`
		Warning bool            `json:"warning"`
	}
	if err := json.Unmarshal(b, &forms); err != nil {
		t.Fatal(err)
	}
	pl := nonePipeline(t, PolicyPass, 1<<20)
	var in strings.Builder
	for i, f := range forms {
		fmt.Fprintf(&in, `{"id":"f%d","body":"The council met on Monday and agreed the budget for the year.","%s":%s}`+"\n", i, f.Field, f.Value)
	}
	lines := streamLines(t, pl, in.String())
	if len(lines) != len(forms) {
		t.Fatalf("%d output lines for %d records", len(lines), len(forms))
	}
	for i, f := range forms {
		ev := lines[i]
		if ev["error"] != nil {
			t.Errorf("%s: %v", f.Name, ev["error"])
			continue
		}
		var want any
		_ = json.Unmarshal(f.Want, &want)
		got := ev[f.Field]
		switch {
		case f.Field == "language" && want == "":
			want = "en" // unreadable: detected from the (English) body
		case want == "" || (f.Field == "authors" && len(want.([]any)) == 0):
			want = nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %s = %#v, want %#v", f.Name, f.Field, got, want)
		}
		if _, has := ev["warnings"]; has != f.Warning {
			t.Errorf("%s: warnings %v, want a warning: %v", f.Name, ev["warnings"], f.Warning)
		}
	}
}

// Multi-line XML documents are one record each, and feed items enrich.
func TestStreamXMLDocuments(t *testing.T) {
	var in strings.Builder
	for _, name := range []string{"newsml.xml", "rss_item.xml", "atom_entry.xml"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "processor", "decode", "testdata", "golden", name))
		if err != nil {
			t.Fatal(err)
		}
		in.Write(b)
		in.WriteString("\n")
	}
	lines := streamLines(t, nonePipeline(t, PolicyPass, 1<<20), in.String())
	if len(lines) != 3 {
		t.Fatalf("%d records, want 3: %v", len(lines), lines)
	}
	for _, l := range lines {
		if l["error"] != nil || l["id"] == "" {
			t.Errorf("record failed: %v", l)
		}
	}
}

func TestStreamLanguagePolicy(t *testing.T) {
	fr := `{"id":"fr1","body":"Le conseil municipal s'est réuni lundi soir pour voter le budget de l'année prochaine, a annoncé la mairie dans un communiqué."}`
	for _, tc := range []struct {
		policy  Policy
		lines   int
		skipped bool
		reason  string
	}{
		{PolicyPass, 1, true, ""},
		{PolicyDeadLetter, 1, false, "unsupported_language"},
		{PolicyDrop, 0, false, ""},
	} {
		t.Run(string(tc.policy), func(t *testing.T) {
			lines := streamLines(t, nonePipeline(t, tc.policy, 1<<20), fr+"\n")
			if len(lines) != tc.lines {
				t.Fatalf("%d lines, want %d", len(lines), tc.lines)
			}
			if tc.lines == 0 {
				return
			}
			l := lines[0]
			if tc.skipped {
				enr, _ := l["enrichment"].(map[string]any)
				if l["language"] != "fr" || enr["skipped"] == nil {
					t.Errorf("passed event %v", l)
				}
			}
			if tc.reason != "" {
				if e, _ := l["error"].(map[string]any); e["reason"] != tc.reason {
					t.Errorf("line %v, want reason %s", l, tc.reason)
				}
			}
		})
	}
}

// A pretty-printed array of many articles streams through in one pass.
func TestStreamPrettyArray(t *testing.T) {
	const n = 20000
	var in strings.Builder
	in.WriteString("[\n")
	for i := range n {
		if i > 0 {
			in.WriteString(",\n")
		}
		fmt.Fprintf(&in, "  {\n    \"id\": \"a%d\",\n    \"published_at\": \"2019-01-26\",\n    \"body\": \"Short article number %d.\"\n  }", i, i)
	}
	in.WriteString("\n]\n")
	var out bytes.Buffer
	ok, failed, err := nonePipeline(t, PolicyPass, 1<<20).Stream(context.Background(), strings.NewReader(in.String()), &out)
	if err != nil || ok != n || failed != 0 {
		t.Fatalf("ok=%d failed=%d err=%v", ok, failed, err)
	}
}

func TestStreamTooLargeRecord(t *testing.T) {
	big := `{"id":"big","body":"` + strings.Repeat("word ", 1000) + `"}`
	var out bytes.Buffer
	ok, failed, err := nonePipeline(t, PolicyPass, 1000).Stream(context.Background(), strings.NewReader(big+"\n"+`{"id":"s","body":"small"}`+"\n"), &out)
	if err != nil || ok != 1 || failed != 1 || !strings.Contains(out.String(), `"too_large"`) {
		t.Fatalf("ok=%d failed=%d err=%v out=%s", ok, failed, err, out.String())
	}
}

// Every shared article that has a body enriches with the real engine and
// no error object. The body is the one thing the contract is strict about:
// an article whose body is blank (the data set holds a Wikinews test page
// like that) must be a missing_field dead letter, and nothing else may be.
func TestStreamSharedArticles(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "data", "articles", "*.jsonl"))
	if len(files) == 0 {
		t.Skip("../shared/data/articles is absent (it sits beside the repository); nothing to check")
	}
	proc, err := engine.Build(engine.Default, processor.Config{Decode: decode.Limits{MaxBytes: 1 << 20}, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := New(proc, Config{MaxBytes: 1 << 20, Languages: []string{"en"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		enriched, bodyless := 0, 0
		for i, rec := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
			var in struct {
				ID   string `json:"id"`
				Body string `json:"body"`
			}
			if err := json.Unmarshal(rec, &in); err != nil {
				t.Fatalf("%s:%d: %v", filepath.Base(f), i+1, err)
			}
			line, ok := pl.Line(rec)
			var out struct {
				Error      *ErrorDetail `json:"error"`
				Enrichment struct {
					Skipped string `json:"skipped"`
				} `json:"enrichment"`
			}
			if err := json.Unmarshal(line, &out); err != nil {
				t.Fatal(err)
			}
			switch {
			case strings.TrimSpace(in.Body) == "":
				bodyless++
				if ok || out.Error == nil || out.Error.Reason != event.ReasonMissingField {
					t.Errorf("%s: %s has no body but gave %.200s", filepath.Base(f), in.ID, line)
				}
			case !ok || out.Error != nil || out.Enrichment.Skipped != "":
				t.Errorf("%s: %s not enriched: %.300s", filepath.Base(f), in.ID, line)
			default:
				enriched++
			}
		}
		t.Logf("%s: %d articles enriched, %d without a body dead-lettered", filepath.Base(f), enriched, bodyless)
	}
}
