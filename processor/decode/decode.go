// Package decode turns raw input bytes into an event.Article: it recognises
// the newsenrich article JSON and IPTC ninjs shapes, turns HTML bodies into
// text, and enforces the configured limits. Every failure is an *Error whose
// Reason is a dead-letter class.
package decode

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/newsenrich/newsenrich/event"
)

// Limits bound what the decoder accepts.
type Limits struct {
	MaxBytes  int      // 0 = unlimited
	Languages []string // empty = any
}

// Error is a record that cannot be decoded.
type Error struct {
	Reason string
	Detail string
}

func (e *Error) Error() string { return e.Reason + ": " + e.Detail }

// Decode parses raw into an Article.
// (Minimal first version: the decode helper extends this with ninjs, HTML and NewsML.)
func Decode(raw []byte, lim Limits) (event.Article, error) {
	var a event.Article
	if lim.MaxBytes > 0 && len(raw) > lim.MaxBytes {
		return a, &Error{event.ReasonTooLarge, fmt.Sprintf("%d bytes > limit %d", len(raw), lim.MaxBytes)}
	}
	if !utf8.Valid(raw) {
		return a, &Error{event.ReasonInvalidUTF8, "value is not valid UTF-8"}
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return a, &Error{event.ReasonInvalidJSON, err.Error()}
	}
	if a.ID == "" {
		return a, &Error{event.ReasonMissingField, "id"}
	}
	if a.Body == "" {
		return a, &Error{event.ReasonMissingField, "body"}
	}
	return a, nil
}
