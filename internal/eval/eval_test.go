package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/golden"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/text"
)

func loadTiny(t *testing.T) *Set {
	t.Helper()
	s, err := LoadSet("tiny", "testdata/tiny.articles.jsonl", "testdata/tiny.gold.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func scoreTiny(t *testing.T) *Report {
	t.Helper()
	s := loadTiny(t)
	d := Diag{}
	preds, err := ReadPredictions("testdata/tiny.pred.jsonl", s, d)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Score(s, preds, Options{Diag: d})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// flatten turns nested JSON into dotted numeric keys.
func flatten(prefix string, v any, out map[string]float64) {
	switch x := v.(type) {
	case map[string]any:
		for k, y := range x {
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			flatten(key, y, out)
		}
	case float64:
		out[prefix] = x
	}
}

// The reference: testdata/tiny.score_py.json was written by
//
//	python3 shared/tools/score.py --set eval/testdata/tiny --pred eval/testdata/tiny.pred.jsonl --json ...
//
// Every figure score.py reports must come out the same here.
func TestScoreAgreesWithScorePy(t *testing.T) {
	b, err := os.ReadFile("testdata/tiny.score_py.json")
	if err != nil {
		t.Fatal(err)
	}
	diff, err := scoreTiny(t).CompareScorePy(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diff {
		t.Error(d)
	}
	var py map[string]any
	_ = json.Unmarshal(b, &py)
	want := map[string]float64{}
	flatten("ner", py["ner"], want)
	if len(want) < 40 {
		t.Fatalf("reference has only %d NER figures; fixture broken?", len(want))
	}
}

// A deliberate difference must be reported.
func TestCompareScorePyFindsDifferences(t *testing.T) {
	b, err := os.ReadFile("testdata/tiny.score_py.json")
	if err != nil {
		t.Fatal(err)
	}
	r := scoreTiny(t)
	r.Quotes.Quote.TP++
	r.Diagnostics["pred_bad_json_lines"] = 3
	diff, err := r.CompareScorePy(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(diff) != 2 {
		t.Errorf("want 2 differences, got %v", diff)
	}
}

func TestReportTextGolden(t *testing.T) {
	var buf bytes.Buffer
	scoreTiny(t).WriteText(&buf)
	golden.Check(t, filepath.Join("testdata", "tiny.report.golden.txt"), buf.Bytes())
}

func TestOffsetsSpan(t *testing.T) {
	body := "Ä “x” b" // Ä=2 bytes, “ ”=3 bytes each
	o := newOffsets(body)
	tests := []struct {
		name         string
		s, e         int
		cs, ce       int
		ok           bool
		diagKey      string
		expectedText string
	}{
		{"ascii after multibyte", 3, 10, 2, 5, true, "", "“x”"},
		{"first rune", 0, 2, 0, 1, true, "", "Ä"},
		{"cuts a rune: widened", 1, 4, 0, 3, true, "pred_spans_not_on_char_boundary", "Ä “"},
		{"past the end: clamped", 11, 99, 6, 7, true, "pred_spans_out_of_range", "b"},
		{"empty", 5, 5, 0, 0, false, "pred_spans_out_of_range", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Diag{}
			cs, ce, ok := o.span(tc.s, tc.e, d)
			if ok != tc.ok || (ok && (cs != tc.cs || ce != tc.ce)) {
				t.Fatalf("span(%d,%d) = %d,%d,%v; want %d,%d,%v", tc.s, tc.e, cs, ce, ok, tc.cs, tc.ce, tc.ok)
			}
			if tc.diagKey != "" && d[tc.diagKey] != 1 {
				t.Errorf("diag %v, want %s=1", d, tc.diagKey)
			}
			if ok && o.text(cs, ce) != tc.expectedText {
				t.Errorf("text %q, want %q", o.text(cs, ce), tc.expectedText)
			}
		})
	}
}

func TestNameTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Angela Merkel", []string{"angela", "merkel"}},
		{"the spokesman said", []string{"spokesman"}},
		{"Dr. Al Gore's", []string{"gore"}}, // "dr", "al", "s" are under 3 letters
		{"Müller-Lüdenscheidt", []string{"müller", "lüdenscheidt"}},
		{"", nil},
	}
	for _, tc := range tests {
		got := nameTokens(tc.in)
		if len(got) != len(tc.want) {
			t.Errorf("nameTokens(%q) = %v, want %v", tc.in, got, tc.want)
			continue
		}
		for _, w := range tc.want {
			if !got[w] {
				t.Errorf("nameTokens(%q) = %v, want %v", tc.in, got, tc.want)
			}
		}
	}
}

func quoteSet(gold []GoldQuote, body string) *Set {
	return &Set{Name: "q", Articles: []Article{{ID: "a", Body: body}},
		Gold: map[string]*Gold{"a": {ID: "a", Quotes: gold, HasQuotes: true}}}
}

func TestQuoteMatching(t *testing.T) {
	body := strings.Repeat("x", 100)
	gold := []GoldQuote{{Start: 0, End: 20, Speaker: &GoldSpan{Start: 50, End: 55, Text: "Jones"}}}
	tests := []struct {
		name      string
		pred      []event.Quote
		tp, fp    int
		speakerOK int
	}{
		{"exactly half overlaps: match", []event.Quote{{Start: 10, End: 40}}, 1, 0, 0},
		{"just under half: no match", []event.Quote{{Start: 11, End: 40}}, 0, 1, 0},
		{"speaker by mention overlap", []event.Quote{{Start: 0, End: 20,
			Speaker: &event.Speaker{Name: "he", Mention: &event.Mention{Start: 54, End: 60}}}}, 1, 0, 1},
		{"speaker by name token", []event.Quote{{Start: 0, End: 20, Speaker: &event.Speaker{Name: "Tom JONES"}}}, 1, 0, 1},
		{"wrong speaker", []event.Quote{{Start: 0, End: 20, Speaker: &event.Speaker{Name: "Smith",
			Mention: &event.Mention{Start: 60, End: 65}}}}, 1, 0, 0},
		{"one gold, two preds: best overlap wins, other is FP", []event.Quote{
			{Start: 5, End: 20, Speaker: &event.Speaker{Name: "Jones"}}, {Start: 0, End: 20}}, 1, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := ScoreQuotes(quoteSet(gold, body), map[string]*event.Enriched{"a": {ID: "a", Quotes: tc.pred}}, Diag{})
			if r.Quote.TP != tc.tp || r.Quote.FP != tc.fp || r.SpeakerCorrect != tc.speakerOK {
				t.Errorf("tp=%d fp=%d speaker=%d; want %d %d %d", r.Quote.TP, r.Quote.FP, r.SpeakerCorrect, tc.tp, tc.fp, tc.speakerOK)
			}
		})
	}
}

