// Package tagger is the named-entity sequence model shared by the runtime
// recognizer and the training command: token feature extraction from token
// text alone (so CoNLL training tokens and runtime tokens look the same),
// hashed features into a flat weight table, gazetteer matching and greedy
// BIO-constrained decoding. Nothing here allocates per token.
package tagger

import (
	"unicode"
	"unicode/utf8"
)

// Tags in BIO form over four CoNLL classes.
const (
	O = iota
	BPer
	IPer
	BOrg
	IOrg
	BLoc
	ILoc
	BMisc
	IMisc
	NTags
)

// TagNames are the CoNLL spellings of the tags, indexed by tag.
var TagNames = [NTags]string{"O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"}

// Class names, indexed by (tag-1)/2.
var ClassNames = [4]string{"PER", "ORG", "LOC", "MISC"}

// TagOf parses a CoNLL tag; unknown tags are O.
func TagOf(s string) int {
	for i, n := range TagNames {
		if n == s {
			return i
		}
	}
	return O
}

// IsB reports whether t begins a span; Class gives its class index (0..3).
func IsB(t int) bool  { return t != O && (t-1)%2 == 0 }
func Class(t int) int { return (t - 1) / 2 }

// validAfter reports whether tag t may follow prev under BIO.
func validAfter(prev, t int) bool {
	if t == O || IsB(t) {
		return true
	}
	return prev == t || prev == t-1
}

// Shape classes of a token.
const (
	ClsPunct = iota
	ClsLower
	ClsCap
	ClsAllCap
	ClsInitial
	ClsNumber
	ClsMixed
	ClsAlnum
)

// Sentence case modes.
const (
	ModeNormal = iota
	ModeAllCaps
	ModeLower
	ModeTitle
)

