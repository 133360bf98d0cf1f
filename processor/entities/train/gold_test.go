package train

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/newsenrich/newsenrich/processor/entities/internal/tagger"
)

func TestReadGold(t *testing.T) {
	dir := t.TempDir()
	arts := filepath.Join(dir, "a.jsonl")
	gold := filepath.Join(dir, "g.jsonl")
	// "Zoë" makes code points and bytes differ before the spans
	write(t, arts, (`{"id":"x","body":"Zoë Ball met NATO in New York on Monday."}
{"id":"dev","body":"Kept out."}
`))
	write(t, gold, (`{"id":"x","entities":[{"start":0,"end":8,"type":"PERSON"},{"start":13,"end":17,"type":"ORG"},{"start":21,"end":29,"type":"GPE"}]}
{"id":"dev","entities":[{"start":0,"end":4,"type":"PERSON"}]}
`))
	docs, err := ReadGold(arts, []string{gold}, map[string]bool{"dev": true})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].Corpus != ModernCorpus {
		t.Fatalf("got %d docs, want the one not excluded", len(docs))
	}
	var got []string
	for _, s := range docs[0].Sents {
		for _, it := range s {
			got = append(got, it.Text+"/"+tagger.TagNames[it.Tag])
		}
	}
	want := []string{"Zoë/B-PER", "Ball/I-PER", "met/O", "NATO/B-ORG", "in/O", "New/B-LOC", "York/I-LOC", "on/O", "Monday/O", "./O"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("token %d: %s, want %s", i, got[i], want[i])
		}
	}
}

// TestDevIDsOnlyEntitySets: training refuses the articles of the sets that
// annotate entities, not those of a set that scores only quotes.
func TestDevIDsOnlyEntitySets(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("dev-a.gold.jsonl", `{"id":"a1","entities":[{"start":0,"end":4,"type":"PERSON"}],"quotes":[]}`+"\n"+`{"id":"a2","entities":[],"quotes":[]}`+"\n")
	write("dev-c.gold.jsonl", `{"id":"c1","quotes":[{"start":0,"end":9}]}`+"\n")
	got, err := DevIDs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !got["a1"] || !got["a2"] || got["c1"] || len(got) != 2 {
		t.Fatalf("DevIDs = %v, want a1 and a2 only", got)
	}
}
