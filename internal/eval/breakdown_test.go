package eval

import (
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/event"
)

func TestSpeakerKind(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"Rutte", KindName},
		{"Rep. Jim Clyburn", KindName},
		{"He", KindPronoun},
		{"they", KindPronoun},
		{"WHO", KindOrganisation},
		{"the spokesman", KindDescription},
		{"One of the witnesses", KindDescription},
		{"Trump's campaign manager", KindDescription},
		{"The New York Post", KindOrganisation},
		{"the Justice Department", KindOrganisation},
		{"the report", KindDescription}, // a document, not a named organisation
		{"", KindNone},
	} {
		if got := SpeakerKind(tc.text); got != tc.want {
			t.Errorf("SpeakerKind(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
}

func TestFirstSentence(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"The dollar rose. Shares fell.", "The dollar rose."},
		{"Mr. Smith said so. Then he left.", "Mr. Smith said so."},
		{"The U.S. economy grew. More later.", "The U.S. economy grew."},
		{"One paragraph only\n\nSecond paragraph.", "One paragraph only"},
		{"It rose 2.5 percent. Next.", "It rose 2.5 percent."},
		{"\"We won,\" he said. Fans cheered.", "\"We won,\" he said."},
	} {
		if got := FirstSentence(tc.body); got != tc.want {
			t.Errorf("FirstSentence(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

func TestTitleCase(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Militants fire rockets into town", "Militants Fire Rockets into Town"},
		{"the year search became personal", "The Year Search Became Personal"},
		{"Dollar gains on Greenspan speech", "Dollar Gains on Greenspan Speech"},
		{"'No more concessions' on terror", "'No More Concessions' on Terror"},
		{"iPod sales rise to $1bn", "IPod Sales Rise to $1bn"},
		{"Campbell: E-mail row 'silly fuss'", "Campbell: E-mail Row 'Silly Fuss'"},
		{"Élan des Bleus à Paris", "Élan Des Bleus À Paris"},
	} {
		if got := TitleCase(tc.in); got != tc.want {
			t.Errorf("TitleCase(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTopicViewsAndBreakdown(t *testing.T) {
	s := &Set{Name: "x", Gold: map[string]*Gold{
		"a": {ID: "a", Topics: []any{"medtop:15000000"}, HasTopics: true},
		"b": {ID: "b", Topics: []any{"medtop:04000000"}, HasTopics: true},
	}}
	s.Articles = []Article{
		{ID: "a", Body: "The striker scored. The crowd cheered.", Raw: []byte(`{"id":"a","title":"Cup win","body":"The striker scored. The crowd cheered."}`)},
		{ID: "b", Body: "Shares fell.", Raw: []byte(`{"id":"b","body":"Shares fell."}`)}, // no title: in no view
	}
	vs := TopicViews(s)
	var names []string
	for _, v := range vs {
		names = append(names, v.Name)
	}
	if strings.Join(names, " ") != "x@headline x@lead x@headline-tc x@lead-tc" {
		t.Fatalf("views: %v", names)
	}
	if len(vs[0].Articles) != 1 || vs[0].Articles[0].Body != "Cup win" || vs[1].Articles[0].Body != "The striker scored." ||
		vs[2].Articles[0].Body != "Cup Win" || vs[3].Articles[0].Body != "The striker scored." ||
		!strings.Contains(string(vs[3].Articles[0].Raw), `"title":"Cup Win"`) {
		t.Fatalf("view articles: %+v", vs)
	}
	if TopicViews(&Set{Gold: map[string]*Gold{}}) != nil {
		t.Error("a set without topic gold has views")
	}
	preds := map[string]*event.Enriched{"a": {Topics: []event.Topic{{Code: "medtop:15000000", Score: 0.9}}}}
	b := ScoreBreakdown(s, preds, Options{})
	got := b.TopicByLength["words_0_20"]
	if got.N != 2 || got.Correct != 1 || got.Acc != 0.5 {
		t.Fatalf("topic by length: %+v", b.TopicByLength)
	}
}
