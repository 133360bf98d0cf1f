// Command topicdump is a development driver for the topic stage: it reads
// articles as JSONL ({"id","title","body"}) on stdin and writes
// {"id","topics":[...]} per line, the shape tools/score.py reads. By default
// it runs the tagger alone (no entity stage, no knowledge base), so figures
// it gives are for topics only; -engine runs the stage as the default engine
// does, with the entity stage's entities and the knowledge base. -explain
// adds where the topics come from: each source's evidence per top-level
// topic, and the learned model's probabilities.
//
//	go run ./tools/topicdump -engine -explain < articles.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/engine"
	"github.com/newsenrich/newsenrich/processor/entities"
	"github.com/newsenrich/newsenrich/processor/text"
	"github.com/newsenrich/newsenrich/processor/topics"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "topicdump:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg := topics.DefaultConfig()
	flag.BoolVar(&cfg.NoDeep, "no-deep", false, "emit top-level topics only")
	flag.BoolVar(&cfg.IPTCOnly, "iptc-only", false, "ablation: only the IPTC-derived lexicon")
	flag.BoolVar(&cfg.NoIPTC, "no-iptc", false, "ablation: leave out the IPTC-derived lexicon")
	flag.Float64Var(&cfg.TitleWeight, "title-weight", cfg.TitleWeight, "title evidence multiplier")
	flag.Float64Var(&cfg.LeadWeight, "lead-weight", cfg.LeadWeight, "first-sentence evidence multiplier")
	flag.Float64Var(&cfg.MinRelative, "min-relative", cfg.MinRelative, "drop topics below this fraction of the best")
	flag.BoolVar(&cfg.NoModel, "no-model", false, "ablation: leave out the learned model")
	flag.Float64Var(&cfg.ModelWeight, "model-weight", cfg.ModelWeight, "evidence the learned model adds")
	topicMap := flag.String("topic-map", "", "write {code: top-level code} JSON to this file and exit")
	asEngine := flag.Bool("engine", false, "as the default engine runs the stage: the entity stage's entities, and the knowledge base after the gazetteer")
	explain := flag.Bool("explain", false, "also write each source's evidence per top-level topic and the model's probabilities")
	flag.Parse()
	var rec *entities.Recognizer
	if *asEngine {
		ents, err := engine.TopicEntities()
		if err != nil {
			return err
		}
		cfg.Entities = ents
		if rec, err = entities.New(entities.Config{}); err != nil {
			return err
		}
	}
	tg, err := topics.New(cfg)
	if err != nil {
		return err
	}
	if *topicMap != "" {
		b, err := json.MarshalIndent(tg.TopLevel(), "", " ")
		if err != nil {
			return err
		}
		return os.WriteFile(*topicMap, b, 0o644)
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	var title, body text.Doc
	for in.Scan() {
		var a event.Article
		if err := json.Unmarshal(in.Bytes(), &a); err != nil {
			return fmt.Errorf("decode article: %w", err)
		}
		title.Reset(a.Title)
		body.Reset(a.Body)
		var ents []event.Entity
		if rec != nil {
			ents = rec.Entities(&body)
		}
		var v any
		if *explain {
			ex := tg.Explain(&title, &body, ents)
			v = struct {
				ID string `json:"id"`
				topics.Explanation
			}{a.ID, ex}
		} else {
			v = struct {
				ID     string        `json:"id"`
				Topics []event.Topic `json:"topics"`
			}{a.ID, tg.Topics(&title, &body, ents)}
		}
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	return in.Err()
}
