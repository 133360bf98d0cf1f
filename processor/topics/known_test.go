package topics

import (
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/event"
)

func TestAddList(t *testing.T) {
	g, err := ParseGazetteer("Manchester United\tmedtop:20001065\tORG,OTHER\nGoldcrest Holdings\tmedtop:04000000\tORG\n")
	if err != nil {
		t.Fatal(err)
	}
	list := `# comment
= medtop:15000000 PERSON
Arsène Wenger
Robin van Persie
Ali al-Rahimi
Jane Smith
Goldcrest Holdings
= medtop:11000000 PERSON
Tony Blair
Gordon Brown
Frank Brown
= medtop:15000000 PERSON
Anna Blair
= medtop:15000000 PERSON full-names
Joe Brown
Mia Gordon
= medtop:11000000 ORG,OTHER
Labour Party
= surnames-ignore
Smith
= not-in-lexicon
Labour Party
`
	if err := g.AddList(list, true); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text, typ, want string
	}{
		{"Arsene Wenger", event.TypePerson, "medtop:15000000"}, // accents folded
		{"ARSÈNE WENGER", event.TypePerson, "medtop:15000000"},
		{"Wenger", event.TypePerson, "medtop:15000000"}, // surname alone
		{"Wenger", event.TypeOrg, ""},                   // a surname only as a person
		{"Van Persie", event.TypePerson, "medtop:15000000"},
		{"Rahimi", event.TypePerson, "medtop:15000000"},
		{"Smith", event.TypePerson, ""},                             // ignored surname
		{"Jane Smith", event.TypePerson, "medtop:15000000"},         // the full name still counts
		{"Brown", event.TypePerson, "medtop:11000000"},              // two politicians; Joe Brown counts by full name only
		{"Joe Brown", event.TypePerson, "medtop:15000000"},          // a full name of a full-names section
		{"Gordon", event.TypePerson, ""},                            // and no surname
		{"Blair", event.TypePerson, ""},                             // a politician and an athlete
		{"Tony Blair", event.TypePerson, "medtop:11000000"},         // full names keep their topic
		{"Labour Party", event.TypeOrg, "medtop:11000000"},          // a list's types
		{"Labour Party", event.TypePerson, ""},                      // and only those
		{"Manchester United", event.TypeOrg, "medtop:20001065"},     // the other list stays
		{"Goldcrest Holdings", event.TypePerson, "medtop:15000000"}, // the list wins
		{"Goldcrest", event.TypeOrg, ""},
	} {
		got, _, ok := g.EntityTopic(tc.text, tc.typ)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("EntityTopic(%q, %s) = %q, %v; want %q", tc.text, tc.typ, got, ok, tc.want)
		}
	}
	for _, bad := range []string{
		"Jane Roe\n",                                       // no section
		"= medtop:1 ROBOT\nJane Roe\n",                     // unknown type
		"= sport PERSON\nJane Roe\n",                       // not a code
		"= medtop:1 PERSON\nJ R\n= medtop:2 PERSON\nJ R\n", // one name, two topics
		"= medtop:1 ORG full-names\nAcme\n",                // full names are people's
		"= medtop:1 PERSON surnames\nJane Roe\n",           // an unknown option
	} {
		if err := g.AddList(bad, true); err == nil {
			t.Errorf("AddList(%q) accepted", bad)
		}
	}
}

func TestSurname(t *testing.T) {
	for in, want := range map[string]string{
		"Arsene Wenger": "Wenger", "Robin van Persie": "van Persie",
		"Roy Jones Jr": "Jones", "Davis Love III": "", "Bashar al-Assad": "Assad", "Ronaldo": "", "Lord Coe": "",
		"Pope John Paul II": "",
	} {
		if got := surname(in); got != want {
			t.Errorf("surname(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEmbeddedKnownEntities(t *testing.T) {
	g, err := EmbeddedGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ text, typ, want string }{
		{"Roger Federer", event.TypePerson, "medtop:15"},
		{"Federer", event.TypePerson, "medtop:15"},
		{"Angela Merkel", event.TypePerson, "medtop:11"},
		{"Bank of England", event.TypeOrg, "medtop:04"},
		{"Microsoft", event.TypeOrg, "medtop:13"},
		{"Glastonbury", event.TypeOrg, "medtop:01"},
	} {
		got, _, _ := g.EntityTopic(tc.text, tc.typ)
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("EntityTopic(%q) = %q, want %s…", tc.text, got, tc.want)
		}
	}
}

func TestKnownNamesWithoutEntities(t *testing.T) {
	tg := newTagger(t, Config{NoModel: true})
	// a team, but also a word: no sport without the entity stage
	if got := tag(tg, "", "Rockets", nil); len(got) > 0 && got[0].Code == "medtop:15000000" {
		t.Errorf("Rockets: %v", got)
	}
	for _, tc := range []struct{ text, want string }{
		{"Kaspersky", "medtop:13000000"},
		{"Glastonbury", "medtop:01000000"},
		{"Bundesbank", "medtop:04000000"},
		{"kaspersky", ""}, // names count only capitalised
		{"Ford", ""},      // a company, but also a surname: left to the entity stage
	} {
		got := tag(tg, "", tc.text, nil)
		first := ""
		if len(got) > 0 {
			first = got[0].Code
		}
		if first != tc.want {
			t.Errorf("%q: topics %v, want %q first", tc.text, got, tc.want)
		}
	}
}

// The names of known-people.txt count at tagging time, by full name and,
// outside a full-names section, by surname; the tagger that labels the
// model's training text leaves them out.
func TestKnownPeople(t *testing.T) {
	with, err := EmbeddedGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	without, err := embeddedGazetteer(true)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ text, want string }{
		{"Sania Mirza", "medtop:15000000"},
		{"Bortolami", "medtop:15000000"},       // a surname of a plain section
		{"Jack Cunningham", "medtop:11000000"}, // a full name of a full-names section
		{"Cunningham", ""},                     // whose surname is common
	} {
		if got, _, _ := with.EntityTopic(tc.text, event.TypePerson); got != tc.want {
			t.Errorf("EntityTopic(%q) = %q, want %q", tc.text, got, tc.want)
		}
		if got, _, ok := without.EntityTopic(tc.text, event.TypePerson); ok {
			t.Errorf("without known people: EntityTopic(%q) = %q", tc.text, got)
		}
	}
	// a known-entities.txt name is there either way
	if got, _, _ := without.EntityTopic("Arsène Wenger", event.TypePerson); got == "" {
		t.Error("without known people: Arsène Wenger is unknown")
	}
}
