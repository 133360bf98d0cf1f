package topics

import (
	"github.com/newsenrich/newsenrich/internal/golden"
	"github.com/newsenrich/newsenrich/internal/samples"

	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/text"
)

func newTagger(t testing.TB, cfg Config) *Tagger {
	t.Helper()
	tg, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return tg
}

func tag(tg *Tagger, title, body string, ents []event.Entity) []event.Topic {
	return tg.Topics(text.New(title), text.New(body), ents)
}

func codes(ts []event.Topic) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Code
	}
	return out
}

func TestVocabulary(t *testing.T) {
	tg := newTagger(t, Config{})
	if got := len(tg.vocab.tops); got != 17 {
		t.Fatalf("top-level topics = %d, want 17", got)
	}
	for i, n := range tg.vocab.tops {
		want := fmt.Sprintf("medtop:%02d000000", i+1)
		if tg.vocab.nodes[n].code != want {
			t.Errorf("top-level %d = %s, want %s", i, tg.vocab.nodes[n].code, want)
		}
	}
	if tg.vocab.nodes[tg.vocab.byCode["medtop:20001065"]].top != int32(tg.vocab.byCode["medtop:15000000"]) {
		t.Error("football does not roll up to sport")
	}
	if m := tg.TopLevel(); m["medtop:20001065"] != "medtop:15000000" || m["medtop:15000000"] != "medtop:15000000" {
		t.Error("TopLevel does not map football and sport to sport")
	}
	if len(tg.lex.terms.post) < 2000 {
		t.Errorf("only %d postings compiled", len(tg.lex.terms.post))
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"defaults", DefaultConfig(), true},
		{"zero means defaults", Config{}.withDefaults(), true},
		{"negative title weight", Config{TitleWeight: -1}, false},
		{"relative above one", Config{MinRelative: 1.5}, false},
		{"NaN score", Config{MinScore: math.NaN()}, false},
		{"negative max", Config{MaxTopics: -1}, false},
		{"no lexicon", Config{IPTCOnly: true, NoIPTC: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if (err == nil) != tc.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tc.ok)
			}
			if _, nerr := New(tc.cfg); (nerr == nil) != tc.ok {
				t.Fatalf("New() = %v, want ok=%v", nerr, tc.ok)
			}
		})
	}
}

// The texts below are written for this test; they are not from any
// evaluation set.
func TestTopicsTopOne(t *testing.T) {
	tg := newTagger(t, Config{})
	for _, tc := range []struct {
		name, title, body, want string
	}{
		{"sport", "United beat City in cup semi-final",
			"The striker scored twice in the second half as the home side reached the final. The manager praised his players and the fans after the match.",
			"medtop:15000000"},
		{"economy", "Shares fall as profits slump",
			"The company's shares fell 8% after it reported a drop in annual profits. Analysts said sales were hit by weak consumer spending and higher oil prices. Investors also worry about inflation.",
			"medtop:04000000"},
		{"politics", "Minister faces vote in parliament",
			"The prime minister's government faces a crucial vote in parliament next week. Opposition MPs said the party would campaign against the bill before the general election.",
			"medtop:11000000"},
		{"technology files under science and technology", "New mobile phones get faster broadband",
			"Users can now download music and video to their handsets over wireless networks. The software also protects the device from viruses and spam, the technology firm said.",
			"medtop:13000000"},
		{"arts", "Film star wins best actress Oscar",
			"The actress won the Oscar for her role in the drama, which also took the box office crown. The director thanked the cast at the ceremony in Hollywood.",
			"medtop:01000000"},
		{"health", "Hospital patients face flu outbreak",
			"Doctors and nurses at the hospital are treating patients after an outbreak of flu. Health officials urged elderly people to get the vaccine.",
			"medtop:07000000"},
		{"weather", "Heavy snow and gales forecast",
			"Forecasters warned of heavy snow, freezing temperatures and gale-force winds across the north, with more rain expected later in the week.",
			"medtop:17000000"},
		{"crime", "Man jailed for murder",
			"A man was jailed for life at the crown court after a jury found him guilty of murder. Police said the victim was stabbed. The judge described the crime as brutal.",
			"medtop:02000000"},
		{"disaster", "Earthquake kills hundreds",
			"A powerful earthquake struck the region, triggering a tsunami. Rescuers searched the rubble for survivors as the death toll rose and thousands were evacuated.",
			"medtop:03000000"},
		{"religion", "Pope calls for prayer",
			"The pope led prayers at the Vatican as bishops and priests from the Catholic church gathered for worship.",
			"medtop:12000000"},
		{"education", "Pupils sit new exams",
			"Teachers said pupils at secondary schools will sit the new exams next year, as the curriculum changes. Head teachers welcomed the plan.",
			"medtop:05000000"},
		{"environment", "Climate change threatens wildlife",
			"Rising carbon emissions and global warming are destroying habitats, putting endangered species at risk, environmental groups said.",
			"medtop:06000000"},
		{"conflict", "Troops killed in insurgent attack",
			"Insurgents attacked a military convoy, killing three soldiers. The army said rebels fired missiles before the ceasefire collapsed.",
			"medtop:16000000"},
		{"labour", "Workers strike over pay",
			"Trade unions called a strike after employers refused a pay rise. Workers said job cuts and low wages had pushed them to a walkout.",
			"medtop:09000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tag(tg, tc.title, tc.body, nil)
			if len(got) == 0 || got[0].Code != tc.want {
				t.Fatalf("topics = %v, want %s first", got, tc.want)
			}
		})
	}
}

