package tagger

import (
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/internal/samples"
)

// shipped loads the shipped models (laid side by side when paired) and
// gazetteer, and the sample articles as documents of whitespace tokens with
// sentences ending at a full stop.
func shipped(t testing.TB, paired bool) (m1, m2 *Model, docs [][]Tok, sents [][]Span) {
	t.Helper()
	fsys := os.DirFS("../../model")
	var files [2]fs.File
	for i, name := range []string{"ner.bin.gz", "ner2.bin.gz"} {
		f, err := fsys.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		files[i] = f
	}
	var err error
	if paired {
		m1, m2, err = ReadPair(files[0], files[1])
	} else {
		if m1, err = Read(files[0]); err == nil {
			m2, err = Read(files[1])
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if paired != (m1.stride == 2*NTags) {
		t.Fatalf("paired=%v but row stride %d", paired, m1.stride)
	}
	g, err := LoadGazetteer(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var ds DocStats
	for _, a := range samples.WikinewsArticles() {
		words := strings.Fields(a.Body)
		ts := toks(words...)
		var ss []Span
		start := 0
		for i, w := range words {
			if strings.HasSuffix(w, ".") || i == len(words)-1 {
				ss = append(ss, Span{start, i + 1})
				start = i + 1
			}
		}
		PrepareDoc(ts, ss, g, &ds)
		docs, sents = append(docs, ts), append(sents, ss)
	}
	return m1, m2, docs, sents
}

// decodeDoc runs both passes over a document the way the recognizer does,
// with viterbi as the decoder, and returns the tags and every Viterbi score.
func decodeDoc(m1, m2 *Model, ts []Tok, ss []Span, viterbi func(m *Model, ts []Tok, tags []int, sc *ViterbiScratch)) ([]int, []float32) {
	tags := make([]int, len(ts))
	var scores []float32
	var sc ViterbiScratch
	for _, m := range []*Model{m1, m2} {
		if m.Second {
			SetHistory(ts, tags, map[uint64][4]uint8{})
		}
		for _, s := range ss {
			viterbi(m, ts[s.Start:s.End], tags[s.Start:s.End], &sc)
			scores = append(scores, sc.delta[:(s.End-s.Start)*NTags]...)
		}
	}
	return tags, scores
}

func TestViterbiQMatchesReference(t *testing.T) {
	m1, m2, docs, sents := shipped(t, false)
	ref := func(m *Model, ts []Tok, tags []int, sc *ViterbiScratch) {
		m.viterbiRef(ts, tags, sc, func(i int, out []uint32) []uint32 { return m.Static(ts, i, out) })
	}
	fast := func(m *Model, ts []Tok, tags []int, sc *ViterbiScratch) {
		m.Viterbi(ts, tags, sc, func(i int, out []uint32) []uint32 { return m.Static(ts, i, out) })
	}
	type result struct {
		tags   []int
		scores []float32
	}
	var want [2][]result
	for bi, beam := range []float32{0, 160} {
		m1.Beam, m2.Beam = beam, beam
		for d := range docs {
			tags, scores := decodeDoc(m1, m2, docs[d], sents[d], ref)
			want[bi] = append(want[bi], result{tags, scores})
		}
	}
	p1, p2, _, _ := shipped(t, true)
	for _, layout := range []string{"separate", "paired"} {
		if layout == "paired" {
			m1, m2 = p1, p2
		}
		for bi, beam := range []float32{0, 160} {
			m1.Beam, m2.Beam = beam, beam
			for d := range docs {
				w := want[bi][d]
				for name, dec := range map[string]func(*Model, []Tok, []int, *ViterbiScratch){"reference": ref, "fast": fast} {
					if layout == "separate" && name == "reference" {
						continue
					}
					tags, scores := decodeDoc(m1, m2, docs[d], sents[d], dec)
					if !slices.Equal(tags, w.tags) || !slices.Equal(scores, w.scores) {
						t.Fatalf("%s layout, %s decoder, beam %v, doc %d: tags or scores differ from the reference", layout, name, beam, d)
					}
				}
			}
		}
	}
}

// BenchmarkViterbi is both passes of the shipped models over the sample
// articles' sentences, with the recognizer's beam.
func BenchmarkViterbi(b *testing.B) {
	m1, m2, docs, sents := shipped(b, true)
	m1.Beam, m2.Beam = 160, 160
	tokens := 0
	for _, ts := range docs {
		tokens += len(ts)
	}
	fast := func(m *Model, ts []Tok, tags []int, sc *ViterbiScratch) {
		m.Viterbi(ts, tags, sc, func(i int, out []uint32) []uint32 { return m.Static(ts, i, out) })
	}
	for b.Loop() {
		for d := range docs {
			decodeDoc(m1, m2, docs[d], sents[d], fast)
		}
	}
	b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}