// Tok is one token's precomputed hashes and flags.
type Tok struct {
	Lower, Exact, Shape      uint64
	Suf2, Suf3, Suf4, Pre3   uint64
	Cls                      uint8
	SentStart                bool
	Mode                     uint8
	DocCap, DocLow, DocUpper uint8
	// Clu is the word's cluster path (Clusters), 0 if unknown; it sits
	// in the padding after the bytes above, so Tok stays 72 bytes.
	Clu uint16
	Gaz uint32
	// Hist counts the first-pass labels (per class) of the same word
	// elsewhere in the document; only a second-pass model reads it.
	Hist [4]uint8
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func mix(a, b uint64) uint64 {
	h := (a ^ 0x9E3779B97F4A7C15) * 0xff51afd7ed558ccd
	h ^= b + 0x632BE59BD9B4E019 + (h << 6) + (h >> 2)
	h *= 0xc4ceb9fe1a85ec53
	return h ^ (h >> 33)
}

func fnvString(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func fnv(b []byte) uint64 {
	h := uint64(fnvOffset)
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// HashLower returns the hash of s lower-cased, the key of gazetteer entries.
func HashLower(s string, scratch []byte) (uint64, []byte) {
	scratch = appendLower(scratch[:0], s)
	return fnv(scratch), scratch
}

func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		i += size
	}
	return dst
}

// Fill computes the text-only parts of t from the token text s. scratch is
// reused between calls and returned.
func Fill(t *Tok, s string, scratch []byte) []byte {
	scratch = appendLower(scratch[:0], s)
	lw := scratch
	t.Lower = fnv(lw)
	t.Exact = fnvString(s)
	n := len(lw)
	t.Suf2, t.Suf3, t.Suf4, t.Pre3 = 0, 0, 0, 0
	if n > 2 {
		t.Suf2 = fnv(lw[n-2:])
		t.Pre3 = fnv(lw[:min(3, n)])
	}
	if n > 3 {
		t.Suf3 = fnv(lw[n-3:])
	}
	if n > 4 {
		t.Suf4 = fnv(lw[n-4:])
	}
	// shape: X x d or the character, repeats collapsed, at most 6 symbols
	h := uint64(fnvOffset)
	var last rune = -1
	k := 0
	letters, uppers, digits, others := 0, 0, 0, 0
	firstUpper := false
	for i, r := range s {
		var c rune
		switch {
		case r >= 'a' && r <= 'z':
			c = 'x'
			letters++
		case r >= 'A' && r <= 'Z':
			c = 'X'
			letters++
			uppers++
			if i == 0 {
				firstUpper = true
			}
		case r >= '0' && r <= '9':
			c = 'd'
			digits++
		case r < utf8.RuneSelf:
			c = r
			others++
		case unicode.IsUpper(r):
			c = 'X'
			letters++
			uppers++
			if i == 0 {
				firstUpper = true
			}
		case unicode.IsLetter(r):
			c = 'x'
			letters++
		case unicode.IsDigit(r):
			c = 'd'
			digits++
		default:
			c = 'o'
			others++
		}
		if c != last && k < 6 {
			h ^= uint64(c)
			h *= fnvPrime
			k++
			last = c
		}
	}
	t.Shape = h
	switch {
	case letters == 0 && digits > 0:
		t.Cls = ClsNumber
	case letters == 0:
		t.Cls = ClsPunct
	case digits > 0:
		t.Cls = ClsAlnum
	case uppers == 0:
		t.Cls = ClsLower
	case uppers == 1 && letters == 1:
		t.Cls = ClsInitial
	case uppers == letters:
		t.Cls = ClsAllCap
	case firstUpper:
		t.Cls = ClsCap
	default:
		t.Cls = ClsMixed
	}
	t.Gaz = 0
	t.Clu = 0
	t.SentStart = false
	t.Mode = ModeNormal
	t.DocCap, t.DocLow, t.DocUpper = 0, 0, 0
	t.Hist = [4]uint8{}
	return scratch
}

// Cased reports whether a token class starts with a capital letter.
func Cased(c uint8) bool { return c == ClsCap || c == ClsAllCap || c == ClsInitial || c == ClsMixed }

// MarkSentence sets SentStart and the sentence case mode for toks, one
// sentence. A headline in capitals or a lower-cased corpus sentence changes
// what capitalisation means, so features are conjoined with the mode.
func MarkSentence(toks []Tok) {
	if len(toks) == 0 {
		return
	}
	words, allcap, lower, capd := 0, 0, 0, 0
	for i := range toks {
		switch toks[i].Cls {
		case ClsLower:
			words++
			lower++
		case ClsAllCap:
			words++
			allcap++
		case ClsCap, ClsMixed:
			words++
			capd++
		}
	}
	mode := uint8(ModeNormal)
	switch {
	case words >= 3 && allcap*10 >= words*8:
		mode = ModeAllCaps
	case words >= 3 && lower == words:
		mode = ModeLower
	case words >= 4 && capd*10 >= words*7:
		mode = ModeTitle
	}
	for i := range toks {
		toks[i].Mode = mode
	}
	toks[0].SentStart = true
}

// DocStats counts, per lower-cased word, how often the document writes it
// capitalised inside an ordinary sentence, in lower case, and in capitals.
// A word in a capitals headline borrows its evidence from the body.
type DocStats struct {
	m map[uint64][3]uint8
}

// Reset clears the statistics for a new document.
func (d *DocStats) Reset() {
	if d.m == nil {
		d.m = make(map[uint64][3]uint8, 256)
	}
	clear(d.m)
}

// Add counts one sentence.
func (d *DocStats) Add(toks []Tok) {
	for i := range toks {
		t := &toks[i]
		if t.Cls == ClsPunct || t.Cls == ClsNumber {
			continue
		}
		var k int
		switch {
		case t.Mode == ModeNormal && !t.SentStart && (t.Cls == ClsCap || t.Cls == ClsMixed):
			k = 0
		case t.Cls == ClsLower && t.Mode != ModeLower:
			k = 1
		case t.Mode == ModeNormal && t.Cls == ClsAllCap:
			k = 2
		default:
			continue
		}
		v := d.m[t.Lower]
		if v[k] < 255 {
			v[k]++
		}
		d.m[t.Lower] = v
	}
}

// Apply sets the Doc* fields of a sentence's tokens.
func (d *DocStats) Apply(toks []Tok) {
	for i := range toks {
		t := &toks[i]
		v, ok := d.m[t.Lower]
		if !ok {
			continue
		}
		t.DocCap, t.DocLow, t.DocUpper = min(v[0], 2), min(v[1], 2), min(v[2], 2)
	}
}

// Span is a sentence as a token range [Start, End).
type Span struct{ Start, End int }

// PrepareDoc sets the sentence, gazetteer and document features of a whole
// document's tokens, whose text parts Fill has already computed.
func PrepareDoc(toks []Tok, sents []Span, g *Gazetteer, ds *DocStats) {
	ds.Reset()
	for _, s := range sents {
		MarkSentence(toks[s.Start:s.End])
		if g != nil {
			g.Mark(toks[s.Start:s.End])
			if g.Clusters != nil {
				g.Clusters.Mark(toks[s.Start:s.End])
			}
		}
		ds.Add(toks[s.Start:s.End])
	}
	for _, s := range sents {
		ds.Apply(toks[s.Start:s.End])
	}
}

// SetHistory fills Tok.Hist of a document's tokens from first-pass tags;
// m is scratch space.
func SetHistory(toks []Tok, tags []int, m map[uint64][4]uint8) {
	clear(m)
	for i, t := range tags {
		if t == O || !nameClass(toks[i].Cls) {
			continue
		}
		v := m[toks[i].Lower]
		if c := Class(t); v[c] < 255 {
			v[c]++
		}
		m[toks[i].Lower] = v
	}
	for i := range toks {
		v, ok := m[toks[i].Lower]
		if !ok {
			toks[i].Hist = [4]uint8{}
			continue
		}
		if t := tags[i]; t != O && nameClass(toks[i].Cls) {
			v[Class(t)]-- // the token's own label is not evidence
		}
		toks[i].Hist = v
	}
}

func nameClass(c uint8) bool { return c == ClsCap || c == ClsAllCap || c == ClsMixed }
