package entities

import (
	"strings"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/kb"
	"github.com/newsenrich/newsenrich/processor/text"
)

// link gives entities a Wikidata id and a canonical name from the
// knowledge base where the name, the type and the article agree: the
// entity's longest name must be a knowledge-base name of the same type
// whose best candidate leads the others by kb.Margin (a tenfold prior, or
// the country the article is about). A person needs a full name: a
// surname alone is never linked, an organisation's one word only as
// oneWordOrg says. Places are resolved first, and the
// countries of those that link unambiguously are the article's context
// for the rest (Florida with the United States, not Uruguay).
func (r *Recognizer) link(doc *text.Doc, st *state, out []event.Entity, longest []span) {
	if r.kb == nil {
		return
	}
	// the countries of the places that link on their own, counted per
	// entity: an entity is not its own context (Georgia the country must
	// not outvote Georgia the state by having named itself)
	var countries [16]string
	var counts [16]int
	nc, self := 0, ""
	own := make([]string, len(out))
	inContext := func(c string) bool {
		for k, x := range countries[:nc] {
			if x == c {
				n := counts[k]
				if self == c {
					n--
				}
				return n > 0
			}
		}
		return false
	}
	resolve := func(i int, ctx func(string) bool) (kb.Entry, bool) {
		e, s := &out[i], longest[i]
		if s.end-s.start == 1 {
			// one word: a surname or a direction ("the West") is too
			// weak a witness; an organisation's, see oneWordOrg
			if e.Type == event.TypePerson || directions[doc.TokenText(s.start)] {
				return kb.Entry{}, false
			}
		}
		switch e.Type {
		case event.TypePerson, event.TypeOrg, event.TypeGPE, event.TypeLoc, event.TypeFac:
		default:
			return kb.Entry{}, false
		}
		if e.Type == event.TypeOrg && genericOrg[doc.TokenText(s.start)] {
			// "Ministry of Defence" is every country's: the index knows
			// only the United Kingdom's
			return kb.Entry{}, false
		}
		cands := r.kb.Lookup(st.key(doc, s.start, s.end))
		if e.Type == event.TypeOrg {
			if s.end-s.start == 1 {
				c, ok, spelled := oneWordOrg(doc, s.start, cands, ctx)
				if !ok || spelled {
					return c, ok
				}
			} else {
				cands = ownName(st.kbKey, cands)
			}
		}
		c, ok := kb.Resolve(cands, e.Type, ctx)
		if ok && c.Country != "" && c.Kind != kb.KindCountry && c.Kind != kb.KindCapital && c.Kind != kb.KindRegion &&
			(c.Type == kb.Org || c.Prior < smallPlace) && (ctx == nil || !ctx(c.Country)) &&
			!(c.Type == kb.Org && r.namesCountry(doc, st, s, c.Country)) {
			// a small town ("Polgár", "Rue"), a district or a one-country brand
			// ("Boston Tea Party", a British café) links only in an
			// article about its country, or one whose name says it
			// ("United States Geological Survey")
			return kb.Entry{}, false
		}
		return c, ok
	}
	for i := range out {
		if out[i].Type != event.TypeGPE {
			continue
		}
		c, ok := resolve(i, nil)
		if !ok || c.Country == "" {
			continue
		}
		own[i] = c.Country
		k := 0
		for k < nc && countries[k] != c.Country {
			k++
		}
		if k == nc {
			if nc == len(countries) {
				continue
			}
			countries[nc] = c.Country
			nc++
		}
		counts[k]++
	}
	for i := range out {
		e := &out[i]
		self = own[i]
		c, ok := resolve(i, inContext)
		switch {
		case ok:
			// the knowledge base weighs the article's context, which the
			// gazetteer's id (the country-codes one) cannot
			e.Wikidata = c.QID
			e.Text = c.Canonical
		case e.Wikidata != "" && e.Type == event.TypeGPE:
			// a place the knowledge base finds ambiguous here
			e.Wikidata = ""
		case e.Wikidata != "" && e.Type == event.TypeOrg && oneWord(longest[i]) &&
			ownList(r.kb.Lookup(st.key(doc, longest[i].start, longest[i].end))) != kb.Org:
			// an international organisation's acronym alone ("CPD") links
			// only when it is one everybody knows (NATO, WHO)
			e.Wikidata = ""
		case e.Wikidata != "":
			// an id from the gazetteers (international organisations):
			// its canonical name where the KB has one
			if n := r.kb.Canonical(e.Wikidata); n != "" {
				e.Text = n
			}
		}
	}
}

