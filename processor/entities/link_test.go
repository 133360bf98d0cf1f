package entities

import (
	"testing"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/text"
)

// Linking through the article's words: an acronym spelled out in the
// text, an organisation of the own lists, a country named by its own name
// and not by its capital's other name; and none where the evidence is weak.
func TestLinkCases(t *testing.T) {
	r := recognizer(t)
	for _, tc := range []struct {
		name, body, mention, qid string
	}{
		{"acronym spelled out", "The United States Geological Survey (USGS) said the quake struck at dawn. The USGS later revised its estimate.",
			"USGS", "Q193755"},
		{"acronym not spelled out", "Officials in Ohio said the USGS later revised its estimate of the damage.",
			"USGS", ""},
		{"acronym whose namesake is another body", "The CIA declined to comment on the report, officials in Washington said.",
			"CIA", ""},
		{"own list and index agree", "The company Tesla said on Monday that its factory in California would reopen, officials in the United States said.",
			"Tesla", "Q478214"},
		{"a brand that is also a word", "The House voted on Tuesday to pass the bill, officials in the United States said.",
			"House", ""},
		{"country, not its capital's other name", "The president of Mexico said on Monday that the border would stay open.",
			"Mexico", "Q96"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es := r.Entities(text.New(tc.body))
			e := withMention(es, tc.mention)
			if e == nil {
				t.Fatalf("no entity with mention %q in %s", tc.mention, summary(es))
			}
			if e.Wikidata != tc.qid {
				t.Errorf("%s: wikidata %q, want %q (%s)", tc.mention, e.Wikidata, tc.qid, summary(es))
			}
		})
	}
}

// withMention returns the entity with a mention written text.
func withMention(es []event.Entity, text string) *event.Entity {
	for i := range es {
		for _, m := range es[i].Mentions {
			if m.Text == text {
				return &es[i]
			}
		}
	}
	return nil
}

func TestSpelledOut(t *testing.T) {
	for _, tc := range []struct {
		body, name string
		want       bool
	}{
		{"Pacific Gas and Electric Company (PG&E) began", "Pacific Gas and Electric Company", true},
		{"Pacific Gas and Electric (PG&E) struck", "Pacific Gas and Electric Company", true},
		{"Pacific Gas said", "Pacific Gas and Electric Company", false},
		{"the CDC said", "CDC", false},
		{"National Oceanic and Atmospheric said", "National Oceanic and Atmospheric Administration", false},
	} {
		if got := spelledOut(tc.body, tc.name); got != tc.want {
			t.Errorf("spelledOut(%q, %q) = %v, want %v", tc.body, tc.name, got, tc.want)
		}
	}
}
