package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/newsenrich/newsenrich/event"
)

// Report is every figure for one set, shaped like score.py's --json output
// so the two can be diffed.
type Report struct {
	Set         string       `json:"set"`
	Engine      string       `json:"engine,omitempty"`
	Articles    int          `json:"n_articles"`
	Words       int          `json:"n_words"`
	NER         *NERResult   `json:"ner,omitempty"`
	Links       *LinkResult  `json:"links,omitempty"`
	Quotes      *QuoteResult `json:"quotes,omitempty"`
	Topics      *TopicResult `json:"topics,omitempty"`
	Breakdown   *Breakdown   `json:"breakdown,omitempty"`
	Diagnostics Diag         `json:"diagnostics"`
	Throughput  *Throughput  `json:"throughput,omitempty"`
}

// Options select the type map and topic handling.
type Options struct {
	// MapName is conll, onto, none or A=B,...; empty picks as score.py does.
	MapName string
	Topics  TopicOptions
	// Diag carries counts from reading the predictions into the report.
	Diag Diag
}

// Score computes the figures for every task the set's gold file covers.
func Score(s *Set, preds map[string]*event.Enriched, opt Options) (*Report, error) {
	r := &Report{Set: s.Name, Articles: len(s.Articles), Words: s.Words(), Diagnostics: Diag{}}
	for k, v := range opt.Diag {
		r.Diagnostics[k] += v
	}
	known := 0
	for _, a := range s.Articles {
		if preds[a.ID] != nil {
			known++
		}
	}
	r.Diagnostics["articles_without_prediction"] = len(s.Articles) - known
	if s.HasNER() {
		name := opt.MapName
		if name == "" {
			name = DefaultMapName(s)
		}
		tm, err := ParseTypeMap(name)
		if err != nil {
			return nil, err
		}
		ner := ScoreNER(s, preds, tm, name, r.Diagnostics)
		r.NER = &ner
		if name == "onto" {
			// link coverage is reported on the sets typed by the
			// guidelines (the modern set), whose entities the ids serve
			links := ScoreLinks(s, preds, tm)
			r.Links = &links
		}
	}
	if s.HasQuotes() {
		q := ScoreQuotes(s, preds, r.Diagnostics)
		r.Quotes = &q
	}
	if s.HasTopics() {
		t := ScoreTopics(s, preds, opt.Topics, r.Diagnostics)
		r.Topics = &t
	}
	r.Breakdown = ScoreBreakdown(s, preds, opt)
	return r, nil
}

// Figures flattens the report into dotted keys ("ner.PER+ORG+LOC.f1",
// "quotes.speaker_accuracy_matched", "topics.top1_accuracy", ...) — the
// names floors use.
func (r *Report) Figures() map[string]float64 {
	b, _ := json.Marshal(r)
	var v any
	_ = json.Unmarshal(b, &v)
	out := map[string]float64{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				key := k
				if prefix != "" {
					key = prefix + "." + k
				}
				walk(key, y)
			}
		case float64:
			out[prefix] = x
		}
	}
	walk("", v)
	return out
}

