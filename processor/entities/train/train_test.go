package train

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/internal/golden"
	"github.com/newsenrich/newsenrich/processor/entities/internal/tagger"
)

func TestReadCoNLLAndNormalize(t *testing.T) {
	dir := t.TempDir()
	corpus := "# doc a\nPresident\tB-PER\nJoe\tI-PER\nBiden\tI-PER\nmet\tO\nGerman\tO\nofficials\tO\n.\tO\n\n" +
		"the\tO\nbig\tB-ORG\ncompany\tI-ORG\nsaid\tO\n\n# doc b\nFrench\tB-LOC\nvoters\tO\n"
	path := filepath.Join(dir, "toy.conll")
	if err := os.WriteFile(path, []byte(corpus), 0o644); err != nil {
		t.Fatal(err)
	}
	docs, err := ReadCoNLL(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || len(docs[0].Sents) != 2 || len(docs[1].Sents) != 1 {
		t.Fatalf("got %d docs", len(docs))
	}
	n := &Normalizer{Titles: map[string]bool{"president": true}, Demonyms: map[string]bool{"german": true, "french": true}}
	var st Stats
	for i := range docs {
		n.Normalize(&docs[i], &st)
	}
	tags := func(s []Item) string {
		var b []string
		for _, it := range s {
			b = append(b, tagger.TagNames[it.Tag])
		}
		return strings.Join(b, " ")
	}
	if got, want := tags(docs[0].Sents[0]), "O B-PER I-PER O B-MISC O O"; got != want {
		t.Errorf("title/demonym: got %s, want %s", got, want)
	}
	if got, want := tags(docs[0].Sents[1]), "O O O O"; got != want {
		t.Errorf("uncased span: got %s, want %s", got, want)
	}
	if got, want := tags(docs[1].Sents[0]), "B-MISC O"; got != want {
		t.Errorf("demonym LOC: got %s, want %s", got, want)
	}
	if st.TitlesStripped != 1 || st.UncasedDropped != 1 || st.DemonymsToMisc != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestReadCoNLLRejectsMalformed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.conll")
	write(t, path, "token-without-tag\n")
	if _, err := ReadCoNLL(path); err == nil {
		t.Error("want an error for a line without a tab")
	}
}

func TestParseCorporaAndValidate(t *testing.T) {
	c, err := ParseCorpora("a, b=0.5")
	if err != nil || c["a"] != 1 || c["b"] != 0.5 {
		t.Fatalf("got %v %v", c, err)
	}
	if _, err := ParseCorpora("a=2"); err == nil {
		t.Error("share 2 accepted")
	}
	o := Options{Epochs: 0, Bits: 30}
	err = o.Validate()
	for _, want := range []string{"data folder", "gazetteers folder", "output folder", "epochs", "bits", "no corpora"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want mention of %q", err, want)
		}
	}
}

// testPools are small name pools for the synthesizer.
func testPools() *pools {
	return &pools{
		clubsByCountry: map[string][]string{"X": {"FC Alpha|Alpha", "Beta United|Beta", "Gamma|Gamma City", "Delta"}},
		countries:      []string{"X"},
		nations:        []string{"Ruritania", "Freedonia", "Sylvania", "Latveria"},
		bigCities:      []string{"Alphaville"},
		cityByCountry:  map[string][]string{"US": {"A", "B", "C", "D"}, "GB": {"E", "F", "G", "H"}},
		regions:        []string{"North", "South"},
		first:          []string{"John"}, sur: []string{"Smith"},
		companies: []string{"Acme Corp"}, events: []string{"World Cup"}, demonyms: []string{"Ruritanian"},
	}
}

// TestSynthesizeGolden pins the documents a seed writes, so that a change
// to the synthesizer that alters the training data shows up as a diff.
func TestSynthesizeGolden(t *testing.T) {
	var b strings.Builder
	for i, d := range Synthesize(testPools(), 20, 7) {
		fmt.Fprintf(&b, "# doc %d %s\n", i, d.Corpus)
		for _, s := range d.Sents {
			for k, it := range s {
				if k > 0 {
					b.WriteByte(' ')
				}
				fmt.Fprintf(&b, "%s/%d", it.Text, it.Tag)
			}
			b.WriteByte('\n')
		}
	}
	golden.Check(t, filepath.Join("testdata", "synthesize.golden"), []byte(b.String()))
}

func TestSynthesizeIsDeterministic(t *testing.T) {
	p := testPools()
	a, b := Synthesize(p, 20, 7), Synthesize(p, 20, 7)
	if len(a) != 40 {
		t.Fatalf("got %d docs", len(a))
	}
	for i := range a {
		for j := range a[i].Sents {
			for k := range a[i].Sents[j] {
				if a[i].Sents[j][k] != b[i].Sents[j][k] {
					t.Fatal("same seed, different output")
				}
			}
		}
	}
	// every entity span is well formed BIO
	for _, d := range a {
		for _, s := range d.Sents {
			prev := tagger.O
			for _, it := range s {
				if !tagger.IsB(it.Tag) && it.Tag != tagger.O && prev != it.Tag && prev != it.Tag-1 {
					t.Fatalf("invalid BIO in %v", s)
				}
				prev = it.Tag
			}
		}
	}
}

func TestNameForms(t *testing.T) {
	for _, tc := range []struct{ in, dotted string }{
		{"UN", "U.N."}, {"EU", "E.U."}, {"NATO", "N.A.T.O."}, {"OPEC", "O.P.E.C."},
		{"A", ""}, {"UNESCO", ""}, {"Un", ""}, {"G7", ""},
	} {
		if got := dotted(tc.in); got != tc.dotted {
			t.Errorf("dotted(%q) = %q, want %q", tc.in, got, tc.dotted)
		}
	}
	for _, tc := range []struct{ in, short string }{
		{"Pirelli SA", "Pirelli"}, {"Magna International Inc", "Magna International"}, {"Acme", "Acme"}, {"Inc", "Inc"},
	} {
		if got := shortName(tc.in); got != tc.short {
			t.Errorf("shortName(%q) = %q, want %q", tc.in, got, tc.short)
		}
	}
}

// write creates a test input file.
func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
