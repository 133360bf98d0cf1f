package eval

import "testing"

// A hand-made article typed by the guidelines' seven types: the onto map
// scores every type (MISC is not one of them and is ignored), and the link
// figures count the clusters with an id.
func TestScoreModernTiny(t *testing.T) {
	s, err := LoadSet("modern-tiny", "testdata/modern-tiny.articles.jsonl", "testdata/modern-tiny.gold.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	d := Diag{}
	preds, err := ReadPredictions("testdata/modern-tiny.pred.jsonl", s, d)
	if err != nil {
		t.Fatal(err)
	}
	if got := DefaultMapName(s); got != "onto" {
		t.Fatalf("map %s, want onto", got)
	}
	r, err := Score(s, preds, Options{Diag: d})
	if err != nil {
		t.Fatal(err)
	}
	n := r.NER
	// gold 6 mentions; predicted 5 in seven types, 4 right (White House is
	// FAC, not ORG); American missed
	if n.Mention.TP != 4 || n.Mention.FP != 1 || n.Mention.FN != 2 {
		t.Errorf("mention counts %+v, want tp 4 fp 1 fn 2", n.Mention)
	}
	for typ, want := range map[string]PRF{
		"EVENT": {TP: 1}, "FAC": {FN: 1}, "NORP": {FN: 1}, "ORG": {TP: 1, FP: 1}, "GPE": {TP: 2},
	} {
		got := n.PerType[typ]
		if got.TP != want.TP || got.FP != want.FP || got.FN != want.FN {
			t.Errorf("%s: %+v, want tp %d fp %d fn %d", typ, got, want.TP, want.FP, want.FN)
		}
	}
	if r.Links == nil {
		t.Fatal("no link figures on a seven-type set")
	}
	if l := r.Links; l.Clusters != 5 || l.Linked != 3 || l.Coverage != 0.6 || l.PerType["GPE"] != 1 || l.PerType["ORG"] != 0.5 {
		t.Errorf("links %+v, want 3 of 5 (GPE 1, ORG 0.5)", *l)
	}
	f := r.Figures()
	if f["links.coverage"] != 0.6 {
		t.Errorf("figure links.coverage = %v", f["links.coverage"])
	}
}

func TestRepoSets(t *testing.T) {
	sets, err := RepoSets("sets")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name     string
		articles int
		ner      bool
	}{{"modern-dev-a", 30, true}, {"modern-dev-b", 30, true}, {"modern-dev-c", 26, false}, {"modern-dev-d", 27, false}, {"modern-dev-e", 61, false}, {"wikinews-samples", 24, false}}
	if len(sets) != len(want) {
		t.Fatalf("repo sets %v, want %d", sets, len(want))
	}
	for i, p := range sets {
		w := want[i]
		if SetName(p) != w.name {
			t.Fatalf("repo set %d is %s, want %s", i, SetName(p), w.name)
		}
		s, err := LoadSet(SetName(p), p+articlesSuffix, p+goldSuffix)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Articles) != w.articles || len(s.Gold) != w.articles || s.HasNER() != w.ner {
			t.Errorf("%s: %d articles, %d gold lines, entities %v", s.Name, len(s.Articles), len(s.Gold), s.HasNER())
		}
	}
}