// WriteText prints the report as tables, in the layout of score.py.
func (r *Report) WriteText(w io.Writer) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format+"\n", a...) }
	eng := ""
	if r.Engine != "" {
		eng = " (engine " + r.Engine + ")"
	}
	p("== set %s%s: %d articles, %d words", r.Set, eng, r.Articles, r.Words)
	if t := r.Throughput; t != nil {
		p("   processor: %.2fs  articles/s=%.1f  words/s=%.0f  workers=%d  errors=%d",
			t.Seconds, t.ArticlesPerSec, t.WordsPerSec, t.Workers, t.Errors)
	}
	if n := r.NER; n != nil {
		p("-- NER (map=%s)      %8s %8s %8s %6s %6s %6s", n.Map, "P", "R", "F1", "tp", "fp", "fn")
		type row struct {
			name string
			v    PRF
		}
		rows := []row{{"mention (all mapped)", n.Mention}}
		if n.PerOrgLoc != nil {
			rows = append(rows, row{"mention PER+ORG+LOC", *n.PerOrgLoc})
		}
		if n.All4 != nil {
			rows = append(rows, row{"mention all 4", *n.All4})
		}
		types := make([]string, 0, len(n.PerType))
		for t := range n.PerType {
			types = append(types, t)
		}
		sort.Strings(types)
		for _, t := range types {
			rows = append(rows, row{"  type " + t, n.PerType[t]})
		}
		rows = append(rows, row{"untyped span", n.UntypedSpan}, row{"doc-level (type,text)", n.DocLevel})
		if n.DocPerOrgLoc != nil {
			rows = append(rows, row{"doc-level PER+ORG+LOC", *n.DocPerOrgLoc})
		}
		for _, x := range rows {
			p("   %-26s %8.3f %8.3f %8.3f %6d %6d %6d", x.name, x.v.P, x.v.R, x.v.F1, x.v.TP, x.v.FP, x.v.FN)
		}
	}
	if l := r.Links; l != nil {
		p("-- Links: %d of %d entity clusters carry a Wikidata id (coverage %.3f)", l.Linked, l.Clusters, l.Coverage)
	}
	if q := r.Quotes; q != nil {
		v := q.Quote
		p("-- Quotes: gold=%d pred=%d  P=%.3f R=%.3f F1=%.3f (match: overlap >= 50%% of gold span)",
			q.GoldQuotes, q.PredQuotes, v.P, v.R, v.F1)
		p("   speaker accuracy over matched=%.3f (%d/%d; by mention %d, by name %d)  quote+speaker recall=%.3f",
			q.SpeakerAccuracy, q.SpeakerCorrect, v.TP, q.SpeakerByMention, q.SpeakerByName, q.QuoteAndSpeakerRecall)
	}
	if t := r.Topics; t != nil {
		v := t.Micro
		p("-- Topics: top-1 acc=%.3f (%d/%d)  micro P=%.3f R=%.3f F1=%.3f  no-topic articles=%d",
			t.Top1Accuracy, t.Top1Correct, t.Articles, v.P, v.R, v.F1, t.WithoutTopics)
		keys := make([]string, 0, len(t.PerGoldClassTop1))
		for k := range t.PerGoldClassTop1 {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			c := t.PerGoldClassTop1[k]
			if len(k) > 40 {
				k = k[:40]
			}
			p("   %-40s top-1 %.3f  n=%d", k, c.Acc, c.N)
		}
	}
	r.Breakdown.WriteText(w)
	var diag []string
	for k, v := range r.Diagnostics {
		if v != 0 {
			diag = append(diag, fmt.Sprintf("%s=%d", k, v))
		}
	}
	if len(diag) > 0 {
		sort.Strings(diag)
		p("-- diagnostics: %s", strings.Join(diag, ", "))
	}
}

// WriteSummary prints one comparison table over several reports (e.g. the
// default engine and the prose baseline on every dev set): the headline
// figure of each task beside words/s.
func WriteSummary(w io.Writer, reports []*Report) {
	fmt.Fprintf(w, "%-16s %-8s %-28s %7s %7s %7s %12s\n", "set", "engine", "figure", "P", "R", "F1", "words/s")
	for _, r := range reports {
		ws := "-"
		if r.Throughput != nil {
			ws = fmt.Sprintf("%.0f", r.Throughput.WordsPerSec)
		}
		line := func(fig string, v PRF) {
			fmt.Fprintf(w, "%-16s %-8s %-28s %7.3f %7.3f %7.3f %12s\n", r.Set, r.Engine, fig, v.P, v.R, v.F1, ws)
		}
		if n := r.NER; n != nil {
			if n.PerOrgLoc != nil {
				line("NER mention PER+ORG+LOC", *n.PerOrgLoc)
			} else {
				line("NER mention", n.Mention)
			}
			for _, t := range []string{"PER", "ORG", "LOC", "MISC"} {
				if v, ok := n.PerType[t]; ok {
					line("  "+t, v)
				}
			}
			if n.DocPerOrgLoc != nil {
				line("NER doc-level PER+ORG+LOC", *n.DocPerOrgLoc)
			} else {
				line("NER doc-level", n.DocLevel)
			}
		}
		if q := r.Quotes; q != nil {
			line("quotes", q.Quote)
			fmt.Fprintf(w, "%-16s %-8s %-28s %7s %7s %7.3f %12s\n", r.Set, r.Engine, "  speaker accuracy", "", "", q.SpeakerAccuracy, ws)
		}
		if t := r.Topics; t != nil {
			fmt.Fprintf(w, "%-16s %-8s %-28s %7s %7s %7.3f %12s\n", r.Set, r.Engine, "topics top-1 accuracy", "", "", t.Top1Accuracy, ws)
			line("topics micro", t.Micro)
		}
	}
}

