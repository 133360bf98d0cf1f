package decode

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/newsenrich/newsenrich/event"
)

// The JSON path makes one pass over the record: a small validating scanner
// walks the top-level object, remembers where each known field's value
// lies, and copies unknown fields verbatim into the passthrough. Only the
// strings the chosen shape needs are then unquoted. This avoids
// encoding/json's validate-then-decode double scan and its reflection, and
// the scanner is iterative, so nesting depth is capped without recursion.

// field identifies a top-level key either shape knows.
type field uint8

const (
	fID field = iota
	fTitle
	fBody
	fBodyHTML
	fLanguage
	fSource
	fURL
	fPublishedAt
	fAuthors
	// ninjs
	fURI
	fHeadline
	fHeadlines
	fBodyText
	fBodies
	fVersionCreated
	fVersionCreated3 // ninjs 3.x camelCase
	fByline
	fBy
	nFields
)

var fieldNames = [nFields]string{
	"id", "title", "body", "body_html", "language", "source", "url", "published_at", "authors",
	"uri", "headline", "headlines", "body_text", "bodies", "versioncreated", "versionCreated", "byline", "by",
}

// Which shape uses which field. Fields of the shape not chosen go to the
// passthrough, so nothing the sender wrote is silently lost.
var (
	articleFields = fieldSet(fID, fTitle, fBody, fBodyHTML, fLanguage, fSource, fURL, fPublishedAt, fAuthors)
	ninjsFields   = fieldSet(fURI, fHeadline, fHeadlines, fBody, fBodyText, fBodyHTML, fBodies, fLanguage,
		fVersionCreated, fVersionCreated3, fByline, fBy)
	// ninjsMarkers are fields only ninjs has; one of them (and no "id")
	// makes a record ninjs.
	ninjsMarkers = ninjsFields &^ articleFields
)

func fieldSet(fs ...field) uint32 {
	var s uint32
	for _, f := range fs {
		s |= 1 << f
	}
	return s
}

func lookupField(key []byte) (field, bool) {
	// The switch on string(key) compiles to a comparison without
	// allocating.
	switch string(key) {
	case "id":
		return fID, true
	case "title":
		return fTitle, true
	case "body":
		return fBody, true
	case "body_html":
		return fBodyHTML, true
	case "language":
		return fLanguage, true
	case "source":
		return fSource, true
	case "url":
		return fURL, true
	case "published_at":
		return fPublishedAt, true
	case "authors":
		return fAuthors, true
	case "uri":
		return fURI, true
	case "headline":
		return fHeadline, true
	case "headlines":
		return fHeadlines, true
	case "body_text":
		return fBodyText, true
	case "bodies":
		return fBodies, true
	case "versioncreated":
		return fVersionCreated, true
	case "versionCreated":
		return fVersionCreated3, true
	case "byline":
		return fByline, true
	case "by":
		return fBy, true
	}
	return 0, false
}

// span locates a key and its value in the record.
type span struct {
	keyStart, keyEnd, valStart, valEnd int
}

type jsonRecord struct {
	b       []byte
	seen    uint32
	at      [nFields]span
	unknown []span // keys no shape knows, in order
}

func syntaxErr(i int, msg string) *Error {
	return fail(event.ReasonInvalidJSON, "syntax error at byte %d: %s", i, msg)
}

// decodeJSON decodes a JSON record; i is the first non-space byte.
func decodeJSON(b []byte, i int) (event.Article, *Error) {
	if b[i] != '{' {
		end, err := skipValue(b, i, 0)
		if err != nil {
			return event.Article{}, err
		}
		if j := skipWS(b, end); j != len(b) {
			return event.Article{}, syntaxErr(j, "data after the top-level value")
		}
		return event.Article{}, fail(event.ReasonInvalidJSON, "top-level JSON value is %s, want an object", kindOf(b[i]))
	}
	rec := jsonRecord{b: b}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		i++
	} else {
		for {
			if i >= len(b) {
				return event.Article{}, syntaxErr(i, "unexpected end of input")
			}
			if b[i] != '"' {
				return event.Article{}, syntaxErr(i, "expected a string key")
			}
			ks := i
			ke, esc, err := scanString(b, i)
			if err != nil {
				return event.Article{}, err
			}
			i = skipWS(b, ke)
			if i >= len(b) || b[i] != ':' {
				return event.Article{}, syntaxErr(i, "expected ':' after object key")
			}
			i = skipWS(b, i+1)
			vs := i
			ve, err := skipValue(b, i, 1)
			if err != nil {
				return event.Article{}, err
			}
			key := b[ks+1 : ke-1]
			if esc {
				key = []byte(unquote(b[ks:ke], true))
			}
			sp := span{ks, ke, vs, ve}
			if f, ok := lookupField(key); ok {
				// Last occurrence wins, as in encoding/json.
				rec.at[f] = sp
				rec.seen |= 1 << f
			} else {
				rec.unknown = append(rec.unknown, sp)
			}
			i = skipWS(b, ve)
			if i >= len(b) {
				return event.Article{}, syntaxErr(i, "unexpected end of input in object")
			}
			if b[i] == '}' {
				i++
				break
			}
			if b[i] != ',' {
				return event.Article{}, syntaxErr(i, "expected ',' or '}' after object value")
			}
			i = skipWS(b, i+1)
		}
	}
	if j := skipWS(b, i); j != len(b) {
		return event.Article{}, syntaxErr(j, "data after the top-level object")
	}
	if rec.seen&(1<<fID) == 0 && rec.seen&ninjsMarkers != 0 {
		return rec.ninjs()
	}
	return rec.article()
}