func TestTopicsInvariants(t *testing.T) {
	tg := newTagger(t, Config{})
	byCode := tg.vocab.byCode
	for _, a := range samples.WikinewsArticles() {
		got := tag(tg, a.Title, a.Body, nil)
		if len(got) == 0 {
			t.Errorf("%s: no topics", a.ID)
		}
		if len(got) > DefaultConfig().MaxTopics {
			t.Errorf("%s: %d topics", a.ID, len(got))
		}
		score := map[string]float64{}
		for i, tp := range got {
			n, ok := byCode[tp.Code]
			if !ok || tp.Label != tg.vocab.nodes[n].label {
				t.Errorf("%s: %v is not an active concept with its label", a.ID, tp)
			}
			if tp.Score < 0 || tp.Score > 1 {
				t.Errorf("%s: score %v out of [0,1]", a.ID, tp.Score)
			}
			if i > 0 && tp.Score > got[i-1].Score {
				t.Errorf("%s: not sorted: %v", a.ID, got)
			}
			score[tp.Code] = tp.Score
		}
		// a deeper code comes with its top-level topic, scored higher
		for _, tp := range got {
			n := byCode[tp.Code]
			if tg.vocab.nodes[n].parent < 0 {
				continue
			}
			top := tg.vocab.nodes[tg.vocab.nodes[n].top].code
			if ps, ok := score[top]; !ok || ps <= tp.Score {
				t.Errorf("%s: %s (%.3f) without a higher-scored %s (%v)", a.ID, tp.Code, tp.Score, top, got)
			}
		}
	}
}

func TestWikinewsSanity(t *testing.T) {
	// Articles whose main topic is not in doubt; the test guards the lexicon
	// against regressions on shippable text.
	want := map[string]string{
		"gum-news-election": "medtop:11000000",
		"gum-news-soccer":   "medtop:15000000",
		"gum-news-korea":    "medtop:16000000",
		"gum-news-nasa":     "medtop:13000000",
		"gum-news-ie9":      "medtop:13000000",
		"gum-news-warming":  "medtop:06000000",
		"gum-news-warhol":   "medtop:01000000",
		"gum-news-worship":  "medtop:12000000",
	}
	tg := newTagger(t, Config{})
	seen := 0
	for _, a := range samples.WikinewsArticles() {
		w, ok := want[a.ID]
		if !ok {
			continue
		}
		seen++
		got := tag(tg, a.Title, a.Body, nil)
		if len(got) == 0 || got[0].Code != w {
			t.Errorf("%s: topics %v, want %s first", a.ID, codes(got), w)
		}
	}
	if seen != len(want) {
		t.Fatalf("found %d of %d articles", seen, len(want))
	}
}

