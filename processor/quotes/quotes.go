// Package quotes finds direct quotations in a tokenized article and
// attributes each to a speaker. It is rule based and works on the shared
// tokens: quotation marks are paired (straight and curly, mixed, nested,
// across paragraphs), then speech cues around each quote ("…,” Rutte said;
// said Rep. X; according to X; X: “…”; X told Y that “…”) name the speaker,
// and quotes without a cue inherit the previous quote's speaker. Pronoun and
// description speakers ("he", "the spokesman") are resolved to the nearest
// compatible named person. It finds capitalised names itself, so it works
// with an empty entity list; entities, when given, supply canonical names
// and indexes.
package quotes

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/text"
)

//go:embed names.txt
var namesFile string

// Config tunes the extractor. The zero value means the defaults.
type Config struct {
	// MinUnattributedWords: a quote shorter than this many words (a scare
	// quote like "fake news") is kept only when a speech cue in its
	// sentence attributes it. Default 4.
	MinUnattributedWords int
	// MinUnclosedWords: an opening mark never closed in its paragraph
	// yields a quote up to the paragraph's end when it holds at least
	// this many words. Default 4.
	MinUnclosedWords int
	// CarryParagraphs: a quote without a cue of its own inherits the
	// previous quote's speaker when that quote is at most this many
	// paragraph breaks earlier. Default 2.
	CarryParagraphs int
	// DropUncuedShort drops every short quote that no speech cue
	// attributes. By default such a quote is kept when its sentence has a
	// subject to attribute it to ("Trump likened them to a “vicious
	// snake”"), the convention of the news-quote corpus we measure on
	// (PolNeAR), which counts these phrases as the subject's words.
	DropUncuedShort bool
	// Window is how many tokens an attribution scan reaches from a quote
	// or a cue. Default 40.
	Window int
}

