package eval

import (
	"fmt"
	"strings"

	"github.com/newsenrich/newsenrich/event"
)

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