func TestMatching(t *testing.T) {
	tg := newTagger(t, Config{NoIPTC: true, NoDeep: true, MinRelative: 0.01, MinScore: 0.01})
	raw := func(title, body string, ents []event.Entity) map[string]float64 {
		s := tg.getScratch()
		defer tg.putScratch(s)
		tw := float32(tg.cfg.TitleWeight)
		tg.scan(s, text.New(title), tw, 0, tw)
		tg.scan(s, text.New(body), 1, 0, 1)
		tg.entityCues(s, ents)
		out := map[string]float64{}
		for _, n := range s.nodeTouched {
			out[tg.vocab.nodes[tg.vocab.nodes[n].top].code] += float64(s.node[n])
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		title string
		body  string
		ents  []event.Entity
		code  string
		check func(float64) bool
	}{
		{"plural falls back to singular", "", "gadgets", nil, "medtop:13000000", func(v float64) bool { return v > 0 }},
		{"-es falls back to the stem", "", "the helicopter crashes", nil, "medtop:03000000", func(v float64) bool { return v > 0 }},
		{"-es fallback keeps phrases", "", "a plane crashes", nil, "medtop:03000000", func(v float64) bool { return v >= 3 }},
		{"the pandemic's names", "", "COVID-19 and the coronavirus", nil, "medtop:07000000", func(v float64) bool { return v >= 6 }},
		{"a tropical depression is weather, not health", "", "Tropical Depression Three approaches Florida", nil, "medtop:17000000", func(v float64) bool { return v >= 3 }},
		{"a player that is a device is technology", "", "cheap media players", nil, "medtop:13000000", func(v float64) bool { return v >= 3 }},
		{"capitalised Labour is the party", "", "the vote went to Labour", nil, "medtop:09000000", func(v float64) bool { return v == 0 }},
		{"lower-case labour is work", "", "cheap labour", nil, "medtop:09000000", func(v float64) bool { return v > 0 }},
		{"phrase counts", "", "the box office", nil, "medtop:01000000", func(v float64) bool { return v >= 3 }},
		{"phrase broken by punctuation", "", "the box. office", nil, "medtop:01000000", func(v float64) bool { return v == 0 }},
		{"three-word phrase", "", "the bank of england", nil, "medtop:04000000", func(v float64) bool { return v >= 4 }},
		{"title counts more", "goal", "", nil, "medtop:15000000", func(v float64) bool { return v == 7.5 }},
		{"repeats count less", "", "goal goal goal goal", nil, "medtop:15000000", func(v float64) bool { return v > 2.5*2.5 && v < 2.5*4 }},
		{"curly apostrophe", "", "Alzheimer’s", nil, "medtop:07000000", func(v float64) bool { return v > 0 }},
		{"company ORG", "", "", []event.Entity{{Text: "Acme Holdings plc", Type: event.TypeOrg, Count: 2}}, "medtop:04000000", func(v float64) bool { return v > 1 }},
		{"club ORG", "", "", []event.Entity{{Text: "Bolton Wanderers", Type: event.TypeOrg, Count: 1}}, "medtop:15000000", func(v float64) bool { return v > 0 }},
		{"PERSON is not an ORG cue", "", "", []event.Entity{{Text: "Acme Group", Type: event.TypePerson, Count: 1}}, "medtop:04000000", func(v float64) bool { return v == 0 }},
		{"role-introduced surname", "", "The deal was signed. Home Secretary Jane Doe spoke. Later Ms Doe and Doe again.", nil, "medtop:11000000",
			func(v float64) bool { return v > 3+0.5+1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := raw(tc.title, tc.body, tc.ents)
			if !tc.check(got[tc.code]) {
				t.Fatalf("evidence for %s = %v (all: %v)", tc.code, got[tc.code], got)
			}
		})
	}
}

func TestEmptyAndThresholds(t *testing.T) {
	tg := newTagger(t, Config{})
	// a text with words always gets its best topic, however weak: a
	// headline must not go untagged; its low score says how unsure it is,
	// and so does its probability (only the learned model speaks for it: a
	// guess, less likely than not)
	got := tag(tg, "", "It was a day like any other, they said.", nil)
	if len(got) != 1 || got[0].Score >= DefaultConfig().MinScore || got[0].Probability <= 0 || got[0].Probability >= 0.5 {
		t.Fatalf("no evidence: topics = %v, want one topic scored below MinScore, probability in (0, 0.5)", got)
	}
	for _, tc := range []struct{ name, title, body string }{
		{"empty", "", ""},
		{"punctuation", "...", "!!! ??? “” --"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tag(tg, tc.title, tc.body, nil)
			if got == nil || len(got) != 0 {
				t.Fatalf("topics = %#v, want empty non-nil", got)
			}
		})
	}
	if got := tg.Topics(nil, nil, nil); len(got) != 0 {
		t.Fatalf("nil docs: %v", got)
	}
	// a strong main topic hides a faint one
	got = tag(tg, "Cup final", "The striker scored twice as the team won the league title; the club's bank paid.", nil)
	for _, tp := range got {
		if strings.HasPrefix(tp.Code, "medtop:04") {
			t.Fatalf("faint economy evidence emitted: %v", got)
		}
	}
}

