package entities

import (
	"slices"
	"strings"

	"github.com/newsenrich/newsenrich/processor/entities/internal/tagger"
	"github.com/newsenrich/newsenrich/processor/text"
)

const (
	clsPer = iota
	clsOrg
	clsLoc
	clsMisc
)

type vote struct {
	n [4]float32
}

// sortSpans puts spans in text order; the rules that add spans append
// them and sort once.
func sortSpans(s []span) {
	slices.SortStableFunc(s, func(a, b span) int { return a.start - b.start })
}

func (st *state) phraseHash(a, b int) uint64 {
	h := tagger.PhraseSeed
	for k := a; k < b; k++ {
		h = tagger.PhraseHash(h, st.toks[k].Lower)
	}
	return h
}

func (v *vote) best() (int, float32) {
	b := 0
	for c := 1; c < 4; c++ {
		if v.n[c] > v.n[b] {
			b = c
		}
	}
	return b, v.n[b]
}

const maxFill = 5

// clean trims span edges the model gets wrong in tables and running text:
// a number or a separator inside a name splits it (results tables have no
// punctuation between columns), lower-case words, numbers and punctuation never end a
// name, and "The" never starts one outside MISC (titles of works).
func (st *state) clean(doc *text.Doc) {
	toks := st.toks
	// one span may become two, so write into a second buffer
	out := st.spare[:0]
	var extra []span
	for _, s := range st.spans {
		for k := s.start; k < s.end; k++ {
			if (toks[k].Cls == tagger.ClsNumber || separator(doc, k)) && k > s.start && k+1 < s.end {
				extra = append(extra, span{start: k + 1, end: s.end, class: s.class})
				s.end = k
				break
			}
		}
		extra = append(extra, s)
		for _, e := range extra {
			for e.end-e.start > 1 && (toks[e.end-1].Cls == tagger.ClsLower || toks[e.end-1].Cls == tagger.ClsNumber ||
				(toks[e.end-1].Cls == tagger.ClsPunct && !closesBracket(doc, e.end-1))) {
				e.end--
			}
			for e.end-e.start > 1 && (toks[e.start].Cls == tagger.ClsPunct || toks[e.start].Cls == tagger.ClsNumber ||
				(e.class != clsMisc && isThe(doc, e.start))) {
				e.start++
			}
			if toks[e.start].Cls == tagger.ClsPunct || toks[e.start].Cls == tagger.ClsNumber || toks[e.start].Cls == tagger.ClsLower {
				continue
			}
			out = append(out, e)
		}
		extra = extra[:0]
	}
	st.spans, st.spare = out, st.spans
	sortSpans(st.spans)
}

// separator reports whether token i is punctuation that never sits inside
// a name: a spaced dash (headline "TENNIS - AGASSI"), a comma, a colon.
func separator(doc *text.Doc, i int) bool {
	t := doc.Tokens[i]
	if t.Kind != text.Punct {
		return false
	}
	switch s := doc.Text[t.Start:t.End]; {
	case s == "," || s == ":" || s == ";" || s == "--":
		return true
	case text.IsDash(s):
		// "X–Y Bank", "Apollo–Soyuz": a dash between words is inside a name
		return t.Flags&text.SpaceBefore != 0
	}
	return false
}

func isText(doc *text.Doc, i int, s string) bool {
	t := doc.Tokens[i]
	return doc.Text[t.Start:t.End] == s
}

// initials are the first letters of a span's capitalised words.
func (st *state) initials(doc *text.Doc, s span) string {
	var b []byte
	for k := s.start; k < s.end; k++ {
		if c := st.toks[k].Cls; c == tagger.ClsCap || c == tagger.ClsAllCap {
			b = append(b, doc.Text[doc.Tokens[k].Start])
		}
	}
	return strings.ToUpper(string(b))
}

func closesBracket(doc *text.Doc, i int) bool {
	t := doc.Tokens[i]
	return t.End-t.Start == 1 && doc.Text[t.Start] == ')'
}

func isThe(doc *text.Doc, i int) bool {
	t := doc.Tokens[i]
	return t.End-t.Start == 3 && strings.EqualFold(doc.Text[t.Start:t.End], "the")
}