// Validate reports settings that make no sense.
func (c Config) Validate() error {
	var errs []error
	if c.MinUnattributedWords < 0 {
		errs = append(errs, fmt.Errorf("quotes: MinUnattributedWords must be >= 0, got %d", c.MinUnattributedWords))
	}
	if c.MinUnclosedWords < 0 {
		errs = append(errs, fmt.Errorf("quotes: MinUnclosedWords must be >= 0, got %d", c.MinUnclosedWords))
	}
	if c.CarryParagraphs < 0 {
		errs = append(errs, fmt.Errorf("quotes: CarryParagraphs must be >= 0, got %d", c.CarryParagraphs))
	}
	if c.Window < 0 || c.Window > 1000 {
		errs = append(errs, fmt.Errorf("quotes: Window must be in 0..1000 (0 = default), got %d", c.Window))
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	if c.MinUnattributedWords <= 0 {
		c.MinUnattributedWords = 4
	}
	if c.MinUnclosedWords <= 0 {
		c.MinUnclosedWords = 4
	}
	if c.CarryParagraphs <= 0 {
		c.CarryParagraphs = 2
	}
	if c.Window <= 0 || c.Window > 1000 {
		c.Window = 40
	}
	return c
}

// Extractor is safe for concurrent use; it holds only read-only lexicons and
// a pool of per-article scratch space.
type Extractor struct {
	cfg    Config
	lex    map[string]class
	gender map[string]class // first name -> cMale, cFemale, or both when either
	pool   sync.Pool
}

// New builds an extractor. Invalid settings (see Config.Validate) fall back
// to the defaults, so New cannot fail.
func New(cfg Config) *Extractor {
	if cfg.Validate() != nil {
		cfg = Config{}
	}
	x := &Extractor{cfg: cfg.withDefaults(), lex: buildLexicon(), gender: parseNames(namesFile)}
	x.pool.New = func() any {
		return &scratch{canon: map[string]int{}, full: map[string]int{}, last: map[string]int{}, lower: map[string]struct{}{}, mid: map[string]struct{}{}}
	}
	return x
}

func parseNames(s string) map[string]class {
	m := make(map[string]class, 12000)
	for len(s) > 0 {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if len(line) < 3 || line[1] != ' ' {
			continue
		}
		switch line[0] {
		case 'M':
			m[line[2:]] = cMale
		case 'F':
			m[line[2:]] = cFemale
		case 'U':
			m[line[2:]] = cMale | cFemale // a first name, gender unknown
		}
	}
	return m
}

// rawQuote is a paired quotation before attribution. Token indexes are into
// Doc.Tokens; close is -1 for a quote left open at a paragraph's end, last
// is the last token inside the span.
type rawQuote struct {
	open, close, last int
	start, end        int
	words             int
}

// scratch is per-article working memory, pooled.
type scratch struct {
	raw   []rawQuote
	names []nameRun
	keep  []found
	canon map[string]int // surname -> longest name run
	full  map[string]int // surname -> first full-name person run
	ments []mentionRef   // entity mentions sorted by start
	last  map[string]int // last word of a PERSON/ORG entity name -> entity
	lower map[string]struct{}
	mid   map[string]struct{}
	acros []int // tokens that define an acronym: "(SDF)"
}

// mentionRef is an entity mention in the sorted lookup table.
type mentionRef struct{ start, end, ent int }

// found is a quote accepted for output, with its attribution.
type found struct {
	q       rawQuote
	spk     speakerRef
	cue     string
	hasSpk  bool
	carried bool
}

// Quotes returns the article's direct quotes in text order.
func (x *Extractor) Quotes(doc *text.Doc, entities []event.Entity) []event.Quote {
	if doc == nil || len(doc.Tokens) == 0 {
		return nil
	}
	// Fast exit: most articles have few quotation marks, none have many
	// more tokens than bytes, so a byte scan is the cheapest test.
	if !hasDoubleQuote(doc.Text) {
		return nil
	}
	sc := x.pool.Get().(*scratch)
	defer x.pool.Put(sc)
	r := run{x: x, d: doc, toks: doc.Tokens, ents: entities, sc: sc}
	sc.raw = r.pair(sc.raw[:0])
	if len(sc.raw) == 0 {
		return nil
	}
	sc.names = sc.names[:0]
	r.namesReady, r.acrosReady = false, false
	sc.ments = sc.ments[:0]
	sc.keep = sc.keep[:0]
	var prev *found
	for i := range sc.raw {
		q := sc.raw[i]
		f, ok := r.attribute(q, prev)
		if !ok {
			continue
		}
		sc.keep = append(sc.keep, f)
		prev = &sc.keep[len(sc.keep)-1]
	}
	if len(sc.keep) == 0 {
		return nil
	}
	out := make([]event.Quote, len(sc.keep))
	spks := make([]event.Speaker, len(sc.keep))
	mens := make([]event.Mention, len(sc.keep))
	for i := range sc.keep {
		f := &sc.keep[i]
		out[i] = event.Quote{Text: doc.Text[f.q.start:f.q.end], Start: f.q.start, End: f.q.end, Cue: f.cue}
		if !f.hasSpk {
			continue
		}
		s := f.spk
		mens[i] = event.Mention{Start: s.start, End: s.end, Text: doc.Text[s.start:s.end]}
		spks[i] = event.Speaker{Name: s.name, Entity: s.entity, Mention: &mens[i]}
		out[i].Speaker = &spks[i]
	}
	return out
}

func hasDoubleQuote(s string) bool {
	if strings.IndexByte(s, '"') >= 0 {
		return true
	}
	// “ ” „ are E2 80 9C/9D/9E; « » are C2 AB/BB.
	for i := 0; ; {
		j := strings.IndexByte(s[i:], 0xE2)
		if j < 0 {
			break
		}
		i += j
		if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0x9C || s[i+2] == 0x9D || s[i+2] == 0x9E) {
			return true
		}
		i++
	}
	return strings.Contains(s, "«") || strings.Contains(s, "»")
}

// run is the state of one Quotes call.
type run struct {
	x          *Extractor
	d          *text.Doc
	toks       []text.Token
	ents       []event.Entity
	sc         *scratch
	namesReady bool
	acrosReady bool
	entsReady  bool
	lowerReady bool
	midReady   bool
}

func (r *run) tokText(k int) string {
	t := r.toks[k]
	return r.d.Text[t.Start:t.End]
}

