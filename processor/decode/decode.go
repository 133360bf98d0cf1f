// Package decode turns the raw value of an input record into an
// event.Article. It recognises five shapes by content — the newsenrich
// article JSON, IPTC ninjs (1.x field names, 2.x headlines/bodies), IPTC
// NewsML-G2 newsItem XML, an RSS 2.0 <item> and an Atom <entry> — turns
// HTML/XHTML bodies into text, normalises the text the enrichment stages
// read, and enforces the configured limits.
//
// The body is strict, the metadata liberal: only a record without a usable
// id and body fails, with an *Error whose Reason is one of the event.Reason*
// dead-letter classes and whose Detail is short enough for a Kafka header.
// Dates, sources, authors and languages are read in every form wires use and
// normalised (RFC 3339 UTC, BCP 47); a value that still cannot be read is
// listed in Article.Warnings. The language is left empty when the record
// does not name one, for the caller to detect.
package decode

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/newsenrich/newsenrich/event"
)

// MaxDepth is how deeply JSON values and XML elements may nest. Real
// articles nest a handful of levels; the cap turns hostile input into an
// invalid_json (or unsupported_format) dead letter instead of unbounded work.
const MaxDepth = 100

// MaxIDBytes bounds the article id: it becomes the Kafka key of the
// enriched event and appears in logs.
const MaxIDBytes = 1024

// MaxDetailBytes bounds Error.Detail, which travels in a Kafka header.
const MaxDetailBytes = 256

// Limits bound what the decoder accepts.
type Limits struct {
	// MaxBytes is the largest accepted record value; 0 = unlimited.
	MaxBytes int
}

// Validate reports configuration mistakes with messages meant for an
// operator reading start-up output.
func (l Limits) Validate() error {
	if l.MaxBytes < 0 {
		return fmt.Errorf("max bytes must be >= 0 (0 = unlimited), got %d", l.MaxBytes)
	}
	return nil
}

// Error is a record that cannot be decoded. Reason is an event.Reason*
// class; Detail says what was wrong in at most MaxDetailBytes.
type Error struct {
	Reason string
	Detail string
}

func (e *Error) Error() string { return e.Reason + ": " + e.Detail }

// fail builds an *Error, capping the detail at MaxDetailBytes on a rune
// boundary.
func fail(reason, format string, args ...any) *Error {
	d := fmt.Sprintf(format, args...)
	if len(d) > MaxDetailBytes {
		cut := MaxDetailBytes - len("…")
		for cut > 0 && !utf8.RuneStart(d[cut]) {
			cut--
		}
		d = d[:cut] + "…"
	}
	return &Error{Reason: reason, Detail: d}
}

// quoteShort quotes a user-supplied value for a detail message, shortened so
// one long value cannot push the useful part of the message out.
func quoteShort(s string) string {
	const limit = 40
	if len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return fmt.Sprintf("%q", s)
}

var bom = []byte("\xef\xbb\xbf")