func TestTopicRanking(t *testing.T) {
	s := &Set{Name: "t", Articles: []Article{{ID: "a"}}, Gold: map[string]*Gold{
		"a": {ID: "a", Topics: []any{"medtop:15000000"}, HasTopics: true}}}
	tests := []struct {
		name string
		pred []event.Topic
		top1 int
		fp   int
	}{
		{"highest score first", []event.Topic{{Code: "medtop:04000000", Score: 0.4}, {Code: "medtop:15000000", Score: 0.6}}, 1, 1},
		{"ties keep order", []event.Topic{{Code: "medtop:04000000", Score: 0.5}, {Code: "medtop:15000000", Score: 0.5}}, 0, 1},
		{"bare 8-digit code", []event.Topic{{Code: "15000000", Score: 1}}, 1, 0},
		{"duplicates count once", []event.Topic{{Code: "medtop:15000000", Score: 1}, {Code: "15000000", Score: 0.2}}, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := ScoreTopics(s, map[string]*event.Enriched{"a": {ID: "a", Topics: tc.pred}}, TopicOptions{}, Diag{})
			if r.Top1Correct != tc.top1 || r.Micro.FP != tc.fp {
				t.Errorf("top1=%d fp=%d; want %d %d", r.Top1Correct, r.Micro.FP, tc.top1, tc.fp)
			}
		})
	}
}

