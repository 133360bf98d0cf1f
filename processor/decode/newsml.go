package decode

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/newsenrich/newsenrich/event"
)

// NewsML-G2 support covers what wire agencies send for text: one newsItem
// (bare, or the only item of a newsMessage) with
//
//	newsItem@guid                          -> ID
//	newsItem@xml:lang, contentMeta/language@tag -> Language (the latter wins)
//	itemMeta/versionCreated (else firstCreated) -> PublishedAt
//	itemMeta/provider (@literal, name, @qcode) -> Source
//	contentMeta/headline (first)           -> Title
//	contentMeta/creator (name, @literal)   -> Authors (else contentMeta/by)
//	contentSet/inlineXML (XHTML)           -> BodyHTML, Body = its text
//	contentSet/inlineData (plain text)     -> Body, if there is no inlineXML
//	contentSet/inlineData (text/html)      -> BodyHTML, if there is neither
//
// Elements are matched by local name, so the default namespace and any
// prefix work. Malformed XML, other roots and non-UTF-8 encodings are
// unsupported_format.

type newsmlState struct {
	a         event.Article
	metaLang  string
	rootLang  string
	inItem    bool
	items     int
	provider  string
	first     string // firstCreated, used when there is no versionCreated
	by        string
	inlineXML string
	hasXML    bool
	inline    string
	hasData   bool
	dataHTML  string // inlineData whose contenttype is HTML
	hasHTML   bool
	isHTML    bool // the inlineData being read is HTML
}

var errNotUTF8 = errors.New("not UTF-8")

