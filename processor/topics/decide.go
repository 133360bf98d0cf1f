package topics

import (
	"math"

	"github.com/newsenrich/newsenrich/event"
)

// decide.go holds turning a document's evidence into scored topics.

// policyShare is how much of min(domain, politics) evidence a policy link
// adds to the policy concept.
const policyShare = 0.5

type scored struct {
	node  int
	raw   float64
	score float64
}

// decide turns evidence into scored topics.
func (t *Tagger) decide(s *scratch) []event.Topic {
	v := t.vocab
	for _, n := range s.nodeTouched {
		w := s.node[n]
		for j := int(n); j >= 0; j = int(v.nodes[j].parent) {
			if s.sub[j] == 0 {
				s.subTouched = append(s.subTouched, int32(j))
			}
			s.sub[j] += w
		}
	}
	// Policy links: politics gains at most policyShare of its own evidence,
	// through the policy concept of the strongest linked domain, so an
	// article touching many domains does not multiply it.
	bestLink, bestD := -1, 0.0
	for i, pl := range t.policy {
		if d := float64(s.sub[pl.domain]); d > bestD {
			bestLink, bestD = i, d
		}
	}
	if bestLink >= 0 {
		pl := t.policy[bestLink]
		g := float64(s.sub[v.nodes[pl.policy].top])
		if x := float32(policyShare * math.Min(bestD, g)); x > 0 {
			for j := pl.policy; j >= 0; j = int(v.nodes[j].parent) {
				if s.sub[j] == 0 {
					s.subTouched = append(s.subTouched, int32(j))
				}
				s.sub[j] += x
			}
		}
	}
	var tops [32]scored
	nt := 0
	best := 0.0
	for _, n := range v.tops {
		if r := float64(s.sub[n]); r > 0 && nt < len(tops) {
			tops[nt] = scored{node: n, raw: r}
			nt++
			best = math.Max(best, r)
		}
	}
	if best <= 0 || t.cfg.MaxTopics == 0 {
		return []event.Topic{}
	}
	ts := tops[:nt]
	// insertion sort: at most 17 entries, and sort.Slice would allocate
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && (ts[j].raw > ts[j-1].raw || ts[j].raw == ts[j-1].raw && ts[j].node < ts[j-1].node); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
	out := make([]event.Topic, 0, 4)
	var deepBuf [32]scored
	deep := deepBuf[:0]
	for i, tp := range ts {
		rel := tp.raw / best
		score := (1 - math.Exp(-tp.raw/t.cfg.Saturation)) * rel
		// The best topic is always emitted, however weak its evidence (a
		// headline): its low score says how sure the tagger is. Others
		// must pass the thresholds.
		if i > 0 && (best < t.cfg.MinEvidence || rel < t.cfg.MinRelative || score < t.cfg.MinScore) {
			break // sorted: nothing further passes MinRelative, and score falls with raw
		}
		out = append(out, t.topic(tp.node, math.Max(score, 0.001)))
		if t.cfg.NoDeep {
			continue
		}
		if d, ok := t.deepest(s, tp.node, tp.raw); ok {
			d.score = score * (0.5 + 0.45*d.raw/tp.raw)
			deep = append(deep, d)
		}
	}
	for _, d := range deep {
		if d.score >= t.cfg.MinScore {
			out = append(out, t.topic(d.node, d.score))
		}
	}
	for i := 1; i < len(out); i++ { // stable: a parent stays before its equal-scored child
		for j := i; j > 0 && out[j].Score > out[j-1].Score; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	if len(out) > t.cfg.MaxTopics {
		out = out[:t.cfg.MaxTopics]
	}
	return out
}

// deepest walks down from a top-level topic along the child with the most
// evidence and returns the deepest concept whose evidence passes the deep
// thresholds.
func (t *Tagger) deepest(s *scratch, top int, topRaw float64) (scored, bool) {
	floor := math.Max(t.cfg.DeepMinEvidence, t.cfg.DeepMinShare*topRaw)
	var found scored
	ok := false
	cur := top
	for {
		bestChild, bestRaw := -1, 0.0
		for _, j := range s.subTouched {
			if int(t.vocab.nodes[j].parent) == cur {
				if r := float64(s.sub[j]); r > bestRaw || r == bestRaw && bestChild >= 0 && int(j) < bestChild {
					bestChild, bestRaw = int(j), r
				}
			}
		}
		if bestChild < 0 || bestRaw < floor {
			return found, ok
		}
		found, ok = scored{node: bestChild, raw: bestRaw}, true
		cur = bestChild
	}
}
