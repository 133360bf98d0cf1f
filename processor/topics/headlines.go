package topics

import (
	"bufio"
	"slices"
	"strings"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/text"
)

// headlines.go looks the known names of a headline up directly. A headline
// often names people and organisations and little else ("Beattie return
// calms attack fears"), and the entity stage, which reads capitals as a
// sign of a name, misses some of them in so short a text, more so in the
// Title Case of wire feeds ("Beattie Return Calms Attack Fears"), where it
// also runs names into the next word ("Jones Happy"). So in a title, a
// body of one sentence (a feed item's headline or lead) and any sentence
// in Title Case or capitals, each run of one to three capitalised words is
// looked up as a known person, then as an organisation, unless the entity
// stage counted that name already or found it a place. A single word is
// looked up only when it is neither an ordinary word nor a place
// (data/not-names.txt.gz): "Jobs" and "Button" stay words, "Wales" a
// country.

// maxNameWords is the longest run of words looked up as one name.
const maxNameWords = 3

// parseNotNames reads one lower-case word per line into a set of name
// keys.
func parseNotNames(list string) map[uint64]struct{} {
	set := make(map[uint64]struct{}, 20000)
	sc := bufio.NewScanner(strings.NewReader(list))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			set[nameKey(w)] = struct{}{}
		}
	}
	return set
}

// capitalisedSentence reports whether a sentence capitalises every word of
// four letters or more but prepositions and conjunctions, as a Title Case
// or all-capitals headline does, with at least three such words. A
// headline in sentence case that names three people still writes its verb
// in lower case.
func capitalisedSentence(d *text.Doc, sp text.Span) bool {
	upper := 0
	for i := sp.Start; i < sp.End; i++ {
		tok := &d.Tokens[i]
		if tok.Kind != text.Word || tok.End-tok.Start < 4 {
			continue
		}
		if tok.Flags&text.Upper != 0 {
			upper++
		} else if !titleCaseLower[d.Text[tok.Start:tok.End]] {
			return false
		}
	}
	return upper >= 3
}

// titleCaseLower is the words of four letters or more that Title Case
// styles leave in lower case.
var titleCaseLower = map[string]bool{
	"with": true, "from": true, "into": true, "onto": true, "over": true, "upon": true, "than": true,
	"that": true, "amid": true, "near": true, "past": true, "like": true, "down": true, "under": true,
	"after": true, "about": true, "above": true, "against": true, "among": true, "before": true,
	"behind": true, "below": true, "beside": true, "between": true, "beyond": true, "despite": true,
	"during": true, "except": true, "inside": true, "outside": true, "since": true, "through": true,
	"toward": true, "towards": true, "until": true, "within": true, "without": true, "when": true,
	"while": true, "because": true, "unless": true, "whether": true,
}

// headlineNames adds the evidence of the known names in the headline
// sentences of d that the entity stage did not count: every sentence of a
// title (headline set) or of a one-sentence body, and the capitalised
// sentences of any other body.
func (t *Tagger) headlineNames(s *scratch, d *text.Doc, entities []event.Entity, headline bool) {
	if d == nil || t.ents == nil || t.notNames == nil {
		return
	}
	headline = headline || len(d.Sentences) == 1
	for _, sp := range d.Sentences {
		if !headline && !capitalisedSentence(d, sp) {
			continue
		}
		for i := int(sp.Start); i < int(sp.End); {
			i += max(t.knownNameAt(s, d, i, int(sp.End), entities), 1)
		}
	}
}