func TestFloors(t *testing.T) {
	r := scoreTiny(t)
	r.Set = "tiny"
	tests := []struct {
		spec string
		bad  bool
	}{
		{"ner.PER+ORG+LOC.f1=0.6", false},
		{"ner.PER+ORG+LOC.f1=0.7", true},
		{"tiny:quotes.quote.f1=0.8", false},
		{"other:quotes.quote.f1=0.99", false}, // another set: not checked here
		{"topics.top1_accuracy=0.9", true},
		{"ner.per_type.ORG.f1=0.75", false},
		{"ner.no_such_figure=0", true},
		{"topics.top1_accuracy<=0.9", false},
		{"tiny:topics.top1_accuracy<=0.1", true},
	}
	for _, tc := range tests {
		f, err := ParseFloor(tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		if bad := CheckFloors([]*Report{r}, []Floor{f}); (len(bad) > 0) != tc.bad {
			t.Errorf("%s: violations %v, want bad=%v", tc.spec, bad, tc.bad)
		}
	}
	for _, s := range []string{"noequals", "k=notanumber", "=1"} {
		if _, err := ParseFloor(s); err == nil {
			t.Errorf("ParseFloor(%q) accepted", s)
		}
	}
}

func TestLoadFloors(t *testing.T) {
	tests := []struct {
		name, json string
		want       []Floor
		err        bool
	}{
		{"minimum", `{"a": {"x.f1": 0.9}}`, []Floor{{Set: "a", Key: "x.f1", Bound: 0.9}}, false},
		{"maximum", `{"a": {"x.ece": {"max": 0.2}}}`, []Floor{{Set: "a", Key: "x.ece", Bound: 0.2, Max: true}}, false},
		{"object without max", `{"a": {"x.ece": {"min": 0.2}}}`, nil, true},
		{"string", `{"a": {"x.f1": "0.9"}}`, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "floors.json")
			if err := os.WriteFile(path, []byte(tc.json), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := LoadFloors(path)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error %v", err, tc.err)
			}
			if !tc.err && !slices.Equal(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// capsStage marks every capitalised word of at least 4 letters as an ORG:
// enough to check that Run feeds raw lines through the processor and keeps
// the byte offsets intact.
type capsStage struct{}

func (capsStage) Entities(doc *text.Doc) []event.Entity {
	var out []event.Entity
	for i, tk := range doc.Tokens {
		w := doc.TokenText(i)
		if tk.Kind == text.Word && tk.Flags&text.Upper != 0 && len(w) >= 4 {
			m := event.Mention{Start: int(tk.Start), End: int(tk.End), Text: w}
			out = append(out, event.Entity{Text: w, Type: event.TypeOrg, Count: 1, Mentions: []event.Mention{m}})
		}
	}
	return out
}

func TestRunThroughProcessor(t *testing.T) {
	s := loadTiny(t)
	// one line the worker would dead-letter
	s.Articles = append(s.Articles, Article{ID: "bad", Raw: []byte(`{"id":"bad"}`)})
	p := processor.New(processor.Config{}, capsStage{}, nil, nil)
	preds, th, err := Run(context.Background(), p, s, 2)
	if err != nil {
		t.Fatal(err)
	}
	if th.Errors != 1 || len(preds) != 4 {
		t.Fatalf("errors=%d preds=%d, want 1 and 4 (reasons %v)", th.Errors, len(preds), th.ErrorReasons)
	}
	r, err := Score(s, preds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Every capitalised word is an ORG, so each gold ORG mention is found.
	if org := r.NER.PerType["ORG"]; org.TP != 5 || org.FN != 0 {
		t.Errorf("ORG = %+v, want tp=5 fn=0", org)
	}
	if r.Diagnostics["pred_span_text_mismatch"] != 0 {
		t.Errorf("offsets drifted: %v", r.Diagnostics)
	}
	var buf bytes.Buffer
	if err := WritePredictions(&buf, s, preds); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != 4 {
		t.Errorf("wrote %d prediction lines, want 4", n)
	}
}

func TestMarkdownTable(t *testing.T) {
	a, b := scoreTiny(t), scoreTiny(t)
	a.Engine, b.Engine = "default", "prose"
	b.Quotes = nil
	a.Throughput = &Throughput{WordsPerSec: 1234}
	var buf bytes.Buffer
	WriteMarkdown(&buf, []*Report{a, b})
	out := buf.String()
	for _, want := range []string{
		"| set | figure | default | prose |",
		"| tiny | entities PER+ORG+LOC mention F1 | 0.667 (P 0.667 R 0.667) | 0.667 (P 0.667 R 0.667) |",
		"| tiny | quotes F1 | 0.800 (P 0.667 R 1.000) | – |",
		"| tiny | words/s (1 goroutine) | 1234 | – |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing line %q in\n%s", want, out)
		}
	}
}

func TestCalibrationFigures(t *testing.T) {
	for _, tc := range []struct {
		name             string
		answers          []scoredAnswer
		ece, brier, mean float64
	}{
		{"sure and right", []scoredAnswer{{1, true}, {1, true}}, 0, 0, 1},
		{"sure and wrong", []scoredAnswer{{1, false}, {0.95, false}}, 0.975, 0.95125, 0.975},
		{"calibrated within a bin", []scoredAnswer{{0.5, true}, {0.5, false}}, 0, 0.25, 0.5},
		{"too shy", []scoredAnswer{{0.3, true}, {0.3, true}, {0.3, true}, {0.3, false}}, 0.45, 0.39, 0.3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := calibration(tc.answers)
			if math.Abs(c.ECE-tc.ece) > 1e-4 || math.Abs(c.Brier-tc.brier) > 1e-4 || math.Abs(c.MeanProbability-tc.mean) > 1e-4 {
				t.Fatalf("got %+v, want ECE %v Brier %v mean %v", *c, tc.ece, tc.brier, tc.mean)
			}
		})
	}
	if calibration(nil) != nil {
		t.Error("no answers: want no figures")
	}
}
