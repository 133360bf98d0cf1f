package entities

import (
	"github.com/newsenrich/newsenrich/internal/golden"
	"github.com/newsenrich/newsenrich/internal/samples"

	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/decode"
	"github.com/newsenrich/newsenrich/processor/text"
)

var (
	recOnce sync.Once
	rec     *Recognizer
	recErr  error
)

func recognizer(tb testing.TB) *Recognizer {
	tb.Helper()
	recOnce.Do(func() { rec, recErr = New(Config{}) })
	if recErr != nil {
		tb.Fatal(recErr)
	}
	return rec
}

// findText returns the entity whose name is name.
func findText(es []event.Entity, name string) *event.Entity {
	for i := range es {
		if es[i].Text == name {
			return &es[i]
		}
	}
	return nil
}

// find returns the entity named name, or else the one with a mention
// written so (a linked entity's name is the knowledge base's: "LONDON" is
// "London").
func find(es []event.Entity, name string) *event.Entity {
	for i := range es {
		if es[i].Text == name {
			return &es[i]
		}
	}
	for i := range es {
		for _, m := range es[i].Mentions {
			if m.Text == name {
				return &es[i]
			}
		}
	}
	return nil
}

func TestSeedArticle(t *testing.T) {
	r := recognizer(t)
	a := samples.SeedArticle()
	doc := text.New(a.Body)
	es := r.Entities(doc)

	for _, e := range es {
		for _, m := range e.Mentions {
			if a.Body[m.Start:m.End] != m.Text {
				t.Errorf("%s: mention %q does not match body bytes %d:%d", e.Text, m.Text, m.Start, m.End)
			}
		}
	}
	want := []struct {
		name, typ, wikidata string
		mentions            []string // every mention text must be one of these
		minCount            int
	}{
		{"Mark Rutte", event.TypePerson, "", []string{"Mark Rutte", "Rutte"}, 3},
		{"Donald Trump", event.TypePerson, "", []string{"Donald Trump", "Trump"}, 4},
		{"Farah Dakhlallah", event.TypePerson, "", []string{"Farah Dakhlallah"}, 1},
		{"NATO", event.TypeOrg, "Q7184", []string{"NATO"}, 6},
		{"Ukraine", event.TypeGPE, "", []string{"Ukraine"}, 2},
		{"Russia", event.TypeGPE, "", []string{"Russia"}, 3},
		{"Kyiv", event.TypeGPE, "", []string{"Kyiv"}, 2},
	}
	for _, w := range want {
		e := find(es, w.name)
		if e == nil {
			t.Errorf("entity %q not found", w.name)
			continue
		}
		if e.Type != w.typ {
			t.Errorf("%s: type %s, want %s", w.name, e.Type, w.typ)
		}
		if w.wikidata != "" && e.Wikidata != w.wikidata {
			t.Errorf("%s: wikidata %q, want %q", w.name, e.Wikidata, w.wikidata)
		}
		if e.Count != len(e.Mentions) || e.Count < w.minCount {
			t.Errorf("%s: count %d with %d mentions, want at least %d", w.name, e.Count, len(e.Mentions), w.minCount)
		}
		for _, m := range e.Mentions {
			ok := false
			for _, s := range w.mentions {
				ok = ok || m.Text == s
			}
			if !ok {
				t.Errorf("%s: unexpected mention %q", w.name, m.Text)
			}
		}
	}
	// one entity per real-world thing, titles never inside a person
	seen := map[string]bool{}
	for _, e := range es {
		key := e.Type + "/" + e.Text
		if seen[key] {
			t.Errorf("entity %s appears twice", key)
		}
		seen[key] = true
		if e.Type == event.TypePerson {
			for _, m := range e.Mentions {
				for _, title := range []string{"Secretary", "President", "spokesperson"} {
					if strings.Contains(m.Text, title) {
						t.Errorf("person mention %q holds a title", m.Text)
					}
				}
			}
		}
		if e.Text == "NATO" && e.Type == event.TypePerson {
			t.Error("NATO tagged as a person")
		}
	}

	golden.CheckJSON(t, filepath.Join("testdata", "seed.golden.json"), es)
}

func TestEmptyAndPunctuation(t *testing.T) {
	r := recognizer(t)
	for _, s := range []string{"", " \n ", "...", "“”", "1 2 3"} {
		if es := r.Entities(text.New(s)); len(es) != 0 {
			t.Errorf("%q: got %v, want none", s, es)
		}
	}
}

