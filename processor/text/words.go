package text

import (
	"unicode"
	"unicode/utf8"
)

// CountWords counts the whitespace-separated words of s exactly as
// len(strings.Fields(s)) does (and so as the reference scorer counts words
// for words/s), without allocating. Every words figure (metrics, eval,
// bench) uses it so that they agree.
func CountWords(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); {
		c := s[i]
		var space bool
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
			i += size
		}
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// IsLongDash reports whether s is a dash that separates clauses: an em or en
// dash, a horizontal bar, or a typed double hyphen.
func IsLongDash(s string) bool {
	return s == "—" || s == "–" || s == "―" || s == "--"
}

// IsDash reports whether s is a long dash or a hyphen standing alone.
func IsDash(s string) bool { return s == "-" || IsLongDash(s) }
