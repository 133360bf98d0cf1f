package quotes

import (
	"slices"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/text"
)

// speaker_resolve.go holds resolving a speaker noun phrase to a person, linked entity or pronoun.

// resolve turns a speaker phrase into a mention, a canonical name and an
// entity index.
func (r *run) resolve(n np) speakerRef {
	ref := speakerRef{start: int(r.toks[n.a].Start), end: int(r.toks[n.b-1].End), entity: -1}
	ref.name = r.d.Text[ref.start:ref.end]
	switch n.kind {
	case npName:
		r.ensureNames()
		nr := r.runAt(n.a, n.b)
		if nr.a > n.a && nr.person {
			// an affiliation before the name ("Stanford University
			// economist Jane Roe", "Coast Guard Commandant John Doe")
			// describes the person: the person, with the titles right
			// before the name ("Rep."), is the speaker
			a := nr.a
			for a > n.a && r.isTitleTok(a-1) {
				a--
			}
			ref.start = int(r.toks[a].Start)
			ref.name = r.d.Text[ref.start:ref.end]
		}
		if e := r.link(ref.start, ref.end, nr.surname); e >= 0 {
			ref.entity, ref.name = e, r.ents[e].Text
			return ref
		}
		ref.name = r.canonical(nr)
	case npPron:
		if n.anteB > n.anteA {
			ante := r.resolve(np{a: n.anteA, b: n.anteB, kind: n.anteKind})
			ref.name, ref.entity = ante.name, ante.entity
			return ref
		}
		g := r.cls(n.a) & (cMale | cFemale)
		switch r.tokText(n.a) {
		case "him":
			g = cMale
		case "her":
			g = cFemale
		}
		if g == 0 {
			return ref // I, we, they, it: the name is the pronoun
		}
		r.resolvePerson(&ref, n.a, g)
	case npPersonDesc:
		// The name given with a description is its speaker: "Another
		// critic, Jane Q. Roe,", "a protester using the pseudonym Kat",
		// "the university's chancellor, Jane Roe,". Without one, an
		// indefinite or plural description stays as written and only a
		// definite one is looked for nearby.
		indefinite, plural := r.introduces(n.a), r.cls(n.b-1)&cPlural != 0
		if indefinite || !plural {
			if m, ok := r.namedAfter(n.b); ok {
				named := r.resolve(m)
				ref.name, ref.entity = named.name, named.entity
				return ref
			}
		}
		if indefinite || plural {
			return ref
		}
		g := class(0)
		for k := n.a; k < n.b; k++ {
			g |= r.cls(k) & (cMale | cFemale)
		}
		if g == cMale|cFemale {
			g = 0
		}
		r.resolvePerson(&ref, n.a, g)
	case npOtherDesc:
		if e := r.link(ref.start, ref.end, ""); e >= 0 {
			ref.entity, ref.name = e, r.ents[e].Text
		}
	}
	return ref
}

// introduces reports an indefinite description ("a protester", "one of
// the witnesses", "another official"): someone the article has not named,
// not the person named nearby.
func (r *run) introduces(a int) bool {
	switch r.tokText(a) {
	case "a", "A", "an", "An", "another", "Another", "one", "One":
		return true
	}
	return false
}

// namedAfter finds the name a description ending before b is
// given: an apposition (", Jane Q. Roe,") or "named", "called" or "the
// pseudonym" within a few words.
func (r *run) namedAfter(b int) (np, bool) {
	if b >= len(r.toks) {
		return np{}, false
	}
	// "The mayor of London, Sadiq Khan,": a capitalised complement of the
	// role sits between it and the name
	if b+2 < len(r.toks) && r.toks[b].Kind == text.Word && (r.tokText(b) == "of" || r.tokText(b) == "for") {
		e := b + 1
		for e < len(r.toks) && e < b+6 && (r.isUpperWord(e) || e > b+1 && r.isTitleOf(e) && e+1 < len(r.toks) && r.isUpperWord(e+1)) {
			e++
		}
		if e > b+1 && e < len(r.toks) && r.isPunct(e, ',') {
			b = e
		}
	}
	if r.isPunct(b, ',') {
		for e := b + 2; e < len(r.toks) && e <= b+7; e++ {
			if r.toks[e].Kind != text.Word {
				if r.isPunct(e, ',') || r.isPunct(e, '.') {
					// set off by commas after a person's description, a
					// full name is hers even when the name lists lack its
					// first name ("the chancellor, Pradeep Rao,")
					n, ok := r.namePhraseBetween(b+1, e)
					if ok && (e-b-1 >= 2 && !r.otherEntity(n) || r.isPersonName(n)) {
						return n, true
					}
					return np{}, false
				}
				break
			}
		}
		return np{}, false
	}
	for p := b; p < len(r.toks) && p < b+4 && r.toks[p].Kind == text.Word; p++ {
		switch r.tokText(p) {
		case "named", "called", "pseudonym", "nicknamed":
			if m, ok := r.npRight(p+1, min(len(r.toks), p+8)); ok && m.kind == npName {
				return m, true
			}
			return np{}, false
		}
	}
	return np{}, false
}

// otherEntity reports a name phrase the entity stage found to be no
// person: a place or an organisation ("the mayor's office, Los Angeles").
func (r *run) otherEntity(n np) bool {
	typ, ok := r.entityType(n)
	return ok && typ != event.TypePerson
}

