package quotes

import (
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
		if a.cue == "according to" && !r.startsSentence(q.open) {
			// "Pelosi called Trump's conduct a “breach …,” according to
			// NBC": the one reported reporting speaks, not the outlet
			if m, found, _ := r.embeddedLeft(q, qi); found && m.cue != "according to" {
				a = m
			}
		}
	} else if a, ok = r.before(q, qi); ok {
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
	if startsSentence {
		if a, ok := r.previousSentenceCue(q, qi); ok {
			f.spk, f.hasSpk, f.cue = r.resolve(a.n), true, a.cue
			return f, true
		}
	}
	if startsSentence && prev != nil && prev.hasSpk && r.breaksBetween(prev.q.last, q.open) <= r.x.cfg.CarryParagraphs {
		f.spk, f.hasSpk, f.carried = prev.spk, true, true
		return f, true
	}
	if !startsSentence && prev != nil && prev.hasSpk && !prev.carried && r.attributionBetween(prev.q.last, q.open) {
		// "“…;” read the statement; “…”": the second part of a quote its
		// attribution splits
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

// attributionBetween reports a short stretch between two quotes, a
// closing mark at a and an opening mark at b, that holds a speech verb and
// ends no sentence: the attribution of the quote before, splitting it.
func (r *run) attributionBetween(a, b int) bool {
	if b-a > 8 {
		return false
	}
	cue := false
	for k := a + 1; k < b; k++ {
		if r.isPunct(k, '.') || r.isPunct(k, '!') || r.isPunct(k, '?') || r.toks[k].Flags&text.LineStart != 0 {
			return false
		}
		cue = cue || r.isCue(k)
	}
	return cue
}

// previousSentenceCue reads the speaker of a quote that opens its own
// sentence without a cue from the sentence just before it, in the same
// paragraph, when that sentence reports someone speaking and holds no quote:
// "Rhys-Davies broke news when he revealed that a reboot is considered.
// “Jerry and I are talking to NBC …”". That speaker beats one carried over
// from an earlier quote: the sentence between them introduced someone new.
func (r *run) previousSentenceCue(q rawQuote, qi int) (attribution, bool) {
	if q.open == 0 {
		return attribution{}, false
	}
	ps := r.sentStart(q.open - 1)
	if ps >= q.open || r.breaksBetween(ps, q.open) > 0 || qi > 0 && r.sc.raw[qi-1].last >= ps {
		return attribution{}, false
	}
	for k := ps; k < q.open; k++ {
		if r.isCue(k) && r.negated(k, ps) {
			return attribution{}, false // "He didn't suggest retaliation." reports no speech
		}
	}
	a, ok, _ := r.cueLeft(ps, q.open, qi)
	return a, ok
}

// negated reports a negation within two tokens before verb k, not before lo.
func (r *run) negated(k, lo int) bool {
	for j := k - 1; j >= lo && j >= k-2; j-- {
		switch w := r.tokText(j); {
		case w == "not", w == "never", strings.HasSuffix(w, "n't"), strings.HasSuffix(w, "n’t"):
			return true
		}
	}
	return false
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
func (r *run) before(q rawQuote, qi int) (attribution, bool) {
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
	// (an -ing form opens an adjunct instead: "Writing for the Court,
	// Justice Elena Kagan declared …, “…”")
	if (colon || r.isPunct(j+1, ',')) && lo < j && r.isUpperWord(lo) && r.cls(lo)&cVerb != 0 && r.toks[lo].Flags&text.SentStart != 0 && !strings.HasSuffix(r.tokText(lo), "ing") {
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
			// "…, with one poster writing “…”": the participle has a
			// subject of its own
			if m, ok := r.npLeft(j, lo); ok && m.a > lo && r.withSubject(m, j) {
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
		// "According to U.S. Attorney John Bash, the note could strengthen
		// the case: “…”": the source the sentence opens with speaks
		if r.isAccording(lo) {
			if a, ok := r.accordingTo(lo+2, j+1); ok && a.kind != npOtherDesc {
				return attribution{a, "according to"}, true
			}
		}
		// "The delegate to the House, Aumua Amata, told the press: “…”":
		// a speech verb in the clause names its speaker
		if a, found, _ := r.cueLeft(lo, j+1, qi); found && a.cue != "according to" && r.namesPerson(a.n) {
			return a, true
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
				// "Colin Sutherland … decided, according to the summary,
				// “…”": a document reports what the clause's subject said
				if m.kind == npOtherDesc && v > lo {
					if s, ok := r.subject(lo, v); ok {
						return attribution{s, "according to"}, true
					}
				}
				return attribution{m, "according to"}, true
			}
		}
	}
	return attribution{}, false
}

// namesPerson reports a speaker phrase that stands for a person: a pronoun,
// a person description or a person's name.
func (r *run) namesPerson(n np) bool {
	if n.kind == npPron || n.kind == npPersonDesc || r.isPersonName(n) {
		return true
	}
	if n.kind != npName {
		return false
	}
	typ, ok := r.entityType(n)
	return ok && typ == event.TypePerson
}
