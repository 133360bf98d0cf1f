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

// newsmlParser is the walk over one NewsML-G2 document.
type newsmlParser struct {
	b    []byte
	d    *xml.Decoder
	st   newsmlState
	path []string // local names from the root down
	text strings.Builder
	// txtDepth is the depth of the element whose text is being
	// collected (0 = none); inline markup inside it is flattened.
	txtDepth int
}

func decodeNewsML(b []byte) (event.Article, *Error) {
	p := &newsmlParser{b: b, d: newXMLDecoder(b)}
	for {
		tok, err := p.d.Token()
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
			if err := p.start(t); err != nil {
				return event.Article{}, err
			}
		case xml.CharData:
			if p.txtDepth > 0 {
				p.text.Write(t)
			}
		case xml.EndElement:
			p.end(t)
		}
	}
	return p.st.article()
}

// start handles an opening tag: the root and depth checks, then the
// newsItem or one of its elements.
func (p *newsmlParser) start(t xml.StartElement) *Error {
	name := t.Name.Local
	if len(p.path) == 0 && name != "newsItem" && name != "newsMessage" {
		return fail(event.ReasonUnsupportedFormat, "XML root <%s> is not a NewsML-G2 newsItem", shortName(name))
	}
	if len(p.path) >= MaxDepth {
		return fail(event.ReasonUnsupportedFormat, "XML nested deeper than %d levels", MaxDepth)
	}
	p.path = append(p.path, name)
	if name == "newsItem" {
		return p.startItem(t)
	}
	if !p.st.inItem {
		return nil
	}
	return p.startInItem(t, p.path[itemIndex(p.path):])
}

// startItem opens the one newsItem and reads its guid and xml:lang.
func (p *newsmlParser) startItem(t xml.StartElement) *Error {
	st := &p.st
	st.items++
	if st.items > 1 {
		return fail(event.ReasonUnsupportedFormat, "newsMessage holds more than one newsItem; send one item per record")
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
	return nil
}

// startInItem handles an element inside the newsItem, at path rel from it:
// it reads inlineXML whole, starts collecting the text of the text-valued
// elements and reads the attributes that carry metadata.
func (p *newsmlParser) startInItem(t xml.StartElement, rel []string) *Error {
	st := &p.st
	switch {
	case is(rel, "newsItem", "contentSet", "inlineXML"):
		return p.readInlineXML()
	case is(rel, "newsItem", "contentSet", "inlineData"):
		if p.txtDepth == 0 {
			st.isHTML = isHTMLType(attr(t, "contenttype"))
			p.text.Reset()
			p.txtDepth = len(p.path)
		}
	case is(rel, "newsItem", "itemMeta", "versionCreated"),
		is(rel, "newsItem", "itemMeta", "firstCreated"),
		is(rel, "newsItem", "contentMeta", "headline"),
		is(rel, "newsItem", "contentMeta", "by"),
		is(rel, "newsItem", "itemMeta", "provider", "name"),
		is(rel, "newsItem", "contentMeta", "creator", "name"):
		if p.txtDepth == 0 {
			p.text.Reset()
			p.txtDepth = len(p.path)
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
	return nil
}

// readInlineXML consumes the inlineXML element just opened and keeps its
// raw inner markup, unless an earlier one was kept.
func (p *newsmlParser) readInlineXML() *Error {
	if p.st.hasXML {
		// Alternative renditions: the first non-empty one is
		// the article.
		if err := skipElement(p.d, len(p.path)); err != nil {
			return err
		}
		p.path = p.path[:len(p.path)-1]
		return nil
	}
	start := p.d.InputOffset()
	if err := skipElement(p.d, len(p.path)); err != nil {
		return err
	}
	// The end tag starts after the last token before it;
	// find it from the end to stay exact with prefixes.
	end := p.d.InputOffset()
	inner := p.b[start:end]
	if k := bytes.LastIndex(inner, []byte("</")); k >= 0 {
		inner = inner[:k]
	} else {
		inner = nil // <inlineXML/>
	}
	if len(bytes.TrimSpace(inner)) > 0 {
		p.st.inlineXML, p.st.hasXML = string(inner), true
	}
	p.path = p.path[:len(p.path)-1]
	return nil
}

// end handles a closing tag: it stores the text collected for the element
// and pops the path.
func (p *newsmlParser) end(t xml.EndElement) {
	if len(p.path) == 0 {
		return
	}
	if p.st.inItem {
		p.endInItem(t, p.path[itemIndex(p.path):])
	}
	if p.txtDepth == len(p.path) {
		p.txtDepth = 0
	}
	p.path = p.path[:len(p.path)-1]
}

// endInItem stores the text of the newsItem element at path rel that ends
// here, when its text was being collected.
func (p *newsmlParser) endInItem(t xml.EndElement, rel []string) {
	st := &p.st
	v := strings.TrimSpace(p.text.String())
	switch {
	case p.txtDepth != len(p.path):
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
			st.dataHTML, st.hasHTML = p.text.String(), true
		case !st.isHTML && !st.hasData:
			st.inline, st.hasData = p.text.String(), true
		}
	}
	if t.Name.Local == "newsItem" {
		st.inItem = false
	}
}

// article assembles the article from what the walk collected, applying
// the precedence rules above.
func (st *newsmlState) article() (event.Article, *Error) {
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
