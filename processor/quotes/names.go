package quotes

import (
	"slices"
	"strings"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/text"
)

// nameRun is a capitalised name in the article with its titles stripped:
// tokens [a, b). The runs, in text order, are the antecedents for pronoun
// and description speakers and give short mentions ("Rutte") their full
// canonical name ("Mark Rutte").
type nameRun struct {
	a, b    int
	surname string
	gender  class
	person  bool
	inQuote bool
}

// ensureNames indexes the article's capitalised names once per call, and
// only for articles that have quotes.
func (r *run) ensureNames() {
	if r.namesReady {
		return
	}
	r.namesReady = true
	names := r.sc.names[:0]
	toks := r.toks
	qi := 0
	raw := r.sc.raw
	for k := 0; k < len(toks); k++ {
		if !r.isUpperWord(k) {
			continue
		}
		c := r.cls(k)
		if c&(cCapStop|cMonth) != 0 && c&cTitle == 0 {
			continue
		}
		j := k + 1
		for j < len(toks) && j-k < 8 && toks[j].Flags&text.LineStart == 0 {
			if r.isUpperWord(j) {
				j++
				continue
			}
			if j+1 < len(toks) && r.isLower(j) && r.cls(j)&cConnector != 0 && r.isUpperWord(j+1) {
				j += 2
				continue
			}
			break
		}
		nr := r.core(k, j)
		if nr.b-nr.a == 1 && r.isTitleTok(nr.a) || r.onlyTitles(k, j) {
			k = j - 1
			continue // a bare title: "President", "Vice Presidents"
		}
		g := nr.gender
		if g == cMale|cFemale {
			g = 0
		}
		nr.gender = g
		nr.person = nr.person || g != 0
		for qi < len(raw) && raw[qi].last < k {
			qi++
		}
		nr.inQuote = qi < len(raw) && raw[qi].open < k
		names = append(names, nr)
		k = j - 1
	}
	// Per surname: the longest run (the canonical name) and a full-name
	// person run. A lone surname takes the gender and personhood of the
	// full name that introduced it; entities typed PERSON count as people
	// too.
	canon, full := r.sc.canon, r.sc.full
	clear(canon)
	clear(full)
	for i := range names {
		nr := &names[i]
		n := nr.b - nr.a
		if c, ok := canon[nr.surname]; n <= 4 && (!ok || n > names[c].b-names[c].a) {
			canon[nr.surname] = i
		}
		if _, ok := full[nr.surname]; n > 1 && nr.person && !ok {
			full[nr.surname] = i
		}
	}
	for i := range names {
		nr := &names[i]
		if f, ok := full[nr.surname]; ok && nr.b-nr.a == 1 {
			nr.person = true
			if nr.gender == 0 {
				nr.gender = names[f].gender
			}
		}
		if !nr.person {
			s, e := int(toks[nr.a].Start), int(toks[nr.b-1].End)
			// an entity typed PERSON counts only with a full name: a lone
			// capitalised word is too often a mislabelled place
			if ent := r.link(s, e, ""); ent >= 0 && r.ents[ent].Type == event.TypePerson && strings.IndexByte(r.ents[ent].Text, ' ') > 0 {
				nr.person = true
				if nr.gender == 0 {
					if g := r.x.gender[firstWord(r.ents[ent].Text)]; g != cMale|cFemale {
						nr.gender = g
					}
				}
			}
		}
	}
	r.sc.names = names
}

// core strips what precedes the name proper in a capitalised run: titles
// and the organisation of "NATO Secretary-General Mark Rutte". The name
// starts at a known first name followed by more words, else after the last
// title.
func (r *run) core(a, b int) nameRun {
	nr := nameRun{a: a, b: b}
	start := -1
	from := a
	for i := a; i < b-1; i++ {
		if r.isTitleTok(i) {
			from = i + 1 // "New Jersey Gov. Chris Christie": the name follows the title
		}
	}
	if from > a && from < b-2 && r.isTitleOf(from) {
		from += 2 // "Prime Minister of India Narendra Modi": India is no first name here
	}
	for i := from; i < b-1; i++ {
		if r.x.gender[r.tokText(i)] != 0 && !r.isTitleTok(i) {
			start = i
			break
		}
	}
	if start < 0 {
		start = a
		for i := a; i < b-1; i++ {
			if r.isTitleTok(i) {
				start = i + 1
			}
		}
		// "Prime Minister of India Narendra Modi", "Minister of Foreign
		// Affairs Sergey Lavrov": after a title's complement, a first name
		// the lists do not know and a surname
		if start > a && start < b-3 && r.isTitleOf(start) {
			start = b - 2
		}
	}
	for i := a; i < start; i++ {
		if r.isTitleTok(i) {
			nr.person = true
			nr.gender |= r.cls(i) & (cMale | cFemale)
		}
	}
	nr.a = start
	nr.surname = r.tokText(b - 1)
	if b-start > 1 {
		if fg := r.x.gender[r.tokText(start)]; fg != 0 {
			nr.person = true
			nr.gender = fg
		}
	}
	if nr.gender == cMale|cFemale {
		nr.gender = 0
	}
	return nr
}