func decodeNewsML(b []byte) (event.Article, *Error) {
	d := newXMLDecoder(b)

	var (
		st   newsmlState
		path []string // local names from the root down
		text strings.Builder
		// txtDepth is the depth of the element whose text is being
		// collected (0 = none); inline markup inside it is flattened.
		txtDepth int
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if errors.Is(err, errNotUTF8) {
				return event.Article{}, fail(event.ReasonUnsupportedFormat, "XML %v; send UTF-8", err)
			}
			return event.Article{}, fail(event.ReasonUnsupportedFormat, "malformed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if len(path) == 0 && name != "newsItem" && name != "newsMessage" {
				return event.Article{}, fail(event.ReasonUnsupportedFormat, "XML root <%s> is not a NewsML-G2 newsItem", shortName(name))
			}
			if len(path) >= MaxDepth {
				return event.Article{}, fail(event.ReasonUnsupportedFormat, "XML nested deeper than %d levels", MaxDepth)
			}
			path = append(path, name)
			if name == "newsItem" {
				st.items++
				if st.items > 1 {
					return event.Article{}, fail(event.ReasonUnsupportedFormat, "newsMessage holds more than one newsItem; send one item per record")
				}
				st.inItem = true
				for _, at := range t.Attr {
					switch {
					case at.Name.Local == "guid":
						st.a.ID = at.Value
					case at.Name.Local == "lang" && (at.Name.Space == "xml" || at.Name.Space == "http://www.w3.org/XML/1998/namespace"):
						st.rootLang = at.Value
					}
				}
				continue
			}
			if !st.inItem {
				continue
			}
			rel := path[itemIndex(path):]
			switch {
			case is(rel, "newsItem", "contentSet", "inlineXML"):
				if st.hasXML {
					// Alternative renditions: the first non-empty one is
					// the article.
					if err := skipElement(d, len(path)); err != nil {
						return event.Article{}, err
					}
					path = path[:len(path)-1]
					continue
				}
				start := d.InputOffset()
				if err := skipElement(d, len(path)); err != nil {
					return event.Article{}, err
				}
				// The end tag starts after the last token before it;
				// find it from the end to stay exact with prefixes.
				end := d.InputOffset()
				inner := b[start:end]
				if k := bytes.LastIndex(inner, []byte("</")); k >= 0 {
					inner = inner[:k]
				} else {
					inner = nil // <inlineXML/>
				}
				if len(bytes.TrimSpace(inner)) > 0 {
					st.inlineXML, st.hasXML = string(inner), true
				}
				path = path[:len(path)-1]
			case is(rel, "newsItem", "contentSet", "inlineData"):
				if txtDepth == 0 {
					st.isHTML = isHTMLType(attr(t, "contenttype"))
					text.Reset()
					txtDepth = len(path)
				}
			case is(rel, "newsItem", "itemMeta", "versionCreated"),
				is(rel, "newsItem", "itemMeta", "firstCreated"),
				is(rel, "newsItem", "contentMeta", "headline"),
				is(rel, "newsItem", "contentMeta", "by"),
				is(rel, "newsItem", "itemMeta", "provider", "name"),
				is(rel, "newsItem", "contentMeta", "creator", "name"):
				if txtDepth == 0 {
					text.Reset()
					txtDepth = len(path)
				}
			case is(rel, "newsItem", "itemMeta", "provider"):
				if v := attr(t, "literal"); v != "" {
					st.provider = v
				} else if st.provider == "" {
					st.provider = attr(t, "qcode")
				}
			case is(rel, "newsItem", "contentMeta", "creator"):
				if v := attr(t, "literal"); v != "" {
					st.a.Authors = append(st.a.Authors, v)
				}
			case is(rel, "newsItem", "contentMeta", "language"):
				if st.metaLang == "" {
					st.metaLang = attr(t, "tag")
				}
			}
		case xml.CharData:
			if txtDepth > 0 {
				text.Write(t)
			}
		case xml.EndElement:
			if len(path) == 0 {
				continue
			}
			if st.inItem {
				rel := path[itemIndex(path):]
				v := strings.TrimSpace(text.String())
				switch {
				case txtDepth != len(path):
				case is(rel, "newsItem", "itemMeta", "versionCreated"):
					st.a.PublishedAt = v
				case is(rel, "newsItem", "itemMeta", "firstCreated"):
					st.first = v
				case is(rel, "newsItem", "contentMeta", "headline"):
					if st.a.Title == "" {
						st.a.Title = v
					}
				case is(rel, "newsItem", "contentMeta", "by"):
					st.by = v
				case is(rel, "newsItem", "itemMeta", "provider", "name"):
					st.provider = v
				case is(rel, "newsItem", "contentMeta", "creator", "name"):
					if v != "" {
						st.a.Authors = append(st.a.Authors, v)
					}
				case is(rel, "newsItem", "contentSet", "inlineData"):
					switch {
					case st.isHTML && !st.hasHTML:
						st.dataHTML, st.hasHTML = text.String(), true
					case !st.isHTML && !st.hasData:
						st.inline, st.hasData = text.String(), true
					}
				}
				if t.Name.Local == "newsItem" {
					st.inItem = false
				}
			}
			if txtDepth == len(path) {
				txtDepth = 0
			}
			path = path[:len(path)-1]
		}
	}
	if st.items == 0 {
		return event.Article{}, fail(event.ReasonUnsupportedFormat, "XML holds no NewsML-G2 newsItem")
	}
	a := st.a
	if a.ID == "" {
		return a, fail(event.ReasonMissingField, "newsItem guid is required")
	}
	a.Language = st.rootLang
	if st.metaLang != "" {
		a.Language = st.metaLang
	}
	a.Source = st.provider
	if a.PublishedAt == "" {
		a.PublishedAt = st.first
	}
	if len(a.Authors) == 0 && st.by != "" {
		by := st.by
		if len(by) > 3 && strings.EqualFold(by[:3], "by ") {
			by = by[3:]
		}
		a.Authors = []string{by}
	}
	switch {
	case st.hasXML:
		a.BodyHTML = strings.TrimSpace(st.inlineXML)
	case st.hasData && strings.TrimSpace(st.inline) != "":
		a.Body = st.inline
	case st.hasHTML:
		a.BodyHTML = strings.TrimSpace(st.dataHTML)
	default:
		return a, fail(event.ReasonMissingField, "newsItem has no inlineXML or inlineData body")
	}
	return a, nil
}

// skipElement consumes tokens up to the end of the element just opened at
// the given depth, checking well-formedness and the depth cap on the way.
func skipElement(d *xml.Decoder, depth int) *Error {
	n := 0
	for {
		tok, err := d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return fail(event.ReasonUnsupportedFormat, "malformed XML: %v", err)
		}
		switch tok.(type) {
		case xml.StartElement:
			n++
			if depth+n > MaxDepth {
				return fail(event.ReasonUnsupportedFormat, "XML nested deeper than %d levels", MaxDepth)
			}
		case xml.EndElement:
			if n == 0 {
				return nil
			}
			n--
		}
	}
}

// itemIndex finds the newsItem in path, so the same rules apply to a bare
// newsItem and to one inside newsMessage/itemSet.
func itemIndex(path []string) int {
	for i, p := range path {
		if p == "newsItem" {
			return i
		}
	}
	return 0
}

func is(path []string, want ...string) bool {
	if len(path) != len(want) {
		return false
	}
	for i := range want {
		if path[i] != want[i] {
			return false
		}
	}
	return true
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func isHTMLType(ct string) bool {
	return strings.Contains(strings.ToLower(ct), "html")
}

func shortName(s string) string {
	q := quoteShort(s)
	return q[1 : len(q)-1]
}