func TestRules(t *testing.T) {
	r := recognizer(t)
	tests := []struct {
		name, body string
		want       map[string]string // entity text -> type
		not        []string          // texts that must not be an entity's canonical text
	}{
		{
			name: "titles stay outside person names",
			body: "U.S. President-elect Donald Trump met Secretary-General Mark Rutte in Brussels on Friday.",
			want: map[string]string{"Donald Trump": event.TypePerson, "Mark Rutte": event.TypePerson},
			not:  []string{"President-elect Donald Trump", "Secretary-General Mark Rutte"},
		},
		{
			name: "surname joins the full name",
			body: "Angela Merkel arrived in Paris on Monday. Merkel said the talks were useful, and Merkel left.",
			want: map[string]string{"Angela Merkel": event.TypePerson, "Paris": event.TypeGPE},
			not:  []string{"Merkel"},
		},
		{
			name: "international organisation by abbreviation",
			body: "NATO and the European Union said on Tuesday that the WHO would help.",
			want: map[string]string{"NATO": event.TypeOrg, "European Union": event.TypeOrg},
		},
		{
			name: "organisation suffix",
			body: "Shares of Acme Widgets Inc. rose after the company said profits doubled.",
			want: map[string]string{"Acme Widgets Inc.": event.TypeOrg},
		},
		{
			name: "nationality words are NORP",
			body: "The Dutch government and French officials met German diplomats in Berlin.",
			want: map[string]string{"Dutch": event.TypeNORP, "French": event.TypeNORP, "German": event.TypeNORP, "Berlin": event.TypeGPE},
		},
		{
			name: "capitals headline borrows labels from the body",
			body: "MERKEL MEETS MACRON IN PARIS\nAngela Merkel met Emmanuel Macron in Paris on Monday.",
			want: map[string]string{"Angela Merkel": event.TypePerson, "Emmanuel Macron": event.TypePerson, "Paris": event.TypeGPE},
			not:  []string{"MERKEL", "MACRON", "PARIS"},
		},
		{
			name: "city-named sides on a sports page are organisations, datelines and countries places",
			body: "ICE HOCKEY - RESULTS. NEW YORK 2003-02-03 Results on Friday: Hartford 3 Quebec 2 Winnipeg 4 Calgary 1. " +
				"Quebec lost for the third time. Italy 2 Brazil 1.",
			want: map[string]string{"Hartford": event.TypeOrg, "Quebec": event.TypeOrg, "NEW YORK": event.TypeGPE, "Italy": event.TypeGPE},
		},
		{
			name: "a side named after a place that is also a first name",
			body: "CRICKET - SCORES. LONDON 2003-07-05 Close of play: Sussex 201 (J. Smith 4-40), Devon 108-3. Lincoln 99 and 45-2.",
			want: map[string]string{"Lincoln": event.TypeOrg, "Sussex": event.TypeOrg, "LONDON": event.TypeGPE},
		},
		{
			name: "places stay places off the sports page",
			body: "Officials from Hartford and Winnipeg met in Quebec on Friday to discuss water rights.",
			want: map[string]string{"Hartford": event.TypeGPE, "Winnipeg": event.TypeGPE, "Quebec": event.TypeGPE},
		},
		{
			name: "a legal suffix makes the short name the company",
			body: "MILAN 2004-03-02 Bertolini SpA said on Monday it would cut jobs. Bertolini said sales fell. " +
				"Analysts expect Bertolini to sell its cables unit.",
			want: map[string]string{"Bertolini SpA": event.TypeOrg, "Bertolini": event.TypeOrg},
		},
		{
			name: "a dateline is a place",
			body: "SOCCER - SPAIN BEAT MALTA IN QUALIFIER. VALLETTA, Malta 2003-07-05 Spain beat Malta 4-0 on Saturday.",
			want: map[string]string{"VALLETTA": event.TypeGPE, "Spain": event.TypeGPE, "Malta": event.TypeGPE},
		},
		{
			name: "a news desk is an organisation",
			body: "Copper prices fell on Friday, traders said. -- Anna Berg, Oslo Newsroom +47 2200 0000",
			want: map[string]string{"Oslo Newsroom": event.TypeOrg},
		},
		{
			name: "international bodies the model left out",
			body: "Diplomats said U.N. officials would brief Security Council members on Tuesday.",
			want: map[string]string{"U.N.": event.TypeOrg, "Security Council": event.TypeOrg},
		},
		{
			name: "stations and venues are facilities",
			body: "An engineer was killed at Waterloo station on Monday. The fair was held at the Mesquite Convention Center in Texas.",
			want: map[string]string{"Waterloo station": event.TypeFac, "Mesquite Convention Center": event.TypeFac},
		},
		{
			name: "numbers split results-table columns",
			body: "Results: Arsenal 2 Chelsea 1 Liverpool 0 Everton 3.",
			want: map[string]string{"Arsenal": event.TypeOrg, "Chelsea": event.TypeOrg, "Liverpool": event.TypeOrg, "Everton": event.TypeOrg},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			es := r.Entities(text.New(tc.body))
			for name, typ := range tc.want {
				e := find(es, name)
				if e == nil {
					t.Errorf("%q not found in %s", name, summary(es))
					continue
				}
				if e.Type != typ {
					t.Errorf("%q: type %s, want %s", name, e.Type, typ)
				}
			}
			for _, name := range tc.not {
				if e := findText(es, name); e != nil {
					t.Errorf("%q should not be an entity of its own: %s", name, summary(es))
				}
			}
		})
	}
}

func summary(es []event.Entity) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString(e.Type + ":" + e.Text)
		for _, m := range e.Mentions {
			b.WriteString("[" + m.Text + "]")
		}
		b.WriteString(" ")
	}
	return b.String()
}

