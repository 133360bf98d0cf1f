package eval

import (
	"fmt"
	"io"
	"math"
	"strings"
	"unicode"

	"github.com/newsenrich/newsenrich/event"
)

// Breakdown splits the headline figures where they hide different
// problems: speaker accuracy by the kind of gold speaker (a name, a
// pronoun, a description, an organisation) and topic top-1 by article
// length. score.py has no such figures; they are ours, keyed like the rest
// ("breakdown.speaker_by_kind.pronoun.acc") so floors can guard them.
type Breakdown struct {
	SpeakerByKind    map[string]KindAcc `json:"speaker_by_kind,omitempty"`
	TopicByLength    map[string]KindAcc `json:"topic_by_length,omitempty"`
	TopicCalibration *Calibration       `json:"topic_calibration,omitempty"`
}

// Calibration says how well the probability of each article's first topic
// (event.Topic.Probability; articles whose first topic has none are left
// out) predicts that the topic is right: the mean probability beside the
// accuracy, the expected calibration error (the gap between probability and
// accuracy within ten equal-width bins, weighted by the bins' sizes) and the
// Brier score (mean squared gap between probability and outcome). A
// probability that means "right this often" has both near 0.
type Calibration struct {
	MeanProbability float64 `json:"mean_probability"`
	Accuracy        float64 `json:"accuracy"`
	ECE             float64 `json:"ece"`
	Brier           float64 `json:"brier"`
	N               int     `json:"n"`
}

// calibrationBins is how many equal-width score bins ECE uses.
const calibrationBins = 10

func calibration(answers []scoredAnswer) *Calibration {
	if len(answers) == 0 {
		return nil
	}
	var sum, right, brier float64
	var binN [calibrationBins]int
	var binProb, binRight [calibrationBins]float64
	for _, a := range answers {
		y := 0.0
		if a.right {
			y = 1
		}
		sum += a.prob
		right += y
		brier += (a.prob - y) * (a.prob - y)
		b := min(max(int(a.prob*calibrationBins), 0), calibrationBins-1)
		binN[b]++
		binProb[b] += a.prob
		binRight[b] += y
	}
	n := float64(len(answers))
	ece := 0.0
	for b, c := range binN {
		if c > 0 {
			ece += float64(c) / n * math.Abs(binProb[b]/float64(c)-binRight[b]/float64(c))
		}
	}
	return &Calibration{MeanProbability: round4(sum / n), Accuracy: round4(right / n), ECE: round4(ece), Brier: round4(brier / n), N: len(answers)}
}

// KindAcc is an accuracy over n items.
type KindAcc struct {
	Acc     float64 `json:"acc"`
	Correct int     `json:"correct"`
	N       int     `json:"n"`
}

// Speaker kinds, from the gold speaker's words alone so the split does not
// depend on the engine under test.
const (
	KindName         = "name"
	KindPronoun      = "pronoun"
	KindDescription  = "description"
	KindOrganisation = "organisation"
	KindNone         = "none" // gold quote without a speaker
)

// Length buckets of an article's body, in whitespace-separated words.
var lengthBuckets = []struct {
	name string
	max  int
}{
	{"words_0_20", 20},
	{"words_21_60", 60},
	{"words_61_300", 300},
	{"words_301_plus", 1 << 30},
}

func lengthBucket(words int) string {
	for _, b := range lengthBuckets {
		if words <= b.max {
			return b.name
		}
	}
	return lengthBuckets[len(lengthBuckets)-1].name
}

var speakerPronouns = toSet("he", "she", "they", "i", "we", "it", "you", "who", "him", "her", "them", "us", "me", "which")

// speakerDeterminers open a description when the head is not a name.
var speakerDeterminers = toSet("the", "a", "an", "one", "his", "her", "its", "their", "our", "this", "that",
	"these", "those", "some", "several", "many", "two", "three", "another", "other", "each", "both", "most", "all")

// orgWords mark a speaker phrase that names an organisation, a publication
// or a document rather than a person.
var orgWords = toSet("department", "ministry", "agency", "committee", "commission", "council", "court",
	"office", "administration", "government", "campaign", "party", "police", "army", "navy", "company",
	"inc", "inc.", "corp", "corp.", "co.", "ltd", "llc", "plc", "group", "association", "union", "university",
	"institute", "foundation", "bank", "times", "post", "news", "journal", "network", "cnn", "bbc", "nbc",
	"abc", "cbs", "fox", "reuters", "ap", "press", "magazine", "tribune", "herald", "house", "senate",
	"congress", "parliament", "service", "center", "centre", "organization", "organisation", "board",
	"bureau", "authority", "fbi", "cia", "nasa", "who", "un", "nato", "eu", "statement", "report",
	"study", "survey", "poll", "website", "team", "club", "federation", "league")

