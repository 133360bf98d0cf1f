package entities

import (
	"strings"

	"github.com/newsenrich/newsenrich/processor/entities/internal/tagger"
	"github.com/newsenrich/newsenrich/processor/text"
)

// Teams named after places. On a team-sports page a city, county or state
// is usually the club that plays there ("Essex 532-8", "Boston beat
// Seattle", "KANSAS CITY AT DETROIT"), and news (CoNLL included) calls it an
// organisation; countries stay places (national teams are LOC by the same
// convention). The evidence is the row or sentence shape, not the name, so
// it reaches clubs no gazetteer lists.

// teamSports are the headline keywords ("CRICKET -", "RUGBY UNION -") of
// pages whose results are between clubs.
var teamSports = map[string]bool{
	"soccer": true, "football": true, "cricket": true, "baseball": true, "basketball": true,
	"rugby": true, "union": true, "league": true, "ice": true, "hockey": true, "handball": true,
	"volleyball": true, "nfl": true, "nba": true, "nhl": true, "afl": true, "american": true,
	"australian": true, "rules": true, "water": true, "polo": true,
}

// resultBefore are words after which a place is a side in a match
// ("... beat Leicester"); resultAfter before which it is ("Leicester beat ...").
var (
	resultBefore = map[string]bool{"beat": true, "beats": true, "v": true, "v.": true, "vs": true, "vs.": true,
		"versus": true, "against": true, "defeated": true, "edged": true, "crushed": true, "thrashed": true,
		"routed": true, "downed": true, "blanked": true, "whipped": true, "hammered": true, "outlasted": true}
	resultAfter = map[string]bool{"beat": true, "beats": true, "v": true, "v.": true, "vs": true, "vs.": true,
		"versus": true, "defeated": true, "edged": true, "crushed": true, "thrashed": true, "routed": true,
		"drew": true, "lost": true, "downed": true, "blanked": true, "whipped": true, "hammered": true,
		"outlasted": true,
		// a side's people: "Surrey captain Chris Lewis"
		"captain": true, "skipper": true, "coach": true, "manager": true, "striker": true, "midfielder": true,
		"defender": true, "goalkeeper": true, "batsman": true, "bowler": true, "pitcher": true, "opener": true,
		"fans": true, "supporters": true, "outfielder": true, "catcher": true, "quarterback": true}
)

// teamPage reports whether the article opens with a team-sport slug.
func teamPage(doc *text.Doc) bool {
	for i := 0; i < len(doc.Tokens) && i < 4; i++ {
		t := doc.Tokens[i]
		if t.Kind == text.Punct && doc.Text[t.Start:t.End] == "-" {
			return i > 0
		}
		if t.Kind != text.Word || !teamSports[strings.ToLower(doc.Text[t.Start:t.End])] {
			return false
		}
	}
	return false
}

// isDate matches the dateline date "1996-08-30".
func isDate(s string) bool {
	return len(s) == 10 && s[4] == '-' && s[7] == '-'
}

// dateline reports whether the span is followed by a date before any
// other number ("LONDON 1996-08-30", "ARLINGTON , Texas 1996-08-31").
func dateline(doc *text.Doc, end int) bool {
	for k := end; k < len(doc.Tokens) && k < end+5; k++ {
		t := doc.Tokens[k]
		switch {
		case t.Kind == text.Number:
			return isDate(doc.Text[t.Start:t.End])
		case t.Kind == text.Word && t.Flags&text.Upper != 0, t.Kind == text.Punct && doc.Text[t.Start:t.End] == ",":
		default:
			return false
		}
	}
	return false
}

func (r *Recognizer) teamPlace(st *state, s span) bool {
	// a county that is also a first name ("Kent 108-3") comes out PER
	if s.class == clsPer && s.end-s.start == 1 && st.toks[s.start].Gaz&placeBits != 0 {
		return r.notCountry(st, span{start: s.start, end: s.end, class: clsLoc})
	}
	return s.class == clsLoc && r.notCountry(st, s)
}

// side reports whether a span can be a side in a table row: a club
// already labelled an organisation or a place that is not a country.
func (r *Recognizer) side(st *state, s span) bool {
	return (s.class == clsLoc || s.class == clsOrg) && r.notCountry(st, s)
}

func (r *Recognizer) notCountry(st *state, s span) bool {
	if s.class != clsLoc && s.class != clsOrg {
		return false
	}
	bits, _ := r.gaz.Lookup(st.toks[s.start:s.end])
	return !tagger.Has(bits, tagger.GCountry) && !tagger.Has(bits, tagger.GDemonym)
}

