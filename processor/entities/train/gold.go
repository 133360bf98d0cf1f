package train

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/newsenrich/newsenrich/processor/entities/internal/tagger"
	"github.com/newsenrich/newsenrich/processor/text"
)

// ModernCorpus is the corpus name of the in-domain annotations (the
// project's own, on Wikinews 2019–2020 articles).
const ModernCorpus = "wikinews-modern"

// conllOf maps the guidelines' seven types to the model's four classes
// (CoNLL's convention: facilities are places, events and nationalities
// MISC).
var conllOf = map[string]string{"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
	"NORP": "MISC", "EVENT": "MISC"}

// ReadGold reads articles (JSONL with id and body) and their gold
// annotations (JSONL, annotate_tool's format: code-point offsets, seven
// types) into training documents, tokenized by the shared tokenizer and
// tagged in the model's convention. Articles whose id is in exclude (the
// development sets) are never read; articles without gold entities are
// skipped.
func ReadGold(articles string, golds []string, exclude map[string]bool) ([]Doc, error) {
	spans := map[string][]gspan{}
	for _, g := range golds {
		err := jsonLines(g, func(line []byte) error {
			var x struct {
				ID       string  `json:"id"`
				Entities []gspan `json:"entities"`
			}
			if err := json.Unmarshal(line, &x); err != nil {
				return err
			}
			if !exclude[x.ID] && len(x.Entities) > 0 {
				spans[x.ID] = x.Entities
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var docs []Doc
	err := jsonLines(articles, func(line []byte) error {
		var a struct {
			ID   string `json:"id"`
			Body string `json:"body"`
		}
		if err := json.Unmarshal(line, &a); err != nil {
			return err
		}
		es, ok := spans[a.ID]
		if !ok || exclude[a.ID] {
			return nil
		}
		docs = append(docs, goldDoc(a.Body, toByteSpans(es)))
		return nil
	})
	return docs, err
}

type byteSpan struct {
	start, end int
	class      string
}

// gspan is a gold entity as annotate_tool writes it.
type gspan struct {
	Start, End int
	Type       string
}

func toByteSpans(in []gspan) []byteSpan {
	out := make([]byteSpan, 0, len(in))
	for _, e := range in {
		if c, ok := conllOf[e.Type]; ok {
			out = append(out, byteSpan{e.Start, e.End, c})
		}
	}
	return out
}

// goldDoc tokenizes body and tags its tokens from spans given in code
// points. A token that straddles a span's edge is outside it.
func goldDoc(body string, spans []byteSpan) Doc {
	// code points -> bytes
	cp2b := make([]int, 0, len(body)+1)
	for i := range body {
		cp2b = append(cp2b, i)
	}
	cp2b = append(cp2b, len(body))
	for i := range spans {
		s := &spans[i]
		if s.start < 0 || s.end >= len(cp2b) || s.start >= s.end {
			s.start, s.end = 0, 0
			continue
		}
		s.start, s.end = cp2b[s.start], cp2b[s.end]
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	d := text.New(body)
	doc := Doc{Corpus: ModernCorpus}
	for _, sn := range d.Sentences {
		sent := make([]Item, 0, sn.End-sn.Start)
		k := 0
		prev := -1
		for i := int(sn.Start); i < int(sn.End); i++ {
			t := d.Tokens[i]
			ts, te := int(t.Start), int(t.End)
			tag := "O"
			for k > 0 && k < len(spans) && spans[k].start > ts {
				k--
			}
			for k < len(spans) && spans[k].end <= ts {
				k++
			}
			if k < len(spans) && spans[k].start <= ts && te <= spans[k].end {
				if prev == k {
					tag = "I-" + spans[k].class
				} else {
					tag = "B-" + spans[k].class
				}
				prev = k
			} else {
				prev = -1
			}
			sent = append(sent, Item{Text: body[ts:te], Tag: tagger.TagOf(tag)})
		}
		if len(sent) > 0 {
			doc.Sents = append(doc.Sents, sent)
		}
	}
	return doc
}

// DevIDs reads the ids of the articles with entity annotations in the gold
// files in dir (the development sets), so that training can refuse them. A
// set that scores only quotes and speakers (modern-dev-c, -d and -e, drawn from the
// training articles) holds no entities and takes nothing from training.
func DevIDs(dir string) (map[string]bool, error) {
	m, err := filepath.Glob(filepath.Join(dir, "*.gold.jsonl"))
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, p := range m {
		if err := jsonLines(p, func(line []byte) error {
			var x struct {
				ID       string            `json:"id"`
				Entities []json.RawMessage `json:"entities"`
			}
			if err := json.Unmarshal(line, &x); err != nil {
				return err
			}
			if x.Entities != nil {
				ids[x.ID] = true
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

func jsonLines(path string, fn func([]byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		if !utf8.Valid(line) {
			return fmt.Errorf("%s:%d: not UTF-8", path, n)
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	return sc.Err()
}
