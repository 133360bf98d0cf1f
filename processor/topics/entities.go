package topics

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/newsenrich/newsenrich/event"
)

// EntityTopics says which top-level topic a named entity is evidence for:
// a football club or an athlete for sport, a listed company for economy, a
// legislator for politics. The embedded gazetteer implements it; a
// knowledge base can too.
type EntityTopics interface {
	// EntityTopic returns the IPTC code (top-level or deeper) the entity
	// with this surface text and type is evidence for, with a weight in
	// (0, 1], or ok=false.
	EntityTopic(text string, typ string) (code string, weight float64, ok bool)
}

// Gazetteer is a table of entity names with their topic. Names match
// case-insensitively, after company suffixes (Inc, Corp, plc…) are cut.
type Gazetteer struct {
	codes []string
	idx   map[string]uint8  // code -> index into codes
	names map[uint64]uint16 // name hash -> index into codes | allowed types<<8
}

// Entity type classes a gazetteer line may be restricted to.
const (
	gzPerson uint16 = 1 << (8 + iota)
	gzOrg
	gzOther
)

func typeClass(typ string) uint16 {
	switch typ {
	case event.TypePerson:
		return gzPerson
	case event.TypeOrg:
		return gzOrg
	}
	return gzOther
}

// ParseGazetteer reads lines "name<TAB>code[<TAB>types]", types a comma
// list of PERSON, ORG, OTHER (default: any); blank lines and lines
// starting with # are skipped.
func ParseGazetteer(tsv string) (*Gazetteer, error) {
	g := &Gazetteer{names: make(map[uint64]uint16, 16384), idx: map[string]uint8{}}
	for n, line := range strings.Split(tsv, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || line[0] == '#' {
			continue
		}
		name, code, ok := strings.Cut(line, "\t")
		code, types, _ := strings.Cut(code, "\t")
		if !ok || name == "" || !strings.HasPrefix(code, "medtop:") {
			return nil, fmt.Errorf("entity topics line %d: want name<TAB>medtop:code, got %q", n+1, line)
		}
		i, err := g.codeIndex(code)
		if err != nil {
			return nil, err
		}
		allowed, err := parseTypes(types)
		if err != nil {
			return nil, fmt.Errorf("entity topics line %d: %w", n+1, err)
		}
		g.names[nameKey(name)] = uint16(i) | allowed
	}
	return g, nil
}

// codeIndex returns the index of code in g.codes, adding it if new.
func (g *Gazetteer) codeIndex(code string) (uint8, error) {
	i, ok := g.idx[code]
	if !ok {
		if len(g.codes) == 255 {
			return 0, fmt.Errorf("entity topics: too many codes")
		}
		i = uint8(len(g.codes))
		g.idx[code] = i
		g.codes = append(g.codes, code)
	}
	return i, nil
}

// parseTypes reads a comma list of PERSON, ORG, OTHER; empty means any.
func parseTypes(types string) (uint16, error) {
	allowed := uint16(0)
	for _, t := range strings.Split(types, ",") {
		switch strings.TrimSpace(t) {
		case "PERSON":
			allowed |= gzPerson
		case "ORG":
			allowed |= gzOrg
		case "OTHER":
			allowed |= gzOther
		case "":
		default:
			return 0, fmt.Errorf("unknown type %q", t)
		}
	}
	if allowed == 0 {
		allowed = gzPerson | gzOrg | gzOther
	}
	return allowed, nil
}

// EntityTopic implements EntityTopics. Places are never looked up: a city
// that shares a club's name ("Liverpool") says nothing about sport.
func (g *Gazetteer) EntityTopic(text string, typ string) (string, float64, bool) {
	if typ == event.TypeGPE || typ == event.TypeLoc || typ == event.TypeNORP || len(text) < 3 {
		return "", 0, false
	}
	v, ok := g.names[nameKey(text)]
	if !ok || v&typeClass(typ) == 0 {
		return "", 0, false
	}
	return g.codes[v&0xff], 1, true
}

// Len is the number of names.
func (g *Gazetteer) Len() int { return len(g.names) }

// nameKey hashes a name lower-cased, with runs of spaces and punctuation
// folded to one space and a trailing company suffix dropped.
func nameKey(s string) uint64 {
	s = strings.TrimSpace(s)
	for {
		cut := false
		for _, suf := range companySuffixes {
			if len(s) > len(suf)+1 && strings.EqualFold(s[len(s)-len(suf):], suf) {
				c := s[len(s)-len(suf)-1]
				if c == ' ' || c == ',' {
					s = strings.TrimRight(s[:len(s)-len(suf)], " ,")
					cut = true
				}
			}
		}
		if !cut {
			break
		}
	}
	h := uint64(fnvOffset)
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			r, n := utf8.DecodeRuneInString(s[i:])
			c = foldLatin(r)
			if c == 0 {
				// not a Latin letter: hash its bytes unchanged
				if space {
					h ^= ' '
					h *= fnvPrime
					space = false
				}
				for _, b := range []byte(s[i : i+n]) {
					h ^= uint64(b)
					h *= fnvPrime
				}
				i += n - 1
				continue
			}
			i += n - 1
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c == ' ' || c == '.' || c == ',' || c == '-' || c == '\'' || c == '&' {
			space = true
			continue
		}
		if space {
			h ^= ' '
			h *= fnvPrime
			space = false
		}
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// latinFold maps U+00C0..U+017F to the unaccented ASCII letter (or ' '
// for the signs × and ÷), so that "Arsène" and "Arsene" are one name.
const latinFold = "AAAAAAACEEEEIIIIDNOOOOO OUUUUYTsaaaaaaaceeeeiiiidnooooo ouuuuyty" +
	"AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs"

// foldLatin returns the ASCII letter for an accented Latin letter, ' ' for
// a typographic apostrophe, or 0.
func foldLatin(r rune) byte {
	switch {
	case r >= 0xC0 && r <= 0x17F:
		return latinFold[r-0xC0]
	case r == '\u2018' || r == '\u2019':
		return '\''
	}
	return 0
}

var companySuffixes = []string{"inc", "inc.", "corp", "corp.", "corporation", "co", "co.", "ltd", "ltd.", "plc", "llc", "l.p.", "lp", "sa", "s.a.", "ag", "nv", "n.v.", "se", "holdings", "group", "company", "/de/", "/de", "/md/"}

// entityTopics adds the evidence of known entities.
func (t *Tagger) entityTopics(s *scratch, entities []event.Entity) {
	if t.ents == nil {
		return
	}
	for i := range entities {
		e := &entities[i]
		if s.onlyInCredits(e) {
			continue
		}
		code, w, ok := t.ents.EntityTopic(e.Text, e.Type)
		if !ok || w <= 0 {
			continue
		}
		n, ok := t.vocab.byCode[code]
		if !ok {
			continue
		}
		c := e.Count
		if c < 1 {
			c = 1
		}
		s.addNode(n, float32(t.cfg.EntityWeight*math.Min(w, 1)*(1+math.Log(float64(c)))))
		s.rememberName(nameKey(e.Text))
	}
}

// onlyInCredits reports whether every mention of e is in the body's
// credits ("Reuters" in "LONDON (Reuters) - ").
func (s *scratch) onlyInCredits(e *event.Entity) bool {
	if s.creditBefore == 0 && s.creditAfter == math.MaxInt || len(e.Mentions) == 0 {
		return false
	}
	for _, m := range e.Mentions {
		if m.Start >= s.creditBefore && m.End <= s.creditAfter {
			return false
		}
	}
	return true
}
