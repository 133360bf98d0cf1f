package decode

import (
	"encoding/json"
	"strings"

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
	if a.Body, err = r.str(fBody); err != nil {
		return a, err
	}
	if a.BodyHTML, err = r.str(fBodyHTML); err != nil {
		return a, err
	}
	if r.has(fTitle) {
		a.Title = metaText(&a, FieldTitle, r.raw(fTitle))
	}
	if r.has(fURL) {
		a.URL = metaText(&a, FieldURL, r.raw(fURL))
	}
	if r.has(fLanguage) {
		a.Language = metaText(&a, FieldLanguage, r.raw(fLanguage))
	}
	if r.has(fSource) {
		a.Source = metaSource(&a, r.raw(fSource))
	}
	if r.has(fPublishedAt) {
		a.PublishedAt = metaText(&a, FieldPublishedAt, r.raw(fPublishedAt))
	}
	if r.has(fAuthors) {
		a.Authors = metaAuthors(&a, r.raw(fAuthors))
	}
	a.Passthrough = r.passthrough(articleFields)
	return a, nil
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
	if r.has(fLanguage) {
		a.Language = metaText(&a, FieldLanguage, r.raw(fLanguage))
	}
	for _, f := range [...]field{fVersionCreated, fVersionCreated3} {
		if a.PublishedAt == "" && r.has(f) {
			a.PublishedAt = metaText(&a, FieldPublishedAt, r.raw(f))
		}
	}

	// Headline: 1.x string, or 2.x headlines / 2.0-draft headline arrays.
	// A headline that cannot be read is a warning: the title is metadata.
	for _, f := range [...]field{fHeadline, fHeadlines} {
		if a.Title != "" || !r.has(f) {
			continue
		}
		v := r.raw(f)
		if v[0] != '[' {
			a.Title = metaText(&a, FieldTitle, v)
			continue
		}
		parts, err := ninjsParts(v, fieldNames[f])
		if err != nil {
			warn(&a, FieldTitle, string(v), err.Detail+"; ignored")
			continue
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
			a.Authors = metaAuthors(&a, r.raw(f))
		}
	}
	a.Passthrough = r.passthrough(ninjsFields)
	return a, nil
}
