// Package text is the single tokenizer every enrichment stage shares: one
// pass over the body yields tokens with UTF-8 byte offsets, shape flags, line
// and sentence boundaries. Stages never re-tokenize, so a Doc is built once
// per article and can be reused (Reset) to avoid per-article allocations.
package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind classifies a token.
type Kind uint8

const (
	Word   Kind = iota // letters, possibly with digits, inner hyphens/apostrophes, or an abbreviation's periods
	Number             // starts with a digit: 1,000 3.5 1996-08-30 5th
	Punct              // one punctuation character, or an ellipsis / dash run
	Quote              // a quotation mark: " “ ” « » „ and ' ‘ ’ when not inside a word
	Symbol             // anything else ($ % & @ # …)
)

// Flags describe a token's shape and position.
type Flags uint16

const (
	Upper       Flags = 1 << iota // first letter is upper case
	AllUpper                      // every letter is upper case (at least one letter)
	HasDigit                      // contains a digit
	HasHyphen                     // contains an inner hyphen
	HasPeriod                     // contains a period (abbreviation, initial: "U.S.", "J.")
	LineStart                     // first token of a line
	SentStart                     // first token of a sentence
	SpaceBefore                   // preceded by whitespace (or start of text)
	ParaStart                     // first token after a blank line (or of the text)
	OpenQuote                     // Quote that opens (by shape or position)
	CloseQuote                    // Quote that closes (by shape or position)
	NonASCII                      // contains a byte >= 0x80
)

// Token is a span of Doc.Text in bytes, End exclusive.
type Token struct {
	Start, End int32
	Kind       Kind
	Flags      Flags
}

// Span is a range of token indexes, End exclusive.
type Span struct{ Start, End int32 }

// Doc is a tokenized text.
type Doc struct {
	Text      string
	Tokens    []Token
	Sentences []Span
}

// New tokenizes text into a fresh Doc.
func New(text string) *Doc {
	d := &Doc{}
	d.Reset(text)
	return d
}

// TokenText returns the text of token i.
func (d *Doc) TokenText(i int) string {
	t := d.Tokens[i]
	return d.Text[t.Start:t.End]
}

// SentenceOf returns the index of the sentence that holds token i.
func (d *Doc) SentenceOf(i int) int {
	lo, hi := 0, len(d.Sentences)
	for lo < hi {
		m := (lo + hi) / 2
		if int(d.Sentences[m].End) <= i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// Has reports whether token i has all flags f.
func (d *Doc) Has(i int, f Flags) bool { return d.Tokens[i].Flags&f == f }

// Reset tokenizes text, reusing d's slices.
func (d *Doc) Reset(text string) {
	d.Text = text
	d.Tokens = d.Tokens[:0]
	d.Sentences = d.Sentences[:0]
	if cap(d.Tokens) < len(text)/4 {
		d.Tokens = make([]Token, 0, len(text)/4+8)
	}
	pending := LineStart | SpaceBefore | ParaStart
	newlines := 2
	i := 0
	n := len(text)
	for i < n {
		c := text[i]
		if c == ' ' || c == '\t' || c == '\r' {
			pending |= SpaceBefore
			i++
			continue
		}
		if c == '\n' {
			pending |= SpaceBefore | LineStart
			newlines++
			if newlines >= 2 {
				pending |= ParaStart
			}
			i++
			continue
		}
		r := rune(c)
		size := 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
			if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
				pending |= SpaceBefore
				if r == '\u2028' || r == '\u2029' || r == '\u0085' {
					pending |= LineStart
				}
				i += size
				continue
			}
		}
		newlines = 0
		start := i
		var tok Token
		switch {
		case isLetter(c, r):
			i, tok = d.word(start)
		case c >= '0' && c <= '9':
			i, tok = d.number(start)
		case isQuoteRune(r):
			i = start + size
			tok = Token{Kind: Quote}
			if (r == '\'' || r == '’') && d.prevAdjacentWord(start) {
				if end := cliticEnd(text, i); end > i {
					// the clitic of "Trump’s", "we'll": one word token
					i = end
					tok.Kind = Word
					if r == '’' {
						tok.Flags |= NonASCII
					}
				} else if isWordByte(text, i) {
					tok.Kind = Punct
				}
			}
		case r == '.' && i+2 < n && text[i+1] == '.' && text[i+2] == '.':
			i = start + 3
			tok = Token{Kind: Punct}
		case r == '-' && i+1 < n && text[i+1] == '-':
			j := i
			for j < n && text[j] == '-' {
				j++
			}
			i = j
			tok = Token{Kind: Punct}
		case unicode.IsPunct(r):
			i = start + size
			tok = Token{Kind: Punct}
		default:
			i = start + size
			tok = Token{Kind: Symbol}
		}
		tok.Start, tok.End = int32(start), int32(i)
		tok.Flags |= pending
		pending = 0
		d.Tokens = append(d.Tokens, tok)
	}
	d.markQuotes()
	d.splitSentences()
}