// CompareScorePy checks a report against the --json output of score.py for
// the same predictions: every figure score.py reports (NER, quotes, topics,
// diagnostics) must be equal here. It returns one line per difference.
func (r *Report) CompareScorePy(pyJSON []byte) ([]string, error) {
	var py map[string]any
	if err := json.Unmarshal(pyJSON, &py); err != nil {
		return nil, fmt.Errorf("score.py report: %w", err)
	}
	want := map[string]float64{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				walk(prefix+"."+k, y)
			}
		case float64:
			want[prefix] = x
		}
	}
	for _, k := range []string{"ner", "quotes", "topics", "diagnostics"} {
		if v, ok := py[k]; ok {
			walk(k, v)
		}
	}
	got := r.Figures()
	var diff []string
	for k, w := range want {
		if g, ok := got[k]; !ok {
			diff = append(diff, fmt.Sprintf("%s: score.py %v, missing here", k, w))
		} else if g != w {
			diff = append(diff, fmt.Sprintf("%s: score.py %v, here %v", k, w, g))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok && strings.HasPrefix(k, "diagnostics.") && g != 0 {
			diff = append(diff, fmt.Sprintf("%s: here %v, score.py has no such count", k, g))
		}
	}
	sort.Strings(diff)
	if len(want) == 0 {
		diff = append(diff, "score.py report has no figures")
	}
	return diff, nil
}

// WriteMarkdown prints the headline figures of every set as one Markdown
// table with one column per engine, in the order the engines first appear:
// the table the README carries.
func WriteMarkdown(w io.Writer, reports []*Report) {
	var engines, sets []string
	by := map[[2]string]*Report{}
	for _, r := range reports {
		if !slices.Contains(engines, r.Engine) {
			engines = append(engines, r.Engine)
		}
		if !slices.Contains(sets, r.Set) {
			sets = append(sets, r.Set)
		}
		by[[2]string{r.Set, r.Engine}] = r
	}
	fmt.Fprintf(w, "| set | figure |")
	for _, e := range engines {
		fmt.Fprintf(w, " %s |", e)
	}
	fmt.Fprintf(w, "\n|---|---|%s\n", strings.Repeat("---:|", len(engines)))
	prfCell := func(v PRF) string { return fmt.Sprintf("%.3f (P %.3f R %.3f)", v.F1, v.P, v.R) }
	type fig struct {
		name string
		get  func(r *Report) (string, bool)
	}
	figs := []fig{
		{"entities PER+ORG+LOC mention F1", func(r *Report) (string, bool) {
			if r.NER == nil || r.NER.PerOrgLoc == nil {
				return "", false
			}
			return prfCell(*r.NER.PerOrgLoc), true
		}},
	}
	for _, t := range []string{"PER", "ORG", "LOC", "MISC"} {
		figs = append(figs, fig{"  " + t + " F1", func(r *Report) (string, bool) {
			if r.NER == nil {
				return "", false
			}
			v, ok := r.NER.PerType[t]
			return fmt.Sprintf("%.3f", v.F1), ok
		}})
	}
	figs = append(figs,
		fig{"entities doc-level PER+ORG+LOC F1", func(r *Report) (string, bool) {
			if r.NER == nil || r.NER.DocPerOrgLoc == nil {
				return "", false
			}
			return prfCell(*r.NER.DocPerOrgLoc), true
		}},
		fig{"quotes F1", func(r *Report) (string, bool) {
			if r.Quotes == nil {
				return "", false
			}
			return prfCell(r.Quotes.Quote), true
		}},
		fig{"quote speaker accuracy", func(r *Report) (string, bool) {
			if r.Quotes == nil {
				return "", false
			}
			return fmt.Sprintf("%.3f", r.Quotes.SpeakerAccuracy), true
		}},
		fig{"topics top-1 accuracy", func(r *Report) (string, bool) {
			if r.Topics == nil {
				return "", false
			}
			return fmt.Sprintf("%.3f", r.Topics.Top1Accuracy), true
		}},
		fig{"topics micro F1", func(r *Report) (string, bool) {
			if r.Topics == nil {
				return "", false
			}
			return prfCell(r.Topics.Micro), true
		}},
		fig{"words/s (1 goroutine)", func(r *Report) (string, bool) {
			if r.Throughput == nil {
				return "", false
			}
			return fmt.Sprintf("%.0f", r.Throughput.WordsPerSec), true
		}},
	)
	for _, s := range sets {
		for _, f := range figs {
			cells, anyCell := make([]string, len(engines)), false
			for i, e := range engines {
				cells[i] = "–"
				if r := by[[2]string{s, e}]; r != nil {
					if v, ok := f.get(r); ok {
						cells[i], anyCell = v, true
					}
				}
			}
			if anyCell {
				fmt.Fprintf(w, "| %s | %s | %s |\n", s, f.name, strings.Join(cells, " | "))
			}
		}
	}
}
