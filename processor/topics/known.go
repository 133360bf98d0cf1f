package topics

import (
	"fmt"
	"iter"
	"strings"
)

// known.go reads the compiled list of well-known names (data/known-entities.txt):
// heads of government and ministers, athletes and coaches, companies and
// central bankers, artists, each under the topic it is evidence for.

// knownLine is one line of the known-entities list that is not blank or a
// comment: a section header (section set, name empty) or a name with the
// section it is in.
type knownLine struct {
	n             int // line number, from 1
	section, name string
	header        bool
}

// knownLines yields the list's headers and names, trimmed.
func knownLines(list string) iter.Seq[knownLine] {
	return func(yield func(knownLine) bool) {
		section := ""
		for n, line := range strings.Split(list, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line[0] == '#' {
				continue
			}
			l := knownLine{n: n + 1, section: section, name: line}
			if rest, ok := strings.CutPrefix(line, "="); ok {
				section = strings.TrimSpace(rest)
				l = knownLine{n: n + 1, section: section, header: true}
			}
			if !yield(l) {
				return
			}
		}
	}
}

// AddList adds the names of a list in the known-entities format to g,
// replacing entries for the same name:
//
//	# comment
//	= medtop:20001085 PERSON      (a section: code and entity types)
//	Roger Federer
//	= medtop:15000000 PERSON full-names   (people counted by full name only)
//	Quade Cooper
//	= surnames-ignore             (surnames never used alone)
//	Smith
//	= not-in-lexicon              (names that are also ordinary words)
//	Rockets
//
// A name may appear in several sections only under one code. When surnames
// is set, each PERSON name of two or more words also makes its surname
// (the last word, with a lower-case particle such as "van" or "de" before it)
// a PERSON entry of the same topic, so that a headline's "Wenger" counts:
// unless the surname is a full name of the list, is in a surnames-ignore
// section, or belongs to people of different topics. People of a
// full-names section make no surname entry.
func (g *Gazetteer) AddList(list string, surnames bool) error {
	type entry struct {
		code    string
		allowed uint16
	}
	full := map[uint64]entry{}
	var order []uint64
	sur := map[uint64]string{} // surname key -> code, "" when ambiguous
	var surOrder []uint64
	ignore := map[uint64]bool{}
	// special is the name of a section that lists no entities; fullOnly
	// marks a section whose people count by their full names alone
	code, allowed, special, fullOnly := "", uint16(0), "", false
	for l := range knownLines(list) {
		n, line := l.n-1, l.name
		if l.header {
			f := strings.Fields(l.section)
			special = ""
			if len(f) == 1 && (f[0] == "surnames-ignore" || f[0] == "not-in-lexicon") {
				special = f[0]
				continue
			}
			if len(f) < 2 || len(f) > 3 || !strings.HasPrefix(f[0], "medtop:") || len(f) == 3 && (f[1] != "PERSON" || f[2] != fullNamesOnly) {
				return fmt.Errorf("known entities line %d: want \"= medtop:code TYPES\" or \"= medtop:code PERSON %s\", got %q", n+1, fullNamesOnly, "="+l.section)
			}
			a, err := parseTypes(f[1])
			if err != nil {
				return fmt.Errorf("known entities line %d: %w", n+1, err)
			}
			code, allowed, fullOnly = f[0], a, len(f) == 3
			continue
		}
		k := nameKey(line)
		switch special {
		case "surnames-ignore":
			ignore[k] = true
			continue
		case "not-in-lexicon": // read by addKnownNames
			continue
		}
		if code == "" {
			return fmt.Errorf("known entities line %d: name %q before any section", n+1, line)
		}
		if e, ok := full[k]; ok {
			if e.code != code {
				return fmt.Errorf("known entities line %d: %q is listed under %s and %s", n+1, line, e.code, code)
			}
			full[k] = entry{code, e.allowed | allowed}
			continue
		}
		full[k] = entry{code, allowed}
		order = append(order, k)
		if !surnames || allowed != gzPerson || fullOnly {
			continue
		}
		s := surname(line)
		if s == "" {
			continue
		}
		sk := nameKey(s)
		prev, seen := sur[sk]
		switch {
		case !seen:
			sur[sk] = code
			surOrder = append(surOrder, sk)
		case prev == "" || prev == code:
		default:
			sur[sk] = ""
		}
	}
	for _, k := range order {
		e := full[k]
		i, err := g.codeIndex(e.code)
		if err != nil {
			return err
		}
		g.names[k] = uint16(i) | e.allowed
	}
	for _, k := range surOrder {
		c := sur[k]
		if _, isFull := full[k]; c == "" || isFull || ignore[k] {
			continue
		}
		if _, had := g.names[k]; had {
			continue // a name of the other lists (a club, a company) wins
		}
		i, err := g.codeIndex(c)
		if err != nil {
			return err
		}
		g.names[k] = uint16(i) | gzPerson
	}
	return nil
}