func isLetter(c byte, r rune) bool {
	if c < utf8.RuneSelf {
		return (c|0x20) >= 'a' && (c|0x20) <= 'z'
	}
	return unicode.IsLetter(r)
}

func isQuoteRune(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»', '\'', '‘', '’', '‹', '›':
		return true
	}
	return false
}

func (d *Doc) prevAdjacentWord(start int) bool {
	if len(d.Tokens) == 0 {
		return false
	}
	k := d.Tokens[len(d.Tokens)-1]
	return (k.Kind == Word || k.Kind == Number) && int(k.End) == start
}

// cliticEnd returns the end of an English clitic (s, ll, re, ve, d, m, t of
// n't is handled by word) starting at i, or i if there is none.
func cliticEnd(s string, i int) int {
	for _, c := range [...]string{"s", "S", "ll", "re", "ve", "d", "m", "LL", "RE", "VE", "D", "M"} {
		if len(s)-i >= len(c) && s[i:i+len(c)] == c && !isWordByte(s, i+len(c)) {
			return i + len(c)
		}
	}
	return i
}

func isWordByte(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	c := s[i]
	if c < utf8.RuneSelf {
		return (c|0x20) >= 'a' && (c|0x20) <= 'z' || c >= '0' && c <= '9'
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// runeAt decodes the rune at i (ASCII fast path).
func runeAt(s string, i int) (rune, int) {
	if s[i] < utf8.RuneSelf {
		return rune(s[i]), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

func isAlnum(r rune) bool {
	if r < utf8.RuneSelf {
		c := byte(r)
		return (c|0x20) >= 'a' && (c|0x20) <= 'z' || c >= '0' && c <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// word scans a word from start. Inner hyphens and apostrophes join words
// ("Secretary-General", "O'Brien"), but the English clitics 's and n't are
// split off as their own tokens, as in the training corpora.
func (d *Doc) word(start int) (int, Token) {
	s := d.Text
	n := len(s)
	i := start
	var flags Flags
	letters, uppers := 0, 0
	first := true
	for i < n {
		r, size := runeAt(s, i)
		if isAlnum(r) {
			if r >= utf8.RuneSelf {
				flags |= NonASCII
			}
			if r >= '0' && r <= '9' {
				flags |= HasDigit
			} else if unicode.IsLetter(r) {
				letters++
				if unicode.IsUpper(r) {
					uppers++
					if first {
						flags |= Upper
					}
				}
				first = false
			}
			i += size
			continue
		}
		if (r == '-' || r == '\'' || r == '’' || r == '&') && i+size < n {
			nr, _ := runeAt(s, i+size)
			if !isAlnum(nr) {
				break
			}
			if r == '\'' || r == '’' {
				// clitic 's / n't: stop before it
				rest := s[i+size:]
				if (len(rest) >= 1 && (rest[0] == 's' || rest[0] == 'S') && (len(rest) == 1 || !isWordByte(rest, 1))) ||
					(len(rest) >= 2 && (rest[:2] == "ll" || rest[:2] == "re" || rest[:2] == "ve") && (len(rest) == 2 || !isWordByte(rest, 2))) ||
					(len(rest) >= 1 && (rest[0] == 'd' || rest[0] == 'm') && (len(rest) == 1 || !isWordByte(rest, 1))) {
					return d.clitic(start, i, flags, letters, uppers)
				}
				if r == '’' {
					flags |= NonASCII
				}
			} else if r == '-' {
				flags |= HasHyphen
			}
			i += size
			continue
		}
		break
	}
	// n't: "don't" scanned as "don't"; split "do" + "n't"
	if i-start > 3 && (s[i-3:i] == "n't" || s[i-3:i] == "N'T") {
		return d.clitic(start, i-3, flags, letters, uppers)
	}
	if i-start > 5 && s[i-5:i] == "n’t" {
		return d.clitic(start, i-5, flags, letters, uppers)
	}
	// Abbreviations and initials keep their period: "U.S.", "J.", "Mr.", "Inc.".
	if i < n && s[i] == '.' {
		w := s[start:i]
		if letters <= 1 || isAbbrev(w) {
			j := i + 1
			// U.S.A. style: letter '.' letter '.'
			for j+1 < n && isLetterASCII(s[j]) && s[j+1] == '.' && (j+2 >= n || !isLetterASCII(s[j+2])) {
				if s[j] >= 'A' && s[j] <= 'Z' {
					uppers++
				}
				letters++
				j += 2
			}
			flags |= HasPeriod
			i = j
		}
	}
	if letters > 0 && uppers == letters {
		flags |= AllUpper
	}
	return i, Token{Kind: Word, Flags: flags}
}

func (d *Doc) clitic(start, cut int, flags Flags, letters, uppers int) (int, Token) {
	// recount for the stem only would cost a second pass; approximate: the
	// stem keeps the flags measured so far, which is what the features need.
	if letters > 0 && uppers == letters {
		flags |= AllUpper
	}
	return cut, Token{Kind: Word, Flags: flags}
}

func isLetterASCII(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

func (d *Doc) number(start int) (int, Token) {
	s := d.Text
	n := len(s)
	i := start
	for i < n {
		c := s[i]
		if c >= '0' && c <= '9' || isLetterASCII(c) {
			i++
			continue
		}
		if (c == ',' || c == '.' || c == ':' || c == '-' || c == '/') && i+1 < n && s[i+1] >= '0' && s[i+1] <= '9' {
			i += 2
			continue
		}
		break
	}
	return i, Token{Kind: Number, Flags: HasDigit}
}

var abbrevs = map[string]bool{
	"Mr": true, "Mrs": true, "Ms": true, "Dr": true, "Prof": true, "Sr": true, "Jr": true, "St": true,
	"Gen": true, "Gov": true, "Sen": true, "Rep": true, "Rev": true, "Lt": true, "Col": true, "Capt": true,
	"Sgt": true, "Cpl": true, "Maj": true, "Adm": true, "Cmdr": true, "Pres": true, "Supt": true, "Insp": true,
	"Inc": true, "Corp": true, "Ltd": true, "Co": true, "Bros": true, "Plc": true, "Cos": true, "Assn": true,
	"Jan": true, "Feb": true, "Mar": true, "Apr": true, "Jun": true, "Jul": true, "Aug": true, "Sep": true,
	"Sept": true, "Oct": true, "Nov": true, "Dec": true, "Mt": true, "Ft": true, "Ave": true, "Blvd": true,
	"No": true, "Nos": true, "vs": true, "etc": true, "approx": true, "Vol": true, "Fig": true, "Gens": true,
	"Messrs": true, "Hon": true, "Calif": true, "Fla": true, "Ill": true, "Mass": true, "Pa": true, "Va": true,
	"Wash": true, "Ariz": true, "Colo": true, "Conn": true, "Del": true, "Ga": true, "Ky": true, "La": true,
	"Md": true, "Mich": true, "Minn": true, "Miss": true, "Mo": true, "Nev": true, "Okla": true, "Ore": true,
	"Tenn": true, "Tex": true, "Wis": true, "Ala": true, "Ark": true, "Kan": true, "Neb": true,
}

func isAbbrev(w string) bool { return abbrevs[w] }

// markQuotes decides whether each quotation mark opens or closes. Spacing
// decides when it is one-sided, because writers mistype curly marks
// (`percent.“ Next` closes, `”Mr. Trump` opens); an opening bracket or dash
// before a mark counts as space, and so does closing punctuation after it
// (but not an ellipsis: `"...` opens). Otherwise curly marks say so by
// shape, and a straight mark with nothing to go by may do either.
func (d *Doc) markQuotes() {
	s := d.Text
	for k := range d.Tokens {
		t := &d.Tokens[k]
		if t.Kind != Quote {
			continue
		}
		spaceBefore := t.Flags&(SpaceBefore|LineStart) != 0
		if !spaceBefore && k > 0 {
			p := d.Tokens[k-1]
			if p.Kind == Punct && p.End == t.Start {
				switch ps := s[p.Start:p.End]; ps {
				case "(", "[", "{", "—", "–":
					spaceBefore = true
				}
			}
		}
		spaceAfter := k+1 == len(d.Tokens) || d.Tokens[k+1].Flags&(SpaceBefore|LineStart) != 0
		if !spaceAfter {
			n := d.Tokens[k+1]
			if n.Kind == Punct && strings.IndexByte(",.;:!?)]}", s[n.Start]) >= 0 && s[n.Start:n.End] != "..." {
				spaceAfter = true
			}
		}
		switch {
		case spaceBefore && !spaceAfter:
			t.Flags |= OpenQuote
			continue
		case spaceAfter && !spaceBefore:
			t.Flags |= CloseQuote
			continue
		}
		switch r, _ := runeAt(s, int(t.Start)); r {
		case '“', '‘', '„', '«', '‹':
			t.Flags |= OpenQuote
		case '”', '’', '»', '›':
			t.Flags |= CloseQuote
		default:
			t.Flags |= OpenQuote | CloseQuote
		}
	}
}

// splitSentences ends a sentence at . ! ? (plus any closing quotes or
// brackets) followed by a token that can start a sentence, and at every line
// break. Abbreviations keep their period inside the word token, so a period
// token is always a candidate boundary.
func (d *Doc) splitSentences() {
	toks := d.Tokens
	s := d.Text
	start := 0
	for k := 0; k < len(toks); k++ {
		if k > start && toks[k].Flags&LineStart != 0 {
			d.Sentences = append(d.Sentences, Span{int32(start), int32(k)})
			start = k
		}
		t := toks[k]
		if t.Kind != Punct {
			continue
		}
		c := s[t.Start]
		if !(c == '.' || c == '!' || c == '?' || (t.End-t.Start == 3 && c == '.')) {
			if !(c == 0xe2 && s[t.Start:t.End] == "…") {
				continue
			}
		}
		j := k + 1
		for j < len(toks) && (toks[j].Kind == Quote && toks[j].Flags&CloseQuote != 0 || (toks[j].Kind == Punct && (s[toks[j].Start] == ')' || s[toks[j].Start] == ']'))) && toks[j].Flags&SpaceBefore == 0 {
			j++
		}
		if j >= len(toks) {
			break
		}
		nx := toks[j]
		if nx.Flags&SpaceBefore == 0 {
			continue
		}
		if nx.Flags&(Upper|LineStart) != 0 || nx.Kind == Number || nx.Kind == Quote || (nx.Kind == Punct && s[nx.Start] == '(') {
			d.Sentences = append(d.Sentences, Span{int32(start), int32(j)})
			start = j
			k = j - 1
		}
	}
	if start < len(toks) {
		d.Sentences = append(d.Sentences, Span{int32(start), int32(len(toks))})
	}
	for _, sp := range d.Sentences {
		d.Tokens[sp.Start].Flags |= SentStart
	}
}