func TestConcurrent(t *testing.T) {
	tg := newTagger(t, Config{})
	arts := samples.WikinewsArticles()
	want := make([]string, len(arts))
	for i, a := range arts {
		want[i] = fmt.Sprint(tag(tg, a.Title, a.Body, nil))
	}
	done := make(chan string, 4)
	for g := 0; g < 4; g++ {
		go func() {
			for r := 0; r < 5; r++ {
				for i, a := range arts {
					if got := fmt.Sprint(tag(tg, a.Title, a.Body, nil)); got != want[i] {
						done <- fmt.Sprintf("%s: %s != %s", a.ID, got, want[i])
						return
					}
				}
			}
			done <- ""
		}()
	}
	for g := 0; g < 4; g++ {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}

func TestSeedGolden(t *testing.T) {
	tg := newTagger(t, Config{})
	a := samples.SeedArticle()
	got := tag(tg, a.Title, a.Body, nil)
	if len(got) == 0 || got[0].Code != "medtop:11000000" {
		t.Fatalf("seed: topics %v, want politics first", got)
	}
	golden.CheckJSON(t, filepath.Join("testdata", "seed.golden.json"), got)
}

func BenchmarkTopics(b *testing.B) {
	tg := newTagger(b, Config{})
	arts := samples.WikinewsArticles()
	type pair struct{ title, body *text.Doc }
	docs := make([]pair, len(arts))
	words, bytes := 0, 0
	for i, a := range arts {
		docs[i] = pair{text.New(a.Title), text.New(a.Body)}
		for _, d := range []*text.Doc{docs[i].title, docs[i].body} {
			bytes += len(d.Text)
			for _, tk := range d.Tokens {
				if tk.Kind == text.Word || tk.Kind == text.Number {
					words++
				}
			}
		}
	}
	b.SetBytes(int64(bytes / len(docs)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := docs[i%len(docs)]
		tg.Topics(d.title, d.body, nil)
	}
	b.ReportMetric(float64(words)/float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "words/s")
}

func BenchmarkNew(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := New(Config{}); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzTopics(f *testing.F) {
	tg, err := New(Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Add("Cup final", "The striker scored.", "Acme plc")
	f.Add("", "Home Secretary Jane Doe said Doe", "")
	f.Add("’s", "bank of england’s gadgets 100m “quote”", "Wanderers FC")
	f.Add("\xff\xfe", "Mr\x00 X\u2028Y", "ÉÈ")
	f.Fuzz(func(t *testing.T, title, body, org string) {
		ents := []event.Entity{{Text: org, Type: event.TypeOrg, Count: len(org) % 5}}
		got := tg.Topics(text.New(title), text.New(body), ents)
		for i, tp := range got {
			if tp.Score < 0 || tp.Score > 1 || math.IsNaN(tp.Score) {
				t.Fatalf("score %v", tp.Score)
			}
			if i > 0 && tp.Score > got[i-1].Score {
				t.Fatalf("not sorted: %v", got)
			}
		}
	})
}
