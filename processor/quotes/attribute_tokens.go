package quotes

import "github.com/newsenrich/newsenrich/processor/text"

// attribute_tokens.go holds the token predicates the speaker rules test: punctuation, cues, adverbs and kin.

func (r *run) isPunct(k int, c byte) bool {
	t := r.toks[k]
	return t.Kind == text.Punct && r.d.Text[t.Start] == c && t.End-t.Start == 1
}

func (r *run) isDash(k int) bool {
	t := r.toks[k]
	if t.Kind != text.Punct {
		return false
	}
	return text.IsDash(r.d.Text[t.Start:t.End])
}

// isClitic reports a possessive clitic token ('s, ’s).
func (r *run) isClitic(k int) bool {
	t := r.toks[k]
	if t.Kind != text.Word {
		return false
	}
	c := r.d.Text[t.Start]
	return c == '\'' || c == 0xE2
}

func (r *run) isUpperWord(k int) bool {
	t := r.toks[k]
	return t.Kind == text.Word && t.Flags&text.Upper != 0
}

func (r *run) isLower(k int) bool {
	t := r.toks[k]
	return t.Kind == text.Word && t.Flags&text.Upper == 0 && !r.isClitic(k)
}

// isAdverb is the cheap -ly test for words like "angrily" between a
// speaker and the verb.
func (r *run) isAdverb(k int) bool {
	if !r.isLower(k) {
		return false
	}
	s := r.tokText(k)
	return len(s) > 4 && s[len(s)-2:] == "ly"
}

// isCue is a speech verb used as a verb here: a word that doubles as a
// noun ("report", "claims") does not count right after a determiner.
func (r *run) isCue(k int) bool {
	c := r.cls(k)
	if c&cVerb == 0 || !r.isLower(k) && r.toks[k].Flags&text.AllUpper == 0 {
		return false
	}
	if c&cOtherRole != 0 && k > 0 && r.cls(k-1)&cDet != 0 {
		return false
	}
	if w := r.tokText(k); w == "put" || w == "puts" {
		return k+1 < len(r.toks) && r.tokText(k+1) == "it" // "as X put it"
	}
	return true
}

// isParticiple reports an -ing cue ("saying", "adding"): its subject is the
// clause's subject, never the phrase just before it.
func (r *run) isParticiple(k int) bool {
	s := r.tokText(k)
	return len(s) > 4 && s[len(s)-3:] == "ing"
}

// isTell reports tell-forms, whose object is the listener, not the speaker.
func (r *run) isTell(k int) bool {
	switch r.tokText(k) {
	case "told", "tell", "tells", "telling", "asked", "asks", "ask", "urged", "urges", "thanked", "thanks", "warned", "warns", "informed", "informs", "notified", "accused", "accuses", "praised", "praises", "criticized", "criticizes", "mocked", "mocks", "blasted", "blasts", "slammed", "slams", "attacked", "attacks", "called", "calls", "described", "describes", "labeled", "labelled", "branded", "dubbed":
		return true
	}
	return false
}

// isAccording reports "according to" at k.
func (r *run) isAccording(k int) bool {
	if k+1 >= len(r.toks) || r.toks[k].Kind != text.Word {
		return false
	}
	s := r.tokText(k)
	return (s == "according" || s == "According") && r.tokText(k+1) == "to"
}
