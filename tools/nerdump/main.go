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
	r, err := entities.New(entities.Config{ModelDir: *dir, ModelOnly: *modelOnly, Beam: float32(*beam)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	var doc text.Doc
	for sc.Scan() {
		var a event.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		doc.Reset(a.Body)
		out := struct {
			ID       string         `json:"id"`
			Entities []event.Entity `json:"entities"`
		}{a.ID, r.Entities(&doc)}
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
