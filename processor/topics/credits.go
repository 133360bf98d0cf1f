package topics

import "github.com/newsenrich/newsenrich/processor/text"

// credits.go keeps a feed item's credits out of its topics. Wire copy
// names its agency in the headline ("… (Reuters)") and opens the body with
// a dateline ("LONDON (Reuters) - ", "AP - "); the agency is a news outlet,
// evidence for media, and the city is no evidence at all, yet in a short
// item they are a good part of the words.

// withoutCredits returns the title without a credit at its end and the
// body without a dateline at its start, or a credit at its end when it is
// one sentence (a feed item's headline sent as its body), and notes where
// the body's credits are for onlyInCredits.
func (s *scratch) withoutCredits(title, body *text.Doc) (*text.Doc, *text.Doc) {
	if title != nil {
		title = trimDoc(&s.title, title, 0, titleEnd(title))
	}
	if body == nil {
		return title, nil
	}
	from, to := bodyStart(body), len(body.Tokens)
	if len(body.Sentences) == 1 {
		to = titleEnd(body)
	}
	if from >= to {
		return title, body
	}
	if from > 0 {
		s.creditBefore = int(body.Tokens[from].Start)
	}
	if to < len(body.Tokens) {
		s.creditAfter = int(body.Tokens[to].Start)
	}
	return title, trimDoc(&s.body, body, from, to)
}

// maxCredit bounds the tokens of a credit or a dateline.
const maxCredit = 8

// titleEnd returns the index of the first token of a credit in
// parentheses that ends the title ("(Reuters)", "(washingtonpost.com)"),
// or the number of tokens when there is none. The parentheses hold
// capitalised words or a web address.
func titleEnd(d *text.Doc) int {
	n := len(d.Tokens)
	if n < 4 || !punctIs(d, n-1, ")") {
		return n
	}
	for i := n - 2; i > 0 && i >= n-maxCredit; i-- {
		if !punctIs(d, i, "(") {
			continue
		}
		if i == n-2 || !creditWords(d, i+1, n-1) {
			return n
		}
		return i
	}
	return n
}

// bodyStart returns the index of the first token after a dateline or credit
// that opens the body, or 0 when there is none: at most maxCredit tokens
// of capitalised words, commas, periods and a credit in parentheses, then a
// dash ("LONDON (Reuters) - ", "ST. LOUIS (AP) -- "); without parentheses,
// only a news agency's name ("AP - ", "Reuters - "). A prefix in capitals
// alone may be a subject slug ("SOCCER - JAPAN GET LUCKY WIN"), which is
// evidence, and a dateline's city is none either way.
func bodyStart(d *text.Doc) int {
	paren, words := false, 0
	for i := 0; i < len(d.Tokens) && i <= maxCredit; i++ {
		tok := &d.Tokens[i]
		w := d.Text[tok.Start:tok.End]
		switch {
		case tok.Kind == text.Punct && (w == "-" || text.IsLongDash(w)):
			if words == 0 || !paren && !wireAgencies[d.Text[d.Tokens[0].Start:d.Tokens[i-1].End]] {
				return 0
			}
			return i + 1
		case tok.Kind == text.Word && tok.Flags&text.Upper != 0:
			words++
		case tok.Kind == text.Punct && (w == "(" || w == ")"):
			paren = true
		case tok.Kind == text.Punct && (w == "," || w == "."):
		default:
			return 0
		}
	}
	return 0
}

// wireAgencies are the news agencies whose name alone opens a wire item's
// body as its credit.
var wireAgencies = map[string]bool{
	"Reuters": true, "AP": true, "AFP": true, "UPI": true, "DPA": true, "Xinhua": true,
	"Bloomberg": true, "PA": true, "Kyodo": true, "Yonhap": true, "ANSA": true, "EFE": true,
	"Interfax": true, "TASS": true, "CP": true, "AAP": true, "Canadian Press": true,
	"Associated Press": true, "Agence France-Presse": true, "Press Association": true,
}

// creditWords reports whether tokens [from, to) are capitalised words, or
// a web address (words joined by periods).
func creditWords(d *text.Doc, from, to int) bool {
	web := false
	for i := from; i < to; i++ {
		if punctIs(d, i, ".") {
			web = true
		}
	}
	for i := from; i < to; i++ {
		tok := &d.Tokens[i]
		switch {
		case tok.Kind == text.Word && (web || tok.Flags&text.Upper != 0):
		case tok.Kind == text.Punct && d.Text[tok.Start:tok.End] == ".":
		default:
			return false
		}
	}
	return true
}

func punctIs(d *text.Doc, i int, p string) bool {
	tok := &d.Tokens[i]
	return tok.Kind == text.Punct && d.Text[tok.Start:tok.End] == p
}

// trimDoc returns src without the tokens outside [from, to), in dst's
// storage so that nothing is allocated; src itself when nothing is cut.
func trimDoc(dst, src *text.Doc, from, to int) *text.Doc {
	if src == nil || from == 0 && to == len(src.Tokens) {
		return src
	}
	dst.Text, dst.Tokens = src.Text, src.Tokens[from:to]
	dst.Sentences = dst.Sentences[:0]
	for _, sp := range src.Sentences {
		a, b := max(int(sp.Start), from), min(int(sp.End), to)
		if a < b {
			dst.Sentences = append(dst.Sentences, text.Span{Start: int32(a - from), End: int32(b - from)})
		}
	}
	return dst
}