// fullNamesOnly marks a section of people who count by their full names
// only: their surnames are common, ordinary words, or other listed people's,
// and alone would say little or take a surname from someone better known.
const fullNamesOnly = "full-names"

// surname returns the family name of a person's name of two or more words:
// the last word with any lower-case particles before it ("van Persie") or
// without an Arabic article ("Assad"), after "Jr"; "" when there is none.
func surname(name string) string {
	w := strings.Fields(name)
	for len(w) > 1 {
		last := strings.TrimSuffix(w[len(w)-1], ".")
		switch last {
		case "Jr", "Sr":
			w = w[:len(w)-1]
			continue
		case "II", "III", "IV", "VI", "XVI", "XIV":
			return "" // a regnal name ("John Paul II") has no surname
		}
		break
	}
	if len(w) < 2 {
		return ""
	}
	i := len(w) - 1
	for i > 1 && isParticle(w[i-1]) {
		i--
	}
	s := strings.Join(w[i:], " ")
	if i == len(w)-1 {
		// an Arabic article belongs to the name but is dropped in headlines
		for _, p := range []string{"al-", "el-", "Al-", "El-"} {
			s = strings.TrimPrefix(s, p)
		}
	}
	if len(s) < 4 {
		return ""
	}
	return s
}

func isParticle(w string) bool {
	switch w {
	case "van", "von", "de", "del", "della", "der", "den", "da", "di", "dos", "du", "la", "le", "ten", "ter", "bin":
		return true
	}
	return false
}

// sharedWords returns, lower-cased, the words that a one-word organisation
// name may share with people or with the language: the surnames of the
// list's people (but those of full-names sections, who claim no surname),
// its surnames-ignore section (common surnames) and its not-in-lexicon
// section (ordinary words: "Rockets", "Visa").
func sharedWords(list string) map[string]bool {
	words := map[string]bool{}
	for l := range knownLines(list) {
		switch {
		case l.header:
		case isPersonSection(l.section) && !strings.HasSuffix(l.section, " "+fullNamesOnly):
			if s := surname(l.name); s != "" {
				words[strings.ToLower(s)] = true
			}
		case l.section == "surnames-ignore" || l.section == "not-in-lexicon":
			words[strings.ToLower(l.name)] = true
		}
	}
	return words
}

// isPersonSection reports a section of people, with or without their
// surnames.
func isPersonSection(section string) bool {
	f := strings.Fields(section)
	return len(f) >= 2 && f[1] == "PERSON"
}

// addKnownNames makes the organisation, team, event and product names of
// the known-entities list lexicon terms of their topic (one unit, counted
// only when capitalised), so that "Napster" counts where the entity
// recogniser found no entity or gave it the wrong type. People are left to
// the entity stage (a lexicon term cannot tell "Button" the driver from the
// word), and so are one-word names that are also a listed person's surname
// or a common surname ("Ford"), one-word names that are also ordinary words
// (the list's not-in-lexicon section: "Rockets", "Visa", which a Title Case
// headline capitalises), names of more than three words or starting with
// "The", and names the lexicon already has. people is sharedWords(list).
func addKnownNames(list string, v *vocabulary, b *builder, people map[string]bool) {
	nd := -1
	for l := range knownLines(list) {
		line := l.name
		if l.header {
			f := strings.Fields(l.section)
			nd = -1
			if len(f) == 2 && f[1] != "PERSON" {
				if n, ok := v.byCode[f[0]]; ok {
					nd = n
				}
			}
			continue
		}
		if nd < 0 {
			continue
		}
		words := b.words(line)
		if len(words) == 0 || len(words) > maxPhrase || len(words) == 1 && people[strings.ToLower(line)] ||
			strings.EqualFold(words[0], "the") { // a phrase flag on "the" would cost a probe per "the"
			continue
		}
		if e := b.lookup(words); e != nil && len(e.post) > 0 {
			continue
		}
		b.add(words, nd, caseCap, 1)
	}
}
