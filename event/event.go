// Package event holds the Go types of newsenrich's public contracts: the
// article read from the input topic, the enriched event written to the output
// topic, and the headers of dead-letter records. Downstream Go services import
// this package to decode what the worker publishes; the JSON Schema files in
// schema/ describe the same shapes for everyone else.
package event

import "encoding/json"

// SchemaVersion is written into the newsenrich-schema header of every
// enriched event. Additive changes bump the minor part; anything that can
// break a consumer bumps the major part (see schema/README.md).
const SchemaVersion = "1.2"

// Header names shared by the enriched and dead-letter topics.
const (
	HeaderContentType     = "content-type"
	HeaderSchema          = "newsenrich-schema"
	HeaderSourceTopic     = "newsenrich-source-topic"
	HeaderSourcePartition = "newsenrich-source-partition"
	HeaderSourceOffset    = "newsenrich-source-offset"
	HeaderTraceparent     = "traceparent"
	HeaderError           = "newsenrich-error"
	HeaderErrorDetail     = "newsenrich-error-detail"
	HeaderErrorTime       = "newsenrich-error-time"
	// HeaderRedriveCount is how many times `newsenrich redrive` has put the
	// record back on the input topic; dead letters carry it over, so a
	// record that keeps failing is not re-driven for ever.
	HeaderRedriveCount = "newsenrich-redrive-count"
	// HeaderEventID carries EventID on enriched and dead-letter records.
	HeaderEventID = "newsenrich-event-id"
)

// Dead-letter reason classes carried in HeaderError.
const (
	ReasonInvalidJSON         = "invalid_json"
	ReasonInvalidUTF8         = "invalid_utf8"
	ReasonMissingField        = "missing_field"
	ReasonInvalidField        = "invalid_field"
	ReasonTooLarge            = "too_large"
	ReasonUnsupportedLanguage = "unsupported_language"
	ReasonUnsupportedFormat   = "unsupported_format"
	ReasonEnrichmentFailed    = "enrichment_failed"
)

// Article is the normalised input, whatever shape it arrived in.
type Article struct {
	ID          string          `json:"id"`
	Title       string          `json:"title,omitempty"`
	Body        string          `json:"body"`
	BodyHTML    string          `json:"body_html,omitempty"`
	Language    string          `json:"language,omitempty"`
	Source      string          `json:"source,omitempty"`
	URL         string          `json:"url,omitempty"`
	PublishedAt string          `json:"published_at,omitempty"`
	Authors     []string        `json:"authors,omitempty"`
	Passthrough json.RawMessage `json:"passthrough,omitempty"`
	// PublishedAtRaw is the timestamp as sent, when PublishedAt is a
	// normalised form of it or it could not be read.
	PublishedAtRaw string `json:"published_at_raw,omitempty"`
	// Warnings lists metadata the decoder could not read as sent.
	Warnings []Warning `json:"warnings,omitempty"`
}

// Warning is a metadata value that was kept raw, dropped or read with an
// assumption instead of costing the article: the body is what is enriched,
// the metadata never dead-letters a record.
type Warning struct {
	Field string `json:"field"`
	// Value is the value as sent (JSON text when it was not a string),
	// shortened to at most 256 bytes.
	Value string `json:"value"`
	Why   string `json:"why"`
}

// Enriched is the value of a record on the enriched topic. All offsets
// (Mention.Start/End, Quote.Start/End) are UTF-8 byte offsets into Body.
type Enriched struct {
	ID string `json:"id"`
	// EventID names the input record this event was made from (see
	// EventID); a redelivered record gets the same one.
	EventID     string   `json:"event_id,omitempty"`
	Title       string   `json:"title,omitempty"`
	Source      string   `json:"source,omitempty"`
	URL         string   `json:"url,omitempty"`
	PublishedAt string   `json:"published_at,omitempty"`
	Language    string   `json:"language"`
	Authors     []string `json:"authors,omitempty"`
	// Body is the text the offsets point into: the input body, or the text
	// extracted from body_html when the article had no plain body.
	Body        string          `json:"body"`
	Entities    []Entity        `json:"entities"`
	Quotes      []Quote         `json:"quotes"`
	Topics      []Topic         `json:"topics"`
	Passthrough json.RawMessage `json:"passthrough,omitempty"`
	Enrichment  Enrichment      `json:"enrichment"`
	// PublishedAtRaw is published_at as sent, when it differed from the
	// normalised RFC 3339 UTC value or could not be read.
	PublishedAtRaw string `json:"published_at_raw,omitempty"`
	// Warnings lists metadata values that could not be read as sent.
	Warnings []Warning `json:"warnings,omitempty"`
}

// Entity types.
const (
	TypePerson = "PERSON"
	TypeOrg    = "ORG"
	TypeGPE    = "GPE"
	TypeLoc    = "LOC"
	TypeNORP   = "NORP"
	TypeFac    = "FAC"
	TypeEvent  = "EVENT"
	TypeMisc   = "MISC"
)

// Entity is one real-world thing named in the article, with every mention.
type Entity struct {
	// Text is the canonical name: the longest mention.
	Text     string    `json:"text"`
	Type     string    `json:"type"`
	Count    int       `json:"count"`
	Salience float64   `json:"salience"`
	Wikidata string    `json:"wikidata,omitempty"`
	Mentions []Mention `json:"mentions"`
}

// Mention is a span of Body, in UTF-8 bytes, end exclusive.
type Mention struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// Quote is a direct quotation. Start/End cover the quotation marks.
type Quote struct {
	Text    string   `json:"text"`
	Start   int      `json:"start"`
	End     int      `json:"end"`
	Speaker *Speaker `json:"speaker,omitempty"`
	Cue     string   `json:"cue,omitempty"`
}

// Speaker is who a quote is attributed to. Entity indexes Enriched.Entities
// (-1 when the speaker is not a named entity, e.g. "a spokesperson").
// Mention is the span that names the speaker near the quote (possibly a
// pronoun, which Name then resolves).
type Speaker struct {
	Name    string   `json:"name"`
	Entity  int      `json:"entity"`
	Mention *Mention `json:"mention,omitempty"`
}

// Topic is an IPTC Media Topic. Score is the strength of the evidence for
// it (0-1), by which topics are listed; Probability (since 1.2) is the
// calibrated probability that the topic applies to the article, the figure to
// threshold on, absent when the engine does not calibrate.
type Topic struct {
	Code        string  `json:"code"`
	Label       string  `json:"label"`
	Score       float64 `json:"score"`
	Probability float64 `json:"probability,omitempty"`
}

// Enrichment describes how the event was made.
type Enrichment struct {
	Version         string  `json:"version"`
	Model           string  `json:"model"`
	DurationSeconds float64 `json:"duration_seconds"`
	ProcessedAt     string  `json:"processed_at"`
	// Skipped says why the stages did not run (the article's language is
	// not one the engine enriches); entities, quotes and topics are then
	// empty. Empty when the article was enriched.
	Skipped string `json:"skipped,omitempty"`
}
