package quotes

import "github.com/newsenrich/newsenrich/processor/text"

// speaker_phrases.go holds the finders of a speaker noun phrase near a quote and its cue.

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
	if k < hi && r.toks[k].Kind == text.Word {
		switch r.tokText(k) {
		case "him", "her", "them", "me", "us":
			return np{a: k, b: k + 1, kind: npPron}, true // "According to him, …"
		}
	}
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
			// "a statement released by Erdogan's office": whoever
			// released the document speaks through it
			if p, ok := r.npRight(t+1, hi); ok {
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
	return r.cueLeft(r.sentStart(q.open), q.open, qi)
}

// cueLeft scans tokens [s, end) of one sentence right to left for the
// outermost speech verb and returns its speaker; qi is the index of the
// quote at or after end, whose predecessor stops the scan.
func (r *run) cueLeft(s, end, qi int) (best attribution, found, stopped bool) {
	lo := max(s, end-r.x.cfg.Window)
	for v := end - 1; v >= lo; v-- {
		if qi > 0 && r.sc.raw[qi-1].last >= v {
			stopped = true
			break
		}
		if r.isPunct(v, ';') {
			break
		}
		if r.isAccording(v) {
			// "According to the news agency, the prosecutor … said the men
			// must face “…”": the agency reports, the one who said it speaks
			if found {
				continue
			}
			if m, ok := r.accordingTo(v+2, end); ok {
				best, found = attribution{m, "according to"}, true
			}
			continue
		}
		if !r.isCue(v) {
			continue
		}
		if m, ok := r.passiveAgent(v, end); ok {
			best, found = attribution{m, r.tokText(v)}, true
			continue
		}
		if m, ok := r.npLeft(v, s); ok {
			best, found = attribution{m, r.tokText(v)}, true
			if m.a-1 >= s && (m.kind != npPron && isCoordinator(r.tokText(m.a-1)) || r.withSubject(m, v)) {
				// "The Tongs indicated …, and Mr Tong had said they intended
				// to “…”", "…, with the i reporting no one will be refused
				// “…”": a clause of its own, not reported speech inside the
				// first
				break
			}
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
		if k+1 < limit && r.cls(k+1)&cMonth != 0 && isTimeDeterminer(r.tokText(k)) {
			k++ // "This Wednesday Greek Foreign Minister George Katrougalos …": a time, not a description
			continue
		}
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
		if c&cPrep != 0 {
			continue // "Regarding Trump's phone call, …": what follows is its object
		}
		if r.isUpperWord(k) && (c&(cCapStop|cMonth) == 0 || c&cTitle != 0) {
			if m, ok := r.npRight(k, limit); ok {
				if !afterPrep {
					return m, true
				}
				k = m.b - 1 // an object: "for Hillary Clinton"
				// and what it possesses: "During Prime Minister's
				// Questions Wednesday, Sunak defended …"
				for k+2 < limit && r.isClitic(k+1) {
					m2, ok := r.npRight(k+2, limit)
					if !ok {
						break
					}
					k = m2.b - 1
				}
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

// isTimeDeterminer reports a word that makes a day or month name a time:
// "this Wednesday", "last March".
func isTimeDeterminer(w string) bool {
	switch w {
	case "this", "This", "last", "Last", "next", "Next", "that", "That", "every", "Every", "early", "Early", "late", "Late":
		return true
	}
	return false
}

func isCoordinator(w string) bool { return w == "and" || w == "but" }
