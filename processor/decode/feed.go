package decode

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/newsenrich/newsenrich/event"
)

// Syndication items, one per record, as feed readers and aggregators pass
// them on. An RSS 2.0 <item>:
//
//	guid (else link)                  -> ID
//	title                             -> Title
//	content:encoded (else description) -> BodyHTML (both are HTML)
//	link                              -> URL
//	pubDate (else dc:date)            -> PublishedAt
//	author, dc:creator                -> Authors ("jo@x.org (Jo Smith)" -> "Jo Smith")
//	source                            -> Source
//	category                          -> Passthrough {"categories": [...]}
//	dc:language, @xml:lang            -> Language
//
// An Atom <entry>: id -> ID, title, content (else summary; type text, html
// or xhtml), link[@rel=alternate or none]@href -> URL, published (else
// updated), author/name, source/title, category@term. Elements are matched
// by local name, so any prefix works. A whole <rss> or <feed> document is
// unsupported_format: one record is one article.

// xmlRoot returns the local name of the document's root element, or "" with
// the parse error when there is none.
func xmlRoot(b []byte) (string, error) {
	d := newXMLDecoder(b)
	for {
		tok, err := d.Token()
		if err != nil {
			return "", err
		}
		if t, ok := tok.(xml.StartElement); ok {
			return t.Name.Local, nil
		}
	}
}

func newXMLDecoder(b []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "utf8") || strings.EqualFold(label, "us-ascii") {
			return r, nil
		}
		return nil, fmt.Errorf("%w: encoding %q", errNotUTF8, label)
	}
	return d
}

func decodeXML(b []byte) (event.Article, *Error) {
	root, err := xmlRoot(b)
	if err != nil {
		if errors.Is(err, errNotUTF8) {
			return event.Article{}, fail(event.ReasonUnsupportedFormat, "XML %v; send UTF-8", err)
		}
		return event.Article{}, fail(event.ReasonUnsupportedFormat, "malformed XML: %v", err)
	}
	switch root {
	case "item", "entry":
		return decodeFeedItem(b, root == "entry")
	case "rss", "feed", "RDF", "channel":
		return event.Article{}, fail(event.ReasonUnsupportedFormat,
			"record is a whole feed (root <%s>); send one <item> (RSS) or <entry> (Atom) per record", root)
	}
	return decodeNewsML(b)
}

type feedState struct {
	a          event.Article
	guid, link string
	content    string // content:encoded or Atom content
	contentTyp string
	summary    string // description or Atom summary
	published  string
	updated    string
	dcDate     string
	titleHTML  bool
	categories []string
}

func decodeFeedItem(b []byte, atom bool) (event.Article, *Error) {
	d := newXMLDecoder(b)
	var (
		st    feedState
		path  []string
		text  strings.Builder
		txtAt int // depth of the element whose text is collected
	)
	kind := "RSS item"
	if atom {
		kind = "Atom entry"
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return event.Article{}, fail(event.ReasonUnsupportedFormat, "malformed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(path) >= MaxDepth {
				return event.Article{}, fail(event.ReasonUnsupportedFormat, "XML nested deeper than %d levels", MaxDepth)
			}
			path = append(path, t.Name.Local)
			if len(path) == 1 {
				st.a.Language = xmlLang(t)
				continue
			}
			name := t.Name.Local
			switch {
			case len(path) == 2 && atom && name == "link":
				if rel := attr(t, "rel"); (rel == "" || rel == "alternate") && st.link == "" {
					st.link = attr(t, "href")
				}
			case len(path) == 2 && name == "category":
				if term := attr(t, "term"); term != "" {
					st.categories = append(st.categories, term)
				}
				if txtAt == 0 && !atom {
					text.Reset()
					txtAt = len(path)
				}
			case len(path) == 2 && atom && name == "content" && attr(t, "type") == "xhtml":
				inner, err := innerXML(d, b, len(path))
				if err != nil {
					return event.Article{}, err
				}
				st.content, st.contentTyp = inner, "xhtml"
				path = path[:len(path)-1]
			case len(path) == 2 && atom && (name == "author" || name == "source"):
				// Containers: their name/title children are read below.
			case len(path) == 2 || (len(path) == 3 && (path[1] == "author" || path[1] == "source")):
				if name == "content" || name == "summary" {
					st.contentTyp = attr(t, "type")
				}
				if name == "title" && len(path) == 2 {
					st.titleHTML = atom && attr(t, "type") == "html"
				}
				if txtAt == 0 {
					text.Reset()
					txtAt = len(path)
				}
			}
		case xml.CharData:
			if txtAt > 0 {
				text.Write(t)
			}
		case xml.EndElement:
			if txtAt == len(path) {
				st.set(path, text.String(), atom)
				txtAt = 0
			}
			path = path[:len(path)-1]
		}
	}
	return st.article(kind, atom)
}

