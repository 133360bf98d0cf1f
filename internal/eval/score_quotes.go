package eval

import (
	"sort"
	"strings"
	"unicode"

	"github.com/newsenrich/newsenrich/event"
)

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
