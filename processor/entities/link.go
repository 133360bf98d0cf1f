package entities

import (
	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/kb"
	"github.com/newsenrich/newsenrich/processor/text"
)

// link gives entities a Wikidata id and a canonical name from the
// knowledge base where the name, the type and the article agree: the
// entity's longest name must be a knowledge-base name of the same type
// whose best candidate leads the others by kb.Margin (a tenfold prior, or
// the country the article is about). A person needs a full name: a
// surname alone is never linked. Places are resolved first, and the
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
			// one word: a surname, an acronym ("CIA" is also an
			// insurance adjuster's short name), a brand that is also
			// a word ("Progressive") or a direction ("the West") is
			// too weak a witness
			if e.Type == event.TypePerson || e.Type == event.TypeOrg || directions[doc.TokenText(s.start)] {
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
		c, ok := kb.Resolve(r.kb.Lookup(st.key(doc, s.start, s.end)), e.Type, ctx)
		if ok && c.Country != "" && c.Kind != kb.KindCountry && c.Kind != kb.KindCapital && c.Kind != kb.KindRegion &&
			(c.Type == kb.Org || c.Prior < smallPlace) && (ctx == nil || !ctx(c.Country)) {
			// a small town ("Polgár", "Rue"), a district or a one-country brand
			// ("Boston Tea Party", a British café) links only in an
			// article about its country
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