// set stores the text of the element at path.
func (st *feedState) set(path []string, v string, atom bool) {
	tv := strings.TrimSpace(v)
	if len(path) == 3 {
		switch {
		case path[1] == "author" && path[2] == "name" && tv != "":
			st.a.Authors = append(st.a.Authors, tv)
		case path[1] == "source" && path[2] == "title":
			st.a.Source = tv
		}
		return
	}
	switch path[1] {
	case "title":
		st.a.Title = tv
	case "guid":
		st.guid = tv
	case "id":
		if atom {
			st.guid = tv
		}
	case "link":
		if !atom && st.link == "" {
			st.link = tv
		}
	case "encoded":
		st.content = v
		st.contentTyp = "html"
	case "content":
		if atom {
			st.content = v
		}
	case "description", "summary":
		st.summary = v
	case "pubDate", "published":
		st.published = tv
	case "updated", "modified":
		st.updated = tv
	case "date":
		st.dcDate = tv
	case "author", "creator":
		if tv != "" {
			st.a.Authors = append(st.a.Authors, rssAuthor(tv))
		}
	case "source":
		if !atom {
			st.a.Source = tv
		}
	case "category":
		if tv != "" {
			st.categories = append(st.categories, tv)
		}
	case "language":
		st.a.Language = tv
	}
}

func (st *feedState) article(kind string, atom bool) (event.Article, *Error) {
	a := st.a
	a.ID = st.guid
	if a.ID == "" {
		a.ID = st.link
	}
	if a.ID == "" {
		what := "guid or link"
		if atom {
			what = "id or link"
		}
		return a, fail(event.ReasonMissingField, "%s has no %s to use as the id", kind, what)
	}
	a.URL = st.link
	if st.titleHTML {
		a.Title = HTMLToText(a.Title)
	}
	a.PublishedAt = firstNonEmpty(st.published, st.updated, st.dcDate)
	body, typ := st.content, st.contentTyp
	if strings.TrimSpace(body) == "" {
		body = st.summary
	}
	switch {
	case strings.TrimSpace(body) == "":
		return a, fail(event.ReasonMissingField, "%s has no body (%s)", kind, map[bool]string{
			false: "content:encoded or description", true: "content or summary"}[atom])
	case atom && typ == "text":
		a.Body = body
	default:
		// RSS descriptions are HTML by definition; Atom html and xhtml too.
		a.BodyHTML = strings.TrimSpace(body)
	}
	if len(st.categories) > 0 {
		a.Passthrough, _ = json.Marshal(map[string][]string{"categories": st.categories})
	}
	return a, nil
}

// rssAuthor turns RSS's "email (Name)" into the name.
func rssAuthor(s string) string {
	if i := strings.IndexByte(s, '('); i > 0 && strings.HasSuffix(s, ")") && strings.Contains(s[:i], "@") {
		return strings.TrimSpace(s[i+1 : len(s)-1])
	}
	return s
}

func xmlLang(t xml.StartElement) string {
	for _, at := range t.Attr {
		if at.Name.Local == "lang" && (at.Name.Space == "xml" || at.Name.Space == "http://www.w3.org/XML/1998/namespace") {
			return at.Value
		}
	}
	return ""
}

// innerXML returns the markup inside the element just opened at depth.
func innerXML(d *xml.Decoder, b []byte, depth int) (string, *Error) {
	start := d.InputOffset()
	if err := skipElement(d, depth); err != nil {
		return "", err
	}
	inner := b[start:d.InputOffset()]
	if k := bytes.LastIndex(inner, []byte("</")); k >= 0 {
		return string(inner[:k]), nil
	}
	return "", nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
