package entities

import (
	"strings"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/entities/internal/tagger"
	"github.com/newsenrich/newsenrich/processor/text"
)

// types_events.go holds the rules that make storms and named elections one event span.

// storms makes "Hurricane Dorian" and "Typhoon Haiyan" one event, whatever
// the model made of the two words.
func (st *state) storms(doc *text.Doc) {
	toks := st.toks
	changed := false
	if st.stormNames == nil {
		st.stormNames = make(map[uint64]bool)
	}
	clear(st.stormNames)
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].Cls != tagger.ClsCap || !stormWords[doc.TokenText(i)] || toks[i+1].Cls != tagger.ClsCap || toks[i+1].SentStart ||
			// "National Hurricane Center", "Hurricane Hunters"
			(i > 0 && !toks[i].SentStart && nameLike(&toks[i-1]) && doc.TokenText(i-1) != "Tropical") || tagger.Has(toks[i+1].Gaz, tagger.GOrgKey) ||
			strings.HasSuffix(doc.TokenText(i+1), "s") {
			continue
		}
		a := i
		if i > 0 && doc.TokenText(i-1) == "Tropical" {
			// "Tropical Storm Barry", "Tropical Depression Three"
			a = i - 1
		} else if doc.TokenText(i) == "Depression" {
			continue
		}
		st.replace(a, i+2, span{start: a, end: i + 2, class: clsMisc, typ: event.TypeEvent})
		st.stormNames[toks[i+1].Lower] = true
		changed = true
	}
	if changed {
		sortSpans(st.spans)
	}
}

// electionKinds are the lower-case words between a named election's
// places and its noun ("2020 United States presidential election").
var electionKinds = wordSet(`presidential general federal parliamentary legislative local municipal midterm
	gubernatorial state national regional primary leadership mayoral senate congressional snap`)

// elections makes "2020 United States presidential election" one event:
// a year, capitalised words and kind words, then "election" or
// "referendum".
func (st *state) elections(doc *text.Doc) {
	toks := st.toks
	changed := false
	for i := 0; i+2 < len(toks); i++ {
		y := doc.TokenText(i)
		if len(y) != 4 || (y[:2] != "19" && y[:2] != "20") || toks[i].Cls != tagger.ClsNumber {
			continue
		}
		caps := 0
		j := i + 1
		for ; j < len(toks) && j < i+8; j++ {
			w := doc.TokenText(j)
			if nameLike(&toks[j]) {
				caps++
				continue
			}
			if !electionKinds[w] {
				break
			}
		}
		if j < len(toks) && (caps > 0 || j > i+1 || isElection(doc.TokenText(j))) {
			switch doc.TokenText(j) {
			case "election", "elections", "referendum", "primary", "primaries", "caucuses":
				st.replace(i, j+1, span{start: i, end: j + 1, class: clsMisc, typ: event.TypeEvent})
				changed = true
				i = j
			}
		}
	}
	if changed {
		sortSpans(st.spans)
	}
}

func isElection(w string) bool { return w == "election" || w == "elections" }

// replace drops the spans that overlap [a, b) and adds s.
func (st *state) replace(a, b int, s span) {
	out := st.spans[:0]
	for _, x := range st.spans {
		if x.end <= a || x.start >= b {
			out = append(out, x)
		}
	}
	out = append(out, s)
	st.spans = out
}
