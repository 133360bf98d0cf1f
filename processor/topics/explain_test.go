package topics

import (
	"math"
	"reflect"
	"testing"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/samples"
	"github.com/newsenrich/newsenrich/processor/text"
)

func TestExplainAgreesWithTopics(t *testing.T) {
	tg := newTagger(t, Config{})
	for _, a := range samples.WikinewsArticles() {
		title, body := text.New(a.Title), text.New(a.Body)
		ex := tg.Explain(title, body, nil)
		if want := tg.Topics(title, body, nil); !reflect.DeepEqual(ex.Topics, want) {
			t.Fatalf("%s: Explain gave %v, Topics %v", a.ID, ex.Topics, want)
		}
		var sources []string
		for _, s := range ex.Sources {
			sources = append(sources, s.Source)
		}
		if want := []string{SourceLexicon, SourceEntityCues, SourceKnownEntities, SourceHeadlineNames, SourceModel, SourceWordVectors}; !reflect.DeepEqual(sources, want) {
			t.Fatalf("%s: sources %v, want %v", a.ID, sources, want)
		}
		sum := 0.0
		for _, p := range ex.Model {
			sum += p
		}
		if math.Abs(sum-1) > 1e-3 { // rounded to 4 places each
			t.Fatalf("%s: model probabilities sum to %v", a.ID, sum)
		}
	}
}

// A known name counts through the entity stage's entity when there is one,
// else through the headline's direct lookup; the explanation says which.
func TestExplainNamesTheSource(t *testing.T) {
	tg := newTagger(t, Config{})
	const sport = "medtop:15000000"
	headline := "Wenger praises young squad"
	for _, tc := range []struct {
		name     string
		entities []event.Entity
		source   string
	}{
		{"entity", []event.Entity{{Text: "Wenger", Type: event.TypePerson, Count: 1, Mentions: []event.Mention{{Start: 0, End: 6, Text: "Wenger"}}}}, SourceKnownEntities},
		{"no entity", nil, SourceHeadlineNames},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ex := tg.Explain(nil, text.New(headline), tc.entities)
			for _, s := range ex.Sources {
				got := s.Evidence[sport]
				switch s.Source {
				case SourceLexicon, SourceModel, SourceWordVectors: // they read the words, not the name
				case tc.source:
					if got < 1 {
						t.Errorf("%s gave sport %.2f, want the name's evidence: %+v", s.Source, got, ex.Sources)
					}
				default:
					if got > 0 {
						t.Errorf("%s gave sport %.2f, want it from %s alone: %+v", s.Source, got, tc.source, ex.Sources)
					}
				}
			}
			if len(ex.Topics) == 0 || ex.Topics[0].Code != sport {
				t.Errorf("topics %v, want sport first", ex.Topics)
			}
		})
	}
}
