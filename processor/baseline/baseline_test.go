package baseline

import (
	"reflect"
	"testing"

	"github.com/jdkato/prose/v2"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/text"
)

const sample = "German Chancellor Angela Merkel met Emmanuel Macron in Paris on Monday. " +
	"“We agree on everything,” Merkel told reporters from Reuters and the Associated Press. " +
	"The leaders later flew to Brussels for talks with NATO and the European Union."

func TestEntitiesSpansMatchText(t *testing.T) {
	st := Reused()
	ents := st.Entities(text.New(sample))
	if len(ents) == 0 {
		t.Fatal("prose found no entities")
	}
	seen := map[string]string{}
	for _, e := range ents {
		switch e.Type {
		case event.TypePerson, event.TypeOrg, event.TypeGPE, event.TypeLoc, event.TypeFac, event.TypeNORP, event.TypeEvent:
		default:
			t.Errorf("entity %q has type %q, not one of ours", e.Text, e.Type)
		}
		if e.Count != len(e.Mentions) {
			t.Errorf("%q: count %d, %d mentions", e.Text, e.Count, len(e.Mentions))
		}
		for _, m := range e.Mentions {
			if m.Start < 0 || m.End > len(sample) || m.Start >= m.End || sample[m.Start:m.End] != m.Text {
				t.Errorf("mention %+v does not match the body", m)
			}
		}
		seen[e.Text] = e.Type
	}
	if seen["Paris"] != event.TypeGPE {
		t.Errorf("Paris not found as GPE; got %v", seen)
	}
}

func TestNaiveAndReusedAgree(t *testing.T) {
	doc := text.New(sample)
	a, b := Naive().Entities(doc), Reused().Entities(doc)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("naive and reused differ:\n%v\n%v", a, b)
	}
	if Naive().Name() != "prose-naive" || Reused().Name() != "prose-reused" {
		t.Error("names")
	}
}

// The alignment must survive prose's input rewriting (curly quotes become
// straight ones) so offsets after a curly quote stay right.
func TestAlignAfterSanitizedQuotes(t *testing.T) {
	body := "“Hi,” said Ann Lee’s aide in Oslo."
	toks := []prose.Token{
		{Text: `"`}, {Text: "Hi"}, {Text: ","}, {Text: `"`}, {Text: "said"},
		{Text: "Ann", Label: "B-PERSON", Tag: "NNP"}, {Text: "Lee", Label: "I-PERSON", Tag: "NNP"},
		{Text: "'s", Tag: "POS"}, {Text: "aide"}, {Text: "in"}, {Text: "Oslo", Label: "B-GPE", Tag: "NNP"}, {Text: ".", Label: "O", Tag: "."},
	}
	for i := range toks {
		if toks[i].Label == "" {
			toks[i].Label = "O"
		}
		if toks[i].Tag == "" {
			toks[i].Tag = "X" + toks[i].Text
		}
	}
	al := align(body, toks)
	for i, tk := range al {
		if tk.start < 0 {
			t.Fatalf("token %d %q not aligned", i, tk.Text)
		}
	}
	if got := body[al[3].start:al[3].end]; got != "”" {
		t.Errorf("closing quote aligned to %q", got)
	}
	ents := group(body, chunk(al))
	want := []event.Entity{
		{Text: "Ann Lee", Type: event.TypePerson, Count: 1, Mentions: []event.Mention{{Start: 15, End: 22, Text: "Ann Lee"}}},
		{Text: "Oslo", Type: event.TypeGPE, Count: 1, Mentions: []event.Mention{{Start: 35, End: 39, Text: "Oslo"}}},
	}
	if !reflect.DeepEqual(ents, want) {
		t.Errorf("entities\n got %+v\nwant %+v", ents, want)
	}
}

func TestType(t *testing.T) {
	for in, want := range map[string]string{
		"PERSON": event.TypePerson, "ORGANIZATION": event.TypeOrg, "GSP": event.TypeGPE,
		"LOCATION": event.TypeLoc, "FACILITY": event.TypeFac, "GPE": event.TypeGPE,
	} {
		if got, ok := Type(in); !ok || got != want {
			t.Errorf("Type(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := Type("DATE"); ok {
		t.Error("DATE should be dropped")
	}
}
