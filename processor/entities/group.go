package entities

// Grouping: spans become entities (one per real-world thing), typed, linked
// and ranked by salience.

import (
	"slices"
	"strings"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/entities/internal/tagger"
	"github.com/newsenrich/newsenrich/processor/text"
)

// group turns spans into entities.
func (r *Recognizer) group(doc *text.Doc, st *state) []event.Entity {
	out, first, longest := r.collectEntities(doc, st, st.personsFirst())
	r.link(doc, st, out, longest)
	out, first = r.mergeByWikidata(out, first)
	setSalience(out, first, len(st.toks))
	slices.SortStableFunc(out, func(a, b event.Entity) int { return a.Mentions[0].Start - b.Mentions[0].Start })
	return out
}

// spanType is the entity type of a span: its own, or its class's, refined
// by the gazetteers.
func (r *Recognizer) spanType(st *state, s span) string {
	if s.typ != "" {
		return s.typ
	}
	switch s.class {
	case clsPer:
		return event.TypePerson
	case clsOrg:
		return event.TypeOrg
	case clsLoc:
		bits, _ := r.gaz.Lookup(st.toks[s.start:s.end])
		if tagger.Has(bits, tagger.GCountry) || tagger.Has(bits, tagger.GCity) || tagger.Has(bits, tagger.GTown) || tagger.Has(bits, tagger.GAdmin1) {
			return event.TypeGPE
		}
		return event.TypeLoc
	default:
		bits, _ := r.gaz.Lookup(st.toks[s.start:s.end])
		if tagger.Has(bits, tagger.GDemonym) {
			return event.TypeNORP
		}
		return event.TypeMisc
	}
}

// personsFirst orders span indexes with multi-token persons first, so
// that a lone surname finds its person wherever it appears.
func (st *state) personsFirst() []int {
	order := make([]int, 0, len(st.spans))
	for i, s := range st.spans {
		if s.class == clsPer && s.end-s.start > 1 {
			order = append(order, i)
		}
	}
	for i, s := range st.spans {
		if !(s.class == clsPer && s.end-s.start > 1) {
			order = append(order, i)
		}
	}
	return order
}

// collectEntities groups the spans, in order, into entities by phrase and
// type (a lone surname joins its person), with each entity's first token
// and longest span.
func (r *Recognizer) collectEntities(doc *text.Doc, st *state, order []int) (out []event.Entity, first []int, longest []span) {
	out = make([]event.Entity, 0, len(st.spans))
	byKey := make(map[uint64]int, len(st.spans))
	surname := make(map[uint64]int)
	first = make([]int, 0, len(st.spans))
	longest = make([]span, 0, len(st.spans))
	for _, i := range order {
		s := st.spans[i]
		typ := r.spanType(st, s)
		key := st.phraseHash(s.start, s.end) ^ uint64(len(typ))*0x9E3779B97F4A7C15 ^ uint64(typ[0])
		m := event.Mention{Start: int(doc.Tokens[s.start].Start), End: int(doc.Tokens[s.end-1].End)}
		m.Text = doc.Text[m.Start:m.End]
		idx, ok := byKey[key]
		if !ok && typ == event.TypePerson && s.end-s.start == 1 {
			idx, ok = surname[st.toks[s.start].Lower]
		}
		if !ok {
			idx = len(out)
			out = append(out, event.Entity{Type: typ})
			first = append(first, s.start)
			longest = append(longest, s)
			byKey[key] = idx
			if typ == event.TypePerson && s.end-s.start > 1 {
				if _, dup := surname[st.toks[s.end-1].Lower]; !dup {
					surname[st.toks[s.end-1].Lower] = idx
				}
			}
		}
		e := &out[idx]
		e.Mentions = append(e.Mentions, m)
		// canonical: the longest mention, preferring ordinary case over a
		// capitals headline
		if len(m.Text) > len(e.Text) || (len(m.Text) == len(e.Text) && st.toks[s.start].Cls != tagger.ClsAllCap && isUpper(e.Text)) {
			e.Text = m.Text
			longest[idx] = s
		}
		if s.start < first[idx] {
			first[idx] = s.start
		}
		if e.Wikidata == "" {
			if _, q := r.gaz.Lookup(st.toks[s.start:s.end]); q != "" {
				e.Wikidata = q
			}
		}
	}
	return out, first, longest
}

// mergeByWikidata makes one entity of the names the knowledge base or a
// gazetteer ties to one Wikidata item ("U.S.", "America"); it reuses the
// backing arrays of out and first.
func (r *Recognizer) mergeByWikidata(out []event.Entity, first []int) ([]event.Entity, []int) {
	if len(out) <= 1 {
		return out, first
	}
	byQID := make(map[string]int)
	merged := out[:0]
	firstM := first[:0]
	for i := range out {
		e := out[i]
		if e.Wikidata != "" {
			if j, ok := byQID[e.Type+e.Wikidata]; ok {
				m := &merged[j]
				m.Mentions = append(m.Mentions, e.Mentions...)
				if c := r.canonical(e.Wikidata); c != "" {
					m.Text = c
				} else if len(e.Text) > len(m.Text) {
					m.Text = e.Text
				}
				firstM[j] = min(firstM[j], first[i])
				continue
			}
			byQID[e.Type+e.Wikidata] = len(merged)
		}
		merged = append(merged, e)
		firstM = append(firstM, first[i])
	}
	return merged, firstM
}

// setSalience sorts each entity's mentions and sets its count, trimmed
// text and salience: mentions, plus a bonus for appearing early among
// nToks tokens, normalised to sum to 1.
func setSalience(out []event.Entity, first []int, nToks int) {
	n := float64(nToks)
	var total float64
	for i := range out {
		e := &out[i]
		slices.SortFunc(e.Mentions, func(a, b event.Mention) int { return a.Start - b.Start })
		e.Count = len(e.Mentions)
		e.Text = strings.TrimSpace(e.Text)
		e.Salience = float64(e.Count) + 2*(1-float64(first[i])/n)
		total += e.Salience
	}
	for i := range out {
		out[i].Salience = float64(int(out[i].Salience/total*1e4+0.5)) / 1e4
	}
}