// knownNameAt looks up the longest run of capitalised words starting at
// token i that is a known name, a name already counted or a place the
// entity stage found, adds a new name's evidence, and returns the run's
// length in tokens (0 when it is none of these).
func (t *Tagger) knownNameAt(s *scratch, d *text.Doc, i, end int, entities []event.Entity) int {
	if d.Tokens[i].Kind != text.Word || d.Tokens[i].Flags&text.Upper == 0 {
		return 0
	}
	last := i
	for last-i+1 < maxNameWords {
		j := last + 1
		if j >= end || d.Tokens[j].Kind != text.Word || d.Tokens[j].Flags&(text.Upper|text.SpaceBefore) != text.Upper|text.SpaceBefore {
			break
		}
		last = j
	}
	personOnly := false // inside a name the entity stage took for a person's
	for ; last >= i; last-- {
		name := d.Text[d.Tokens[i].Start:d.Tokens[last].End]
		// a possessive is looked up with its "'s" first: "McDonald's"
		if c := last + 1; c < end && d.Tokens[c].Flags&text.SpaceBefore == 0 && isPossessive(d.Text[d.Tokens[c].Start:d.Tokens[c].End]) {
			withS := d.Text[d.Tokens[i].Start:d.Tokens[c].End]
			if t.addKnownName(s, withS, nameKey(withS), false, personOnly) {
				return c - i + 1
			}
		}
		key := nameKey(name)
		single := last == i
		if single {
			if _, notName := t.notNames[key]; notName {
				return 0
			}
		}
		s.readEntities(entities)
		if s.sawName(key) || slices.Contains(s.others, key) {
			return last - i + 1
		}
		if t.addKnownName(s, name, key, single, personOnly) {
			return last - i + 1
		}
		personOnly = personOnly || slices.Contains(s.persons, name)
	}
	return 0
}

// addKnownName adds the evidence of name (whose name key is key) if it is
// a known person or organisation (only a person when personOnly: a part of
// a person's name, "Zara" of "Zara Kay", is no company). A single word
// counts as an organisation only at full weight (the brands and outlets of the knowledge base, at half weight or
// less, share their names with too many people: "O'Neill", "Robinson"),
// and not when people or the language share it ("Ford", "Rockets"): as a
// lexicon term, such a name is left to the entity stage.
func (t *Tagger) addKnownName(s *scratch, name string, key uint64, single, personOnly bool) bool {
	for _, typ := range [...]string{event.TypePerson, event.TypeOrg} {
		if personOnly && typ == event.TypeOrg {
			break
		}
		if single && typ == event.TypeOrg {
			if _, shared := t.shared[key]; shared {
				continue
			}
		}
		code, w, ok := t.ents.EntityTopic(name, typ)
		if !ok || w <= 0 || single && typ == event.TypeOrg && w < 1 {
			continue
		}
		if n, ok := t.vocab.byCode[code]; ok {
			s.addNode(n, float32(t.cfg.EntityWeight*min(w, 1)))
			s.rememberName(key)
			return true
		}
	}
	return false
}

func isPossessive(w string) bool { return w == "'s" || w == "’s" }

// readEntities reads, once per article, what the lookup needs of the
// entity stage's names. others: the name keys of its places and
// nationalities (a place is never evidence) and of its names of more than
// one word of events, works and products ("Hurricane Lorenzo"); a single
// word of those types may be a surname the stage mistyped ("Grewcock").
// persons: the texts of the names it took for people's.
func (s *scratch) readEntities(entities []event.Entity) {
	if s.entitiesRead {
		return
	}
	s.entitiesRead = true
	other := func(name string, place bool) {
		if place || strings.ContainsRune(name, ' ') {
			s.others = append(s.others, nameKey(name))
		}
	}
	for i := range entities {
		e := &entities[i]
		switch e.Type {
		case event.TypePerson:
			s.persons = append(s.persons, e.Text)
			for _, m := range e.Mentions {
				if m.Text != e.Text {
					s.persons = append(s.persons, m.Text)
				}
			}
		case event.TypeOrg:
		default:
			place := e.Type == event.TypeGPE || e.Type == event.TypeLoc || e.Type == event.TypeNORP
			other(e.Text, place)
			for _, m := range e.Mentions {
				if m.Text != e.Text {
					other(m.Text, place)
				}
			}
		}
	}
}

// maxSeenNames bounds the names remembered per article.
const maxSeenNames = 32

// rememberName records a name whose evidence was added.
func (s *scratch) rememberName(key uint64) {
	if s.nseen < maxSeenNames {
		s.seen[s.nseen] = key
		s.nseen++
	}
}

// sawName reports whether a name's evidence was added already.
func (s *scratch) sawName(key uint64) bool {
	for _, k := range s.seen[:s.nseen] {
		if k == key {
			return true
		}
	}
	return false
}
