// Package key builds the knowledge base's name keys: a name's tokens (the
// shared tokenizer's), lower-cased and joined by single spaces.
package key

import (
	"unicode"
	"unicode/utf8"

	"github.com/newsenrich/newsenrich/processor/text"
)

// Append appends the key of a name: its tokens (the shared tokenizer's)
// lower-cased and joined by single spaces, so that names from data files
// and spans of article text meet.
func Append(dst []byte, name string) []byte {
	d := text.New(name)
	for i := range d.Tokens {
		dst = AppendToken(dst, d.TokenText(i))
	}
	return dst
}

// AppendToken appends one token to a key being built.
func AppendToken(dst []byte, tok string) []byte {
	if len(dst) > 0 {
		dst = append(dst, ' ')
	}
	for i := 0; i < len(tok); {
		c := tok[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(tok[i:])
		dst = utf8.AppendRune(dst, toLower(r))
		i += n
	}
	return dst
}

func toLower(r rune) rune {
	switch r {
	case '’':
		return '\''
	case '–', '—':
		return '-'
	}
	return unicode.ToLower(r)
}