// SpeakerKind classifies a gold speaker phrase.
func SpeakerKind(text string) string {
	ws := strings.Fields(strings.TrimSpace(text))
	if len(ws) == 0 {
		return KindNone
	}
	lower := strings.ToLower(strings.Trim(text, " .,"))
	if speakerPronouns[lower] && (text != strings.ToUpper(text) || lower == "i") {
		return KindPronoun
	}
	for _, w := range ws {
		if orgWords[strings.ToLower(strings.Trim(w, ",.'’s"))] {
			if isCapWord(w) || strings.ToLower(w) == w && isCapWord(ws[len(ws)-1]) {
				return KindOrganisation
			}
		}
	}
	head := ws[len(ws)-1]
	first := strings.ToLower(ws[0])
	if !isCapWord(head) || speakerDeterminers[first] && !isCapWord(head) {
		return KindDescription
	}
	return KindName
}

func isCapWord(w string) bool {
	for _, r := range w {
		return unicode.IsUpper(r)
	}
	return false
}

// ScoreBreakdown computes the breakdown figures for the tasks the set's
// gold covers.
func ScoreBreakdown(s *Set, preds map[string]*event.Enriched, opt Options) *Breakdown {
	b := &Breakdown{}
	if s.HasQuotes() {
		counts := map[string][2]int{}
		scoreQuotes(s, preds, Diag{}, func(g GoldQuote, right bool) {
			k := KindNone
			if g.Speaker != nil {
				k = SpeakerKind(g.Speaker.Text)
			}
			c := counts[k]
			c[1]++
			if right {
				c[0]++
			}
			counts[k] = c
		})
		b.SpeakerByKind = accs(counts)
	}
	if s.HasTopics() {
		by := map[string][]Article{}
		for _, a := range s.Articles {
			k := lengthBucket(a.Words)
			by[k] = append(by[k], a)
		}
		counts := map[string][2]int{}
		for k, arts := range by {
			t := ScoreTopics(&Set{Name: s.Name, Articles: arts, Gold: s.Gold}, preds, opt.Topics, Diag{})
			counts[k] = [2]int{t.Top1Correct, t.Articles}
		}
		b.TopicByLength = accs(counts)
		b.TopicCalibration = calibration(ScoreTopics(s, preds, opt.Topics, Diag{}).firsts)
	}
	if b.SpeakerByKind == nil && b.TopicByLength == nil {
		return nil
	}
	return b
}

func accs(counts map[string][2]int) map[string]KindAcc {
	out := make(map[string]KindAcc, len(counts))
	for k, c := range counts {
		if c[1] == 0 {
			continue
		}
		out[k] = KindAcc{Acc: round4(float64(c[0]) / float64(c[1])), Correct: c[0], N: c[1]}
	}
	return out
}

// WriteText prints the breakdown under a report's tables.
func (b *Breakdown) WriteText(w io.Writer) {
	if b == nil {
		return
	}
	if len(b.SpeakerByKind) > 0 {
		fmt.Fprintf(w, "   speaker accuracy by gold speaker kind:")
		for _, k := range []string{KindName, KindPronoun, KindDescription, KindOrganisation, KindNone} {
			if v, ok := b.SpeakerByKind[k]; ok {
				fmt.Fprintf(w, "  %s %.3f (%d/%d)", k, v.Acc, v.Correct, v.N)
			}
		}
		fmt.Fprintln(w)
	}
	if len(b.TopicByLength) > 0 {
		fmt.Fprintf(w, "   topic top-1 by body length:")
		for _, lb := range lengthBuckets {
			if v, ok := b.TopicByLength[lb.name]; ok {
				fmt.Fprintf(w, "  %s %.3f (%d/%d)", lb.name, v.Acc, v.Correct, v.N)
			}
		}
		fmt.Fprintln(w)
	}
	if c := b.TopicCalibration; c != nil {
		fmt.Fprintf(w, "   first topic's probability: mean %.3f against accuracy %.3f  ECE %.3f  Brier %.3f  (n=%d)\n",
			c.MeanProbability, c.Accuracy, c.ECE, c.Brier, c.N)
	}
}
