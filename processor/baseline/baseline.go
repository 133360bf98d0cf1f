// Package baseline wraps prose/v2's named-entity recogniser as an entity
// stage, so eval and bench can put our engine beside the reference point the
// issues measure against. Two variants: Naive builds prose's default model on
// every article (how prose is commonly called), Reused builds it once.
package baseline

import (
	"strings"

	"github.com/jdkato/prose/v2"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/text"
)

// Stage is a prose-backed processor.EntityStage. Safe for concurrent use:
// prose only reads its model while tagging.
type Stage struct {
	model *prose.Model // nil = naive: prose builds its default model per document
}

// Naive calls prose.NewDocument with default options per article.
func Naive() *Stage { return &Stage{} }

// Reused builds prose's default model once and passes it to every document.
func Reused() *Stage { return &Stage{model: prose.ModelFromData("prose-default")} }

// Name says which variant this is ("prose-naive" or "prose-reused").
func (s *Stage) Name() string {
	if s.model == nil {
		return "prose-naive"
	}
	return "prose-reused"
}

// Entities runs prose over the body and maps its entities back to byte
// spans of doc.Text. prose returns entity text without offsets, so its
// tokens are aligned to the text and its chunking rule is replayed on them.
func (s *Stage) Entities(doc *text.Doc) []event.Entity {
	var opts []prose.DocOpt
	if s.model != nil {
		opts = append(opts, prose.UsingModel(s.model))
	}
	pd, err := prose.NewDocument(doc.Text, opts...)
	if err != nil {
		return nil
	}
	return group(doc.Text, chunk(align(doc.Text, pd.Tokens())))
}

// Type maps prose's labels to ours; prose labels outside our set are dropped.
// prose's default model speaks the ACE label set (ORGANIZATION, LOCATION,
// FACILITY, GSP = geo-social-political), not OntoNotes.
func Type(label string) (string, bool) {
	switch label {
	case "PERSON":
		return event.TypePerson, true
	case "ORGANIZATION", "ORG":
		return event.TypeOrg, true
	case "GPE", "GSP":
		return event.TypeGPE, true
	case "LOCATION", "LOC":
		return event.TypeLoc, true
	case "FACILITY", "FAC":
		return event.TypeFac, true
	case "NORP":
		return event.TypeNORP, true
	case "EVENT":
		return event.TypeEvent, true
	}
	return "", false
}

type token struct {
	prose.Token
	start, end int // byte span in the original text; start < 0 if unaligned
}

// sanitize applies prose's tokenizer input replacements and returns, for
// each byte of the sanitized text, the original byte offset it came from
// (plus one entry for the end).
func sanitize(s string) (string, []int) {
	var b strings.Builder
	b.Grow(len(s))
	pos := make([]int, 0, len(s)+1)
	repl := [...]struct{ from, to string }{
		{"\u201c", `"`}, {"\u201d", `"`}, {"\u2018", "'"}, {"\u2019", "'"}, {"&rsquo;", "'"},
	}
outer:
	for i := 0; i < len(s); {
		for _, r := range repl {
			if strings.HasPrefix(s[i:], r.from) {
				b.WriteString(r.to)
				pos = append(pos, i)
				i += len(r.from)
				continue outer
			}
		}
		b.WriteByte(s[i])
		pos = append(pos, i)
		i++
	}
	pos = append(pos, len(s))
	return b.String(), pos
}

// align finds each prose token in the text, in order. A token that cannot
// be found (prose rewrote it) keeps start -1 and the cursor stays put.
func align(text string, toks []prose.Token) []token {
	clean, pos := sanitize(text)
	out := make([]token, len(toks))
	cur := 0
	for i, t := range toks {
		out[i] = token{Token: t, start: -1}
		if t.Text == "" {
			continue
		}
		j := strings.Index(clean[cur:], t.Text)
		if j < 0 {
			continue
		}
		s, e := cur+j, cur+j+len(t.Text)
		out[i].start, out[i].end = pos[s], pos[e]
		cur = e
	}
	return out
}

type span struct {
	start, end int
	label      string
}

// chunk replays prose's entityExtracter.chunk (extract.go) on aligned tokens:
// same grouping conditions, same label choice (parseEntities).
func chunk(toks []token) []span {
	var out []span
	end := ""
	var parts []token
	flush := func() {
		if len(parts) > 0 {
			out = append(out, coalesce(parts))
		}
		end = ""
		parts = parts[:0]
	}
	for _, tok := range toks {
		label := tok.Label
		n := len(parts)
		if (label != "O" && label != end) ||
			(n > 0 && tok.Tag == parts[n-1].Tag) ||
			(n > 0 && tok.Tag == "CD" && parts[n-1].Label != "O") {
			end = strings.Replace(label, "B", "I", 1)
			parts = append(parts, tok)
		} else if (label == "O" && end != "") || label == end {
			if label != "O" {
				parts = append(parts, tok)
			}
			flush()
		}
	}
	return out
}

func coalesce(parts []token) span {
	sp := span{start: -1, end: -1}
	for _, p := range parts {
		if p.start < 0 {
			continue
		}
		if sp.start < 0 {
			sp.start = p.start
		}
		sp.end = p.end
	}
	sp.label = parseEntities(parts)
	return sp
}

func parseEntities(parts []token) string {
	if len(parts) == 2 && (parts[0].Label == "B-PERSON" || parts[1].Label == "B-PERSON") {
		return "PERSON"
	}
	_, l, _ := strings.Cut(parts[0].Label, "-")
	return l
}

// group turns spans into entities: one per (type, text), mentions in order.
func group(text string, spans []span) []event.Entity {
	var out []event.Entity
	idx := map[[2]string]int{}
	for _, sp := range spans {
		typ, ok := Type(sp.label)
		if !ok || sp.start < 0 || sp.end <= sp.start {
			continue
		}
		m := event.Mention{Start: sp.start, End: sp.end, Text: text[sp.start:sp.end]}
		k := [2]string{typ, m.Text}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, event.Entity{Text: m.Text, Type: typ})
		}
		out[i].Mentions = append(out[i].Mentions, m)
		out[i].Count++
	}
	return out
}
