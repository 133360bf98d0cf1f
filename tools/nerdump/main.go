// Command nerdump is a development driver for the entity stage alone: it
// reads articles as JSONL on stdin and writes {"id","entities"} JSONL, the
// shape tools/score.py reads. The real pipeline is `newsenrich enrich`.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/entities"
	"github.com/newsenrich/newsenrich/processor/text"
)

func main() {
	dir := flag.String("model", "", "model folder (default: the embedded model)")
	modelOnly := flag.Bool("model-only", false, "turn the article-level rules off")
	beam := flag.Float64("beam", 0, "Viterbi beam (0 default, <0 exact)")
	flag.Parse()
	if err := run(entities.Config{ModelDir: *dir, ModelOnly: *modelOnly, Beam: float32(*beam)}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(cfg entities.Config) error {
	r, err := entities.New(cfg)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	var doc text.Doc
	for sc.Scan() {
		var a event.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return err
		}
		doc.Reset(a.Body)
		out := struct {
			ID       string         `json:"id"`
			Entities []event.Entity `json:"entities"`
		}{a.ID, r.Entities(&doc)}
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return w.Flush()
}
