package eval

import (
	"github.com/newsenrich/newsenrich/event"
)

// LinkResult says how much of the output is linked: the share of predicted
// entity clusters (one event.Entity each, of the types the set scores)
// that carry a Wikidata id, overall and per type. Whether the ids are
// right is checked by hand (docs/entities.md): no gold file has ids.
type LinkResult struct {
	Clusters int                `json:"clusters"`
	Linked   int                `json:"linked"`
	Coverage float64            `json:"coverage"`
	PerType  map[string]float64 `json:"per_type_coverage"`
}

// ScoreLinks counts linked clusters among the predicted entities whose type
// tmap keeps.
func ScoreLinks(s *Set, preds map[string]*event.Enriched, tmap TypeMap) LinkResult {
	res := LinkResult{PerType: map[string]float64{}}
	n, l := map[string]int{}, map[string]int{}
	for _, a := range s.Articles {
		p := preds[a.ID]
		if p == nil {
			continue
		}
		for _, e := range p.Entities {
			if _, ok := tmap.mapType(e.Type); !ok || e.Type == "" {
				continue
			}
			n[e.Type]++
			res.Clusters++
			if e.Wikidata != "" {
				l[e.Type]++
				res.Linked++
			}
		}
	}
	if res.Clusters > 0 {
		res.Coverage = round4(float64(res.Linked) / float64(res.Clusters))
	}
	for t, c := range n {
		res.PerType[t] = round4(float64(l[t]) / float64(c))
	}
	return res
}
