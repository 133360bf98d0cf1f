package quotes

import (
	"slices"
	"strings"

	"github.com/newsenrich/newsenrich/processor/text"
)

// npKind says what a speaker phrase is.
type npKind uint8

const (
	npName       npKind = iota + 1 // capitalised name: "Rep. Jim Clyburn", "The New York Post"
	npPron                         // he, she, they, I, we, it
	npPersonDesc                   // "the spokesman", "officials", "a source"
	npOtherDesc                    // "the report", "the company"
)

// np is a speaker phrase: tokens [a, b).
type np struct {
	a, b int
	kind npKind
	// ante is the antecedent of a relative pronoun ("the department which
	// reported"): tokens [anteA, anteB), 0-length when none.
	anteA, anteB int
	anteKind     npKind
}

// npLeft finds the speaker phrase that ends just before token k (the
// subject of a cue verb at k), skipping auxiliaries and adverbs. Tokens
// before lo are out of reach.
func (r *run) npLeft(k, lo int) (np, bool) {
	j := k - 1
	for skips := 0; j >= lo && skips < 3; skips++ {
		if r.cls(j)&cSkip != 0 || r.isAdverb(j) {
			j--
			continue
		}
		break
	}
	if j < lo {
		return np{}, false
	}
	if r.isParticiple(k) && r.toks[j].Kind == text.Punct {
		return np{}, false
	}
	// "Some of the protesters Wikinews interviewed said": a relative
	// clause without "who" or "that" sits between the subject and the verb
	if r.isLower(j) && strings.HasSuffix(r.tokText(j), "ed") && r.cls(j)&(cPersonRole|cOtherRole) == 0 && j-1 > lo {
		if rel, ok := r.npEndingAt(j-1, lo, 0); ok && rel.a > lo && (rel.kind == npName || rel.kind == npPron) {
			if m, ok := r.npLeft(rel.a, lo); ok {
				return m, true
			}
		}
	}
	n, ok := r.npEndingAt(j, lo, 0)
	if !ok {
		return n, false
	}
	if r.isClitic(j) && n.kind != npPron {
		return n, true // a possessor: "a fact-check on Trump’s claim that …"
	}
	if n.kind != npPron {
		// "Peter Iseley of victim group Ending Clergy Abuse said", "Nikki
		// Holland of the UK's National Crime Agency (NCA) said", "Crystal
		// C'Bearing of the tribal historic preservation office said": the
		// person before "of" is the subject, the organisation after it
		// only says where they work; but in "speaker of the parliament Ali
		// Larijani wrote" the name right after the role noun is the subject
		if p, ok := r.personBeforeOf(n.a, lo); ok && !r.namedAfterRoleNoun(n, lo) {
			return p, true
		}
		// "Part of the judge's statement reads": the document speaks
		if n.a-2 >= lo && r.tokText(n.a-1) == "of" && isPartOf(r.tokText(n.a-2)) {
			return n, true
		}
		// "One of the users said", "Some of the protesters said": part of
		// a group, not the group
		if n.kind == npPersonDesc && r.cls(n.b-1)&cPlural != 0 && n.a-2 >= lo && r.tokText(n.a-1) == "of" && isPartitive(r.tokText(n.a-2)) {
			return np{a: n.a - 2, b: n.b, kind: npPersonDesc}, true
		}
		// "Lucy Hart of The Daily Record told": the capitalised run spans the
		// "of"; the person before it is the subject
		if p, ok := r.personOfName(n); ok {
			return p, true
		}
		// "Erwin Chemerinsky, Dean of UC Berkeley School of Law called":
		// an apposition whose closing comma is missing
		if n.a-2 >= lo && r.isPunct(n.a-1, ',') && !r.isPersonName(n) && r.isTitleTok(n.a) {
			if p, ok := r.nameEndingAt(n.a-2, lo); ok && r.isPersonName(p) {
				return p, true
			}
		}
	}
	// A subject never follows a preposition: "In a statement posted
	// Friday", "32% of Republican claims". A speech word that doubles as
	// a noun is a noun after a determiner or with a description before it:
	// "a Donald Trump tweet", "the following comment".
	if n.a > lo {
		pc := r.cls(n.a - 1)
		if pc&cPrep != 0 && !r.withSubject(n, k) {
			return np{}, false
		}
		if r.cls(k)&cOtherRole != 0 && (pc&cDet != 0 || n.kind == npOtherDesc || n.kind == npPersonDesc) {
			return np{}, false
		}
	}
	return n, true
}

