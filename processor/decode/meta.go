package decode

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/newsenrich/newsenrich/event"
)

// Metadata is read liberally: the body is what is enriched, so a title,
// source, author, date or language that cannot be read costs a warning on
// the event, never the article. The readers here take the raw JSON value of
// one field; finish normalises the strings every shape filled in.

// Field names used in warnings (and as the warnings metric label): the
// article contract's names, whatever the input shape called the field.
const (
	FieldTitle       = "title"
	FieldSource      = "source"
	FieldURL         = "url"
	FieldPublishedAt = "published_at"
	FieldAuthors     = "authors"
	FieldLanguage    = "language"
)

// MaxWarningValueBytes bounds Warning.Value: the value as sent can be as
// large as the record.
const MaxWarningValueBytes = 256

func warn(a *event.Article, field, value, why string) {
	if len(value) > MaxWarningValueBytes {
		cut := MaxWarningValueBytes - len("…")
		for cut > 0 && !utf8.RuneStart(value[cut]) {
			cut--
		}
		value = value[:cut] + "…"
	}
	a.Warnings = append(a.Warnings, event.Warning{Field: field, Value: value, Why: why})
}

// metaText reads a text or timestamp field: a string, a number (its
// literal text: "title": 2019, or epoch seconds or milliseconds for a date,
// which finish parses), or null for none.
func metaText(a *event.Article, field string, v []byte) string {
	switch v[0] {
	case '"':
		return unquote(v, hasBackslash(v))
	case 'n':
		return ""
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(v)
	}
	warn(a, field, string(v), kindOf(v[0])+" is not text; ignored")
	return ""
}

// metaSource reads source as a name or as an object with name, id or url
// (the first present, in that order).
func metaSource(a *event.Article, v []byte) string {
	if v[0] != '{' {
		return metaText(a, FieldSource, v)
	}
	var o map[string]any
	if json.Unmarshal(v, &o) == nil {
		for _, k := range [...]string{"name", "id", "url", "uri", "title"} {
			if s := scalarText(o[k]); s != "" {
				return s
			}
		}
	}
	warn(a, FieldSource, string(v), "object has no name, id or url; ignored")
	return ""
}

// metaAuthors reads authors as one name, a list of names, objects with a
// name, or a mix. Entries that are none of these are left out with a
// warning.
func metaAuthors(a *event.Article, v []byte) []string {
	switch v[0] {
	case 'n':
		return nil
	case '"':
		return []string{unquote(v, hasBackslash(v))}
	}
	var x any
	if json.Unmarshal(v, &x) != nil {
		warn(a, FieldAuthors, string(v), "not a name or a list of names; ignored")
		return nil
	}
	list, ok := x.([]any)
	if !ok {
		list = []any{x}
	}
	var out []string
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s) // blank names are dropped by cleanAuthors
			continue
		}
		if name := authorName(e); name != "" {
			out = append(out, name)
			continue
		}
		if e == nil {
			continue
		}
		b, _ := json.Marshal(e)
		warn(a, FieldAuthors, string(b), "entry is neither a name nor an object with a name; left out")
	}
	return out
}

func authorName(e any) string {
	switch e := e.(type) {
	case string:
		return e
	case map[string]any:
		for _, k := range [...]string{"name", "displayName", "display_name", "fullname", "full_name", "literal"} {
			if s, ok := e[k].(string); ok && strings.TrimSpace(s) != "" {
				return s
			}
		}
		first, _ := e["firstname"].(string)
		last, _ := e["lastname"].(string)
		return strings.TrimSpace(first + " " + last)
	}
	return ""
}

// scalarText is a JSON string, or a number's literal text.
func scalarText(x any) string {
	switch x := x.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64:
		b, _ := json.Marshal(x)
		return string(b)
	}
	return ""
}

// finishMeta normalises the metadata strings the shape decoders filled in.
func finishMeta(a *event.Article) {
	a.Title = cleanLine(a.Title)
	a.Source = cleanLine(a.Source)
	a.URL = strings.TrimSpace(a.URL)
	a.Authors = cleanAuthors(a.Authors)

	if raw := strings.TrimSpace(a.PublishedAt); raw != "" {
		out, assumed, ok := normTime(raw)
		switch {
		case !ok:
			a.PublishedAt, a.PublishedAtRaw = "", raw
			warn(a, FieldPublishedAt, raw, "not a timestamp in any form the decoder reads; kept in published_at_raw")
		default:
			a.PublishedAt = out
			if out != raw {
				a.PublishedAtRaw = raw
			}
			if assumed != "" {
				warn(a, FieldPublishedAt, raw, assumed)
			}
		}
	} else {
		a.PublishedAt = ""
	}

	if raw := strings.TrimSpace(a.Language); raw != "" {
		tag, ok := normLanguage(raw)
		if !ok {
			warn(a, FieldLanguage, raw, "not a language code, BCP 47 tag or English language name; detected from the body")
		}
		a.Language = tag
	} else {
		a.Language = ""
	}
}