// fix applies the article-level rules to st.spans, in this order.
func (r *Recognizer) fix(doc *text.Doc, st *state) {
	st.clean(doc)
	st.splitAtCommonWords(doc)
	r.fixTitlesAndGazetteerClasses(st)
	r.extend(st)
	st.desks(doc)
	r.outletNames(doc, st)
	r.addMissedBodies(doc, st)
	st.legalSuffixAfter(doc)
	r.joinAmpersand(doc, st)
	r.splitTableCells(st)
	st.voteNames(doc)
	st.applyVotes()
	r.teams(doc, st)
	st.bylineDatelines(doc)
	st.datelines(doc)
	st.voteBracketAcronyms(doc)
	st.labelRepeats()
}

// fixTitlesAndGazetteerClasses: titles are not part of a person's name;
// international organisations are organisations whatever the context
// suggests.
func (r *Recognizer) fixTitlesAndGazetteerClasses(st *state) {
	toks := st.toks
	for i := range st.spans {
		s := &st.spans[i]
		if s.class == clsPer {
			for s.end-s.start > 1 && toks[s.start].Gaz&(1<<(2*tagger.GTitle)) != 0 &&
				toks[s.start].Gaz&(1<<(2*tagger.GFirst)) == 0 {
				s.start++
			}
		}
		bits, _ := r.gaz.Lookup(toks[s.start:s.end])
		if tagger.Has(bits, tagger.GIntlOrg) && (s.end-s.start > 1 || toks[s.start].Cls == tagger.ClsAllCap) {
			s.class = clsOrg
		}
		// a nationality word alone is a nationality, whatever it modifies
		// ("German police")
		if s.end-s.start == 1 && tagger.Has(bits, tagger.GDemonym) && !tagger.Has(bits, tagger.GCountry) {
			s.class = clsMisc
		}
	}
}

// addVote adds w to class c of the phrase with hash h.
func (st *state) addVote(h uint64, c int, w float32) {
	v := st.votes[h]
	if v == nil {
		v = &vote{}
		st.votes[h] = v
	}
	v.n[c] += w
}

// voteNames starts the article's votes for one label per name: votes per
// phrase; a person's surname alone votes for the person.
func (st *state) voteNames(doc *text.Doc) {
	toks := st.toks
	if st.votes == nil {
		st.votes = make(map[uint64]*vote, 64)
	}
	clear(st.votes)
	for _, s := range st.spans {
		// the model is least sure in capitals and title-case headlines
		w := float32(1)
		if m := toks[s.start].Mode; m == tagger.ModeAllCaps || m == tagger.ModeTitle {
			w = 0.25
		}
		st.addVote(st.phraseHash(s.start, s.end), s.class, w)
		// "the news agency Tanjug", "airline Mahan": a common noun for an
		// organisation right before a one-word name makes it one
		if s.class == clsPer && s.end-s.start == 1 && s.start > 0 && toks[s.start-1].Cls == tagger.ClsLower &&
			orgNouns[doc.TokenText(s.start-1)] {
			st.addVote(st.phraseHash(s.start, s.end), clsOrg, 10*w)
		}
		if s.class == clsPer && s.end-s.start > 1 && toks[s.end-1].Cls != tagger.ClsInitial {
			st.addVote(st.phraseHash(s.end-1, s.end), clsPer, 2*w)
		}
		// "Pirelli" after "Pirelli Cables": a company's first word alone
		// names the company
		if s.class == clsOrg && s.end-s.start > 1 && nameLike(&toks[s.start]) && toks[s.start].Cls != tagger.ClsInitial &&
			toks[s.start].Gaz&(1<<(2*tagger.GFirst)|placeBits) == 0 {
			st.addVote(st.phraseHash(s.start, s.start+1), clsOrg, w)
		}
		// "Pirelli" after "Pirelli SpA", "Ruch" after "Ruch SA": a legal
		// suffix makes the company's short name a strong witness
		if s.class == clsOrg && s.end-s.start > 1 && st.companyTail(doc, s) {
			st.addVote(st.phraseHash(s.start, s.end-1), clsOrg, 10*w)
			if s.end-s.start > 2 && nameLike(&toks[s.start]) && toks[s.start].Cls != tagger.ClsInitial &&
				toks[s.start].Gaz&(1<<(2*tagger.GFirst)|placeBits) == 0 {
				st.addVote(st.phraseHash(s.start, s.start+1), clsOrg, 10*w)
			}
		}
	}
}

// applyVotes gives each span the label its phrase won by.
func (st *state) applyVotes() {
	for i := range st.spans {
		s := &st.spans[i]
		if v := st.votes[st.phraseHash(s.start, s.end)]; v != nil {
			if b, n := v.best(); b != s.class && n > v.n[s.class] {
				s.class = b
			}
		}
	}
}

