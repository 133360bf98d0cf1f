package decode

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTMLToText extracts the readable text of an HTML or XHTML fragment or
// document, as the enrichment stages want it:
//   - paragraphs, headings, block quotes, lists, tables and other blocks are
//     separated by a blank line; list items, table rows and <br> start a new
//     line (two <br> in a row make a blank line);
//   - whitespace inside a block collapses to single spaces (non-breaking
//     spaces included); <pre> keeps its spaces;
//   - script, style, template, title, noscript, iframe, object, svg and
//     math content is dropped;
//   - character references are decoded, control characters dropped, and
//     invalid UTF-8 replaced with U+FFFD.
//
// Namespace prefixes on tag names ("h:p") are ignored, so XHTML taken
// verbatim from NewsML-G2 inlineXML works too. The result has no leading or
// trailing line breaks.
func HTMLToText(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	z.AllowCDATA(true)
	w := textWriter{b: make([]byte, 0, len(src)/2+16)}
	skip, pre := 0, 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return string(w.b)
		case html.TextToken:
			if skip == 0 {
				w.text(z.Text(), pre > 0)
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			if k := bytes.LastIndexByte(name, ':'); k >= 0 {
				name = name[k+1:]
			}
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style, atom.Template, atom.Title, atom.Noscript, atom.Iframe,
				atom.Object, atom.Svg, atom.Math, atom.Noembed, atom.Noframes:
				switch {
				case tt == html.StartTagToken:
					skip++
				case tt == html.EndTagToken && skip > 0:
					skip--
				}
				continue
			case atom.Pre, atom.Listing, atom.Xmp:
				switch {
				case tt == html.StartTagToken:
					pre++
				case tt == html.EndTagToken && pre > 0:
					pre--
				}
			}
			switch breakAfter(a) {
			case brkPara:
				w.brk(2)
			case brkLine:
				w.brk(1)
			case brkSpace:
				w.space = len(w.b) > 0
			case brkBR:
				if tt != html.EndTagToken && len(w.b) > 0 {
					w.pending = min(w.pending+1, 2)
					w.space = false
				}
			}
		}
	}
}

const (
	brkNone = iota
	brkSpace
	brkLine
	brkPara
	brkBR
)

func breakAfter(a atom.Atom) int {
	switch a {
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Pre,
		atom.Listing, atom.Xmp, atom.Ul, atom.Ol, atom.Dl, atom.Table, atom.Div, atom.Section,
		atom.Article, atom.Header, atom.Footer, atom.Aside, atom.Nav, atom.Figure, atom.Figcaption,
		atom.Address, atom.Main, atom.Hr, atom.Form, atom.Fieldset, atom.Details, atom.Summary,
		atom.Caption, atom.Center, atom.Hgroup, atom.Body, atom.Html, atom.Menu, atom.Legend:
		return brkPara
	case atom.Li, atom.Dt, atom.Dd, atom.Tr, atom.Option:
		return brkLine
	case atom.Td, atom.Th, atom.Img:
		return brkSpace
	case atom.Br:
		return brkBR
	}
	return brkNone
}

// textWriter collapses whitespace lazily: breaks and spaces are owed and
// only written before the next visible character, so the output never
// starts or ends with whitespace produced by markup.
type textWriter struct {
	b       []byte
	pending int  // newlines owed (1 = line break, 2 = blank line)
	space   bool // a space owed
}

func (w *textWriter) brk(n int) {
	if len(w.b) > 0 && n > w.pending {
		w.pending = n
	}
	w.space = false
}

func (w *textWriter) flush() {
	if len(w.b) > 0 {
		switch {
		case w.pending > 0:
			for ; w.pending > 0; w.pending-- {
				w.b = append(w.b, '\n')
			}
		case w.space:
			w.b = append(w.b, ' ')
		}
	}
	w.pending = 0
	w.space = false
}

func (w *textWriter) text(s []byte, pre bool) {
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(s[i:])
		}
		i += n
		switch {
		case r == '\n' || r == '\r':
			if pre {
				if len(w.b) > 0 {
					w.pending = min(w.pending+1, 2)
				}
				w.space = false
			} else if len(w.b) > 0 && w.pending == 0 {
				w.space = true
			}
		case r == ' ' || r == '\t' || r == '\f' || r == 0xa0 || (r > 0xa0 && unicode.IsSpace(r)):
			if pre {
				if len(w.b) > 0 {
					w.flush()
					w.b = append(w.b, ' ')
				}
			} else if len(w.b) > 0 && w.pending == 0 {
				w.space = true
			}
		case isDropped(r):
		default:
			w.flush()
			w.b = utf8.AppendRune(w.b, r)
		}
	}
}