// Decode parses raw into an Article. The returned error is always an *Error.
func Decode(raw []byte, lim Limits) (event.Article, error) {
	if lim.MaxBytes > 0 && len(raw) > lim.MaxBytes {
		return event.Article{}, fail(event.ReasonTooLarge, "value is %d bytes, limit is %d", len(raw), lim.MaxBytes)
	}
	if !utf8.Valid(raw) {
		return event.Article{}, fail(event.ReasonInvalidUTF8, "value is not valid UTF-8 (first bad byte at %d)", firstInvalidUTF8(raw))
	}
	b := bytes.TrimPrefix(raw, bom)
	i := skipWS(b, 0)
	if i == len(b) {
		return event.Article{}, fail(event.ReasonInvalidJSON, "value is empty")
	}
	var (
		a   event.Article
		err *Error
	)
	if b[i] == '<' {
		a, err = decodeXML(b)
	} else {
		a, err = decodeJSON(b, i)
	}
	if err != nil {
		return event.Article{}, err
	}
	if err := finish(&a, lim); err != nil {
		return event.Article{}, err
	}
	return a, nil
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// finish applies the rules common to every shape: required fields,
// normalisation and limits. The shape decoders have already filled a, with
// a.Body either plain text or empty and a.BodyHTML set when the body came
// as HTML.
func finish(a *event.Article, lim Limits) *Error {
	a.ID = strings.TrimSpace(a.ID)
	if a.ID == "" {
		return fail(event.ReasonMissingField, "id is required and must not be blank")
	}
	if len(a.ID) > MaxIDBytes {
		return fail(event.ReasonInvalidField, "id is %d bytes, limit is %d", len(a.ID), MaxIDBytes)
	}
	if strings.ContainsFunc(a.ID, func(r rune) bool { return r < 0x20 || isDropped(r) }) {
		return fail(event.ReasonInvalidField, "id %s contains control characters", quoteShort(a.ID))
	}

	if a.BodyHTML != "" && strings.TrimSpace(a.Body) == "" {
		a.Body = "" // a blank plain body defers to the HTML one
	}
	if a.Body == "" && a.BodyHTML == "" {
		return fail(event.ReasonMissingField, "body is required (body or body_html)")
	}
	if a.Body == "" {
		a.Body = HTMLToText(a.BodyHTML)
		if a.Body == "" {
			return fail(event.ReasonMissingField, "body_html contains no text")
		}
	} else {
		if a.BodyHTML == "" && looksLikeHTML(a.Body) {
			a.BodyHTML = a.Body
			a.Body = HTMLToText(a.Body)
		} else {
			a.Body = cleanText(a.Body)
		}
		if strings.TrimSpace(a.Body) == "" {
			return fail(event.ReasonMissingField, "body contains no text")
		}
	}

	finishMeta(a)
	return nil
}

// validLangTag is a shape check (letters, then '-' or '_' separated
// alphanumeric subtags), not a registry lookup: enough to keep garbage out
// of metrics labels and routing.
func validLangTag(s string) bool {
	if s == "" || len(s) > 35 {
		return false
	}
	sub, first := 0, true
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '-' || s[i] == '_' {
			if sub == 0 || sub > 8 || (first && sub < 2) {
				return false
			}
			sub, first = 0, false
			continue
		}
		c := s[i] | 0x20
		isLetter := c >= 'a' && c <= 'z'
		if first && !isLetter {
			return false
		}
		if !isLetter && !(s[i] >= '0' && s[i] <= '9') {
			return false
		}
		sub++
	}
	return true
}

// normLang writes '_' as '-' and lower-cases the primary subtag, leaving
// the rest as sent ("EN_gb" -> "en-gb", "en-GB" stays).
func normLang(s string) string {
	need := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || (c >= 'A' && c <= 'Z' && !strings.ContainsRune(s[:i], '-')) {
			need = true
			break
		}
	}
	if !need {
		return s
	}
	b := []byte(strings.ReplaceAll(s, "_", "-"))
	for i := 0; i < len(b) && b[i] != '-'; i++ {
		if b[i] >= 'A' && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return string(b)
}

// looksLikeHTML spots feeds that put markup in the plain body field: the
// text starts with a tag and closes one somewhere. Plain prose that merely
// mentions "<" does not start with a tag.
func looksLikeHTML(s string) bool {
	t := strings.TrimLeft(s, " \t\r\n")
	if len(t) < 3 || t[0] != '<' {
		return false
	}
	c := t[1] | 0x20
	if !(c >= 'a' && c <= 'z') && t[1] != '!' {
		return false
	}
	return strings.Contains(t, "</") || strings.Contains(t, "/>") || strings.Contains(t, "<br")
}

// isDropped reports runes removed from text: C0 controls except tab and
// newline, DEL, and C1 controls. Carriage returns are handled by the
// callers (CRLF and lone CR become LF).
func isDropped(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f)
}

// hasControl reports whether s holds any rune isDropped would drop, or CR.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
			return true
		}
		// C1 controls are U+0080..U+009F, encoded 0xC2 0x80..0x9F.
		if c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f {
			return true
		}
	}
	return false
}

// cleanText normalises a plain-text body: CRLF and lone CR become LF and
// control characters other than tab and newline are removed. The common
// case (nothing to change) costs one scan and no allocation.
func cleanText(s string) string {
	if !hasControl(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			b.WriteByte('\n')
		case isDropped(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cleanLine normalises a one-line field (title, source, author): controls
// and line breaks become spaces, runs of spaces collapse, ends are trimmed.
func cleanLine(s string) string {
	clean := true
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		sp := c == ' '
		if c < 0x20 || c == 0x7f || c == 0xc2 || (sp && prevSpace) {
			clean = false
			break
		}
		prevSpace = sp
	}
	if clean && !prevSpace {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == 0xa0 || isDropped(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func cleanAuthors(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := in[:0]
	for _, s := range in {
		if s = cleanLine(s); s != "" {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
