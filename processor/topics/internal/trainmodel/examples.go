package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/newsenrich/newsenrich/processor/text"
	"github.com/newsenrich/newsenrich/processor/topics"
)

// exampleOptions are the flags that shape the model's training examples.
type exampleOptions struct {
	data                           string
	minScore                       float64
	chunk, labelRepeat, iptcRepeat int
	namesFile                      string
	namesRepeat, gazNames          int
	gazIn                          string
}

// examples makes the model's training examples: each text of docs but
// those in leaveOut, labelled by hand (hand) or by the lexicon tagger lex,
// with its headline, first sentence and chunks; then the IPTC concepts, the
// known names and the gazetteer's names the options ask for. It also
// returns how many texts each top-level code labels.
func examples(docs []doc, leaveOut map[string]bool, hand map[string]string, lex *topics.Tagger, o exampleOptions) ([]topics.Example, map[string]int, error) {
	top := lex.TopLevel()
	var ex []topics.Example
	perCode := map[string]int{}
	var td, bd text.Doc
	for _, d := range docs {
		if leaveOut[d.id] {
			continue
		}
		body := strings.Join(d.sents, " ")
		td.Reset(d.title)
		bd.Reset(body)
		code, ok := hand[d.id]
		reps := 1
		if ok {
			reps = max(1, o.labelRepeat)
		}
		if !ok {
			ts := lex.Topics(&td, &bd, nil)
			if len(ts) == 0 || ts[0].Score < o.minScore {
				continue
			}
			code = top[ts[0].Code]
		}
		perCode[code]++
		first := len(ex)
		ex = append(ex, topics.Example{Title: d.title, Body: body, Code: code})
		if d.title != "" {
			ex = append(ex, topics.Example{Body: d.title, Code: code})
		}
		if len(d.sents) > 1 {
			ex = append(ex, topics.Example{Title: d.title, Body: d.sents[0], Code: code})
		}
		words := strings.Fields(body)
		if len(words) > 2*o.chunk {
			for i := 0; i < len(words); i += o.chunk {
				ex = append(ex, topics.Example{Body: strings.Join(words[i:min(len(words), i+o.chunk)], " "), Code: code})
			}
		}
		ex = appendRepeated(ex, reps-1, ex[first:]...)
	}
	if o.iptcRepeat > 0 {
		// The IPTC vocabulary's own labels and definitions: short texts
		// with a known topic, much like headlines.
		rows, err := readTSV(filepath.Join(o.data, "topics", "iptc-mediatopics.tsv"))
		if err != nil {
			return nil, nil, err
		}
		n := 0
		for _, r := range rows {
			code, ok := top[r["code"]]
			if !ok || r["retired"] == "yes" {
				continue
			}
			ex = appendRepeated(ex, o.iptcRepeat, topics.Example{Body: r["label_en"], Code: code},
				topics.Example{Title: r["label_en"], Body: r["definition_en"], Code: code})
			n++
		}
		fmt.Fprintf(os.Stderr, "trainmodel: %d IPTC concepts as examples\n", n)
	}
	if o.namesRepeat > 0 {
		names, err := readKnownNames(o.namesFile)
		if err != nil {
			return nil, nil, err
		}
		n := 0
		for _, nm := range names {
			code, ok := top[nm.code]
			if !ok {
				continue
			}
			ex = appendRepeated(ex, o.namesRepeat, topics.Example{Body: nm.name, Code: code})
			n++
		}
		fmt.Fprintf(os.Stderr, "trainmodel: %d known names as examples\n", n)
	}
	if o.gazNames > 0 {
		names, err := readGazetteerNames(o.gazIn)
		if err != nil {
			return nil, nil, err
		}
		byCode := map[string][]string{}
		for _, nm := range names {
			if code, ok := top[nm.code]; ok {
				byCode[code] = append(byCode[code], nm.name)
			}
		}
		n := 0
		for code, ns := range byCode {
			step := max(1, len(ns)/o.gazNames)
			for i := 0; i < len(ns); i += step {
				ex = append(ex, topics.Example{Body: ns[i], Code: code})
				n++
			}
		}
		fmt.Fprintf(os.Stderr, "trainmodel: %d gazetteer names as examples\n", n)
	}
	return ex, perCode, nil
}

// appendRepeated appends the examples to dst n times, in order: an example
// given n times weighs n times in training.
func appendRepeated(dst []topics.Example, n int, ex ...topics.Example) []topics.Example {
	for range n {
		dst = append(dst, ex...)
	}
	return dst
}
