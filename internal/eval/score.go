package eval

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/newsenrich/newsenrich/event"
)

// PRF is precision, recall and F1 with the counts behind them. Figures are
// rounded to 4 places, as score.py reports them.
type PRF struct {
	P  float64 `json:"p"`
	R  float64 `json:"r"`
	F1 float64 `json:"f1"`
	TP int     `json:"tp"`
	FP int     `json:"fp"`
	FN int     `json:"fn"`
}

func prf(tp, fp, fn int) PRF {
	var p, r, f float64
	if tp+fp > 0 {
		p = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		r = float64(tp) / float64(tp+fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return PRF{P: round4(p), R: round4(r), F1: round4(f), TP: tp, FP: fp, FN: fn}
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func setPRF[K comparable](gold, pred map[K]struct{}) PRF {
	tp := 0
	for k := range pred {
		if _, ok := gold[k]; ok {
			tp++
		}
	}
	return prf(tp, len(pred)-tp, len(gold)-tp)
}

// TypeMap maps predicted and gold entity types to scored types; a type that
// maps to nothing is ignored on both sides. A nil map is the identity.
type TypeMap map[string]string

// Type maps named as in score.py's --map.
var typeMaps = map[string]TypeMap{
	"conll": {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
		"NORP": "MISC", "EVENT": "MISC", "MISC": "MISC"},
	"onto": identity("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT",
		"WORK_OF_ART", "LAW", "LANGUAGE"),
	"none": nil,
}

func identity(ts ...string) TypeMap {
	m := TypeMap{}
	for _, t := range ts {
		m[t] = t
	}
	return m
}

// ParseTypeMap accepts a map name (conll, onto, none) or "A=B,C=D".
func ParseTypeMap(spec string) (TypeMap, error) {
	if m, ok := typeMaps[spec]; ok {
		return m, nil
	}
	m := TypeMap{}
	for _, kv := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("type map %q: want conll, onto, none or A=B,C=D", spec)
		}
		m[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return m, nil
}

// DefaultMapName picks the map score.py would: conll when every gold type is
// a CoNLL type, else onto.
func DefaultMapName(s *Set) string {
	for _, g := range s.Gold {
		for _, e := range g.Entities {
			switch e.Type {
			case "PER", "ORG", "LOC", "MISC":
			default:
				return "onto"
			}
		}
	}
	return "conll"
}

func (m TypeMap) mapType(t string) (string, bool) {
	if m == nil {
		return t, true
	}
	if v, ok := m[t]; ok {
		return v, true
	}
	v, ok := m[strings.ToUpper(t)]
	return v, ok
}

func (m TypeMap) hasValues(vs ...string) bool {
	if m == nil {
		return false
	}
	have := map[string]bool{}
	for _, v := range m {
		have[v] = true
	}
	for _, v := range vs {
		if !have[v] {
			return false
		}
	}
	return true
}

// NERResult holds the entity figures.
type NERResult struct {
	Map          string         `json:"map"`
	Mention      PRF            `json:"mention"`
	PerType      map[string]PRF `json:"per_type"`
	DocLevel     PRF            `json:"doc_level"`
	UntypedSpan  PRF            `json:"untyped_span"`
	PerOrgLoc    *PRF           `json:"PER+ORG+LOC,omitempty"`
	All4         *PRF           `json:"all 4,omitempty"`
	DocPerOrgLoc *PRF           `json:"doc_level_PER+ORG+LOC,omitempty"`
	GoldMentions int            `json:"gold_mentions"`
	PredMentions int            `json:"pred_mentions"`
}

type mkey struct {
	doc    string
	s, e   int
	typ    string
	untype bool
}

type dkey struct{ doc, typ, text string }

// ScoreNER scores entity mentions by exact span and type (after mapping) and
// entities at document level by (type, lower-cased text).
func ScoreNER(s *Set, preds map[string]*event.Enriched, tmap TypeMap, mapName string, d Diag) NERResult {
	gm, pm := map[mkey]struct{}{}, map[mkey]struct{}{}
	gdoc, pdoc := map[dkey]struct{}{}, map[dkey]struct{}{}
	for _, a := range s.Articles {
		off := newOffsets(a.Body)
		if g := s.Gold[a.ID]; g != nil {
			for _, e := range g.Entities {
				t, ok := tmap.mapType(e.Type)
				if !ok {
					continue
				}
				gm[mkey{doc: a.ID, s: e.Start, e: e.End, typ: t}] = struct{}{}
				gdoc[dkey{a.ID, t, pyLower(off.text(e.Start, e.End))}] = struct{}{}
			}
		}
		p := preds[a.ID]
		if p == nil {
			continue
		}
		for _, ent := range p.Entities {
			t, ok := tmap.mapType(ent.Type)
			if !ok || ent.Type == "" {
				continue
			}
			gotText := false
			for _, m := range ent.Mentions {
				d["pred_entity_mentions"]++
				cs, ce, ok := off.span(m.Start, m.End, d)
				if !ok {
					continue
				}
				off.checkText(m.Start, m.End, m.Text, cs, ce, d)
				pm[mkey{doc: a.ID, s: cs, e: ce, typ: t}] = struct{}{}
				pdoc[dkey{a.ID, t, pyLower(off.text(cs, ce))}] = struct{}{}
				gotText = true
			}
			if !gotText && strings.TrimSpace(ent.Text) != "" {
				pdoc[dkey{a.ID, t, pyLower(strings.TrimSpace(ent.Text))}] = struct{}{}
			}
		}
	}
	res := NERResult{
		Map: mapName, Mention: setPRF(gm, pm), PerType: map[string]PRF{}, DocLevel: setPRF(gdoc, pdoc),
		UntypedSpan:  setPRF(untyped(gm), untyped(pm)),
		GoldMentions: len(gm), PredMentions: len(pm),
	}
	types := map[string]bool{}
	for k := range gm {
		types[k.typ] = true
	}
	for k := range pm {
		types[k.typ] = true
	}
	for t := range types {
		res.PerType[t] = setPRF(filterM(gm, t), filterM(pm, t))
	}
	if (types["PER"] && types["ORG"] && types["LOC"]) || tmap.hasValues("PER", "ORG", "LOC") {
		pol := setPRF(filterM(gm, "PER", "ORG", "LOC"), filterM(pm, "PER", "ORG", "LOC"))
		res.PerOrgLoc = &pol
		if tmap.hasValues("MISC") {
			a4 := setPRF(filterM(gm, "PER", "ORG", "LOC", "MISC"), filterM(pm, "PER", "ORG", "LOC", "MISC"))
			dl := setPRF(filterD(gdoc, "PER", "ORG", "LOC"), filterD(pdoc, "PER", "ORG", "LOC"))
			res.All4, res.DocPerOrgLoc = &a4, &dl
		}
	}
	return res
}

func untyped(m map[mkey]struct{}) map[mkey]struct{} {
	out := make(map[mkey]struct{}, len(m))
	for k := range m {
		out[mkey{doc: k.doc, s: k.s, e: k.e, untype: true}] = struct{}{}
	}
	return out
}

func filterM(m map[mkey]struct{}, types ...string) map[mkey]struct{} {
	out := map[mkey]struct{}{}
	for k := range m {
		for _, t := range types {
			if k.typ == t {
				out[k] = struct{}{}
			}
		}
	}
	return out
}

func filterD(m map[dkey]struct{}, types ...string) map[dkey]struct{} {
	out := map[dkey]struct{}{}
	for k := range m {
		for _, t := range types {
			if k.typ == t {
				out[k] = struct{}{}
			}
		}
	}
	return out
}

// pyLower lower-cases like Python's str.lower for the text that matters
// here; the one common difference (İ -> i̇) is kept so doc-level keys agree.
func pyLower(s string) string {
	if !strings.ContainsRune(s, 'İ') {
		return strings.ToLower(s)
	}
	return strings.ToLower(strings.ReplaceAll(s, "İ", "i\u0307"))
}

// QuoteResult holds the quote figures.
type QuoteResult struct {
	Quote                 PRF     `json:"quote"`
	SpeakerAccuracy       float64 `json:"speaker_accuracy_matched"`
	SpeakerCorrect        int     `json:"speaker_correct"`
	SpeakerByMention      int     `json:"speaker_by_mention_overlap"`
	SpeakerByName         int     `json:"speaker_by_name_token"`
	QuoteAndSpeakerRecall float64 `json:"quote_and_speaker_recall"`
	GoldQuotes            int     `json:"gold_quotes"`
	PredQuotes            int     `json:"pred_quotes"`
}

// speakerStop are words that say nothing about who spoke.
var speakerStop = toSet("the", "and", "for", "but", "not", "who", "whom", "whose", "his", "her", "hers", "him",
	"she", "they", "them", "their", "its", "our", "your", "was", "were", "are", "has", "had",
	"have", "with", "from", "that", "this", "these", "those", "which", "said", "says", "told")

func toSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// nameTokens are the lower-cased words of at least 3 letters in a name,
// minus stop words (Python's \w: letters, numbers, underscore).
func nameTokens(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_')
	}) {
		if len([]rune(w)) >= 3 && !speakerStop[w] {
			out[w] = true
		}
	}
	return out
}

func overlap(as, ae, bs, be int) int { return max(0, min(ae, be)-max(as, bs)) }

type predQuote struct {
	s, e       int
	hasMention bool
	ms, me     int
	name       string
}

// ScoreQuotes matches predicted to gold quotes one-to-one, greedily by
// overlap, when the overlap covers at least half the gold span; a matched
// quote's speaker is right when the predicted mention overlaps the gold
// speaker span or shares a name token with it.
func ScoreQuotes(s *Set, preds map[string]*event.Enriched, d Diag) QuoteResult {
	return scoreQuotes(s, preds, d, nil)
}

// scoreQuotes is ScoreQuotes; onMatch, when set, sees every matched gold
// quote with whether its speaker was right.
func scoreQuotes(s *Set, preds map[string]*event.Enriched, d Diag, onMatch func(g GoldQuote, right bool)) QuoteResult {
	var nGold, nPred, matched, spkOK, byM, byN int
	for _, a := range s.Articles {
		off := newOffsets(a.Body)
		var gq []GoldQuote
		if g := s.Gold[a.ID]; g != nil {
			gq = g.Quotes
		}
		var pq []predQuote
		if p := preds[a.ID]; p != nil {
			for _, q := range p.Quotes {
				cs, ce, ok := off.span(q.Start, q.End, d)
				if !ok {
					continue
				}
				off.checkText(q.Start, q.End, q.Text, cs, ce, d)
				x := predQuote{s: cs, e: ce}
				if q.Speaker != nil {
					x.name = q.Speaker.Name
					if m := q.Speaker.Mention; m != nil {
						if ms, me, ok := off.span(m.Start, m.End, d); ok {
							off.checkText(m.Start, m.End, m.Text, ms, me, d)
							x.hasMention, x.ms, x.me = true, ms, me
						}
						if x.name == "" {
							x.name = m.Text
						}
					}
				}
				pq = append(pq, x)
			}
		}
		nGold += len(gq)
		nPred += len(pq)
		type pair struct{ ov, gi, pi int }
		var pairs []pair
		for gi, g := range gq {
			glen := g.End - g.Start
			for pi, p := range pq {
				ov := overlap(g.Start, g.End, p.s, p.e)
				if glen > 0 && 2*ov >= glen {
					pairs = append(pairs, pair{ov, gi, pi})
				}
			}
		}
		sort.Slice(pairs, func(i, j int) bool {
			a, b := pairs[i], pairs[j]
			if a.ov != b.ov {
				return a.ov > b.ov
			}
			if a.gi != b.gi {
				return a.gi < b.gi
			}
			return a.pi < b.pi
		})
		gused, pused := map[int]bool{}, map[int]bool{}
		for _, pr := range pairs {
			if gused[pr.gi] || pused[pr.pi] {
				continue
			}
			gused[pr.gi], pused[pr.pi] = true, true
			matched++
			g, p := gq[pr.gi], pq[pr.pi]
			gs := g.Speaker
			m := gs != nil && p.hasMention && overlap(gs.Start, gs.End, p.ms, p.me) > 0
			gnames := nameTokens(g.SpeakerName)
			if gs != nil {
				for w := range nameTokens(gs.Text) {
					gnames[w] = true
				}
			}
			n := false
			for w := range nameTokens(p.name) {
				if gnames[w] {
					n = true
					break
				}
			}
			if m {
				byM++
			}
			if n {
				byN++
			}
			if m || n {
				spkOK++
			}
			if onMatch != nil {
				onMatch(g, m || n)
			}
		}
	}
	res := QuoteResult{Quote: prf(matched, nPred-matched, nGold-matched), SpeakerCorrect: spkOK,
		SpeakerByMention: byM, SpeakerByName: byN, GoldQuotes: nGold, PredQuotes: nPred}
	if matched > 0 {
		res.SpeakerAccuracy = round4(float64(spkOK) / float64(matched))
	}
	if nGold > 0 {
		res.QuoteAndSpeakerRecall = round4(float64(spkOK) / float64(nGold))
	}
	return res
}

// TopicResult holds the topic figures.
type TopicResult struct {
	Top1Accuracy     float64              `json:"top1_accuracy"`
	Top1Correct      int                  `json:"top1_correct"`
	Articles         int                  `json:"articles"`
	Micro            PRF                  `json:"micro"`
	WithoutTopics    int                  `json:"articles_without_topics"`
	PerGoldClassTop1 map[string]ClassTop1 `json:"per_gold_class_top1"`
}

// ClassTop1 is top-1 accuracy for one gold label set.
type ClassTop1 struct {
	Acc float64 `json:"acc"`
	N   int     `json:"n"`
}

var eightDigits = regexp.MustCompile(`^\d{8}$`)

func normCode(c any) string {
	switch v := c.(type) {
	case map[string]any:
		for _, k := range []string{"code", "qcode", "id"} {
			if x, ok := v[k]; ok && x != nil && x != "" {
				return normCode(x)
			}
		}
		return ""
	case nil:
		return ""
	case string:
		s := strings.TrimSpace(v)
		if eightDigits.MatchString(s) {
			s = "medtop:" + s
		}
		return s
	case float64:
		return normCode(strconv.FormatFloat(v, 'f', -1, 64))
	default:
		return normCode(fmt.Sprint(v))
	}
}

// topLevel holds the 17 top-level IPTC Media Topic codes.
var topLevel = func() map[string]bool {
	m := map[string]bool{}
	for i := 1; i <= 17; i++ {
		m[fmt.Sprintf("medtop:%02d000000", i)] = true
	}
	return m
}()

func isTopLevel(code string) bool { return topLevel[code] }

// TopicOptions are score.py's --topic-map and --topic-min-score.
type TopicOptions struct {
	Map      map[string]string
	MinScore *float64
}

// ScoreTopics ranks each article's predicted codes by score (ties keep their
// order) and scores the first against the gold codes, plus micro P/R/F1 over
// all predicted codes. For any_of gold, one hit is enough.
func ScoreTopics(s *Set, preds map[string]*event.Enriched, opt TopicOptions, d Diag) TopicResult {
	var top1, n, tp, fp, fn, noPred, nonStd int
	perClass := map[string][2]int{}
	for _, a := range s.Articles {
		g := s.Gold[a.ID]
		if g == nil || !g.HasTopics {
			continue
		}
		gset := make([]string, 0, len(g.Topics))
		for _, t := range g.Topics {
			gset = append(gset, normCode(t))
		}
		type item struct {
			score float64
			i     int
			code  string
		}
		var items []item
		if p := preds[a.ID]; p != nil {
			for i, t := range p.Topics {
				code := normCode(t.Code)
				if code == "" {
					continue
				}
				if opt.MinScore != nil && t.Score < *opt.MinScore {
					continue
				}
				if c, ok := opt.Map[code]; ok {
					code = c
				}
				if !isTopLevel(code) {
					nonStd++
				}
				items = append(items, item{t.Score, i, code})
			}
		}
		sort.SliceStable(items, func(i, j int) bool {
			if items[i].score != items[j].score {
				return items[i].score > items[j].score
			}
			return items[i].i < items[j].i
		})
		var codes []string
		for _, it := range items {
			if !slices.Contains(codes, it.code) {
				codes = append(codes, it.code)
			}
		}
		n++
		key := strings.Join(gset, "|")
		if g.AnyOf {
			key = "any_of:" + key
		}
		pc := perClass[key]
		pc[1]++
		if len(codes) == 0 {
			noPred++
		}
		ok := len(codes) > 0 && slices.Contains(gset, codes[0])
		if ok {
			top1++
			pc[0]++
		}
		perClass[key] = pc
		if g.AnyOf {
			hit := false
			for _, c := range codes {
				if slices.Contains(gset, c) {
					hit = true
				} else {
					fp++
				}
			}
			if hit {
				tp++
			} else {
				fn++
			}
		} else {
			for _, c := range codes {
				if slices.Contains(gset, c) {
					tp++
				} else {
					fp++
				}
			}
			for _, c := range gset {
				if !slices.Contains(codes, c) {
					fn++
				}
			}
		}
	}
	d["pred_topic_codes_not_top_level"] += nonStd
	res := TopicResult{Top1Correct: top1, Articles: n, Micro: prf(tp, fp, fn), WithoutTopics: noPred,
		PerGoldClassTop1: map[string]ClassTop1{}}
	if n > 0 {
		res.Top1Accuracy = round4(float64(top1) / float64(n))
	}
	for k, v := range perClass {
		res.PerGoldClassTop1[k] = ClassTop1{Acc: round4(float64(v[0]) / float64(v[1])), N: v[1]}
	}
	return res
}
