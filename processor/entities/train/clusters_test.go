package train

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/newsenrich/newsenrich/processor/entities/internal/tagger"
)

// clusterSentences: city names and weekday names each fill their own
// contexts, so the clusters must keep the two groups apart.
func clusterSentences() [][]string {
	cities := []string{"Paris", "Berlin", "Madrid", "Rome", "Vienna", "Oslo", "Prague", "Lisbon"}
	days := []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "today"}
	var out [][]string
	for i := range 400 {
		c, d := cities[i%len(cities)], days[(i/3)%len(days)]
		out = append(out,
			[]string{"talks", "opened", "in", c, "on", "the", "river"},
			[]string{"the", "minister", "flew", "to", c, "yesterday"},
			[]string{"the", "vote", "was", "held", "on", d, "evening"},
			[]string{"markets", "fell", "sharply", d, "morning", "again"},
		)
	}
	return out
}

func TestBuildClustersSeparatesGroupsAndIsDeterministic(t *testing.T) {
	o := ClusterOptions{MinCount: 3, Contexts: 50, Iters: 8, Dims: 8}
	a := BuildClusters(clusterSentences(), o, 1)
	b := BuildClusters(clusterSentences(), o, 1)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same input and seed gave different clusters")
	}
	top := func(w string) string { return fmt.Sprint(a[w][:2]) }
	for _, w := range []string{"berlin", "madrid", "rome"} {
		if top(w) != top("paris") {
			t.Errorf("%s %v and paris %v are apart", w, a[w], a["paris"])
		}
	}
	for _, w := range []string{"tuesday", "friday"} {
		if top(w) != top("monday") {
			t.Errorf("%s %v and monday %v are apart", w, a[w], a["monday"])
		}
	}
	if top("paris") == top("monday") {
		t.Errorf("cities and weekdays share %v", a["paris"][:2])
	}
	for w, p := range a {
		if len(p) != tagger.ClusterLevels {
			t.Fatalf("%s: path %v, want %d levels", w, p, tagger.ClusterLevels)
		}
	}
}

func TestClustersFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	paths := BuildClusters(clusterSentences(), ClusterOptions{MinCount: 3, Contexts: 50, Iters: 4, Dims: 8}, 2)
	if err := writeClusters(paths, dir+"/"+tagger.ClustersFile); err != nil {
		t.Fatal(err)
	}
	c, err := tagger.LoadClusters(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != len(paths) {
		t.Fatalf("loaded %d words, wrote %d", c.Len(), len(paths))
	}
	toks := make([]tagger.Tok, 3)
	var scratch []byte
	for i, w := range []string{"Paris", "PARIS", "unseen"} {
		scratch = tagger.Fill(&toks[i], w, scratch)
	}
	c.Mark(toks)
	if toks[0].Clu == 0 || toks[0].Clu != toks[1].Clu || toks[2].Clu != 0 {
		t.Errorf("Clu = %d %d %d: want Paris = PARIS != 0 and unseen 0", toks[0].Clu, toks[1].Clu, toks[2].Clu)
	}
	for l := 1; l <= tagger.ClusterLevels; l++ {
		want := slices.Clone(paths["paris"][:l])
		got := tagger.ClusterPrefix(toks[0].Clu, l)
		var enc uint64
		for _, d := range want {
			enc = enc<<tagger.ClusterBits | uint64(d)
		}
		if got != uint64(l)<<16|enc {
			t.Errorf("level %d prefix %x, want path %v", l, got, want)
		}
	}
	if _, err := tagger.LoadClusters(os.DirFS(t.TempDir())); err != nil {
		t.Errorf("a missing file must be no clusters, got %v", err)
	}
}
