// Command quotedump is a development driver for the quotes stage: it reads
// articles as JSON or JSONL on stdin ({"id","body",...}), runs the shared tokenizer
// and the quote extractor (with no entities, like the stage's worst case)
// and writes {"id","quotes":[...]} per line, the shape score.py reads.
//
//	go run ./tools/quotedump < articles.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/quotes"
	"github.com/newsenrich/newsenrich/processor/text"
)

func main() {
	strict := flag.Bool("drop-uncued-short", false, "set Config.DropUncuedShort")
	repeat := flag.Int("repeat", 0, "also time the stage over the input this many times and report words/s on stderr")
	flag.Parse()
	if err := run(*repeat, *strict); err != nil {
		slog.Error("quotedump", "err", err)
		os.Exit(1)
	}
}

type article struct {
	ID   string `json:"id"`
	Body string `json:"body"`
}

type output struct {
	ID     string        `json:"id"`
	Quotes []event.Quote `json:"quotes"`
}

func run(repeat int, strict bool) error {
	x := quotes.New(quotes.Config{DropUncuedShort: strict})
	dec := json.NewDecoder(bufio.NewReader(os.Stdin))
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	var arts []article
	for {
		var a article
		if err := dec.Decode(&a); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("decode article: %w", err)
		}
		arts = append(arts, a)
		q := x.Quotes(text.New(a.Body), nil)
		if q == nil {
			q = []event.Quote{}
		}
		if err := enc.Encode(output{ID: a.ID, Quotes: q}); err != nil {
			return fmt.Errorf("encode: %w", err)
		}
	}
	if repeat > 0 {
		docs := make([]*text.Doc, len(arts))
		words := 0
		for i, a := range arts {
			docs[i] = text.New(a.Body)
			words += text.CountWords(a.Body)
		}
		t0 := time.Now()
		for range repeat {
			for _, d := range docs {
				x.Quotes(d, nil)
			}
		}
		el := time.Since(t0)
		fmt.Fprintf(os.Stderr, "quotes stage only: %d articles x %d in %v: %.0f words/s\n", len(arts), repeat, el, float64(words*repeat)/el.Seconds())
	}
	return nil
}
