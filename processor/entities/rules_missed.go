package entities

import (
	"strings"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/entities/internal/tagger"
	"github.com/newsenrich/newsenrich/processor/text"
)

// Names the model left out although their words alone say what they are.

// wellKnownBodies are one-word international organisations whose acronym is
// no common word or other body's short name; the gazetteer's other acronyms
// (ICC, ESA, AMA...) are too ambiguous to add without the model.
var wellKnownBodies = wordSet(`UN U.N. EU E.U. NATO IMF OPEC OSCE UNESCO UNICEF UNHCR WTO ASEAN APEC OECD IAEA
	ECB ICRC ECOWAS`)

// bodyNames are names of bodies that news writes without their parent's
// name ("the Security Council").
var bodyNames = []string{"Security Council", "General Assembly"}

// addMissedBodies adds, as organisations, the international organisations
// of the gazetteer (several capitalised words, or a well-known acronym)
// that no span covers: "U.N.", "Security Council".
func (r *Recognizer) addMissedBodies(doc *text.Doc, st *state) {
	toks := st.toks
	covered := st.coveredMask()
	added := false
	for i := 0; i < len(toks); i++ {
		if covered[i] || !tagger.Cased(toks[i].Cls) {
			continue
		}
		end := 0
		if tagger.Has(toks[i].Gaz, tagger.GIntlOrg) {
			for e := min(i+8, len(toks)); e > i; e-- {
				if bits, _ := r.gaz.Lookup(toks[i:e]); tagger.Has(bits, tagger.GIntlOrg) {
					end = e
					break
				}
			}
		}
		if end == 0 {
			for _, b := range bodyNames {
				if n := matchWords(doc, i, b); n > 0 {
					end = i + n
					break
				}
			}
		}
		if end == 0 {
			continue
		}
		ok := true
		for k := i; k < end; k++ {
			ok = ok && !covered[k] && (toks[k].Cls != tagger.ClsLower || k > i && k < end-1)
		}
		if end-i == 1 {
			ok = ok && wellKnownBodies[doc.TokenText(i)] && toks[i].Mode != tagger.ModeAllCaps
		} else {
			ok = ok && toks[i].Mode == tagger.ModeNormal
		}
		if !ok {
			continue
		}
		st.spans = append(st.spans, span{start: i, end: end, class: clsOrg})
		for k := i; k < end; k++ {
			covered[k] = true
		}
		added = true
		i = end - 1
	}
	if added {
		sortSpans(st.spans)
	}
}

// matchWords reports how many tokens from i spell the space-separated
// words of name exactly (0 if they do not).
func matchWords(doc *text.Doc, i int, name string) int {
	n := 0
	for len(name) > 0 {
		w := name
		rest := ""
		for j := 0; j < len(name); j++ {
			if name[j] == ' ' {
				w, rest = name[:j], name[j+1:]
				break
			}
		}
		if i+n >= len(doc.Tokens) || doc.TokenText(i+n) != w {
			return 0
		}
		n++
		name = rest
	}
	return n
}

// legalSuffixAfter extends a name over the legal form that follows it and
// makes it a company: the model often stops before the suffix and calls
// the rest a person ("Pirelli SpA" → "Pirelli" PER).
func (st *state) legalSuffixAfter(doc *text.Doc) {
	for i := range st.spans {
		s := &st.spans[i]
		e := s.end
		if e >= len(st.toks) || (i+1 < len(st.spans) && st.spans[i+1].start <= e) || st.toks[e].SentStart {
			continue
		}
		if !tagger.Cased(st.toks[e].Cls) || !st.companyTail(doc, span{start: s.start, end: e + 1}) {
			continue
		}
		s.end, s.class = e+1, clsOrg
	}
}

// airlineWords end an airline's name; its short name is the airline too
// ("Mahan Air" ... "Mahan"), unless it is a place ("Qatar Airways").
var airlineWords = wordSet(`Air Airlines Airways`)

// companyTail reports whether span s ends with a word that makes the rest
// of it a company's short name: a legal form, or an airline word after a
// name that is no place.
func (st *state) companyTail(doc *text.Doc, s span) bool {
	last := doc.TokenText(s.end - 1)
	if legalSuffix[last] {
		return true
	}
	if !airlineWords[last] || s.end-s.start < 2 {
		return false
	}
	for k := s.start; k < s.end-1; k++ {
		if st.toks[k].Gaz&(placeBits|1<<(2*tagger.GDemonym)) != 0 {
			return false
		}
	}
	return true
}

// partyNames grows a party's adjective over a lower-case "party" after it:
// "the Democratic party" names the organisation.
func (st *state) partyNames(doc *text.Doc) {
	for i := range st.spans {
		s := &st.spans[i]
		e := s.end
		if s.typ != event.TypeNORP || e-s.start != 1 || e >= len(st.toks) || doc.TokenText(e) != "party" ||
			(i+1 < len(st.spans) && st.spans[i+1].start <= e) || religions[strings.ToLower(doc.TokenText(s.start))] ||
			st.toks[s.start].Gaz&(1<<(2*tagger.GDemonym)) != 0 {
			continue
		}
		s.end, s.class, s.typ = e+1, clsOrg, event.TypeOrg
	}
}

// particles are the lower-case words that begin a surname ("van Biljon",
// "de Silva").
var particles = wordSet(`van von de da di du der den dos das del della le la ter`)

