package decode

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/newsenrich/newsenrich/event"
)

// The validating JSON scanner behind decodeJSON: iterative, so nesting
// depth is capped without recursion, and it only reports where values lie;
// unquote decodes the strings a shape needs.

func skipWS(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

func hasBackslash(v []byte) bool { return bytes.IndexByte(v, '\\') >= 0 }

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

// strSpecial marks the bytes scanString must look at: the quote, the
// backslash and the control characters.
var strSpecial = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// scanString validates the string starting at b[i] == '"' and returns the
// index after its closing quote and whether it holds escapes. The input is
// already known to be valid UTF-8.
func scanString(b []byte, i int) (int, bool, *Error) {
	start := i
	i++
	esc := false
	for i < len(b) {
		c := b[i]
		if !strSpecial[c] {
			i++
			continue
		}
		switch {
		case c == '"':
			return i + 1, esc, nil
		case c == '\\':
			esc = true
			if i+1 >= len(b) {
				return 0, false, syntaxErr(start, "unterminated string")
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) || !isHex(b[i+5]) {
					return 0, false, syntaxErr(i, `invalid \u escape in string`)
				}
				i += 6
			default:
				return 0, false, syntaxErr(i, "invalid escape in string")
			}
		case c < 0x20:
			return 0, false, syntaxErr(i, "control character in string (must be escaped)")
		default:
			i++
		}
	}
	return 0, false, syntaxErr(start, "unterminated string")
}

// skipNumber validates a JSON number starting at b[i].
func skipNumber(b []byte, i int) (int, *Error) {
	start := i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return 0, syntaxErr(start, "invalid value")
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return 0, syntaxErr(i, "invalid number")
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return 0, syntaxErr(i, "invalid number")
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	return i, nil
}

// skipValue validates the JSON value starting at b[i] (no leading space)
// and returns the index after it. depth is the nesting level of the
// container holding it. It keeps its own stack, so hostile nesting costs
// MaxDepth bytes, not goroutine stack.
func skipValue(b []byte, i, depth int) (int, *Error) {
	var stack [MaxDepth]byte
	n := 0
	for {
		// A value starts at b[i].
		if i >= len(b) {
			return 0, syntaxErr(i, "unexpected end of input")
		}
		var err *Error
		switch c := b[i]; c {
		case '{', '[':
			if depth+n >= MaxDepth {
				return 0, fail(event.ReasonInvalidJSON, "JSON nested deeper than %d levels at byte %d", MaxDepth, i)
			}
			closer := byte('}')
			if c == '[' {
				closer = ']'
			}
			i = skipWS(b, i+1)
			if i < len(b) && b[i] == closer {
				i++
				break
			}
			stack[n] = c
			n++
			if c == '{' {
				if i, err = skipKey(b, i); err != nil {
					return 0, err
				}
			}
			continue
		case '"':
			if i, _, err = scanString(b, i); err != nil {
				return 0, err
			}
		case 't':
			if i, err = skipLiteral(b, i, "true"); err != nil {
				return 0, err
			}
		case 'f':
			if i, err = skipLiteral(b, i, "false"); err != nil {
				return 0, err
			}
		case 'n':
			if i, err = skipLiteral(b, i, "null"); err != nil {
				return 0, err
			}
		default:
			if c != '-' && (c < '0' || c > '9') {
				return 0, syntaxErr(i, "invalid character "+quoteByte(c)+" looking for a value")
			}
			if i, err = skipNumber(b, i); err != nil {
				return 0, err
			}
		}
		// After a complete value: close containers or move to the next
		// element.
		for {
			if n == 0 {
				return i, nil
			}
			i = skipWS(b, i)
			if i >= len(b) {
				return 0, syntaxErr(i, "unexpected end of input")
			}
			top := b[i]
			if top == ',' {
				i = skipWS(b, i+1)
				if stack[n-1] == '{' {
					if i, err = skipKey(b, i); err != nil {
						return 0, err
					}
				}
				break
			}
			if (stack[n-1] == '{' && top == '}') || (stack[n-1] == '[' && top == ']') {
				n--
				i++
				continue
			}
			return 0, syntaxErr(i, "expected ',' or a closing bracket")
		}
	}
}

// skipKey validates `"key" :` at b[i] and returns the index of the value.
func skipKey(b []byte, i int) (int, *Error) {
	if i >= len(b) || b[i] != '"' {
		return 0, syntaxErr(i, "expected a string key")
	}
	i, _, err := scanString(b, i)
	if err != nil {
		return 0, err
	}
	i = skipWS(b, i)
	if i >= len(b) || b[i] != ':' {
		return 0, syntaxErr(i, "expected ':' after object key")
	}
	return skipWS(b, i+1), nil
}

func skipLiteral(b []byte, i int, lit string) (int, *Error) {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return 0, syntaxErr(i, "invalid literal")
	}
	return i + len(lit), nil
}

func quoteByte(c byte) string {
	if c < 0x20 || c >= 0x7f {
		return "0x" + string("0123456789abcdef"[c>>4]) + string("0123456789abcdef"[c&15])
	}
	return "'" + string(rune(c)) + "'"
}

// unquote returns the contents of the validated JSON string v (quotes
// included). Escapes are decoded as encoding/json does, including the
// U+FFFD replacement for unpaired surrogates.
func unquote(v []byte, esc bool) string {
	s := v[1 : len(v)-1]
	if !esc {
		return string(s)
	}
	// strings.Builder hands its buffer to the string without a copy.
	var out strings.Builder
	out.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			// Copy the run up to the next escape in one go.
			j := bytes.IndexByte(s[i:], '\\')
			if j < 0 {
				j = len(s) - i
			}
			out.Write(s[i : i+j])
			i += j
			continue
		}
		switch s[i+1] {
		case '"', '\\', '/':
			out.WriteByte(s[i+1])
		case 'b':
			out.WriteByte('\b')
		case 'f':
			out.WriteByte('\f')
		case 'n':
			out.WriteByte('\n')
		case 'r':
			out.WriteByte('\r')
		case 't':
			out.WriteByte('\t')
		case 'u':
			r := getu4(s[i:])
			i += 6
			if utf16.IsSurrogate(r) {
				if r1 := getu4(s[i:]); r1 >= 0 {
					if dec := utf16.DecodeRune(r, r1); dec != unicode.ReplacementChar {
						i += 6
						out.WriteRune(dec)
						continue
					}
				}
				r = unicode.ReplacementChar
			}
			out.WriteRune(r)
			continue
		}
		i += 2
	}
	return out.String()
}

// getu4 decodes \uXXXX at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}
