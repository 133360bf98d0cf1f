package quotes

import (
	"slices"
	"strings"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/text"
)

// speakerRef is a resolved speaker: the mention span in bytes, the
// canonical name and the entity index (-1 when none).
type speakerRef struct {
	start, end int
	name       string
	entity     int
}

// attribution is what a cue scan found.
type attribution struct {
	n   np
	cue string
}

// attribute decides whether raw quote q is kept and who said it. prev is
// the last kept quote, whose speaker carries over to a quote without a cue.
func (r *run) attribute(q rawQuote, prev *found) (found, bool) {
	if q.words == 0 || r.isAttribute(q) || r.isNickname(q) {
		return found{}, false
	}
	qi := r.indexOf(q)
	var (
		a   attribution
		ok  bool
		imm bool
	)
	if a, ok = r.after(q); ok {
		imm = true
	} else if a, ok = r.before(q); ok {
		imm = true
	}
	inherit := false
	if !ok {
		var stopped bool
		a, ok, stopped = r.embeddedLeft(q, qi)
		// with no cue of its own, a quote takes the speaker of an earlier
		// quote in the same sentence: Cruz called Trump a “liar” … and a
		// “bully”
		inherit = !ok && stopped && prev != nil && prev.hasSpk && prev.q.open == r.sc.raw[qi-1].open
		if !ok && !inherit {
			a, ok = r.embeddedRight(q, qi)
		}
	}
	if !imm && !inherit && r.isTitle(q) && !r.namedAfterCue(q) {
		return found{}, false // a title or name in quotation marks: "Face the Nation"
	}
	f := found{q: q}
	if inherit {
		f.spk, f.hasSpk, f.cue, f.carried = prev.spk, true, prev.cue, true
		return f, true
	}
	if ok {
		f.spk, f.hasSpk, f.cue = r.resolve(a.n), true, a.cue
		return f, true
	}
	if q.words < r.x.cfg.MinUnattributedWords {
		if !r.x.cfg.DropUncuedShort && !r.startsSentence(q.open) {
			if n, ok := r.subject(r.sentStart(q.open), q.open); ok {
				f.spk, f.hasSpk = r.resolve(n), true
				return f, true
			}
		}
		return found{}, false // scare quote without a speech cue
	}
	startsSentence := r.startsSentence(q.open)
	if startsSentence && prev != nil && prev.hasSpk && r.breaksBetween(prev.q.last, q.open) <= r.x.cfg.CarryParagraphs {
		f.spk, f.hasSpk, f.carried = prev.spk, true, true
		return f, true
	}
	if !startsSentence {
		s := r.sentStart(q.open)
		if n, ok := r.subject(s, q.open); ok {
			f.spk, f.hasSpk = r.resolve(n), true
			return f, true
		}
	}
	if prev != nil && prev.hasSpk && r.breaksBetween(prev.q.last, q.open) <= r.x.cfg.CarryParagraphs {
		f.spk, f.hasSpk, f.carried = prev.spk, true, true
	}
	return f, true
}

// isNamingCue reports verbs that introduce a name or label in quotation
// marks: Trump called her “Miss Piggy”.
func isNamingCue(cue string) bool {
	switch cue {
	case "called", "calls", "call", "calling", "dubbed", "dubs", "nicknamed", "labeled", "labelled", "labels", "branded", "brands", "termed", "terms":
		return true
	}
	return false
}

// namedAfterCue reports a naming verb shortly before the quote, so a
// title-case quote is a label someone gave, not a title.
func (r *run) namedAfterCue(q rawQuote) bool {
	s := r.sentStart(q.open)
	for k := q.open - 1; k >= s && k >= q.open-8; k-- {
		if r.toks[k].Kind == text.Word && isNamingCue(r.tokText(k)) {
			return true
		}
	}
	return false
}

