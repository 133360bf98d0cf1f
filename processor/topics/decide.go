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
	raw   float64 // evidence, the learned model's and the policy link's included
	text  float64 // evidence but the model's and the policy link's (top-level topics)
	score float64 // evidence strength: what the emission thresholds read
	prob  float64 // calibrated probability that the topic applies
}

// rank rolls the evidence up the vocabulary, applies the policy links, and
// returns the top-level topics that have evidence, best first, in buf, with
// the evidence of all topics but the learned model's.
func (t *Tagger) rank(s *scratch, buf []scored) ([]scored, float64) {
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
	ts := buf[:0]
	text := 0.0
	for _, n := range v.tops {
		if r := float64(s.sub[n]); r > 0 && len(ts) < cap(buf) {
			own := r
			if c := t.modelClass(s, n); c >= 0 {
				own = math.Max(0, r-float64(t.modelEvidence(s, c)))
			}
			ts = append(ts, scored{node: n, text: own})
			text += own
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
	for i := range ts {
		ts[i].raw = float64(s.sub[ts[i].node])
	}
	// insertion sort: at most 17 entries, and sort.Slice would allocate
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && (ts[j].raw > ts[j-1].raw || ts[j].raw == ts[j-1].raw && ts[j].node < ts[j-1].node); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
	return ts, text
}

// decide turns evidence into scored topics.
func (t *Tagger) decide(s *scratch) []event.Topic {
	var tops [32]scored
	ts, text := t.rank(s, tops[:0])
	if len(ts) == 0 || t.cfg.MaxTopics == 0 {
		return []event.Topic{}
	}
	best := ts[0].raw
	// Decisions and order read the evidence strength; the calibrated
	// probability rides along.
	var emitBuf [32]scored
	emit := emitBuf[:0]
	var deepBuf [32]scored
	deep := deepBuf[:0]
	prev := 1.0
	for i, tp := range ts {
		rel := tp.raw / best
		score := (1 - math.Exp(-tp.raw/t.cfg.Saturation)) * rel
		// The best topic is always emitted, however weak its evidence (a
		// headline): its score says how sure the tagger is. Others must
		// pass the thresholds.
		if i > 0 && (best < t.cfg.MinEvidence || rel < t.cfg.MinRelative || score < t.cfg.MinScore) {
			break // sorted: nothing further passes MinRelative, and score falls with raw
		}
		tp.score = math.Max(score, 0.001)
		if t.calib != nil {
			// a topic with less evidence is never reported as likelier
			tp.prob = math.Max(math.Min(t.calibrated(s, ts, i, text), prev), 0.001)
			prev = tp.prob
		}
		emit = append(emit, tp)
		if t.cfg.NoDeep {
			continue
		}
		if d, ok := t.deepest(s, tp.node, tp.raw); ok {
			share := 0.5 + 0.45*d.raw/tp.raw
			d.score, d.prob = score*share, tp.prob*share
			deep = append(deep, d)
		}
	}
	for _, d := range deep {
		if d.score >= t.cfg.MinScore {
			emit = append(emit, d)
		}
	}
	byScore(emit)
	if len(emit) > t.cfg.MaxTopics {
		emit = emit[:t.cfg.MaxTopics]
	}
	out := make([]event.Topic, len(emit))
	for i, e := range emit {
		out[i] = t.topic(e.node, e.score)
		if t.calib != nil {
			out[i].Probability = round3(e.prob)
		}
	}
	return out
}

// round3 rounds a score as events carry it.
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// byScore sorts topics by their evidence strength as events round it,
// highest first; stable, so that a parent stays before its equal-scored
// child. Insertion sort: a handful of entries, and sort.SliceStable would
// allocate.
func byScore(e []scored) {
	for i := 1; i < len(e); i++ {
		for j := i; j > 0 && round3(e[j].score) > round3(e[j-1].score); j-- {
			e[j], e[j-1] = e[j-1], e[j]
		}
	}
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