// entityType is the type of the entity the phrase's span is linked to.
func (r *run) entityType(n np) (string, bool) {
	e := r.link(int(r.toks[n.a].Start), int(r.toks[n.b-1].End), "")
	if e < 0 {
		return "", false
	}
	return r.ents[e].Type, true
}

func (r *run) isTitleTok(k int) bool {
	c := r.cls(k)
	if c&cTitle != 0 {
		return true
	}
	// initials-free abbreviations like "Del." or "Sgt." act as titles
	t := r.toks[k]
	return t.Flags&text.HasPeriod != 0 && t.End-t.Start > 2 && t.Flags&text.AllUpper == 0 && r.d.Text[t.End-1] == '.'
}

// resolvePerson points ref's name (and entity) at the person a pronoun at
// token k refers to, of a gender that does not contradict g. Salience
// follows recency by sentence: the latest sentence before k (or k's own)
// that names a compatible person decides, and within it the subject (the
// first such person not governed by a preposition) beats the objects, so
// "Trump attacked Cruz. He said" is Trump, and a paragraph that opens
// with a new subject takes over from the people of earlier paragraphs.
func (r *run) resolvePerson(ref *speakerRef, k int, g class) {
	r.ensureNames()
	names := r.sc.names
	i, _ := slices.BinarySearchFunc(names, k, func(nr nameRun, k int) int { return nr.a - k })
	i--
	best, bestSent := -1, -1
	// A person named in an "of" phrase ("the character of Anya Jenkins",
	// "the first two seasons of Sailor Moon") is what the sentence is
	// about, rarely who speaks next: a pronoun prefers a person named
	// otherwise earlier in the same paragraph.
	ofOnly := -1
	// the nearest few hundred names are plenty, and keep adversarial
	// articles linear
	for stop := max(0, i-300); i >= stop; i-- {
		nr := &names[i]
		if !nr.person || nr.inQuote {
			continue
		}
		if g != 0 && nr.gender != 0 && nr.gender != g {
			continue
		}
		if best < 0 && ofOnly < 0 && r.afterOf(nr.a) {
			ofOnly = i
			continue
		}
		if best < 0 && ofOnly >= 0 && r.breaksBetween(nr.a, names[ofOnly].a) > 0 {
			best = ofOnly
			break
		}
		sent := r.d.SentenceOf(nr.a)
		if best >= 0 && sent != bestSent {
			break // an earlier sentence: the latest one with a person decides
		}
		if best < 0 || !r.afterPrep(nr.a) || r.afterPrep(names[best].a) {
			best, bestSent = i, sent
		}
	}
	if best < 0 {
		best = ofOnly
	}
	if best < 0 {
		return
	}
	nr := &names[best]
	s, e := int(r.toks[nr.a].Start), int(r.toks[nr.b-1].End)
	if ent := r.link(s, e, nr.surname); ent >= 0 {
		ref.entity, ref.name = ent, r.ents[ent].Text
		return
	}
	ref.name = r.canonical(*nr)
}

// afterOf reports a name governed by "of", possibly through a title or
// determiner.
func (r *run) afterOf(a int) bool {
	p := r.governor(a)
	return p >= 0 && r.tokText(p) == "of"
}

// afterPrep reports a name governed by a preposition, possibly through a
// title or determiner ("to President Obama", "with the Rev. Al Sharpton"):
// an object, not a subject.
func (r *run) afterPrep(a int) bool { return r.governor(a) >= 0 }

// governor returns the preposition that governs a name starting at token
// a, through at most two titles or determiners, or -1.
func (r *run) governor(a int) int {
	for p := a - 1; p >= 0 && p >= a-3; p-- {
		if r.toks[p].Kind != text.Word {
			return -1
		}
		c := r.cls(p)
		if c&cPrep != 0 && r.isLower(p) {
			return p
		}
		if c&(cTitle|cDet) == 0 && !r.isTitleTok(p) {
			return -1
		}
	}
	return -1
}

// link finds the entity a speaker span belongs to: one with a mention
// overlapping the span, else a PERSON or ORG whose name ends with surname.
// Lookups go through tables built once per article, so linking stays cheap
// however many quotes and entities an article has.
func (r *run) link(s, e int, surname string) int {
	if len(r.ents) == 0 {
		return -1
	}
	r.ensureEntities()
	ms := r.sc.ments
	// the first mention starting at or after e; candidates lie before it
	i, _ := slices.BinarySearchFunc(ms, e, func(m mentionRef, e int) int { return m.start - e })
	for j := i - 1; j >= 0 && j >= i-8; j-- {
		if ms[j].end > s {
			return ms[j].ent
		}
	}
	if surname == "" {
		return -1
	}
	if ent, ok := r.sc.last[surname]; ok {
		return ent
	}
	return -1
}

func (r *run) ensureEntities() {
	if r.entsReady {
		return
	}
	r.entsReady = true
	ms := r.sc.ments[:0]
	last := r.sc.last
	clear(last)
	for i := range r.ents {
		ent := &r.ents[i]
		for _, m := range ent.Mentions {
			if m.Start < m.End {
				ms = append(ms, mentionRef{m.Start, m.End, i})
			}
		}
		if ent.Type != event.TypePerson && ent.Type != event.TypeOrg {
			continue
		}
		w := lastWord(ent.Text)
		if b, ok := last[w]; !ok || ent.Count > r.ents[b].Count {
			last[w] = i
		}
	}
	slices.SortFunc(ms, func(a, b mentionRef) int { return a.start - b.start })
	r.sc.ments = ms
}

func lastWord(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == ' ' {
			return s[i+1:]
		}
	}
	return s
}