// surnameParticles grows a person named by the surname alone over the
// particle before it.
func (st *state) surnameParticles(doc *text.Doc) {
	for i := range st.spans {
		s := &st.spans[i]
		if s.class != clsPer || s.end-s.start != 1 || st.toks[s.start].SentStart {
			continue
		}
		prevEnd := 0
		if i > 0 {
			prevEnd = st.spans[i-1].end
		}
		k := s.start
		for k-1 >= prevEnd && s.start-k < 3 && particles[doc.TokenText(k-1)] {
			k--
		}
		if k == s.start {
			continue
		}
		// and the first name the model left out ("Joost van der Westhuizen")
		if f := k - 1; f >= prevEnd && st.toks[f].Cls == tagger.ClsCap && !tagger.Has(st.toks[f].Gaz, tagger.GTitle) &&
			(tagger.Has(st.toks[f].Gaz, tagger.GFirst) || !st.toks[f].SentStart) {
			k = f
		}
		s.start = k
	}
}

// religions are faith adjectives: "the Moslem party" is a party of the
// faithful, not a party's name.
var religions = wordSet(`muslim moslem islamic islamist christian catholic protestant orthodox jewish hindu buddhist
	sikh shia shiite sunni evangelical`)

// outletWords after a place name a news outlet ("China Daily", "Damascus
// Radio", "Jakarta Post").
var outletWords = wordSet(`Radio Television TV Daily Post Times Herald Tribune Gazette Newsroom`)

// outletNames makes a place followed by an outlet word, or by "Newsroom",
// one organisation, also where the model tagged only the place or nothing.
func (r *Recognizer) outletNames(doc *text.Doc, st *state) {
	toks := st.toks
	covered := st.coveredMask()
	added := false
	for i := range st.spans {
		s := &st.spans[i]
		e := s.end
		if s.class != clsLoc || e >= len(toks) || toks[e].Cls != tagger.ClsCap || toks[e].SentStart ||
			!outletWords[doc.TokenText(e)] || covered[e] {
			continue
		}
		s.end, s.class = e+1, clsOrg
		covered[e] = true
	}
	for e := 1; e < len(toks); e++ {
		p := e - 1
		if covered[e] || covered[p] || toks[e].Cls != tagger.ClsCap || toks[e].SentStart || !outletWords[doc.TokenText(e)] ||
			!tagger.Cased(toks[p].Cls) || toks[p].Gaz&placeBits == 0 {
			continue
		}
		st.spans = append(st.spans, span{start: p, end: e + 1, class: clsOrg})
		covered[p], covered[e] = true, true
		added = true
	}
	if added {
		sortSpans(st.spans)
	}
}

// orgNouns are common nouns that stand before an organisation's name in
// apposition ("the news agency Tanjug", "tyre giant Pirelli") and seldom
// before a person's.
var orgNouns = wordSet(`agency newspaper daily weekly broadcaster network channel firm company group airline carrier
	bank insurer retailer operator giant conglomerate movement militia guerrillas organisation organization
	charity outlet publisher brewer automaker carmaker manufacturer`)

// pluralNotPerson reports whether a word the model called a person has a
// people's plural ending and is no one's name ("Coloradans"; not "Hermans"
// where the article or the name lists know it as a surname).
func (st *state) pluralNotPerson(doc *text.Doc, i int) bool {
	w := doc.TokenText(i)
	if !strings.HasSuffix(w, "ans") || st.surnames[st.toks[i].Lower] {
		return false
	}
	return st.toks[i].Gaz&(1<<(2*tagger.GSur)|1<<(2*tagger.GFirst)|1<<(2*tagger.GFirstRare)) == 0
}

// splitAtCommonWords splits a place or a person at a lower-case word of
// four letters or more inside it, which joins two names rather than
// belonging to one ("Guangdong province of China" → "Guangdong",
// "China"); short words ("of", "de", "bin") may sit inside a name.
func (st *state) splitAtCommonWords(doc *text.Doc) {
	toks := st.toks
	out := st.spare[:0]
	for _, s := range st.spans {
		for s.class == clsLoc || s.class == clsPer {
			k := s.start + 1
			for k < s.end-1 && !(toks[k].Cls == tagger.ClsLower && commonWord(doc.TokenText(k))) {
				k++
			}
			if k >= s.end-1 {
				break
			}
			out = append(out, span{start: s.start, end: k, class: s.class})
			n := k
			for n < s.end && (toks[n].Cls == tagger.ClsLower || toks[n].Cls == tagger.ClsPunct) {
				n++
			}
			s.start = n
			if n >= s.end {
				break
			}
		}
		if s.start < s.end {
			out = append(out, s)
		}
	}
	st.spans, st.spare = out, st.spans
}

// nameJoiners are longer lower-case words that do stand inside names.
var nameJoiners = wordSet(`upon della dello degli delle von zu`)

// commonWord reports whether w is a lower-case word of four letters or
// more that does not join names.
func commonWord(w string) bool {
	if len(w) < 4 || nameJoiners[w] {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// bylineDatelines splits a reporter's name from the capitals place of the
// dateline that follows it, when the model ran them together ("Rolf
// Soderlind LONGYEAR, Norway 1996-08-30"): the name keeps its class and
// the capitals become the place.
func (st *state) bylineDatelines(doc *text.Doc) {
	toks := st.toks
	n := len(st.spans)
	for i := 0; i < n; i++ {
		s := &st.spans[i]
		if !dateline(doc, s.end) || toks[s.start].Cls != tagger.ClsCap {
			continue
		}
		k := s.start + 1
		for k < s.end && toks[k].Cls != tagger.ClsAllCap {
			k++
		}
		if k == s.end || len(doc.TokenText(k)) < 3 {
			continue
		}
		caps := true
		for j := k; j < s.end; j++ {
			caps = caps && toks[j].Cls == tagger.ClsAllCap
		}
		if !caps {
			continue
		}
		end := s.end
		s.end = k // before the append, which may move the spans
		st.spans = append(st.spans, span{start: k, end: end, class: clsLoc})
	}
	if len(st.spans) > n {
		sortSpans(st.spans)
	}
}
