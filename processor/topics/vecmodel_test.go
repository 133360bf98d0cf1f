package topics

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/processor/text"
)

// The word-vector part knows names no list of the project holds; each of
// these headlines has no topic word the lexicon weighs.
func TestWordVectorsKnowNames(t *testing.T) {
	tg := newTagger(t, Config{})
	for _, tc := range []struct{ headline, want string }{
		{"Springsteen plays hometown show", "medtop:01000000"},
		{"Beyonce leads Grammy nominations", "medtop:01000000"},
		{"Pelosi rebukes Senate leaders", "medtop:11000000"},
		{"Macron faces no-confidence vote", "medtop:11000000"},
		{"Kershaw shuts out Giants", "medtop:15000000"},
		{"Messi inspires Inter Miami comeback", "medtop:15000000"},
	} {
		ex := tg.Explain(nil, text.New(tc.headline), nil)
		var got string
		for _, s := range ex.Sources {
			if s.Source != SourceWordVectors {
				continue
			}
			best := 0.0
			for code, e := range s.Evidence {
				if e > best {
					got, best = code, e
				}
			}
		}
		if got != tc.want {
			t.Errorf("%q: the word vectors favour %q, want %q", tc.headline, got, tc.want)
		}
	}
}

// The vectors change the answer where the hashed part reads a word the
// wrong way: "chip" is technology, "shares surge" the market.
func TestWordVectorsChangeTheAnswer(t *testing.T) {
	const headline = "Nvidia shares surge on chip demand"
	with := newTagger(t, Config{}).Topics(nil, text.New(headline), nil)
	without := newTagger(t, Config{NoVectors: true}).Topics(nil, text.New(headline), nil)
	if len(with) == 0 || with[0].Code != "medtop:04000000" {
		t.Errorf("with the vectors: %v, want economy first", with)
	}
	if len(without) == 0 || without[0].Code == "medtop:04000000" {
		t.Errorf("without the vectors: %v, want another first topic (else this test shows nothing)", without)
	}
}

func TestNoVectors(t *testing.T) {
	tg := newTagger(t, Config{NoVectors: true})
	ex := tg.Explain(text.New("Storm closes schools"), text.New("Heavy snow closed schools across the region on Monday."), nil)
	for _, s := range ex.Sources {
		if s.Source == SourceWordVectors {
			t.Fatalf("NoVectors: sources %+v, want no word vectors", ex.Sources)
		}
	}
	if newTagger(t, Config{NoModel: true}).vec != nil {
		t.Error("NoModel leaves out both parts of the learned model")
	}
}

func TestParseVecModelRejects(t *testing.T) {
	good := vecMagic + "\ndims 2\nmedtop:01000000 0.5 1 -1\nmedtop:04000000 0 0.25 2\n"
	m, err := parseVecModel("# a comment\n" + good)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"medtop:01000000", "medtop:04000000"}; !reflect.DeepEqual(m.classes, want) || len(m.w) != 4 || m.bias[0] != 0.5 {
		t.Fatalf("parsed %+v", m)
	}
	for name, src := range map[string]string{
		"empty":         "",
		"no magic":      "dims 2\nmedtop:01000000 0 1 1\n",
		"no dims":       vecMagic + "\nmedtop:01000000 0 1 1\n",
		"short row":     vecMagic + "\ndims 2\nmedtop:01000000 0 1\n",
		"not a number":  vecMagic + "\ndims 2\nmedtop:01000000 0 1 x\n",
		"NaN":           vecMagic + "\ndims 2\nmedtop:01000000 0 1 NaN\n",
		"two dims":      vecMagic + "\ndims 2\ndims 2\n",
		"no classes":    vecMagic + "\ndims 2\n",
		"negative dims": vecMagic + "\ndims -1\n",
	} {
		if _, err := parseVecModel(src); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

// A model trained on a few texts per topic separates them, and the tagger
// takes the file it writes.
func TestTrainVectorModel(t *testing.T) {
	var ex []Example
	for _, e := range []struct{ code, text string }{
		{"medtop:15000000", "The striker scored twice as the home side won the league match"},
		{"medtop:15000000", "The goalkeeper saved a penalty in the cup final"},
		{"medtop:15000000", "The midfielder signed for the champions on a free transfer"},
		{"medtop:04000000", "Shares fell as the central bank raised interest rates"},
		{"medtop:04000000", "The company reported record quarterly profits and revenue"},
		{"medtop:04000000", "Inflation rose and the currency weakened against the dollar"},
	} {
		for range 20 {
			ex = append(ex, Example{Body: e.text, Code: e.code})
		}
	}
	var buf bytes.Buffer
	if err := TrainVectorModel(ex, VectorTrainOptions{Seed: 1, Epochs: 20}, "test model", &buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "# test model\n"+vecMagic+"\n") {
		t.Fatalf("file starts %q", buf.String()[:40])
	}
	m, err := parseVecModel(buf.String())
	if err != nil {
		t.Fatal(err)
	}
	tab, err := embeddedVectors()
	if err != nil {
		t.Fatal(err)
	}
	var ids []int32
	p := make([]float64, len(m.classes))
	v := make([]float32, tab.Dims())
	for i := 0; i < len(ex); i += 20 {
		e := ex[i]
		var d text.Doc
		d.Reset(e.Body)
		ids = appendPieces(ids[:0], nil, tab, nil, &d)
		tab.Mean(v, ids)
		m.predict(v, p)
		best := 0
		for c := range p {
			if p[c] > p[best] {
				best = c
			}
		}
		if m.classes[best] != e.Code {
			t.Errorf("%q: predicted %s, want %s", e.Body, m.classes[best], e.Code)
		}
	}
	if _, err := New(Config{VectorModelData: buf.Bytes()}); err != nil {
		t.Fatalf("New with the trained model: %v", err)
	}
	if err := TrainVectorModel([]Example{{Body: "x", Code: "medtop:99"}}, VectorTrainOptions{}, "", &buf); err == nil {
		t.Error("unknown code: want an error")
	}
}
