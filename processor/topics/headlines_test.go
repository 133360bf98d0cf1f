package topics

import (
	"testing"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/text"
)

func TestCapitalisedSentence(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"Beattie Return Calms Attack Fears", true},
		{"Jones Happy with Henson Heroics", true},                 // "with" stays lower case
		{"MILITANTS FIRE ROCKETS INTO TOWN", true},                // all capitals
		{"Profits stall at China's Lenovo", false},                // sentence case: "stall"
		{"Serena ends Sania Mirza's dream", false},                // names, but a lower-case verb
		{"Blair Says No", false},                                  // too few long words
		{"The Prime Minister said Tony Blair would go on", false}, // body text
	} {
		d := text.New(tc.s)
		if got := capitalisedSentence(d, d.Sentences[0]); got != tc.want {
			t.Errorf("capitalisedSentence(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

// A headline names people the entity stage may not find, or may run into
// the next word ("Jones Happy"): the known ones count all the same, as
// written and in Title Case, while ordinary words ("Jobs") and places
// ("Wales") are not taken for names.
func TestHeadlineKnownNames(t *testing.T) {
	tg := newTagger(t, Config{})
	for _, tc := range []struct {
		name, title, body string
		ents              []event.Entity
		want, not         string
	}{
		{name: "title case, no entities", body: "Beattie Return Calms Attack Fears", want: "medtop:15000000"},
		{name: "sentence case, no entities", body: "Beattie return calms attack fears", want: "medtop:15000000"},
		{name: "a politician", body: "Jowell Confirms Casino Climbdown", want: "medtop:11000000"},
		{name: "a wrong entity span", body: "Jones Happy with Henson Heroics", want: "medtop:15000000",
			ents: []event.Entity{{Text: "Jones Happy", Type: event.TypePerson, Count: 1}}},
		{name: "a possessive company", body: "McDonald's Boss Bell Dies Aged 44", want: "medtop:04000000"},
		{name: "a place is no surname", body: "Wales Critical of Clumsy Grewcock", not: "medtop:13000000"},
		{name: "a word is no surname", body: "Jobs Report Beats Forecasts", not: "medtop:13000000"},
		{name: "an event's name is no surname", body: "Hurricane Lorenzo hits Azores", not: "medtop:15000000",
			ents: []event.Entity{{Text: "Hurricane Lorenzo", Type: event.TypeEvent, Count: 1}}},
		{name: "a part of a person's name is no company", body: "Zara Kay tells Wikinews about her charity", not: "medtop:04000000",
			ents: []event.Entity{{Text: "Zara Kay", Type: event.TypePerson, Count: 1}}},
		{name: "the title of a full article", title: "O'Sullivan Keeps His Powder Dry",
			body: "When you are gunning for glory and ultimate success keeping the gunpowder dry is essential. He said so on Monday.",
			want: "medtop:15000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tag(tg, tc.title, tc.body, tc.ents)
			if len(got) == 0 {
				t.Fatal("no topic")
			}
			if tc.want != "" && got[0].Code != tc.want {
				t.Errorf("topics = %v, want %s first", got, tc.want)
			}
			if tc.not != "" && got[0].Code == tc.not {
				t.Errorf("topics = %v, want anything but %s first", got, tc.not)
			}
		})
	}
}
