package entities

import (
	"strings"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/entities/internal/tagger"
	"github.com/newsenrich/newsenrich/processor/kb"
	"github.com/newsenrich/newsenrich/processor/text"
)

// types_groupwords.go holds adding the nationality, religion and party words the model left out.

// addGroupWords adds the nationality, religion and party words the model
// left out ("Democrats", "Catholic", "Saudi") as NORP mentions.
func (st *state) addGroupWords(r *Recognizer, doc *text.Doc) {
	toks := st.toks
	covered := st.coveredMask()
	added := false
	for i := range toks {
		if covered[i] || toks[i].Cls != tagger.ClsCap {
			continue
		}
		// a word joined to the next capitalised one is part of a name the
		// model did not take ("American Airlines")
		if i+1 < len(toks) && (toks[i+1].Cls == tagger.ClsCap || toks[i+1].Cls == tagger.ClsAllCap) && !covered[i+1] {
			continue
		}
		if typ, n := r.ownName(st, doc, i, covered); n > 0 {
			st.spans = append(st.spans, span{start: i, end: i + n, class: classOf(typ), typ: typ})
			for k := i; k < i+n; k++ {
				covered[k] = true
			}
			added = true
			continue
		}
		g := toks[i].Gaz
		isGroup := g&(1<<(2*tagger.GDemonym)) != 0 && g&(1<<(2*tagger.GCountry)) == 0 && g&(1<<(2*tagger.GDemonym+1)) == 0
		if !isGroup {
			if cands := r.kb.Lookup(st.key(doc, i, i+1)); ownList(cands) == kb.NORP {
				isGroup = true
			}
		}
		if !isGroup {
			isGroup = r.groupWord(st, doc, i)
		}
		if !isGroup || isLanguageUse(doc, i) {
			continue
		}
		st.spans = append(st.spans, span{start: i, end: i + 1, class: clsMisc, typ: event.TypeNORP})
		added = true
	}
	if added {
		sortSpans(st.spans)
	}
}

// ownName finds the longest name of the project's own lists (an outlet,
// an agency, an event: "Associated Press", "RTHK", "Space Race") that
// starts at token i and that the model left out. One-word names must be
// capitalised words the article never writes in lower case.
func (r *Recognizer) ownName(st *state, doc *text.Doc, i int, covered []bool) (string, int) {
	toks := st.toks
	for n := min(4, len(toks)-i); n >= 1; n-- {
		if covered[i+n-1] || !nameLike(&toks[i+n-1]) {
			continue
		}
		cands := r.kb.Lookup(st.key(doc, i, i+n))
		typ := ownList(cands)
		switch typ {
		case kb.Org, kb.Event:
		default:
			continue
		}
		if n == 1 && isUpper(ownCanonical(cands)) && toks[i].Cls != tagger.ClsAllCap {
			// "WHO" is the organisation, "Who" a question
			continue
		}
		// a capitalised word mid-sentence is a name ("the Parliament
		// voted"); at a sentence start only if never written in lower case
		if n == 1 && ((toks[i].DocLow > 0 && (toks[i].SentStart || toks[i].Cls != tagger.ClsCap)) || len(doc.TokenText(i)) < 3) {
			return "", 0
		}
		if i+n < len(toks) && nameLike(&toks[i+n]) && !covered[i+n] {
			// part of a longer name
			return "", 0
		}
		return typ, n
	}
	return "", 0
}

// groupWord reports whether the word at i names the people of a place or
// a faith that no list has: "ex-Muslims", or a plural formed on a known
// place ("Melbournians", "Montanans", "Yekaterinburgers").
func (r *Recognizer) groupWord(st *state, doc *text.Doc, i int) bool {
	w := doc.TokenText(i)
	if rest, ok := strings.CutPrefix(w, "ex-"); ok {
		c := r.kb.Lookup(kb.AppendKeyToken(st.kbKey[:0], rest))
		return ownList(c) == kb.NORP || tagger.Has(st.toks[i].Gaz, tagger.GDemonym)
	}
	if st.toks[i].Cls != tagger.ClsCap {
		return false
	}
	for _, suf := range [...]string{"ians", "ans", "ers", "ites"} {
		stem, ok := strings.CutSuffix(w, suf)
		if !ok || len(stem) < 4 {
			continue
		}
		for _, end := range [...]string{"", "e", "a", "o"} {
			st.kbKey = kb.AppendKeyToken(st.kbKey[:0], stem+end)
			if hasType(r.kb.Lookup(st.kbKey), kb.GPE) {
				return true
			}
		}
	}
	return false
}

// classOf is the model's class of a guideline type.
func classOf(typ string) int {
	switch typ {
	case event.TypePerson:
		return clsPer
	case event.TypeOrg:
		return clsOrg
	case event.TypeGPE, event.TypeLoc, event.TypeFac:
		return clsLoc
	}
	return clsMisc
}