// cls looks token k up in the lexicon, case-insensitively.
func (r *run) cls(k int) class {
	t := r.toks[k]
	if t.Kind != text.Word {
		return 0
	}
	return r.x.lookup(r.d.Text[t.Start:t.End])
}

func (x *Extractor) lookup(s string) class {
	if len(s) > 32 {
		return 0
	}
	var buf [32]byte
	lower := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
			lower = true
		}
		buf[i] = c
	}
	if !lower {
		return x.lex[s]
	}
	return x.lex[string(buf[:len(s)])]
}

// quote-mark orientation
type orientation uint8

const (
	oBoth orientation = iota
	oOpen
	oClose
)

func isDoubleQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»':
		return true
	}
	return false
}

func (r *run) quoteRune(k int) rune {
	t := r.toks[k]
	c, _ := utf8.DecodeRuneInString(r.d.Text[t.Start:])
	return c
}

// orient reads the direction the shared tokenizer gave quotation mark k.
func (r *run) orient(k int) orientation {
	switch f := r.toks[k].Flags & (text.OpenQuote | text.CloseQuote); f {
	case text.OpenQuote:
		return oOpen
	case text.CloseQuote:
		return oClose
	}
	return oBoth
}

// pair matches double quotation marks. Single quotes are never paired:
// they are apostrophes or quotes nested inside a double-quoted quote. A
// mark of the other style (or an opening one of the same style) inside an
// open quote nests; a paragraph break inside an open quote ends it unless
// the next paragraph starts with an opening mark, the convention for a
// quote running over several paragraphs.
func (r *run) pair(out []rawQuote) []rawQuote {
	toks := r.toks
	open, inner := -1, 0
	// A quote left open at a paragraph's end whose next paragraph does not
	// reopen it may still close there: "… said, “We learned a lot.¶It was
	// an emotional day.”" The next paragraph up to that closing mark is a
	// quote too; cont is where that paragraph starts.
	cont := -1
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		if t.Flags&text.LineStart != 0 {
			cont = -1
		}
		if open >= 0 && k > open && t.Flags&text.LineStart != 0 {
			if t.Kind == text.Quote && isDoubleQuote(r.quoteRune(k)) && r.orient(k) != oClose {
				inner = 0 // multi-paragraph quote continues
				continue
			}
			if q, ok := r.unclosed(open, k-1); ok {
				out = append(out, q)
				cont = k
			}
			open = -1
		}
		if t.Kind != text.Quote || !isDoubleQuote(r.quoteRune(k)) {
			continue
		}
		o := r.orient(k)
		if open < 0 {
			if cont >= 0 && o == oClose {
				if w := r.countWords(cont, k-1); w >= r.x.cfg.MinUnclosedWords {
					out = append(out, rawQuote{open: cont, close: k, last: k, start: int(toks[cont].Start), end: int(t.End), words: w})
				}
				cont = -1
				continue
			}
			cont = -1
			if o != oClose {
				open, inner = k, 0
			}
			continue
		}
		if o == oOpen {
			inner++
			continue
		}
		if inner > 0 {
			inner--
			continue
		}
		out = append(out, r.closed(open, k))
		open = -1
	}
	if open >= 0 {
		if q, ok := r.unclosed(open, len(toks)-1); ok {
			out = append(out, q)
		}
	}
	return out
}

func (r *run) countWords(a, b int) int {
	n := 0
	for k := a; k <= b; k++ {
		if kd := r.toks[k].Kind; kd == text.Word || kd == text.Number {
			n++
		}
	}
	return n
}

func (r *run) closed(opening, closing int) rawQuote {
	return rawQuote{open: opening, close: closing, last: closing, start: int(r.toks[opening].Start), end: int(r.toks[closing].End), words: r.countWords(opening+1, closing-1)}
}

func (r *run) unclosed(open, last int) (rawQuote, bool) {
	if last <= open {
		return rawQuote{}, false
	}
	w := r.countWords(open+1, last)
	if w < r.x.cfg.MinUnclosedWords {
		return rawQuote{}, false
	}
	return rawQuote{open: open, close: -1, last: last, start: int(r.toks[open].Start), end: int(r.toks[last].End), words: w}, true
}