// voteBracketAcronyms: an acronym in brackets after a name is that name:
// "Organisation for Security and Co-operation in Europe (OSCE)".
func (st *state) voteBracketAcronyms(doc *text.Doc) {
	toks := st.toks
	for _, s := range st.spans {
		k := s.end
		if k+2 < len(toks) && s.end-s.start > 1 && isText(doc, k, "(") && isText(doc, k+2, ")") &&
			toks[k+1].Cls == tagger.ClsAllCap && st.initials(doc, s) == strings.ToUpper(doc.TokenText(k+1)) {
			st.addVote(st.phraseHash(k+1, k+2), s.class, 2)
		}
	}
}

// coveredMask marks the tokens inside a span, in scratch space reused
// across articles.
func (st *state) coveredMask() []bool {
	if cap(st.covered) < len(st.toks) {
		st.covered = make([]bool, len(st.toks))
	}
	covered := st.covered[:len(st.toks)]
	clear(covered)
	for _, s := range st.spans {
		for k := s.start; k < s.end; k++ {
			covered[k] = true
		}
	}
	return covered
}

// labelRepeats gives unlabelled repeats of a labelled name its label.
func (st *state) labelRepeats() {
	toks := st.toks
	covered := st.coveredMask()
	added := false
	for _, sp := range st.sents {
		for i := sp.Start; i < sp.End; i++ {
			if covered[i] || !nameLike(&toks[i]) {
				continue
			}
			h := tagger.PhraseSeed
			bestEnd, bestCls := -1, 0
			for j := i; j < sp.End && j < i+maxFill && !covered[j]; j++ {
				if j > i && !nameLike(&toks[j]) && toks[j].Cls != tagger.ClsPunct {
					break
				}
				h = tagger.PhraseHash(h, toks[j].Lower)
				if v := st.votes[h]; v != nil && nameLike(&toks[j]) {
					c, _ := v.best()
					bestEnd, bestCls = j+1, c
				}
			}
			if bestEnd < 0 {
				continue
			}
			// a lone surname or name at a sentence start is only joined when
			// the document never writes the word in lower case
			if toks[i].DocLow > 0 {
				continue
			}
			st.spans = append(st.spans, span{start: i, end: bestEnd, class: bestCls})
			for k := i; k < bestEnd; k++ {
				covered[k] = true
			}
			added = true
			i = bestEnd - 1
		}
	}
	if added {
		sortSpans(st.spans)
	}
}

// extend grows a span to the longest multi-token organisation or place
// name of the gazetteers that starts where it starts, when the model
// stopped early ("Organisation for Security" + "and Co-operation in Europe").
func (r *Recognizer) extend(st *state) {
	toks := st.toks
	const orgish = 1<<(2*tagger.GIntlOrg) | 1<<(2*tagger.GClub) | 1<<(2*tagger.GCompany) |
		1<<(2*tagger.GCountry) | 1<<(2*tagger.GCity) | 1<<(2*tagger.GAdmin1)
	for i := range st.spans {
		s := &st.spans[i]
		limit := len(toks)
		if i+1 < len(st.spans) {
			limit = st.spans[i+1].start
		}
		sent := st.sentEnd(s.start)
		limit = min(limit, sent, s.start+8)
		for e := limit; e > s.end; e-- {
			if !nameLike(&toks[e-1]) {
				continue
			}
			if bits, _ := r.gaz.Lookup(toks[s.start:e]); bits&orgish != 0 {
				s.end = e
				break
			}
		}
	}
}

// joinAmpersand makes "Douglas & Lomason" and "Procter & Gamble" one
// organisation: a name, "&", and a capitalised word.
func (r *Recognizer) joinAmpersand(doc *text.Doc, st *state) {
	toks := st.toks
	out := st.spans[:0]
	for i := 0; i < len(st.spans); i++ {
		s := st.spans[i]
		k := s.end
		if k+1 < len(toks) && !toks[k+1].SentStart && isAmp(doc, k) && nameLike(&toks[k+1]) {
			end := k + 2
			if i+1 < len(st.spans) && st.spans[i+1].start == k+1 {
				end = st.spans[i+1].end
				i++
			} else if i+1 < len(st.spans) && st.spans[i+1].start < end {
				out = append(out, s)
				continue
			}
			cls := clsOrg
			if bits, _ := r.gaz.Lookup(toks[s.start:end]); bits&(1<<(2*tagger.GCountry)|1<<(2*tagger.GAdmin1)|1<<(2*tagger.GCity)) != 0 {
				cls = clsLoc
			}
			s = span{start: s.start, end: end, class: cls}
		}
		out = append(out, s)
	}
	st.spans = out
}