// runAt describes tokens [a, b) as a name run, using the index's entry
// when the run is known.
func (r *run) runAt(a, b int) nameRun {
	c := r.core(a, b)
	names := r.sc.names
	i, _ := slices.BinarySearchFunc(names, c.a, func(nr nameRun, a int) int { return nr.a - a })
	if i < len(names) {
		if nr := &names[i]; nr.a == c.a && nr.b == c.b {
			// whoever speaks is a person for later pronouns, unless the
			// entities say otherwise
			if !nr.person && r.link(int(r.toks[nr.a].Start), int(r.toks[nr.b-1].End), "") < 0 {
				nr.person = true
			}
			return *nr
		}
	}
	return c
}

// canonical is the longest name in the article with the same surname, so
// "Rutte" reads "Mark Rutte".
func (r *run) canonical(nr nameRun) string {
	best := nr
	if best.b-best.a == 1 {
		if full, ok := r.spelledOut(best.a); ok {
			return full
		}
		if c, ok := r.sc.canon[nr.surname]; ok && r.sc.names[c].b-r.sc.names[c].a > 1 {
			best = r.sc.names[c]
		}
	}
	return r.d.Text[r.toks[best.a].Start:r.toks[best.b-1].End]
}

func firstWord(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return s[:i]
		}
	}
	return s
}

// spelledOut returns the name an acronym at token k stands for where the
// article defines it: "the Syrian Democratic Forces (SDF)" makes "SDF" the
// Syrian Democratic Forces. The initials of the capitalised words before
// the parenthesis must spell the acronym.
func (r *run) spelledOut(k int) (string, bool) {
	t := r.toks[k]
	abbr := r.d.Text[t.Start:t.End]
	if t.Flags&text.AllUpper == 0 || len(abbr) < 2 || len(abbr) > 6 {
		return "", false
	}
	if !r.acrosReady {
		// indexed once per article, so that many quotes stay linear
		r.acrosReady = true
		r.sc.acros = r.sc.acros[:0]
		for i := 1; i+1 < len(r.toks); i++ {
			if r.toks[i].Flags&text.AllUpper != 0 && r.isPunct(i-1, '(') && r.isPunct(i+1, ')') {
				r.sc.acros = append(r.sc.acros, i)
			}
		}
	}
	for _, i := range r.sc.acros {
		if r.tokText(i) != abbr {
			continue
		}
		// walk back over the capitalised words (and "of", "for", "and")
		// whose initials spell the acronym, last letter first
		n, a := len(abbr), i-1
		for j := i - 2; j >= 0 && n > 0; j-- {
			w := r.tokText(j)
			if r.toks[j].Kind != text.Word {
				break
			}
			if r.isLower(j) {
				if w == "of" || w == "for" || w == "and" || w == "the" {
					continue
				}
				break
			}
			if w[0] != abbr[n-1] {
				break
			}
			n, a = n-1, j
		}
		if n == 0 {
			return r.d.Text[r.toks[a].Start:r.toks[i-2].End], true
		}
	}
	return "", false
}

// onlyTitles reports a run of title words only: "Vice Presidents".
func (r *run) onlyTitles(a, b int) bool {
	for k := a; k < b; k++ {
		w := r.tokText(k)
		if !r.isTitleTok(k) && !(len(w) > 3 && w[len(w)-1] == 's' && r.x.lookup(w[:len(w)-1])&cTitle != 0) {
			return false
		}
	}
	return true
}
