package eval

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/newsenrich/newsenrich/event"
)

// TopicResult holds the topic figures.
type TopicResult struct {
	Top1Accuracy     float64              `json:"top1_accuracy"`
	Top1Correct      int                  `json:"top1_correct"`
	Articles         int                  `json:"articles"`
	Micro            PRF                  `json:"micro"`
	WithoutTopics    int                  `json:"articles_without_topics"`
	PerGoldClassTop1 map[string]ClassTop1 `json:"per_gold_class_top1"`
	// each article's first topic: its probability, when the prediction
	// gives one, and whether it is right
	firsts []scoredAnswer
}

// scoredAnswer is an answer's probability and whether the answer is right.
type scoredAnswer struct {
	prob  float64
	right bool
}

// ClassTop1 is top-1 accuracy for one gold label set.
type ClassTop1 struct {
	Acc float64 `json:"acc"`
	N   int     `json:"n"`
}

var eightDigits = regexp.MustCompile(`^\d{8}$`)

func normCode(c any) string {
	switch v := c.(type) {
	case map[string]any:
		for _, k := range []string{"code", "qcode", "id"} {
			if x, ok := v[k]; ok && x != nil && x != "" {
				return normCode(x)
			}
		}
		return ""
	case nil:
		return ""
	case string:
		s := strings.TrimSpace(v)
		if eightDigits.MatchString(s) {
			s = "medtop:" + s
		}
		return s
	case float64:
		return normCode(strconv.FormatFloat(v, 'f', -1, 64))
	default:
		return normCode(fmt.Sprint(v))
	}
}

// topLevel holds the 17 top-level IPTC Media Topic codes.
var topLevel = func() map[string]bool {
	m := map[string]bool{}
	for i := 1; i <= 17; i++ {
		m[fmt.Sprintf("medtop:%02d000000", i)] = true
	}
	return m
}()

func isTopLevel(code string) bool { return topLevel[code] }

// TopicOptions are score.py's --topic-map and --topic-min-score.
type TopicOptions struct {
	Map      map[string]string
	MinScore *float64
}

// ScoreTopics ranks each article's predicted codes by score (ties keep their
// order) and scores the first against the gold codes, plus micro P/R/F1 over
// all predicted codes. For any_of gold, one hit is enough.
func ScoreTopics(s *Set, preds map[string]*event.Enriched, opt TopicOptions, d Diag) TopicResult {
	var top1, n, tp, fp, fn, noPred, nonStd int
	perClass := map[string][2]int{}
	var firsts []scoredAnswer
	for _, a := range s.Articles {
		g := s.Gold[a.ID]
		if g == nil || !g.HasTopics {
			continue
		}
		gset := make([]string, 0, len(g.Topics))
		for _, t := range g.Topics {
			gset = append(gset, normCode(t))
		}
		type item struct {
			score, prob float64
			i           int
			code        string
		}
		var items []item
		if p := preds[a.ID]; p != nil {
			for i, t := range p.Topics {
				code := normCode(t.Code)
				if code == "" {
					continue
				}
				if opt.MinScore != nil && t.Score < *opt.MinScore {
					continue
				}
				if c, ok := opt.Map[code]; ok {
					code = c
				}
				if !isTopLevel(code) {
					nonStd++
				}
				items = append(items, item{t.Score, t.Probability, i, code})
			}
		}
		sort.SliceStable(items, func(i, j int) bool {
			if items[i].score != items[j].score {
				return items[i].score > items[j].score
			}
			return items[i].i < items[j].i
		})
		var codes []string
		for _, it := range items {
			if !slices.Contains(codes, it.code) {
				codes = append(codes, it.code)
			}
		}
		n++
		key := strings.Join(gset, "|")
		if g.AnyOf {
			key = "any_of:" + key
		}
		pc := perClass[key]
		pc[1]++
		if len(codes) == 0 {
			noPred++
		}
		ok := len(codes) > 0 && slices.Contains(gset, codes[0])
		if len(items) > 0 && items[0].prob > 0 {
			firsts = append(firsts, scoredAnswer{items[0].prob, ok})
		}
		if ok {
			top1++
			pc[0]++
		}
		perClass[key] = pc
		if g.AnyOf {
			hit := false
			for _, c := range codes {
				if slices.Contains(gset, c) {
					hit = true
				} else {
					fp++
				}
			}
			if hit {
				tp++
			} else {
				fn++
			}
		} else {
			for _, c := range codes {
				if slices.Contains(gset, c) {
					tp++
				} else {
					fp++
				}
			}
			for _, c := range gset {
				if !slices.Contains(codes, c) {
					fn++
				}
			}
		}
	}
	d["pred_topic_codes_not_top_level"] += nonStd
	res := TopicResult{Top1Correct: top1, Articles: n, Micro: prf(tp, fp, fn), WithoutTopics: noPred,
		PerGoldClassTop1: map[string]ClassTop1{}, firsts: firsts}
	if n > 0 {
		res.Top1Accuracy = round4(float64(top1) / float64(n))
	}
	for k, v := range perClass {
		res.PerGoldClassTop1[k] = ClassTop1{Acc: round4(float64(v[0]) / float64(v[1])), N: v[1]}
	}
	return res
}