func isAmp(doc *text.Doc, i int) bool {
	t := doc.Tokens[i]
	return t.End-t.Start == 1 && doc.Text[t.Start] == '&'
}

// splitTableCells splits a run of capitals such as "MILWAUKEE CLEVELAND"
// (two table cells with nothing between them) into the two known names it
// is made of, when the whole run is not itself a known name.
func (r *Recognizer) splitTableCells(st *state) {
	toks := st.toks
	const named = 1<<(2*tagger.GCity) | 1<<(2*tagger.GTown) | 1<<(2*tagger.GAdmin1) | 1<<(2*tagger.GCountry) | 1<<(2*tagger.GClub)
	n := len(st.spans)
	for i := 0; i < n; i++ {
		s := st.spans[i]
		if s.end-s.start < 2 || s.end-s.start > 6 {
			continue
		}
		allCaps := true
		for k := s.start; k < s.end; k++ {
			allCaps = allCaps && toks[k].Cls == tagger.ClsAllCap
		}
		if !allCaps {
			continue
		}
		if bits, _ := r.gaz.Lookup(toks[s.start:s.end]); bits&named != 0 {
			continue
		}
		for k := s.start + 1; k < s.end; k++ {
			a, _ := r.gaz.Lookup(toks[s.start:k])
			b, _ := r.gaz.Lookup(toks[k:s.end])
			if a&named != 0 && b&named != 0 {
				st.spans[i].end = k
				st.spans = append(st.spans, span{start: k, end: s.end, class: s.class})
				break
			}
		}
	}
	if len(st.spans) > n {
		sortSpans(st.spans)
	}
}

func (st *state) sentEnd(i int) int {
	k, _ := slices.BinarySearchFunc(st.sents, i, func(s tagger.Span, i int) int {
		if s.End <= i {
			return -1
		}
		if s.Start > i {
			return 1
		}
		return 0
	})
	if k < len(st.sents) {
		return st.sents[k].End
	}
	return len(st.toks)
}

// nameLike reports whether a token can be (part of) a name in its sentence.
func nameLike(t *tagger.Tok) bool {
	switch t.Cls {
	case tagger.ClsCap, tagger.ClsAllCap, tagger.ClsMixed, tagger.ClsInitial:
		return true
	}
	return false
}

func isUpper(s string) bool { return strings.ToUpper(s) == s }

// placeBits mark a token that starts a country, city, town or region name.
const placeBits = 1<<(2*tagger.GCountry) | 1<<(2*tagger.GCity) | 1<<(2*tagger.GTown) | 1<<(2*tagger.GAdmin1)

// legalSuffix are the legal forms that end a company's full name only.
var legalSuffix = wordSet(`Inc Inc. Corp Corp. Corporation Co Co. Ltd Ltd. Limited Plc PLC plc LLC Llc
	L.P. LP AG GmbH SA S.A. NV N.V. BV B.V. SpA S.p.A. SPA Bancorp Holdings AB ASA Oyj KK`)

func wordSet(s string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// deskWord reports whether w ends the name of a news desk, an
// organisation even when it starts with a place: "Bucharest Newsroom",
// "New York Energy Desk".
func deskWord(w string) bool {
	for _, d := range [...]string{"newsroom", "newsdesk", "desk", "bureau"} {
		if strings.EqualFold(w, d) {
			return true
		}
	}
	return false
}

// desks extends a name over the capitalised words up to a desk word
// that follows it and makes it an organisation.
func (st *state) desks(doc *text.Doc) {
	toks := st.toks
	for i := range st.spans {
		s := &st.spans[i]
		limit := min(s.end+3, st.sentEnd(s.start))
		if i+1 < len(st.spans) {
			limit = min(limit, st.spans[i+1].start)
		}
		for e := s.end; e <= limit; e++ {
			if e-s.start > 1 && toks[e-1].Cls == tagger.ClsCap && deskWord(doc.TokenText(e-1)) {
				s.end, s.class = e, clsOrg
				break
			}
			if e < len(toks) && e < limit && toks[e].Cls != tagger.ClsCap {
				break
			}
		}
	}
}