// personOfName splits a name phrase "<person> of <name>" and returns the
// person.
func (r *run) personOfName(n np) (np, bool) {
	if n.kind != npName {
		return np{}, false
	}
	for p := n.a + 1; p < n.b-1; p++ {
		if r.isLower(p) && r.tokText(p) == "of" {
			// "Prime Minister of India Narendra Modi": a title's
			// complement, with the name after it
			if r.isTitleTok(p - 1) {
				return np{}, false
			}
			left := np{a: n.a, b: p, kind: npName}
			if r.isPersonName(left) {
				return left, true
			}
			return np{}, false
		}
	}
	return np{}, false
}

// personBeforeOf finds "<person> of …" ending just before token a.
func (r *run) personBeforeOf(a, lo int) (np, bool) {
	for p := a - 1; p >= lo && p >= a-6; p-- {
		t := r.toks[p]
		if t.Kind != text.Word {
			return np{}, false
		}
		switch r.tokText(p) {
		case "of", "for", "at", "in", "from", "with":
		default:
			continue
		}
		// "A spokesman for the company said", "a narrator in the Clinton
		// ad asks": a person description before the preposition is the
		// subject too
		if n, ok := r.npEndingAt(p-1, lo, 1); ok && (r.isPersonName(n) || n.kind == npPersonDesc && r.cls(n.b-1)&cPlural == 0) {
			return n, true
		}
		return np{}, false
	}
	return np{}, false
}