// teams relabels place-named sides on a team-sports page as organisations,
// everywhere in the article except datelines.
func (r *Recognizer) teams(doc *text.Doc, st *state) {
	toks := st.toks
	if !teamPage(doc) && r.tableRows(doc, st) < 2 {
		return
	}
	word := func(k int) string {
		if k < 0 || k >= len(toks) {
			return ""
		}
		return strings.ToLower(doc.TokenText(k))
	}
	num := func(k int) bool { return k >= 0 && k < len(toks) && score(doc, k) }
	var found []uint64
	for i, s := range st.spans {
		if r.miscSide(doc, st, s) {
			found = append(found, st.phraseHash(s.start, s.end))
			continue
		}
		if !r.teamPlace(st, s) || dateline(doc, s.end) {
			continue
		}
		team := num(s.end) || resultBefore[word(s.start-1)] || resultAfter[word(s.end)] ||
			(word(s.start-1) == "with" && (word(s.start-2) == "drew" || word(s.start-2) == "draw")) ||
			(word(s.start-1) == "to" && (word(s.start-2) == "lost" || word(s.start-2) == "lose"))
		// capitals schedules: "KANSAS CITY AT DETROIT"
		if !team && i+1 < len(st.spans) && st.spans[i+1].start == s.end+1 && isText(doc, s.end, "AT") &&
			r.side(st, st.spans[i+1]) {
			team = true
			found = append(found, st.phraseHash(st.spans[i+1].start, st.spans[i+1].end))
		}
		if team {
			found = append(found, st.phraseHash(s.start, s.end))
		}
	}
	if len(found) == 0 {
		return
	}
	isTeam := func(h uint64) bool {
		for _, f := range found {
			if f == h {
				return true
			}
		}
		return false
	}
	for i := range st.spans {
		s := &st.spans[i]
		if (s.class == clsLoc || s.class == clsMisc || s.class == clsPer && s.end-s.start == 1) && isTeam(st.phraseHash(s.start, s.end)) && !dateline(doc, s.end) {
			s.class = clsOrg
		}
	}
	for _, h := range found {
		if v := st.votes[h]; v != nil {
			v.n[clsOrg] = v.n[clsLoc] + v.n[clsPer] + v.n[clsMisc] + 1
		}
	}
}

// miscSide reports whether a name the model called MISC stands in a
// results-table row as a side: after a score or at the row's start, and
// before a score ("Hajduk 2 Proleter 0 Zemun 1"). Nationality words stay
// MISC.
func (r *Recognizer) miscSide(doc *text.Doc, st *state, s span) bool {
	if s.class != clsMisc || s.end >= len(st.toks) || !score(doc, s.end) {
		return false
	}
	if s.start > 0 && !st.toks[s.start].SentStart && !score(doc, s.start-1) {
		return false
	}
	bits, _ := r.gaz.Lookup(st.toks[s.start:s.end])
	return !tagger.Has(bits, tagger.GDemonym) && !tagger.Has(bits, tagger.GCountry)
}

// score reports whether token k is a score: "3", "343", "212-4" (not a
// date, a price or a year).
func score(doc *text.Doc, k int) bool {
	t := doc.Tokens[k]
	if t.Kind != text.Number {
		return false
	}
	w := doc.Text[t.Start:t.End]
	a, b, two := strings.Cut(w, "-")
	if two && (len(b) == 0 || len(b) > 2) {
		return false
	}
	if len(a) == 0 || len(a) > 3 {
		return false
	}
	for _, s := range []string{a, b} {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
	}
	return true
}

// tableRows counts results-table and schedule rows between two places
// that are not countries: "DETROIT 4 Kansas City 1", "BOSTON AT OAKLAND".
// Two make a sports page even without a sports slug (the table may be
// the whole article).
func (r *Recognizer) tableRows(doc *text.Doc, st *state) int {
	n := 0
	for i := 0; i+1 < len(st.spans); i++ {
		a, b := st.spans[i], st.spans[i+1]
		row := false
		switch {
		case b.start == a.end+1 && (isText(doc, a.end, "AT") || isText(doc, a.end, "at")):
			row = true
		case a.end < b.start && b.start-a.end <= 8 && b.end < len(doc.Tokens) && score(doc, a.end) && score(doc, b.end):
			// "DETROIT 4 Kansas City 1", standings "BOSTON 69 65 .515 5 1/2 TORONTO 63 71"
			row = true
			for k := a.end; k < b.start; k++ {
				row = row && (doc.Tokens[k].Kind == text.Number || doc.Tokens[k].Kind == text.Punct)
			}
		}
		// the gazetteer probes last: most span pairs are not table rows
		if row && r.side(st, a) && r.side(st, b) {
			n++
		}
	}
	return n
}

// datelines makes the place of a dateline ("BIRMINGHAM, England
// 1996-08-31", "LONDON 1996-08-30") a place whatever the model or the
// article's votes said: a dateline names where the story was filed.
func (st *state) datelines(doc *text.Doc) {
	for i := range st.spans {
		s := &st.spans[i]
		if s.class == clsLoc || !dateline(doc, s.end) {
			continue
		}
		caps := true
		for k := s.start; k < s.end; k++ {
			caps = caps && st.toks[k].Cls == tagger.ClsAllCap
		}
		if caps {
			s.class = clsLoc
		}
	}
}
