package quotes

import "github.com/newsenrich/newsenrich/processor/text"

// attribute_case.go holds the capitalisation tests that tell names from common capitalised words.

func (r *run) isLowerOrSentStart(k int) bool {
	t := r.toks[k]
	return t.Flags&text.Upper == 0 || t.Flags&(text.SentStart|text.LineStart) != 0 || r.tokText(k) == "I" ||
		(k > 0 && r.toks[k-1].Kind == text.Quote)
}

// isCommonCap reports a capitalised sentence-initial word that is most
// likely not a name: "Facing", "Asked", "Clearly", or any lexicon verb,
// preposition or determiner.
func (r *run) isCommonCap(k int) bool {
	t := r.toks[k]
	if t.Flags&(text.SentStart|text.LineStart) == 0 || t.Flags&text.AllUpper != 0 {
		return false
	}
	if r.cls(k)&(cVerb|cSkip|cPrep|cDet|cCapStop|cMonth) != 0 && r.cls(k)&cTitle == 0 {
		return true
	}
	s := r.tokText(k)
	if r.x.gender[s] != 0 {
		return false // a first name: "Ted", "Alfred"
	}
	if len(r.ents) > 0 && r.link(int(t.Start), int(t.End), "") >= 0 {
		return false // the entity stage found a name here: "Boeing"
	}
	if r.hasMidCap(s) {
		return false // capitalised inside a sentence elsewhere: a name
	}
	n := len(s)
	if n > 4 && (s[n-3:] == "ing" || s[n-2:] == "ed" || s[n-2:] == "ly") {
		return true
	}
	// a word the article also writes in lower case is a common word, not
	// a name: "Along with …", "Search teams …"
	return r.cls(k)&(cPersonRole|cOtherRole) == 0 && r.hasLowerForm(s)
}

// hasMidCap reports whether the article capitalises word s inside a
// sentence somewhere ("by Boeing"): there it is a name, whatever its
// lower-case twin or its ending suggests. The set is built once per
// article, on first use.
func (r *run) hasMidCap(s string) bool {
	if !r.midReady {
		r.midReady = true
		clear(r.sc.mid)
		for k := range r.toks {
			if r.isUpperWord(k) && r.toks[k].Flags&(text.SentStart|text.LineStart|text.AllUpper) == 0 {
				if k > 0 && r.toks[k-1].Kind == text.Quote {
					continue
				}
				r.sc.mid[r.tokText(k)] = struct{}{}
			}
		}
	}
	_, ok := r.sc.mid[s]
	return ok
}

// hasLowerForm reports whether the article has word s in lower case
// somewhere. The set is built once per article, on first use.
func (r *run) hasLowerForm(s string) bool {
	if !r.lowerReady {
		r.lowerReady = true
		clear(r.sc.lower)
		for k := range r.toks {
			if r.isLower(k) {
				if w := r.tokText(k); len(w) > 2 {
					r.sc.lower[w] = struct{}{}
				}
			}
		}
	}
	if len(s) > 32 {
		return false
	}
	var buf [32]byte
	_, ok := r.sc.lower[string(lowerASCII(buf[:0], s))]
	return ok
}

func lowerASCII(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}