func (r *run) npEndingAt(j, lo, depth int) (np, bool) {
	if j < lo || depth > 2 {
		return np{}, false
	}
	t := r.toks[j]
	switch t.Kind {
	case text.Punct:
		switch {
		case r.isPunct(j, ')'):
			// "Rep. Jim Clyburn (D-S.C.) said"
			for i := j - 1; i >= lo && i > j-10; i-- {
				if r.isPunct(i, '(') {
					return r.npEndingAt(i-1, lo, depth+1)
				}
			}
		case r.isPunct(j, ','):
			// "The director of Amnesty International, Mariela Belski,
			// said": a person named between commas after a phrase that
			// names no person is the subject
			if j-1 >= lo {
				if in, ok := r.nameEndingAt(j-1, lo); ok && in.a-2 >= lo && r.isPunct(in.a-1, ',') {
					// "The American Samoan delegate to the U.S. House of
					// Representatives, Aumua Amata, told": a role before the
					// commas makes the name between them a person's
					if in.b-in.a >= 2 && r.roleBefore(in.a-2, lo) && !r.otherEntity(in) {
						return in, true
					}
					if r.isPersonName(in) {
						// "The Vice President, Mike Pence, said": a phrase headed by
						// a title names a role, not a person
						if out, ok := r.npEndingAt(in.a-2, lo, depth+1); !ok || !r.isPersonName(out) || out.kind == npName && r.isTitleTok(out.b-1) {
							return in, true
						}
					}
				}
			}
			// apposition: "Rutte, the former Dutch prime minister, said"
			for i := j - 1; i >= lo && i > j-26; i-- {
				if r.toks[i].Kind == text.Quote || r.isCue(i) {
					break
				}
				if r.isPunct(i, ',') {
					n, ok := r.npEndingAt(i-1, lo, depth+1)
					// "the director of Amnesty International, Mariela
					// Belski, said": the person named between the commas
					// speaks, not the description or organisation before
					if in, ok2 := r.roleNameBetween(i+1, j); ok2 && (!ok || !r.isPersonName(n)) {
						return in, true
					}
					if ok && (n.kind == npName || n.kind == npPron) {
						return n, true
					}
					break
				}
			}
		}
		return np{}, false
	case text.Word:
	default:
		return np{}, false
	}
	if r.isClitic(j) {
		if j-1 >= lo && r.cls(j-1)&cPron != 0 {
			return np{a: j - 1, b: j, kind: npPron}, true // "It’s denouncing": ’s is "is"
		}
		// "Trump’s claim that …": the possessor speaks
		if j-1 >= lo && r.isUpperWord(j-1) {
			return r.nameEndingAt(j-1, lo)
		}
		return np{}, false
	}
	c := r.cls(j)
	if w := r.tokText(j); w == "who" || w == "which" || w == "Who" || w == "Which" {
		// "Smith, who …, said", "the department which reported": the
		// relative pronoun is the mention, the phrase before it the name
		i := j - 1
		n := np{a: j, b: j + 1, kind: npPron}
		if i >= lo && r.isPunct(i, ',') {
			// "Mark Hay, a marine ecologist at GT, who said": the
			// apposition describes the person before it
			if ante, ok := r.npEndingAt(i, lo, depth+1); ok && ante.kind == npName && r.isPersonName(ante) {
				n.anteA, n.anteB, n.anteKind = ante.a, ante.b, ante.kind
				return n, true
			}
			i--
		}
		if ante, ok := r.npEndingAt(i, lo, depth+1); ok && ante.kind != npPron {
			// "They released a statement which said": whoever released
			// the document speaks through it
			if ante.kind == npOtherDesc && ante.a-1 > lo && isReleaseVerb(r.tokText(ante.a-1)) {
				if by, ok := r.npLeft(ante.a-1, lo); ok {
					return by, true
				}
			}
			n.anteA, n.anteB, n.anteKind = ante.a, ante.b, ante.kind
			return n, true
		}
		return np{}, false
	}
	if c&cPron != 0 && r.isLowerOrSentStart(j) {
		return np{a: j, b: j + 1, kind: npPron}, true
	}
	if r.isUpperWord(j) {
		if c&(cCapStop|cMonth) != 0 && c&cTitle == 0 {
			return np{}, false
		}
		return r.nameEndingAt(j, lo)
	}
	if r.isLower(j) {
		return r.descEndingAt(j, lo)
	}
	return np{}, false
}

// isTitleOf reports the lower-case word that joins a title to its
// complement: "Secretary of State", "Ambassador to Germany", "Minister
// for Health".
func (r *run) isTitleOf(k int) bool {
	if !r.isLower(k) {
		return false
	}
	switch r.tokText(k) {
	case "of", "to", "for":
		return true
	}
	return false
}

// nameBetween reports a person's name filling tokens [a, b) exactly.
func (r *run) nameBetween(a, b int) (np, bool) {
	n, ok := r.namePhraseBetween(a, b)
	if !ok || !r.isPersonName(n) {
		return np{}, false
	}
	return n, true
}

// roleNameBetween is nameBetween after up to three lower-case role words:
// "The study's lead author, doctoral candidate Maninder Thind, said".
func (r *run) roleNameBetween(a, b int) (np, bool) {
	if !r.isLower(a) {
		return r.nameBetween(a, b)
	}
	k, ok := r.roleWords(a, b)
	if !ok {
		return np{}, false
	}
	// the role says the name is a person's, whether or not the first-name
	// lists know it
	n, ok := r.namePhraseBetween(k, b)
	if !ok || r.otherEntity(n) {
		return np{}, false
	}
	return n, true
}

// namePhraseBetween returns the name phrase that is exactly a..b, whoever
// it names.
func (r *run) namePhraseBetween(a, b int) (np, bool) {
	if b-a < 1 || b-a > 6 {
		return np{}, false
	}
	for k := a; k < b; k++ {
		if !r.isUpperWord(k) && !(k > a && k < b-1 && r.cls(k)&cConnector != 0) && !(k > a && r.isDash(k)) {
			return np{}, false
		}
	}
	n, ok := r.nameEndingAt(b-1, a)
	if !ok || n.a != a || n.kind != npName {
		return np{}, false
	}
	return n, true
}

