package topics

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/newsenrich/newsenrich/event"
	kbase "github.com/newsenrich/newsenrich/processor/kb"
)

func testKBFiles() fstest.MapFS {
	rows := "# key, canonical, type, qid, prior, country, kind\n" +
		"jane hooper\tJane Hooper\tPERSON\t\t\tUS\tathlete\n" +
		"john senator\tJohn Senator\tPERSON\t\t\tUS\t\n" +
		"acme\tAcme\tORG\t\t3\t\t\n" +
		"river city rockets\tRiver City Rockets\tORG\t\t1\tUS\tteam\n" +
		"rocket park\tRocket Park\tFAC\t\t\tUS\tstadium\n" +
		"springfield\tSpringfield\tGPE\t\t30000\tUS\tcity\n" +
		"short\n"
	files := fstest.MapFS{}
	for _, name := range kbase.Files {
		body := ""
		switch {
		case name == "kb.tsv.gz":
			body = rows
		case !strings.HasSuffix(name, ".gz"):
			body = "Daily Bugle\tORG\toutlet\nCold War\tEVENT\tevent\n"
		}
		data := []byte(body)
		if strings.HasSuffix(name, ".gz") {
			data = gzipBytes(body)
		}
		files[name] = &fstest.MapFile{Data: data}
	}
	return files
}

func TestKBTopics(t *testing.T) {
	k, err := NewKBTopics(testKBFiles())
	if err != nil {
		t.Fatal(err)
	}
	if k.Len() != 6 {
		t.Errorf("Len = %d, want 6 (athlete, legislator, brand, team, stadium, outlet)", k.Len())
	}
	for _, tc := range []struct {
		text, typ string
		want      string
		weight    float64
	}{
		{"Jane Hooper", event.TypePerson, "medtop:15000000", 1},
		{"JANE  HOOPER", event.TypePerson, "medtop:15000000", 1},
		{"John Senator", event.TypePerson, "medtop:11000000", 1},
		{"Acme", event.TypeOrg, "medtop:04000000", 0.5},
		{"River City Rockets", event.TypeOrg, "medtop:15000000", 1},
		{"Rocket Park", event.TypeFac, "medtop:15000000", 1},
		{"Daily Bugle", event.TypeOrg, "medtop:01000000", 0.2},
		{"Acme", event.TypePerson, "", 0},      // another type's entry
		{"Springfield", event.TypeGPE, "", 0},  // places say nothing
		{"Cold War", event.TypeEvent, "", 0},   // nor do events
		{"Jane Hooper", event.TypeNORP, "", 0}, // only PERSON, ORG, FAC
		{"Unknown Person", event.TypePerson, "", 0},
	} {
		code, w, ok := k.EntityTopic(tc.text, tc.typ)
		if code != tc.want || ok != (tc.want != "") || w != tc.weight {
			t.Errorf("EntityTopic(%q, %s) = %q, %v, %v; want %q, %v", tc.text, tc.typ, code, w, ok, tc.want, tc.weight)
		}
	}
	if _, err := NewKBTopics(fstest.MapFS{}); err == nil {
		t.Error("missing data files accepted")
	}
}

func TestKBTopicsEmbedded(t *testing.T) {
	k, err := NewKBTopics(kbase.DataFiles())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ text, typ, want string }{
		{"Stephen Curry", event.TypePerson, "medtop:15000000"},
		{"Boston Red Sox", event.TypeOrg, "medtop:15000000"},
		{"Fenway Park", event.TypeFac, "medtop:15000000"},
		{"Nancy Pelosi", event.TypePerson, "medtop:11000000"},
		{"Tesco", event.TypeOrg, "medtop:04000000"},
		{"London", event.TypeGPE, ""},
	} {
		if code, _, _ := k.EntityTopic(tc.text, tc.typ); code != tc.want {
			t.Errorf("EntityTopic(%q, %s) = %q, want %q", tc.text, tc.typ, code, tc.want)
		}
	}
}

func TestChainAsksInTurn(t *testing.T) {
	c := Chain{kb{"Acme": "medtop:15000000"}, kb{"Acme": "medtop:04000000", "Bolt": "medtop:04000000"}}
	if code, _, _ := c.EntityTopic("Acme", event.TypeOrg); code != "medtop:15000000" {
		t.Errorf("first answer should win, got %q", code)
	}
	if code, _, _ := c.EntityTopic("Bolt", event.TypeOrg); code != "medtop:04000000" {
		t.Errorf("second should answer what the first does not know, got %q", code)
	}
	if _, _, ok := c.EntityTopic("Nobody", event.TypePerson); ok {
		t.Error("unknown name answered")
	}
}

func TestKBEvidenceDecidesAHeadline(t *testing.T) {
	k, err := NewKBTopics(testKBFiles())
	if err != nil {
		t.Fatal(err)
	}
	tg := newTagger(t, Config{Entities: k})
	ents := []event.Entity{{Text: "Jane Hooper", Type: event.TypePerson, Count: 1}}
	got := tag(tg, "", "Jane Hooper waits on Tuesday", ents)
	if len(got) == 0 || got[0].Code != "medtop:15000000" {
		t.Fatalf("topics = %v, want sport first", got)
	}
}

func gzipBytes(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		panic(err)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func TestKBTopicsLookupDoesNotAllocate(t *testing.T) {
	k, err := NewKBTopics(testKBFiles())
	if err != nil {
		t.Fatal(err)
	}
	k.EntityTopic("Jane Hooper", event.TypePerson)
	if n := testing.AllocsPerRun(100, func() { k.EntityTopic("Jane Hooper", event.TypePerson) }); n > 0 {
		t.Errorf("EntityTopic allocates %v times", n)
	}
}
