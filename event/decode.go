package event

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrInvalidEvent is wrapped by every error DecodeEnriched and
// Enriched.Validate return for a well-formed JSON value that breaks the
// contract.
var ErrInvalidEvent = errors.New("invalid enriched event")

// DecodeEnriched parses the value of an articles.enriched record and checks
// what consumers rely on (see Validate). Unknown fields are ignored, so
// events from newer minor versions of the contract decode fine.
func DecodeEnriched(data []byte) (Enriched, error) {
	var e Enriched
	if err := json.Unmarshal(data, &e); err != nil {
		return Enriched{}, fmt.Errorf("event: decode enriched: %w", err)
	}
	if err := e.Validate(); err != nil {
		return Enriched{}, err
	}
	return e, nil
}

// Validate checks the guarantees of the contract that a consumer would
// otherwise have to re-check before slicing Body: required fields are set,
// and every offset lies within Body, on a UTF-8 character boundary, with
// start <= end; speaker entity indexes are -1 or valid. After Validate,
// e.Body[m.Start:m.End] cannot panic.
func (e *Enriched) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w %q: %s", ErrInvalidEvent, e.ID, fmt.Sprintf(format, args...))
	}
	if e.ID == "" {
		return fmt.Errorf("%w: id is empty", ErrInvalidEvent)
	}
	if e.Language == "" {
		return bad("language is empty")
	}
	span := func(what string, start, end int) error {
		switch {
		case start < 0 || end < start || end > len(e.Body):
			return bad("%s: span [%d,%d) is outside the %d-byte body", what, start, end, len(e.Body))
		case !boundary(e.Body, start) || !boundary(e.Body, end):
			return bad("%s: span [%d,%d) splits a UTF-8 character", what, start, end)
		}
		return nil
	}
	for i, ent := range e.Entities {
		if ent.Text == "" || ent.Type == "" {
			return bad("entities[%d]: text and type are required", i)
		}
		for j, m := range ent.Mentions {
			if err := span("entities["+strconv.Itoa(i)+"].mentions["+strconv.Itoa(j)+"]", m.Start, m.End); err != nil {
				return err
			}
		}
	}
	for i, q := range e.Quotes {
		what := "quotes[" + strconv.Itoa(i) + "]"
		if err := span(what, q.Start, q.End); err != nil {
			return err
		}
		if q.Speaker == nil {
			continue
		}
		if q.Speaker.Entity < -1 || q.Speaker.Entity >= len(e.Entities) {
			return bad("%s.speaker.entity %d is not -1 or an index into %d entities", what, q.Speaker.Entity, len(e.Entities))
		}
		if m := q.Speaker.Mention; m != nil {
			if err := span(what+".speaker.mention", m.Start, m.End); err != nil {
				return err
			}
		}
	}
	for i, t := range e.Topics {
		if !strings.HasPrefix(t.Code, "medtop:") {
			return bad("topics[%d]: code %q is not a medtop: code", i, t.Code)
		}
	}
	return nil
}

func boundary(s string, i int) bool {
	return i == len(s) || utf8.RuneStart(s[i])
}

// SchemaCompatible reports whether a consumer written for this package's
// SchemaVersion can read an event whose newsenrich-schema header is v:
// same major version (minor versions only add fields). An empty header is
// treated as compatible, for producers that predate the header.
func SchemaCompatible(v string) bool {
	if v == "" {
		return true
	}
	major, _, _ := strings.Cut(v, ".")
	want, _, _ := strings.Cut(SchemaVersion, ".")
	return major == want
}
