package topics

import (
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/text"
)

func TestCredits(t *testing.T) {
	for _, tc := range []struct {
		s, title, body string // what is left as a title, and as a body
	}{
		{"Wall St. Bears Claw Back Into the Black (Reuters)", "Wall St. Bears Claw Back Into the Black", ""},
		{"Google Sets Record (washingtonpost.com)", "Google Sets Record", ""},
		{"Jones Wins (Reuters)", "Jones Wins", ""},
		{"Blair meets Bush (and Cheney)", "", ""}, // lower-case words: content
		{"LONDON (Reuters) - Shares fell", "", "Shares fell"},
		{"Reuters - Short-sellers are seeing green again", "", "Short-sellers are seeing green again"},
		{"ST. LOUIS (AP) -- The Cardinals won", "", "The Cardinals won"},
		{"WASHINGTON — The Senate voted", "", ""},                             // a dateline without a credit: the city is left
		{"SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT .", "", ""}, // a subject slug is evidence
		{"Associated Press - The Senate voted", "", "The Senate voted"},
		{"Barack Obama and his wife - the first lady - said", "", ""}, // a lower-case word before the dash
		{"Three Senators Of The Committee Said - no", "", ""},         // no parentheses, not in capitals, over two words
		{"- a list item", "", ""},
	} {
		d := text.New(tc.s)
		n := len(d.Tokens)
		title, body := "", ""
		if e := titleEnd(d); e < n {
			title = d.Text[:d.Tokens[e-1].End]
		}
		if b := bodyStart(d); b > 0 {
			body = d.Text[d.Tokens[b].Start:]
		}
		if title != tc.title || body != tc.body {
			t.Errorf("%q: title %q and body %q left, want %q and %q (empty: nothing cut)", tc.s, title, body, tc.title, tc.body)
		}
	}
}

func TestTrimDoc(t *testing.T) {
	src := text.New("LONDON (Reuters) - Shares fell. Bonds rose.")
	var dst text.Doc
	d := trimDoc(&dst, src, bodyStart(src), len(src.Tokens))
	if got := d.Text[d.Tokens[0].Start:d.Tokens[len(d.Tokens)-1].End]; got != "Shares fell. Bonds rose." {
		t.Fatalf("trimmed text %q", got)
	}
	if len(d.Sentences) != 2 || d.Sentences[0].Start != 0 || d.Sentences[1].End != int32(len(d.Tokens)) {
		t.Fatalf("sentences %v of %d tokens", d.Sentences, len(d.Tokens))
	}
	if trimDoc(&dst, src, 0, len(src.Tokens)) != src {
		t.Error("nothing to cut, yet a copy")
	}
}

// A wire agency's credit is not what the item is about: its name would
// otherwise count for media, as a news outlet.
func TestCreditsAreNoEvidence(t *testing.T) {
	tg := newTagger(t, Config{Entities: fakeOutlets{}, NoModel: true})
	credited := []event.Entity{{Text: "Reuters", Type: event.TypeOrg, Count: 1,
		Mentions: []event.Mention{{Start: 0, End: 7, Text: "Reuters"}}}}
	for _, tc := range []struct{ name, title, body string }{
		{"a dateline's credit", "", "Reuters - Officials met on Tuesday."},
		{"a headline's credit", "Officials Meet Again (Reuters)", "Reuters - Officials met on Tuesday."},
		{"a feed item's headline as its body", "", "Officials Meet Again (Reuters)"},
	} {
		ents := credited
		if !strings.HasPrefix(tc.body, "Reuters") {
			ents = []event.Entity{{Text: "Reuters", Type: event.TypeOrg, Count: 1,
				Mentions: []event.Mention{{Start: 22, End: 29, Text: "Reuters"}}}}
		}
		if got := tag(tg, tc.title, tc.body, ents); slicesContainsCode(got, "medtop:01000000") {
			t.Errorf("%s: topics %v: the credit counted for media", tc.name, got)
		}
	}
	// an agency the story is about counts
	about := []event.Entity{{Text: "Reuters", Type: event.TypeOrg, Count: 1,
		Mentions: []event.Mention{{Start: 0, End: 7, Text: "Reuters"}}}}
	if got := tag(tg, "", "Reuters journalists met on Tuesday.", about); !slicesContainsCode(got, "medtop:01000000") {
		t.Errorf("topics %v: an agency the story is about does not count", got)
	}
}

// fakeOutlets knows one news agency, as the knowledge base's outlets do.
type fakeOutlets struct{}

func (fakeOutlets) EntityTopic(name, typ string) (string, float64, bool) {
	if name == "Reuters" && typ == event.TypeOrg {
		return "medtop:01000000", 1, true
	}
	return "", 0, false
}

func slicesContainsCode(ts []event.Topic, code string) bool {
	for _, t := range ts {
		if t.Code == code {
			return true
		}
	}
	return false
}