func TestConcurrentUse(t *testing.T) {
	r := recognizer(t)
	arts := samples.WikinewsArticles()
	want := make([]string, len(arts))
	for i, a := range arts {
		want[i] = summary(r.Entities(text.New(a.Body)))
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, a := range arts {
				if got := summary(r.Entities(text.New(a.Body))); got != want[i] {
					t.Errorf("article %d: concurrent result differs", i)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func benchDocs(b *testing.B, arts []event.Article, tokenize bool) {
	r := recognizer(b)
	docs := make([]*text.Doc, len(arts))
	words, bytes := 0, 0
	for i, a := range arts {
		docs[i] = text.New(a.Body)
		words += text.CountWords(a.Body)
		bytes += len(a.Body)
	}
	var d text.Doc
	b.SetBytes(int64(bytes))
	b.ResetTimer()
	for b.Loop() {
		for i := range docs {
			if tokenize {
				d.Reset(arts[i].Body)
				r.Entities(&d)
			} else {
				r.Entities(docs[i])
			}
		}
	}
	b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
}

// BenchmarkEntitiesSeed is the entity stage alone on the seed article.
func BenchmarkEntitiesSeed(b *testing.B) {
	benchDocs(b, []event.Article{samples.SeedArticle()}, false)
}

// BenchmarkEntitiesWikinews is the entity stage alone on 24 Wikinews
// articles (CC BY 2.5, see internal/samples/ATTRIBUTION.md).
func BenchmarkEntitiesWikinews(b *testing.B) {
	benchDocs(b, samples.WikinewsArticles(), false)
}

// BenchmarkTokenizeEntitiesWikinews adds the shared tokenizer.
func BenchmarkTokenizeEntitiesWikinews(b *testing.B) {
	benchDocs(b, samples.WikinewsArticles(), true)
}

// BenchmarkEntitiesLongest is the entity stage alone on the longest sample
// article (by words), which the latency tail is made of.
func BenchmarkEntitiesLongest(b *testing.B) {
	var longest event.Article
	for _, raw := range samples.All() {
		a, err := decode.Decode(raw, decode.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if text.CountWords(a.Body) > text.CountWords(longest.Body) {
			longest = a
		}
	}
	benchDocs(b, []event.Article{longest}, false)
}

func TestNotice(t *testing.T) {
	n := Notice()
	for _, want := range []string{"CC BY-SA 4.0", "ODbL", "GeoNames", "supraverden", "mledoze/countries", "Wikinews"} {
		if !strings.Contains(n, want) {
			t.Errorf("notice lacks %q", want)
		}
	}
	if _, err := fs.Stat(ModelFiles(), "demonyms.tsv"); err != nil {
		t.Error(err)
	}
}

// FuzzEntities checks that any text yields well-formed entities: mentions
// inside the body, on the bytes they claim, non-overlapping, counted.
func FuzzEntities(f *testing.F) {
	for _, s := range []string{"NATO Secretary-General Mark Rutte met Donald Trump.", "ARSENAL 2 Chelsea 1", "The The The",
		"U.S. President-elect\n\nDonald Trump’s", "“Hello,” said Mr. J. Smith Jr. of Acme Corp. in St. Louis."} {
		f.Add(s)
	}
	r := recognizer(f)
	f.Fuzz(func(t *testing.T, body string) {
		es := r.Entities(text.New(body))
		var spans [][2]int
		for _, e := range es {
			if e.Count != len(e.Mentions) || e.Count == 0 || e.Text == "" {
				t.Fatalf("bad entity %+v", e)
			}
			for _, m := range e.Mentions {
				if m.Start < 0 || m.End > len(body) || m.Start >= m.End || body[m.Start:m.End] != m.Text {
					t.Fatalf("bad mention %+v", m)
				}
				spans = append(spans, [2]int{m.Start, m.End})
			}
		}
		slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
		for i := 1; i < len(spans); i++ {
			if spans[i][0] < spans[i-1][1] {
				t.Fatalf("overlapping mentions %v %v", spans[i-1], spans[i])
			}
		}
	})
}

// The seed article links every entity the knowledge base knows for sure,
// under its canonical name; the ids are the data files' (checked by hand
// against country-codes, intl-orgs, us-congress-executive and the csc
// regions file).
func TestSeedLinks(t *testing.T) {
	r := recognizer(t)
	es := r.Entities(text.New(samples.SeedArticle().Body))
	want := map[string]string{
		"United States": "Q30", "Donald Trump": "Q22686", "NATO": "Q7184", "Ukraine": "Q212",
		"Russia": "Q159", "Kyiv": "Q1899", "Moscow": "Q649", "Florida": "Q812",
	}
	for name, q := range want {
		e := findText(es, name)
		if e == nil {
			t.Errorf("no entity named %q in %s", name, summary(es))
			continue
		}
		if e.Wikidata != q {
			t.Errorf("%s: wikidata %q, want %s", name, e.Wikidata, q)
		}
	}
}

// BenchmarkNew is the stage's start-up: the model, the gazetteers and the
// knowledge base loaded from the embedded files.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(Config{}); err != nil {
			b.Fatal(err)
		}
	}
}