func kindOf(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func (r *jsonRecord) has(f field) bool { return r.seen&(1<<f) != 0 }

func (r *jsonRecord) raw(f field) []byte {
	sp := r.at[f]
	return r.b[sp.valStart:sp.valEnd]
}

// str returns a string field; absent and null are "".
func (r *jsonRecord) str(f field) (string, *Error) {
	if !r.has(f) {
		return "", nil
	}
	v := r.raw(f)
	switch v[0] {
	case '"':
		return unquote(v, hasBackslash(v)), nil
	case 'n':
		return "", nil
	}
	return "", fail(event.ReasonInvalidField, "%s must be a string, got %s", fieldNames[f], kindOf(v[0]))
}

// passthrough builds a JSON object from the unknown fields and from the
// known fields the chosen shape does not use. Keys and values are copied
// as sent (already validated).
func (r *jsonRecord) passthrough(used uint32) json.RawMessage {
	extra := r.seen &^ used
	if len(r.unknown) == 0 && extra == 0 {
		return nil
	}
	spans := r.unknown
	for f := field(0); f < nFields; f++ {
		if extra&(1<<f) != 0 {
			spans = append(spans, r.at[f])
		}
	}
	n := 2
	for _, sp := range spans {
		n += sp.keyEnd - sp.keyStart + sp.valEnd - sp.valStart + 2
	}
	out := make([]byte, 0, n)
	out = append(out, '{')
	for k, sp := range spans {
		if k > 0 {
			out = append(out, ',')
		}
		out = append(out, r.b[sp.keyStart:sp.keyEnd]...)
		out = append(out, ':')
		out = append(out, r.b[sp.valStart:sp.valEnd]...)
	}
	out = append(out, '}')
	return out
}

func (r *jsonRecord) article() (event.Article, *Error) {
	var a event.Article
	if r.has(fID) {
		v := r.raw(fID)
		switch {
		case v[0] == '"':
			a.ID = unquote(v, hasBackslash(v))
		case v[0] == '-' || (v[0] >= '0' && v[0] <= '9'):
			// Numeric ids (common in CMS exports) are kept as their
			// literal text, so 12345 and "12345" are the same key.
			a.ID = string(v)
		case v[0] == 'n':
		default:
			return a, fail(event.ReasonInvalidField, "id must be a string or a number, got %s", kindOf(v[0]))
		}
	}
	var err *Error
	for _, f := range [...]struct {
		f   field
		dst *string
	}{
		{fTitle, &a.Title}, {fBody, &a.Body}, {fBodyHTML, &a.BodyHTML}, {fLanguage, &a.Language},
		{fSource, &a.Source}, {fURL, &a.URL}, {fPublishedAt, &a.PublishedAt},
	} {
		if *f.dst, err = r.str(f.f); err != nil {
			return a, err
		}
	}
	if r.has(fAuthors) {
		if a.Authors, err = stringList(r.raw(fAuthors), "authors"); err != nil {
			return a, err
		}
	}
	a.Passthrough = r.passthrough(articleFields)
	return a, nil
}

// stringList accepts an array of strings, a single string, or null.
func stringList(v []byte, name string) ([]string, *Error) {
	switch v[0] {
	case 'n':
		return nil, nil
	case '"':
		return []string{unquote(v, hasBackslash(v))}, nil
	case '[':
		var out []string
		if err := json.Unmarshal(v, &out); err != nil {
			return nil, fail(event.ReasonInvalidField, "%s must be an array of strings", name)
		}
		return out, nil
	}
	return nil, fail(event.ReasonInvalidField, "%s must be an array of strings, got %s", name, kindOf(v[0]))
}

// ninjsPart is one entry of ninjs 2.x headlines/bodies (role, contenttype,
// value) or of the 2.0 drafts' headline/body arrays (name, text/value).
// encoding/json matches keys case-insensitively, which also covers 3.x's
// contentType.
type ninjsPart struct {
	Role        string `json:"role"`
	Name        string `json:"name"`
	ContentType string `json:"contenttype"`
	Value       string `json:"value"`
	Text        string `json:"text"`
}

func (p ninjsPart) value() string {
	if p.Value != "" {
		return p.Value
	}
	return p.Text
}

func (p ninjsPart) isHTML() bool {
	ct := strings.ToLower(p.ContentType + " " + p.Role + " " + p.Name)
	return strings.Contains(ct, "html")
}

func ninjsParts(v []byte, name string) ([]ninjsPart, *Error) {
	if v[0] == 'n' {
		return nil, nil
	}
	var parts []ninjsPart
	if v[0] != '[' || json.Unmarshal(v, &parts) != nil {
		return nil, fail(event.ReasonInvalidField, "%s must be an array of {role, contenttype, value} objects", name)
	}
	return parts, nil
}

// mainPart picks the entry whose role is "main" (or, for bodies, the
// first plain-text one), else the first with a value.
func mainPart(parts []ninjsPart, wantPlain bool) (ninjsPart, bool) {
	for _, p := range parts {
		if p.value() != "" && (p.Role == "main" || p.Name == "main") && (!wantPlain || !p.isHTML()) {
			return p, true
		}
	}
	if wantPlain {
		for _, p := range parts {
			if p.value() != "" && !p.isHTML() {
				return p, true
			}
		}
	}
	for _, p := range parts {
		if p.value() != "" {
			return p, true
		}
	}
	return ninjsPart{}, false
}

func (r *jsonRecord) ninjs() (event.Article, *Error) {
	var a event.Article
	var err *Error
	if a.ID, err = r.str(fURI); err != nil {
		return a, err
	}
	if a.ID == "" {
		return a, fail(event.ReasonMissingField, "uri is required in a ninjs item")
	}
	if a.Language, err = r.str(fLanguage); err != nil {
		return a, err
	}
	if a.PublishedAt, err = r.str(fVersionCreated); err != nil {
		return a, err
	}
	if a.PublishedAt == "" {
		if a.PublishedAt, err = r.str(fVersionCreated3); err != nil {
			return a, err
		}
	}

	// Headline: 1.x string, or 2.x headlines / 2.0-draft headline arrays.
	if r.has(fHeadline) && r.raw(fHeadline)[0] == '[' {
		parts, err := ninjsParts(r.raw(fHeadline), "headline")
		if err != nil {
			return a, err
		}
		p, _ := mainPart(parts, false)
		a.Title = p.value()
	} else if a.Title, err = r.str(fHeadline); err != nil {
		return a, err
	}
	if a.Title == "" && r.has(fHeadlines) {
		parts, err := ninjsParts(r.raw(fHeadlines), "headlines")
		if err != nil {
			return a, err
		}
		p, _ := mainPart(parts, false)
		a.Title = p.value()
	}

	// Body: body_text / body_html (1.x), bodies (2.x), body array (2.0
	// drafts) or a plain body string.
	if a.Body, err = r.str(fBodyText); err != nil {
		return a, err
	}
	if a.BodyHTML, err = r.str(fBodyHTML); err != nil {
		return a, err
	}
	for _, f := range [...]field{fBodies, fBody} {
		if a.Body != "" || a.BodyHTML != "" || !r.has(f) {
			continue
		}
		v := r.raw(f)
		if v[0] != '[' && f == fBody {
			if a.Body, err = r.str(f); err != nil {
				return a, err
			}
			continue
		}
		parts, err := ninjsParts(v, fieldNames[f])
		if err != nil {
			return a, err
		}
		if p, ok := mainPart(parts, true); ok {
			if p.isHTML() {
				a.BodyHTML = p.value()
			} else {
				a.Body = p.value()
			}
		}
	}

	if a.Body == "" && a.BodyHTML == "" {
		return a, fail(event.ReasonMissingField, "ninjs item has no body (body_text, body_html or bodies)")
	}
	for _, f := range [...]field{fBy, fByline} {
		if a.Authors == nil && r.has(f) {
			if a.Authors, err = stringList(r.raw(f), fieldNames[f]); err != nil {
				return a, err
			}
		}
	}
	a.Passthrough = r.passthrough(ninjsFields)
	return a, nil
}

// ---- scanner ----

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