// canonical is the knowledge base's name for a Wikidata id ("" if none).
func (r *Recognizer) canonical(qid string) string {
	if r.kb == nil || qid == "" {
		return ""
	}
	return r.kb.Canonical(qid)
}

// genericOrg start the names many countries give their institutions in
// English ("Ministry of Defence", "Ministry of Health").
var genericOrg = wordSet(`Ministry`)

// smallPlace is the population under which a place needs its country in
// the article to be linked.
const smallPlace = 100000

func oneWord(s span) bool { return s.end-s.start == 1 }

// oneWordOrg resolves an organisation's one-word name. An acronym links
// only to the organisation whose full name the article spells out
// ("USGS" beside "United States Geological Survey"; spelled is then true
// and no other check applies): the index's namesakes of acronyms are
// mostly others ("CIA" is an insurance adjuster there). Another word links
// only where the project's own lists name it an organisation and the
// index has one of exactly that name ("Boeing", "Tesla"): a brand that is
// also a word ("Progressive", "House") is not in those lists.
func oneWordOrg(doc *text.Doc, tok int, cands []kb.Entry, ctx func(string) bool) (c kb.Entry, ok, spelled bool) {
	if doc.Has(tok, text.AllUpper) {
		word := doc.TokenText(tok)
		for _, x := range cands {
			if x.Type != kb.Org || x.QID == "" || x.QID == c.QID || x.Canonical == word || !spelledOut(doc.Text, x.Canonical) {
				continue
			}
			if c.QID != "" {
				return kb.Entry{}, false, false // two expansions in the text
			}
			c = x
		}
		return c, c.QID != "", c.QID != ""
	}
	c, ok = kb.Resolve(cands, kb.Org, ctx)
	if !ok {
		return kb.Entry{}, false, false
	}
	for _, x := range cands {
		if x.Source == "compiled.tsv" && x.QID == c.QID {
			return c, true, false
		}
	}
	return kb.Entry{}, false, false
}

// spelledOut reports whether body holds an organisation's full name, or
// the name without its last word where that word is only the company's
// legal form ("Pacific Gas and Electric" for "… Company").
func spelledOut(body, name string) bool {
	if !strings.Contains(name, " ") {
		return false
	}
	if strings.Contains(body, name) {
		return true
	}
	i := strings.LastIndexByte(name, ' ')
	return legalForm[name[i+1:]] && strings.Contains(body, name[:i])
}

// legalForm are the last words of company names that news often drops.
var legalForm = wordSet(`Company Corporation Inc. Incorporated Limited Ltd. plc`)

// ownName keeps, of several organisations a name may be, the one whose
// data-file name it is ("Indian Railways", not the railway police that
// has it as another name). key is the name's key.
func ownName(key []byte, cands []kb.Entry) []kb.Entry {
	first, several := "", false
	for _, c := range cands {
		if c.Type == kb.Org && c.QID != "" {
			several = several || (first != "" && c.QID != first)
			first = c.QID
		}
	}
	if !several {
		return cands // nothing to choose between: no key to build
	}
	own, others := "", 0
	for _, c := range cands {
		if c.Type != kb.Org || c.QID == "" {
			continue
		}
		if string(kb.AppendKey(nil, c.Canonical)) == string(key) {
			if own != "" && own != c.QID {
				return cands
			}
			own = c.QID
		} else {
			others++
		}
	}
	if own == "" || others == 0 {
		return cands
	}
	kept := make([]kb.Entry, 0, len(cands))
	for _, c := range cands {
		if c.Type != kb.Org || c.QID == "" || c.QID == own {
			kept = append(kept, c)
		}
	}
	return kept
}

// namesCountry reports whether the words of span s name the country cc
// ("United States Geological Survey").
func (r *Recognizer) namesCountry(doc *text.Doc, st *state, s span, cc string) bool {
	for a := s.start; a < s.end; a++ {
		for b := a + 1; b <= s.end && b-a <= 4; b++ {
			for _, c := range r.kb.Lookup(st.key(doc, a, b)) {
				if c.Kind == kb.KindCountry && c.Country == cc {
					return true
				}
			}
		}
	}
	return false
}