// isPersonName reports a name phrase that names a person: a title or a
// known first name before more words, or a surname the article introduced
// with a full name.
func (r *run) isPersonName(n np) bool {
	if n.kind != npName {
		return false
	}
	c := r.core(n.a, n.b)
	if c.person {
		return true
	}
	r.ensureNames()
	names := r.sc.names
	i, _ := slices.BinarySearchFunc(names, c.a, func(nr nameRun, a int) int { return nr.a - a })
	return i < len(names) && names[i].a == c.a && names[i].b == c.b && names[i].person
}

// nameEndingAt extends a capitalised run leftwards from j.
func (r *run) nameEndingAt(j, lo int) (np, bool) {
	i := j
	for i-1 >= lo && j-i < 6 {
		p := i - 1
		if r.isUpperWord(p) && r.toks[i].Flags&text.LineStart == 0 {
			i = p
			continue
		}
		if p-1 >= lo && r.cls(p)&cConnector != 0 && r.isLower(p) && r.isUpperWord(p-1) {
			i = p - 1
			continue
		}
		if p-1 >= lo && r.isTitleOf(p) && r.isUpperWord(p-1) && r.isTitleTok(p-1) {
			i = p - 1 // "Ambassador to Germany Richard Grenell"
			continue
		}
		break
	}
	// drop sentence-initial function words and verbs: "But Trump", "On
	// Sunday", "Remarked Center for Biological Diversity scientist …"
	for i <= j {
		c := r.cls(i)
		if c&(cCapStop|cMonth) != 0 && c&cTitle == 0 || r.cls(i)&cConnector != 0 || i < j && c&cTitle == 0 && r.isCommonCap(i) {
			i++
			continue
		}
		break
	}
	if i > j || i == j && r.isCommonCap(i) {
		return np{}, false
	}
	return np{a: i, b: j + 1, kind: npName}, true
}

// descEndingAt reads a description leftwards from its head noun j: "the
// former Dutch prime minister", "a source", "63 percent", "Trump's
// campaign manager".
func (r *run) descEndingAt(j, lo int) (np, bool) {
	head := r.cls(j)
	if head&(cVerb|cNPStop|cSkip|cDet) != 0 && head&(cPersonRole|cOtherRole) == 0 {
		return np{}, false
	}
	i := j
	det := false
	for i-1 >= lo && j-i < 6 {
		p := i - 1
		c := r.cls(p)
		if c&cDet != 0 && r.toks[p].Kind == text.Word {
			i, det = p, true
			break
		}
		if r.isClitic(p) && p-1 >= lo && r.isUpperWord(p-1) {
			n, _ := r.nameEndingAt(p-1, lo)
			if n.b > n.a {
				i, det = n.a, true
			}
			break
		}
		if r.toks[p].Kind == text.Number {
			i, det = p, true
			break
		}
		if c&(cNPStop|cVerb|cSkip|cPron) != 0 && c&(cPersonRole|cOtherRole|cTitle) == 0 {
			break
		}
		if r.toks[p].Kind != text.Word || r.toks[i].Flags&text.LineStart != 0 {
			break
		}
		i = p
	}
	if !det && head&(cPersonRole|cOtherRole) == 0 {
		return np{}, false
	}
	if !det {
		i = j // no determiner: the head alone ("officials said")
	}
	kind := npOtherDesc
	if head&cPersonRole != 0 {
		kind = npPersonDesc
	}
	return np{a: i, b: j + 1, kind: kind}, true
}

// npRight reads a speaker phrase that starts at k (after a verb-first cue
// or "according to"), stopping before hi.
func (r *run) npRight(k, hi int) (np, bool) {
	if k >= hi || r.toks[k].Kind != text.Word && r.toks[k].Kind != text.Number {
		return np{}, false
	}
	c := r.cls(k)
	if c&cPron != 0 && r.isLowerOrSentStart(k) {
		return np{a: k, b: k + 1, kind: npPron}, true
	}
	if r.isUpperWord(k) && (c&(cCapStop|cMonth) == 0 || c&cTitle != 0 || c&cDet != 0) {
		j := k + 1
		for j < hi && j-k < 9 && r.toks[j].Flags&text.LineStart == 0 {
			if r.isUpperWord(j) {
				j++
				continue
			}
			// "US Secretary of State Mike Pompeo": a title's
			// complement is part of the name phrase
			if j+1 < hi && r.isTitleOf(j) && r.isTitleTok(j-1) && r.isUpperWord(j+1) {
				j += 2
				continue
			}
			// "Mayor de Blasio", "Ursula von der Leyen": a particle
			if j+1 < hi && r.isParticle(j) && r.isUpperWord(j+1) {
				j += 2
				continue
			}
			break
		}
		// "Acme Comics editor Helen Marsh", "Former CIA deputy director
		// Michael Stone": an organisation, lower-case role words
		// and a person's name are one phrase, and resolve keeps the person
		if j > k && j < hi && c&cDet == 0 {
			if m, ok := r.roleThenName(j, hi); ok {
				return np{a: k, b: m.b, kind: npName}, true
			}
		}
		if j == k+1 && c&cDet == 0 && r.isCommonCap(k) {
			return np{}, false
		}
		if j < hi && r.isClitic(j) {
			// "said Trump's spokesman"
			if n, ok := r.descRight(j+1, hi); ok {
				// "writes Huber's longtime tag team partner Erick Rowan":
				// the person the description introduces speaks
				if n.b < hi && r.isUpperWord(n.b) {
					if m, ok := r.npRight(n.b, hi); ok && r.isPersonName(m) {
						return m, true
					}
				}
				return np{a: k, b: n.b, kind: n.kind}, true
			}
		}
		if c&cDet != 0 && j == k+1 {
			return r.descRight(k, hi) // "The company said" read rightwards
		}
		return np{a: k, b: j, kind: npName}, true
	}
	if c&cDet != 0 || r.toks[k].Kind == text.Number {
		return r.descRight(k, hi)
	}
	if c&(cPersonRole|cOtherRole) != 0 && c&cPlural != 0 {
		return np{a: k, b: k + 1, kind: npPersonDesc}, true
	}
	// "said study co-author Professor Carl Lipo": lower-case role words
	// before a name describe the person named
	j := k
	for j < hi && j < k+5 && (r.isLower(j) && r.cls(j)&(cNPStop|cVerb|cPron|cDet) == 0 || j > k && r.isDash(j)) {
		j++
	}
	if j > k && j < hi && r.isUpperWord(j) {
		if m, ok := r.npRight(j, hi); ok && m.kind == npName {
			return m, true
		}
	}
	return np{}, false
}

// roleThenName reads one to three lower-case role words ("editor",
// "deputy director") starting at j and the person's name after them.
func (r *run) roleThenName(j, hi int) (np, bool) {
	i, ok := r.roleWords(j, hi)
	if !ok || i >= hi || !r.isUpperWord(i) {
		return np{}, false
	}
	m, ok := r.npRight(i, hi)
	if !ok || m.kind != npName || !r.isPersonName(m) {
		return np{}, false
	}
	return m, true
}

// isParticle reports a lower-case particle inside a person's name: "de",
// "van", "von der". "of" joins organisations' names, not people's.
func (r *run) isParticle(k int) bool {
	if !r.isLower(k) || r.cls(k)&cConnector == 0 {
		return false
	}
	w := r.tokText(k)
	return w != "of" && w != "&"
}

