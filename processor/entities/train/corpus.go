package train

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/newsenrich/newsenrich/processor/entities/internal/tagger"
)

// Doc is one training document: sentences of (token, tag).
type Doc struct {
	Corpus string
	Sents  [][]Item
}

// Item is one CoNLL token.
type Item struct {
	Text string
	Tag  int
}

// ReadCoNLL reads "token<TAB>tag" lines; blank lines end sentences and
// "# doc" lines start documents. A file without "# doc" lines (sentences
// drawn from unrelated pages) becomes one document per sentence.
func ReadCoNLL(path string) ([]Doc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	corpus := strings.TrimSuffix(filepath.Base(path), ".conll")
	var docs []Doc
	var cur *Doc
	var sent []Item
	hasDocs := false
	flushSent := func() {
		if len(sent) == 0 {
			return
		}
		if cur == nil || !hasDocs {
			docs = append(docs, Doc{Corpus: corpus})
			cur = &docs[len(docs)-1]
		}
		cur.Sents = append(cur.Sents, sent)
		sent = nil
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		l := sc.Text()
		if strings.HasPrefix(l, "# doc") {
			flushSent()
			hasDocs = true
			docs = append(docs, Doc{Corpus: corpus})
			cur = &docs[len(docs)-1]
			continue
		}
		if strings.TrimSpace(l) == "" {
			flushSent()
			continue
		}
		tab := strings.LastIndexByte(l, '\t')
		if tab <= 0 {
			return nil, fmt.Errorf("%s:%d: want token<TAB>tag", path, line)
		}
		tok := l[:tab]
		if tok == "" {
			continue
		}
		sent = append(sent, Item{Text: tok, Tag: tagger.TagOf(l[tab+1:])})
	}
	flushSent()
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return docs, nil
}

// spans lists the entity spans of a sentence as [start, end, class].
func spans(s []Item) [][3]int {
	var out [][3]int
	for i := 0; i < len(s); {
		t := s[i].Tag
		if t == tagger.O {
			i++
			continue
		}
		c := tagger.Class(t)
		j := i + 1
		for j < len(s) && s[j].Tag == 2+2*c {
			j++
		}
		out = append(out, [3]int{i, j, c})
		i = j
	}
	return out
}

func setSpan(s []Item, a, b, class int) {
	for k := a; k < b; k++ {
		if class < 0 {
			s[k].Tag = tagger.O
		} else if k == a {
			s[k].Tag = 1 + 2*class
		} else {
			s[k].Tag = 2 + 2*class
		}
	}
}

func hasUpper(s string) bool {
	for _, r := range s {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// Normalizer brings every corpus to one label convention, CoNLL-2003's:
// titles outside person names, nationality words as MISC, entities written
// with a capital letter (except in the lower-cased corpus).
type Normalizer struct {
	Titles   map[string]bool
	Demonyms map[string]bool
}

// Stats counts what normalisation changed.
type Stats struct {
	TitlesStripped, DemonymsToMisc, UncasedDropped int
}

// Normalize rewrites d's tags in place.
func (n *Normalizer) Normalize(d *Doc, st *Stats) {
	lower := d.Corpus == "multiconer2-lowercase"
	for _, s := range d.Sents {
		for _, sp := range spans(s) {
			a, b, c := sp[0], sp[1], sp[2]
			if !lower {
				anyUpper := false
				for k := a; k < b; k++ {
					if hasUpper(s[k].Text) {
						anyUpper = true
						break
					}
				}
				if !anyUpper {
					setSpan(s, a, b, -1)
					st.UncasedDropped++
					continue
				}
			}
			if c == 0 { // PER: titles out
				k := a
				for k < b-1 && n.Titles[strings.ToLower(s[k].Text)] {
					k++
				}
				if k > a {
					setSpan(s, a, k, -1)
					setSpan(s, k, b, 0)
					st.TitlesStripped++
				}
			}
			if c != 3 && b-a == 1 && n.Demonyms[strings.ToLower(s[a].Text)] {
				setSpan(s, a, b, 3)
				st.DemonymsToMisc++
			}
		}
		if lower {
			continue
		}
		for k := range s {
			if s[k].Tag == tagger.O && hasUpper(s[k].Text) && n.Demonyms[strings.ToLower(s[k].Text)] &&
				(k+1 >= len(s) || s[k+1].Tag == tagger.O || tagger.IsB(s[k+1].Tag)) {
				s[k].Tag = tagger.BMisc
				st.DemonymsToMisc++
			}
		}
	}
}