func (r *run) indexOf(q rawQuote) int {
	raw := r.sc.raw
	lo, hi := 0, len(raw)
	for lo < hi {
		m := (lo + hi) / 2
		if raw[m].open < q.open {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// isAttribute drops HTML-ish attribute values that leak into bodies:
// author="x".
func (r *run) isAttribute(q rawQuote) bool {
	if q.open == 0 {
		return false
	}
	p := r.toks[q.open-1]
	return p.End == r.toks[q.open].Start && r.d.Text[p.Start] == '='
}

// isNickname drops a name's quoted middle part: Robert C. "Bobby" Scott.
func (r *run) isNickname(q rawQuote) bool {
	if q.close < 0 || q.words > 2 || q.open == 0 || q.close+1 >= len(r.toks) {
		return false
	}
	if !r.isUpperWord(q.open-1) || !r.isUpperWord(q.close+1) || !r.isUpperWord(q.open+1) {
		return false
	}
	return r.toks[q.close-1].Kind == text.Word
}

// isTitle reports a quote whose words are all capitalised (function words
// aside), the way titles of shows, films, laws and slogans are written.
func (r *run) isTitle(q rawQuote) bool {
	if q.close < 0 || q.words > 8 {
		return false
	}
	uppers := 0
	for k := q.open + 1; k < q.close; k++ {
		t := r.toks[k]
		switch t.Kind {
		case text.Word:
			if t.Flags&text.Upper != 0 {
				uppers++
				continue
			}
			if r.isClitic(k) || r.cls(k)&(cConnector|cDet|cNPStop) != 0 && k > q.open+1 {
				continue
			}
			return false
		case text.Punct:
			if s := r.d.Text[t.Start]; s == '.' || s == '!' || s == '?' {
				// "Mostly True." ends a title-like label too, but a
				// sentence inside means speech
				if k != q.close-1 {
					return false
				}
			}
		}
	}
	return uppers > 0
}

// startsSentence reports whether the quote opens its sentence.
func (r *run) startsSentence(open int) bool {
	t := r.toks[open]
	if t.Flags&(text.SentStart|text.LineStart) != 0 || open == 0 {
		return true
	}
	p := r.toks[open-1]
	if p.Kind == text.Punct {
		switch r.d.Text[p.Start] {
		case '.', '!', '?', ':':
			return true
		}
	}
	return p.Kind == text.Quote && p.Flags&text.CloseQuote != 0
}

func (r *run) sentStart(k int) int {
	return int(r.d.Sentences[r.d.SentenceOf(k)].Start)
}

func (r *run) sentEnd(k int) int {
	return int(r.d.Sentences[r.d.SentenceOf(k)].End)
}

// breaksBetween counts line breaks between tokens a (exclusive) and b
// (inclusive).
func (r *run) breaksBetween(a, b int) int {
	n := 0
	for k := a + 1; k <= b && k < len(r.toks); k++ {
		if r.toks[k].Flags&text.LineStart != 0 {
			n++
		}
	}
	return n
}

func (r *run) isDoubleQuoteTok(k int) bool {
	return r.toks[k].Kind == text.Quote && isDoubleQuote(r.quoteRune(k))
}

// after reads an attribution right after the closing mark: ,” Rutte said /
// ,” said Rep. X / ,” the report said / ,” according to X.
func (r *run) after(q rawQuote) (attribution, bool) {
	if q.close < 0 {
		return attribution{}, false
	}
	n := len(r.toks)
	k := q.close + 1
	if k >= n || r.toks[k].Flags&text.LineStart != 0 {
		return attribution{}, false
	}
	// A quote that ends its sentence ("….” He hopes …) is followed by a new
	// sentence whose verb is its own: only a bare "X said." there
	// attributes the quote before it.
	newSentence := true
	if r.isPunct(k, ',') || r.isDash(k) {
		k++
		newSentence = false
	}
	for k < n && r.isInvisible(k) {
		k++ // ”— ‍Aparna Garg: a zero-width joiner before the name
	}
	if k >= n || r.toks[k].Flags&text.LineStart != 0 {
		return attribution{}, false
	}
	if newSentence && !r.endsSentence(q.close-1) && r.toks[k].Flags&text.SentStart == 0 {
		newSentence = false // “…” he said: no punctuation inside, none after
	}
	a, ok := r.afterCue(q, k, n)
	if ok && newSentence && !r.clauseEnds(a.end) {
		return attribution{}, false
	}
	return a.attribution, ok
}

// endsSentence reports sentence-final punctuation at token k.
func (r *run) endsSentence(k int) bool {
	return k >= 0 && (r.isPunct(k, '.') || r.isPunct(k, '!') || r.isPunct(k, '?'))
}

// clauseEnds reports whether an attribution clause ends at token k: the
// sentence or paragraph ends, or a comma follows that opens no new quote.
func (r *run) clauseEnds(k int) bool {
	if k >= len(r.toks) || r.toks[k].Flags&text.LineStart != 0 || r.endsSentence(k) || r.isPunct(k, ';') {
		return true
	}
	if r.isPunct(k, ',') {
		return k+1 >= len(r.toks) || !r.isDoubleQuoteTok(k+1)
	}
	return false
}

// clauseAttribution is an attribution with the token just past its clause.
type clauseAttribution struct {
	attribution
	end int
}

// afterCue reads the cue and speaker of an attribution that starts at
// token k, right after a closing mark.
func (r *run) afterCue(q rawQuote, k, n int) (clauseAttribution, bool) {
	d := k - 1
	for d > q.close && r.isInvisible(d) {
		d--
	}
	if r.isDash(d) && d > q.close {
		// epigraph style: ”― Pamela Padilla
		if m, ok := r.npRight(k, n); ok && m.kind == npName && (m.b >= n || r.toks[m.b].Flags&text.LineStart != 0 || r.toks[m.b].Kind == text.Punct) {
			return clauseAttribution{attribution{m, ""}, m.b}, true
		}
	}
	hi := k
	for hi < n && hi-k < 30 {
		t := r.toks[hi]
		if hi > k && t.Flags&text.LineStart != 0 || r.isDoubleQuoteTok(hi) {
			break
		}
		if t.Kind == text.Punct {
			if c := r.d.Text[t.Start]; c == '.' || c == '!' || c == '?' || c == ';' || c == ':' || c == '(' {
				break
			}
		}
		hi++
	}
	if r.isAccording(k) {
		if m, ok := r.accordingTo(k+2, hi); ok {
			return clauseAttribution{attribution{m, "according to"}, m.b}, true
		}
	}
	if r.isCue(k) && !r.isParticiple(k) && !r.isTell(k) {
		if m, ok := r.npRight(k+1, hi); ok {
			return clauseAttribution{attribution{m, r.tokText(k)}, m.b}, true
		}
	}
	for v := k + 1; v < hi; v++ {
		if r.isAccording(v) {
			if m, ok := r.accordingTo(v+2, hi); ok {
				return clauseAttribution{attribution{m, "according to"}, m.b}, true
			}
			break
		}
		if !r.isCue(v) {
			continue
		}
		m, ok := r.npLeft(v, k)
		if !ok {
			// a long apposition: “…,” Malkia Cyril, the director of …, told
			if m, ok = r.npRight(k, v); !ok || m.kind != npName || !r.isPunct(m.b, ',') {
				break
			}
		}
		if m.a-k > 4 {
			break
		}
		for g := k; g < m.a; g++ {
			if r.toks[g].Kind != text.Word || r.cls(g)&(cNPStop|cPron) != 0 || isSubordinator(r.tokText(g)) {
				return clauseAttribution{}, false
			}
		}
		end := v + 1
		for end < hi && r.isAdverb(end) {
			end++
		}
		return clauseAttribution{attribution{m, r.tokText(v)}, end}, true
	}
	return clauseAttribution{}, false
}

// isSubordinator reports a conjunction that opens a new clause: the verb
// after it is not the quote's attribution (“…,” though she noted …).
func isSubordinator(w string) bool {
	switch w {
	case "though", "although", "while", "whereas", "because", "since", "if", "unless", "when", "whether", "so", "yet", "but", "and":
		return true
	}
	return false
}

// before reads an attribution right before the opening mark: Rutte said,
// “ / X said: “ / X: “ / according to X, “.
func (r *run) before(q rawQuote) (attribution, bool) {
	j := q.open - 1
	if j < 0 {
		return attribution{}, false
	}
	colon := r.isPunct(j, ':')
	if r.toks[q.open].Flags&text.LineStart != 0 && !colon {
		return attribution{}, false
	}
	if colon || r.isPunct(j, ',') {
		j--
	} else if r.toks[j].Kind == text.Word && (r.tokText(j) == "that" || r.tokText(j) == "as") {
		j--
	}
	if j < 0 {
		return attribution{}, false
	}
	lo := r.sentStart(j)
	if lo > j-r.x.cfg.Window {
		lo = max(0, j-r.x.cfg.Window)
		lo = max(lo, r.sentStart(j))
	}
	if (colon || r.isPunct(j+1, ',')) && lo < j && r.isUpperWord(lo) && r.cls(lo)&cVerb != 0 && r.toks[lo].Flags&text.SentStart != 0 {
		// a verb-first sentence: "Remarked Center for Biological
		// Diversity scientist Tierra Curry, “…”"
		if m, ok := r.npEndingAt(j, lo+1, 0); ok && m.kind != npPron {
			return attribution{m, strings.ToLower(r.tokText(lo))}, true
		}
	}
	if r.isCue(j) {
		if r.isParticiple(j) {
			// "Politico quoted Tim Manning … as saying “…”": the one quoted
			if m, ok := r.quotedAs(j, lo); ok {
				return attribution{m, r.tokText(j)}, true
			}
			// "Trump was defensive …, saying, “…”", "Trump issued a
			// statement outside Washington, D.C. saying “…”": a
			// participle's subject is its clause's subject
			if m, ok := r.subject(lo, j); ok {
				return attribution{m, r.tokText(j)}, true
			}
		}
		if m, ok := r.npLeft(j, lo); ok {
			return attribution{m, r.tokText(j)}, true
		}
		if m, ok := r.npRight(j+1, q.open); ok {
			return attribution{m, r.tokText(j)}, true
		}
		if !colon {
			return attribution{}, false
		}
	}
	if colon && r.toks[j].Kind == text.Word {
		m, ok := r.npEndingAt(j, lo, 0)
		if ok && m.kind == npPron && m.a == lo {
			return attribution{m, ":"}, true // He: “…”
		}
		if ok && m.kind != npPron && m.a == lo {
			return attribution{m, ":"}, true // PENCE: “…”, The statement: “…”
		}
		// A clause before the colon: its subject speaks (Sanders made the
		// following comment: “…”; Bill Gerstenmaier of NASA spoke of the
		// collaboration with SpaceX: “…”), unless the phrase before the
		// colon is whom a statement is from or by (… the following
		// statement from the king: “…”).
		if ok && m.kind != npPron && m.a > lo && (m.kind == npName || m.kind == npPersonDesc) {
			if w := r.tokText(m.a - 1); w == "from" || w == "by" {
				return attribution{m, ":"}, true
			}
		}
		if s, ok2 := r.subject(lo, j); ok2 && (!ok || s.a < m.a) {
			return attribution{s, ":"}, true
		}
		if ok && m.kind != npPron {
			return attribution{m, ":"}, true
		}
	}
	// "According to X, “…”"
	for v := j; v >= lo && v > j-10; v-- {
		if r.isAccording(v) {
			if m, ok := r.accordingTo(v+2, j+1); ok {
				return attribution{m, "according to"}, true
			}
		}
	}
	return attribution{}, false
}

// actingIt reports an "it" that does something ("It also credited Leonov
// …, noting …"): a past-tense verb follows, not a copula or an auxiliary
// of the expletive "it is", "it has been".
func (r *run) actingIt(k, limit int) bool {
	j := k + 1
	for j < limit && r.isAdverb(j) || j < limit && r.tokText(j) == "also" {
		j++
	}
	if j >= limit || !r.isLower(j) || r.cls(j)&cSkip != 0 {
		return false
	}
	w := r.tokText(j)
	return len(w) > 4 && w[len(w)-2:] == "ed"
}

// passiveAgent reads a passive speech verb's agent: "Gutierrez was
// described by the CBCP as “…”" — the CBCP speaks, not Gutierrez.
func (r *run) passiveAgent(v, hi int) (np, bool) {
	if v < 1 || v+2 >= hi || r.tokText(v+1) != "by" {
		return np{}, false
	}
	switch r.tokText(v - 1) {
	case "was", "were", "is", "are", "been", "being", "be":
		return r.npRight(v+2, hi)
	}
	return np{}, false
}

// isInvisible reports a token that is only zero-width format characters.
func (r *run) isInvisible(k int) bool {
	t := r.toks[k]
	if t.Kind == text.Word || t.Kind == text.Number || t.Kind == text.Quote {
		return false
	}
	for _, c := range r.d.Text[t.Start:t.End] {
		switch c {
		case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		default:
			return false
		}
	}
	return true
}

// quotedAs reads "quoted X as saying" ending at the participle j: X speaks.
func (r *run) quotedAs(j, lo int) (np, bool) {
	if j < 1 || r.tokText(j-1) != "as" {
		return np{}, false
	}
	for p := j - 2; p >= lo && p > j-24; p-- {
		switch r.tokText(p) {
		case "quoted", "quotes", "quoting", "cited", "cites", "citing":
			return r.npRight(p+1, j-1)
		}
	}
	return np{}, false
}

// accordingTo reads the speaker after "according to": "according to X",
// and "according to a tweet by X", where X, not the tweet, speaks.
func (r *run) accordingTo(k, hi int) (np, bool) {
	m, ok := r.npRight(k, hi)
	if !ok || m.kind != npOtherDesc {
		return m, ok
	}
	switch r.tokText(m.a) {
	case "its", "his", "her", "their", "Its", "His", "Her", "Their":
		// "According to its press release, the NBA was “…”": the
		// possessor, the clause's subject, speaks
		if m.b+1 < hi && r.isPunct(m.b, ',') {
			if s, ok := r.npRight(m.b+1, hi); ok {
				return s, true
			}
		}
	}
	for t := m.b; t < hi && t < m.b+5; t++ {
		if r.toks[t].Kind == text.Word && r.tokText(t) == "by" {
			if p, ok := r.npRight(t+1, hi); ok && (p.kind == npName || p.kind == npPersonDesc) {
				return p, true
			}
			break
		}
	}
	return m, ok
}

// embeddedLeft attributes a quote inside a sentence to the subject of the
// outermost speech verb before it, the convention for reported speech
// nested in reported speech: Flynn said Trump was “absolutely right” when
// he said … belongs to Flynn. The scan stops at an earlier quote in the
// sentence, whose speaker then carries over ("called it “A” and “B”").
func (r *run) embeddedLeft(q rawQuote, qi int) (best attribution, found, stopped bool) {
	s := r.sentStart(q.open)
	lo := max(s, q.open-r.x.cfg.Window)
	for v := q.open - 1; v >= lo; v-- {
		if qi > 0 && r.sc.raw[qi-1].last >= v {
			stopped = true
			break
		}
		if r.isPunct(v, ';') {
			break
		}
		if r.isAccording(v) {
			if m, ok := r.accordingTo(v+2, q.open); ok {
				best, found = attribution{m, "according to"}, true
			}
			continue
		}
		if !r.isCue(v) {
			continue
		}
		if m, ok := r.passiveAgent(v, q.open); ok {
			best, found = attribution{m, r.tokText(v)}, true
			continue
		}
		if m, ok := r.npLeft(v, s); ok {
			best, found = attribution{m, r.tokText(v)}, true
			continue
		}
		if m, ok := r.subject(s, v); ok {
			best, found = attribution{m, r.tokText(v)}, true
		}
	}
	return best, found, stopped
}

// embeddedRight looks for the cue later in the quote's sentence: the move
// reeks of “fear,” Limbaugh said.
func (r *run) embeddedRight(q rawQuote, qi int) (attribution, bool) {
	if q.close < 0 {
		return attribution{}, false
	}
	hi := min(r.sentEnd(q.close), q.close+1+r.x.cfg.Window, len(r.toks))
	p := qi + 1
	for v := q.close + 1; v < hi; v++ {
		if p < len(r.sc.raw) && r.sc.raw[p].open == v {
			v = r.sc.raw[p].last
			p++
			continue
		}
		if r.toks[v].Flags&text.LineStart != 0 {
			break
		}
		if r.isAccording(v) {
			if m, ok := r.accordingTo(v+2, hi); ok {
				return attribution{m, "according to"}, true
			}
		}
		if r.isCue(v) {
			if m, ok := r.npLeft(v, q.close+1); ok {
				return attribution{m, r.tokText(v)}, true
			}
			if r.isTell(v) || r.isParticiple(v) {
				return attribution{}, false
			}
			if m, ok := r.npRight(v+1, hi); ok {
				return attribution{m, r.tokText(v)}, true
			}
			return attribution{}, false
		}
	}
	return attribution{}, false
}

// subject returns the first plausible speaker phrase of a sentence, read
// from s up to limit, skipping quoted material.
func (r *run) subject(s, limit int) (np, bool) {
	s = max(s, limit-2*r.x.cfg.Window) // bounded work in endless sentences
	for k := s; k < limit; k++ {
		t := r.toks[k]
		if r.isDoubleQuoteTok(k) {
			// skip a quoted stretch
			for k++; k < limit && !r.isDoubleQuoteTok(k); k++ {
			}
			continue
		}
		if t.Kind != text.Word {
			continue
		}
		c := r.cls(k)
		if c&cPron != 0 && r.isLowerOrSentStart(k) {
			if w := r.tokText(k); (w == "it" || w == "It") && !r.actingIt(k, limit) || w == "who" || w == "Who" || k > s && r.cls(k-1)&cPrep != 0 {
				continue
			}
			return np{a: k, b: k + 1, kind: npPron}, true
		}
		if t.Flags&text.AllUpper != 0 && k+1 < limit && r.toks[k+1].Flags&text.AllUpper != 0 && r.toks[k+1].Kind == text.Word {
			continue // a heading in capitals
		}
		afterPrep := k > s && r.cls(k-1)&cPrep != 0
		if r.isUpperWord(k) && (c&(cCapStop|cMonth) == 0 || c&cTitle != 0) {
			if m, ok := r.npRight(k, limit); ok {
				if !afterPrep {
					return m, true
				}
				k = m.b - 1 // an object: "for Hillary Clinton"
				continue
			}
		}
		if c&cDet != 0 && k+1 < limit {
			m, ok := r.descRight(k, limit)
			if ok && m.kind == npPersonDesc && !afterPrep {
				return m, true
			}
			if ok {
				k = m.b - 1 // "a Facebook message" is not a speaker
			}
		}
	}
	return np{}, false
}

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
		if g == 0 {
			return ref // I, we, they, it: the name is the pronoun
		}
		r.resolvePerson(&ref, n.a, g)
	case npPersonDesc:
		if r.cls(n.b-1)&cPlural != 0 {
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
		sent := r.d.SentenceOf(nr.a)
		if best >= 0 && sent != bestSent {
			break // an earlier sentence: the latest one with a person decides
		}
		if best < 0 || !r.afterPrep(nr.a) || r.afterPrep(names[best].a) {
			best, bestSent = i, sent
		}
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

// afterPrep reports a name governed by a preposition, possibly through a
// title or determiner ("to President Obama", "with the Rev. Al Sharpton"):
// an object, not a subject.
func (r *run) afterPrep(a int) bool {
	for p := a - 1; p >= 0 && p >= a-3; p-- {
		if r.toks[p].Kind != text.Word {
			return false
		}
		c := r.cls(p)
		if c&cPrep != 0 && r.isLower(p) {
			return true
		}
		if c&(cTitle|cDet) == 0 && !r.isTitleTok(p) {
			return false
		}
	}
	return false
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