// descRight reads determiner/adjective/noun words rightwards and returns
// the phrase up to its last plausible head.
func (r *run) descRight(k, hi int) (np, bool) {
	j := k
	if r.cls(j)&cDet != 0 || r.toks[j].Kind == text.Number {
		j++
	}
	headEnd, kind := -1, npOtherDesc
	for ; j < hi && j-k < 8; j++ {
		if r.toks[j].Kind != text.Word || r.toks[j].Flags&text.LineStart != 0 {
			break
		}
		// "A number of Senators", "a group of protesters": the people
		// after "of" head the phrase
		if j+1 < hi && r.tokText(j+1) == "of" && headEnd < 0 {
			switch r.tokText(j) {
			case "number", "couple", "handful", "group":
				j++
				continue
			}
		}
		c := r.cls(j)
		if c&(cNPStop|cVerb|cPron) != 0 && c&(cPersonRole|cOtherRole) == 0 {
			break
		}
		if c&(cPersonRole|cOtherRole) != 0 {
			if c&cPersonRole != 0 {
				headEnd, kind = j+1, npPersonDesc
			} else {
				headEnd, kind = j+1, npOtherDesc
			}
			// a compound head goes on ("campaign manager"), and so does
			// a possessor's person ("the council's leader"); anything
			// else after a head is the predicate
			if j+2 < hi && r.isClitic(j+1) && r.cls(j+2)&cPersonRole != 0 {
				j++
				continue
			}
			if j+1 < hi && r.cls(j+1)&(cPersonRole|cOtherRole) == 0 {
				break
			}
		} else if r.isUpperWord(j) {
			headEnd = j + 1
			if kind != npPersonDesc {
				kind = npOtherDesc
			}
		}
	}
	if headEnd < 0 {
		return np{}, false // no head noun: "the so-called"
	}
	return np{a: k, b: headEnd, kind: kind}, true
}

// isReleaseVerb reports verbs that put out a document: "issued a statement".
func isReleaseVerb(w string) bool {
	switch w {
	case "released", "issued", "published", "posted", "sent", "shared", "put", "circulated":
		return true
	}
	return false
}

// isPartitive reports a word that takes part of a group: "one of the
// users", "some of the protesters".
func isPartitive(w string) bool {
	switch strings.ToLower(w) {
	case "one", "some", "many", "most", "several", "few", "all", "both", "each", "none", "two", "three", "four", "five":
		return true
	}
	return false
}

// roleBefore reports a person role word among the few words ending at k:
// "The American Samoan delegate to the U.S. House of Representatives, Aumua
// Amata, told" names a person the first-name lists may not know.
func (r *run) roleBefore(k, lo int) bool {
	for i := k; i >= lo && i > k-8; i-- {
		if r.toks[i].Kind != text.Word || r.isCue(i) {
			return false
		}
		if r.isLower(i) && r.cls(i)&cPersonRole != 0 && r.cls(i)&cPlural == 0 {
			return true
		}
		if i < k && r.isTitleTok(i) && r.isTitleOf(i+1) {
			return true // "Director of Mid Wales Tourism Partnership, David Clay,"
		}
	}
	return false
}

func isPartOf(w string) bool {
	switch strings.ToLower(w) {
	case "part", "parts", "excerpt", "excerpts", "portion", "section", "passage":
		return true
	}
	return false
}

// namedAfterRoleNoun reports a person's name that follows a lower-case noun
// directly, as a name follows its role: "the parliament Ali Larijani".
func (r *run) namedAfterRoleNoun(n np, lo int) bool {
	if n.kind != npName || n.a-1 < lo || !r.isLower(n.a-1) || r.tokText(n.a-1) == "of" || r.cls(n.a-1)&(cDet|cPrep) != 0 {
		return false
	}
	return r.isPersonName(n)
}

// roleWords reads one to three lower-case words from j, the last a title
// or a person's role, possibly after modifiers ("deputy director",
// "Democratic presidential nominee", "doctoral candidate"), and returns
// where they end.
func (r *run) roleWords(j, hi int) (int, bool) {
	i := j
	for i < hi && i < j+3 && r.isLower(i) && r.cls(i)&cPlural == 0 && r.cls(i)&(cNPStop|cVerb|cSkip|cDet|cPron|cPrep) == 0 {
		i++
	}
	return i, i > j && r.cls(i-1)&(cTitle|cPersonRole) != 0
}

// withSubject reports a phrase n that is the subject of the participle at
// v in a with-clause: "…, with one poster writing “…”". The clause is its
// own, not the sentence's.
func (r *run) withSubject(n np, v int) bool {
	return n.a > 0 && r.isParticiple(v) && r.tokText(n.a-1) == "with"
}
