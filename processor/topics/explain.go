package topics

import (
	"math"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/text"
)

// explain.go says where a text's topics come from: how much evidence each
// source gave each top-level topic. It is for people reading a wrong answer
// (tools/topicdump -explain), not for the hot path.

// Explanation is the evidence behind one text's topics.
type Explanation struct {
	// Sources holds, in the order the tagger adds them, each source's
	// evidence per top-level code (codes it gave nothing are absent).
	Sources []SourceEvidence `json:"sources"`
	// Model is the learned model's probability per top-level code, its
	// two parts' mixture (empty when the model did not run).
	Model map[string]float64 `json:"model,omitempty"`
	// Topics is what Topics returns for the same text.
	Topics []event.Topic `json:"topics"`
}

// SourceEvidence is one source's evidence per top-level code.
type SourceEvidence struct {
	Source   string             `json:"source"`
	Evidence map[string]float64 `json:"evidence"`
}

// Explain tags the text as Topics does and says how much evidence each
// source gave each top-level topic. Politics' policy link, which acts on
// the sum, is not a source of its own.
func (t *Tagger) Explain(title, body *text.Doc, entities []event.Entity) Explanation {
	s := t.getScratch()
	defer t.putScratch(s)
	var ex Explanation
	seen := map[string]float64{} // each top-level code's evidence so far
	t.evidence(s, title, body, entities, func(source string) {
		now := map[string]float64{}
		for _, n := range s.nodeTouched {
			now[t.vocab.nodes[t.vocab.nodes[n].top].code] += float64(s.node[n])
		}
		ev := map[string]float64{}
		for code, v := range now {
			if d := v - seen[code]; d > 1e-6 {
				ev[code] = round4(d)
			}
		}
		seen = now
		ex.Sources = append(ex.Sources, SourceEvidence{Source: source, Evidence: ev})
	})
	if s.modelRan {
		ex.Model = make(map[string]float64, len(t.mnodes))
		for c, n := range t.mnodes {
			ex.Model[t.vocab.nodes[n].code] = round4(s.prob[c])
		}
	}
	ex.Topics = t.decide(s)
	return ex
}

// round4 keeps an explanation readable: the evidence is float32.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }
