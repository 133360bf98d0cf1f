package tagger

import (
	"bytes"
	"testing"
	"unsafe"
)

func toks(words ...string) []Tok {
	out := make([]Tok, len(words))
	var scratch []byte
	for i, w := range words {
		scratch = Fill(&out[i], w, scratch)
	}
	return out
}

func TestFillShapes(t *testing.T) {
	tests := []struct {
		word string
		cls  uint8
	}{
		{"Rutte", ClsCap}, {"NATO", ClsAllCap}, {"the", ClsLower}, {"J.", ClsInitial}, {"1996", ClsNumber},
		{",", ClsPunct}, {"iPhone", ClsMixed}, {"F16", ClsAlnum}, {"Ålesund", ClsCap}, {"ÉCOLE", ClsAllCap},
	}
	for _, tc := range tests {
		if got := toks(tc.word)[0].Cls; got != tc.cls {
			t.Errorf("%q: class %d, want %d", tc.word, got, tc.cls)
		}
	}
	a, b := toks("Paris")[0], toks("PARIS")[0]
	if a.Lower != b.Lower || a.Exact == b.Exact || a.Shape == b.Shape {
		t.Error("case should change exact and shape hashes but not the lower-case hash")
	}
}

func TestSentenceModes(t *testing.T) {
	for _, tc := range []struct {
		words []string
		mode  uint8
	}{
		{[]string{"NATO", "CHIEF", "MEETS", "TRUMP"}, ModeAllCaps},
		{[]string{"nato", "chief", "meets", "trump"}, ModeLower},
		{[]string{"Nato", "Chief", "Meets", "Trump", "In", "Florida"}, ModeTitle},
		{[]string{"The", "chief", "met", "Trump", "."}, ModeNormal},
	} {
		ts := toks(tc.words...)
		MarkSentence(ts)
		if ts[0].Mode != tc.mode || !ts[0].SentStart || ts[1].SentStart {
			t.Errorf("%v: mode %d, want %d", tc.words, ts[0].Mode, tc.mode)
		}
	}
}

func TestGazetteerMarkAndLookup(t *testing.T) {
	g := NewGazetteer()
	g.Add("New York", GCity, "Q60")
	g.Add("York", GTown, "")
	ts := toks("in", "NEW", "YORK", "today")
	g.Mark(ts)
	if ts[1].Gaz&(1<<(2*GCity)) == 0 || ts[2].Gaz&(1<<(2*GCity+1)) == 0 || ts[2].Gaz&(1<<(2*GTown)) == 0 {
		t.Errorf("marks: %b %b", ts[1].Gaz, ts[2].Gaz)
	}
	if ts[0].Gaz != 0 || ts[3].Gaz != 0 {
		t.Error("unexpected marks outside the match")
	}
	bits, q := g.Lookup(ts[1:3])
	if !Has(bits, GCity) || q != "Q60" {
		t.Errorf("lookup: %b %q", bits, q)
	}
}

func TestModelRoundTripAndDecoders(t *testing.T) {
	m := NewModel(16)
	for i := range m.W {
		m.W[i] = float32(i%17) - 8
	}
	m.UseViterbi = true
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !m2.UseViterbi || m2.Bits != 16 {
		t.Fatalf("header lost: %+v", m2.Bits)
	}
	for i := range m.W {
		if d := m.W[i] - float32(m2.Q[i])*m2.Scale; d > 0.01 || d < -0.01 {
			t.Fatalf("weight %d: %v vs %v", i, m.W[i], float32(m2.Q[i])*m2.Scale)
		}
	}
	if _, err := Read(bytes.NewReader([]byte("not a model"))); err == nil {
		t.Error("garbage accepted")
	}
	ts := toks("The", "Acme", "Corp", "said", "Smith", "of", "London", "won", ".")
	MarkSentence(ts)
	for _, viterbi := range []bool{false, true} {
		m := m2
		tags := make([]int, len(ts))
		if viterbi {
			var sc ViterbiScratch
			m.Viterbi(ts, tags, &sc, func(i int, out []uint32) []uint32 { return m.Static(ts, i, out) })
		} else {
			var sc Scratch
			m.Decode(ts, tags, &sc)
		}
		prev := O
		for _, tg := range tags {
			if !validAfter(prev, tg) {
				t.Fatalf("viterbi=%v: invalid BIO sequence %v", viterbi, tags)
			}
			prev = tg
		}
	}
}

func TestSetHistory(t *testing.T) {
	ts := toks("Derby", "beat", "Leeds", ".", "Derby", "won", "in", "DERBY")
	tags := []int{BOrg, O, BOrg, O, BLoc, O, O, O}
	SetHistory(ts, tags, map[uint64][4]uint8{})
	// first "Derby": the other occurrences say one LOC (itself not counted)
	if got := ts[0].Hist; got != [4]uint8{0, 0, 1, 0} {
		t.Errorf("Derby#1 history %v", got)
	}
	if got := ts[4].Hist; got != [4]uint8{0, 1, 0, 0} {
		t.Errorf("Derby#2 history %v", got)
	}
	if got := ts[7].Hist; got != [4]uint8{0, 1, 1, 0} {
		t.Errorf("DERBY history %v", got)
	}
	if got := ts[1].Hist; got != [4]uint8{} {
		t.Errorf("beat history %v", got)
	}
}

func TestTokSize(t *testing.T) {
	// decoding reads every token's fields: keep Tok within 72 bytes
	if n := unsafe.Sizeof(Tok{}); n > 72 {
		t.Errorf("Tok is %d bytes, want at most 72", n)
	}
}
