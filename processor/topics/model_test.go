package topics

import (
	"bytes"
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/text"
)

// trainTiny trains a model on 40 copies of each example and decodes it.
func trainTiny(t *testing.T, opt TrainOptions, examples ...Example) (*model, []Example) {
	t.Helper()
	var ex []Example
	for i := 0; i < 40; i++ {
		ex = append(ex, examples...)
	}
	var buf bytes.Buffer
	if err := TrainModel(ex, opt, &buf); err != nil {
		t.Fatal(err)
	}
	m, err := decodeModel(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return m, ex
}

func TestTrainModelRoundTrip(t *testing.T) {
	m, _ := trainTiny(t, TrainOptions{Buckets: 1 << 10, Epochs: 4},
		Example{Body: "the striker scored a goal in the match", Code: "medtop:15000000"},
		Example{Body: "the minister won the election vote in parliament", Code: "medtop:11000000"})
	var buf bytes.Buffer
	if len(m.classes) != 17 || m.buckets != 1<<10 {
		t.Fatalf("model has %d classes, %d buckets", len(m.classes), m.buckets)
	}
	p := make([]float64, len(m.classes))
	for _, tc := range []struct{ text, want string }{
		{"goal in the match", "medtop:15000000"},
		{"election in parliament", "medtop:11000000"},
	} {
		var d text.Doc
		d.Reset(tc.text)
		m.predict(appendFeatures(nil, nil, &d, modelTokens, m.grams), p)
		best := 0
		for c := range p {
			if p[c] > p[best] {
				best = c
			}
		}
		if m.classes[best] != tc.want {
			t.Errorf("%q: best %s (p=%.2f), want %s", tc.text, m.classes[best], p[best], tc.want)
		}
	}
	if _, err := decodeModel([]byte("not a model")); err == nil {
		t.Error("decodeModel accepted garbage")
	}
	if err := TrainModel([]Example{{Body: "x", Code: "medtop:99"}}, TrainOptions{}, &buf); err == nil {
		t.Error("TrainModel accepted an unknown code")
	}
}

// A word the training text never had counts through its letter n-grams:
// the inflected and compound forms of headlines.
func TestLetterGramsReachUnseenForms(t *testing.T) {
	var ex []Example
	for _, tc := range []struct {
		grams Grams
		want  bool
	}{{Grams{}, false}, {Grams{4, 5}, true}} {
		var m *model
		m, ex = trainTiny(t, TrainOptions{Buckets: 1 << 12, Epochs: 4, Grams: tc.grams},
			Example{Body: "volcanologists measured the eruption", Code: "medtop:13000000"},
			Example{Body: "goalkeeper saved the penalty", Code: "medtop:15000000"})
		if m.grams != tc.grams {
			t.Fatalf("decoded n-grams %v, want %v", m.grams, tc.grams)
		}
		var d text.Doc
		d.Reset("Volcanologist warns") // never seen as a word
		p := make([]float64, len(m.classes))
		m.predict(appendFeatures(nil, nil, &d, modelTokens, m.grams), p)
		sci, sport := 0, 0
		for c, code := range m.classes {
			switch code {
			case "medtop:13000000":
				sci = c
			case "medtop:15000000":
				sport = c
			}
		}
		if got := p[sci] > 2*p[sport]; got != tc.want {
			t.Errorf("n-grams %v: science %.3f, sport %.3f; science well ahead %v, want %v", tc.grams, p[sci], p[sport], got, tc.want)
		}
	}
	if err := TrainModel(ex, TrainOptions{Grams: Grams{1, 3}}, new(bytes.Buffer)); err == nil {
		t.Error("TrainModel accepted 1-letter n-grams")
	}
}

func TestEmbeddedModelAndGazetteer(t *testing.T) {
	m, err := decodeModel(modelFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.classes) != 17 {
		t.Fatalf("embedded model: %d classes", len(m.classes))
	}
	tsv, err := gunzip(entityTopicsGz)
	if err != nil {
		t.Fatal(err)
	}
	g, err := ParseGazetteer(tsv)
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() < 1000 {
		t.Fatalf("embedded gazetteer: %d names", g.Len())
	}
}

func TestGazetteer(t *testing.T) {
	g, err := ParseGazetteer("# comment\nManchester United\tmedtop:20001065\tORG,OTHER\nNVIDIA CORP\tmedtop:04000000\tORG\nJane Roe\tmedtop:11000000\tPERSON\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text, typ, want string
	}{
		{"Manchester United", event.TypeOrg, "medtop:20001065"},
		{"manchester  united", event.TypeMisc, "medtop:20001065"},
		{"Manchester United", event.TypeGPE, ""}, // places are never looked up
		{"Nvidia", event.TypeOrg, "medtop:04000000"},
		{"Nvidia Corp.", event.TypeOrg, "medtop:04000000"},
		{"Nvidia", event.TypePerson, ""}, // wrong type
		{"Jane Roe", event.TypePerson, "medtop:11000000"},
		{"Jane Roe", event.TypeOrg, ""},
		{"Unknown FC", event.TypeOrg, ""},
	} {
		got, _, ok := g.EntityTopic(tc.text, tc.typ)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("EntityTopic(%q, %s) = %q, %v; want %q", tc.text, tc.typ, got, ok, tc.want)
		}
	}
	for _, bad := range []string{"name only\n", "x\tnot-a-code\n", "x\tmedtop:04000000\tROBOT\n"} {
		if _, err := ParseGazetteer(bad); err == nil {
			t.Errorf("ParseGazetteer(%q) accepted", bad)
		}
	}
}

// kb is an EntityTopics standing in for a knowledge base.
type kb map[string]string

func (k kb) EntityTopic(text, typ string) (string, float64, bool) {
	c, ok := k[text]
	return c, 1, ok
}

func TestEntityEvidenceDecidesAHeadline(t *testing.T) {
	tg := newTagger(t, Config{Entities: kb{"Wanderlust Rovers": "medtop:20001065"}})
	ents := []event.Entity{{Text: "Wanderlust Rovers", Type: event.TypeOrg, Count: 1}}
	got := tag(tg, "", "Wanderlust Rovers in talks", ents)
	if len(got) == 0 || !strings.HasPrefix(got[0].Code, "medtop:15") {
		t.Fatalf("topics = %v, want sport first", got)
	}
	if err := (Config{ModelWeight: -1}).Validate(); err == nil {
		t.Error("negative ModelWeight accepted")
	}
}

func TestMatchCues(t *testing.T) {
	for _, tc := range []struct {
		w      string
		number bool
		want   bool
	}{
		{"4-1", true, true}, {"31-37", true, true}, {"v", false, true}, {"vs", false, true},
		{"2004-05", true, false}, {"1-", true, false}, {"-1", true, false}, {"a-b", true, false}, {"versus", false, false},
	} {
		if got := isMatchCue(tc.w, tc.number); got != tc.want {
			t.Errorf("isMatchCue(%q) = %v", tc.w, got)
		}
	}
	tg := newTagger(t, Config{NoModel: true})
	got := tag(tg, "", "Wasps 31-37 Leicester", nil)
	if len(got) == 0 || got[0].Code != "medtop:15000000" {
		t.Fatalf("a result between two names: %v, want sport", got)
	}
}
