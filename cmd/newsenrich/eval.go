package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/eval"
)

// evalList collects a repeatable string flag.
type evalList []string

func (m *evalList) String() string     { return strings.Join(*m, ",") }
func (m *evalList) Set(s string) error { *m = append(*m, s); return nil }

// evalCommand scores engines on gold sets (package eval).
func evalCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: newsenrich eval (--set NAME|--all|--articles F --gold F) [flags]

Runs the processor over an articles JSONL file (each line fed as a raw record,
as the worker would) and scores it against a gold JSONL file: entities (exact
span, by type, mention and document level), quotes (>=50% overlap, speaker
accuracy), topics (top-1, micro-F1) — whichever the gold file has — plus
words/s. The scoring is a port of shared/tools/score.py.

`)
		fs.PrintDefaults()
	}
	var (
		j        eval.Job
		sets     evalList
		mins     evalList
		engines  string
		minScore float64
	)
	fs.StringVar(&j.Articles, "articles", "", "articles JSONL file")
	fs.StringVar(&j.Gold, "gold", "", "gold JSONL file (default: the articles path with .gold.jsonl)")
	fs.BoolVar(&j.All, "all", false, "every dev set under the data directory (DATA/*/dev/*.articles.jsonl) and in --sets")
	fs.StringVar(&j.SetsDir, "sets", eval.RepoSetsDir, "folder of the repository's own sets (the modern Wikinews dev set), included by --all")
	fs.StringVar(&j.DataDir, "data", eval.FirstDir(eval.DataDirs(os.Getenv)), "shared data directory holding */dev/ sets")
	fs.StringVar(&engines, "engine", "default", "comma list of engines: "+strings.Join(eval.Engines, ", ")+" (prose: its entity recogniser alone, model reused; prose-naive: rebuilt per article)")
	fs.BoolVar(&j.JSON, "json", false, "print the reports as JSON instead of tables")
	fs.BoolVar(&j.Markdown, "markdown", false, "print one Markdown table of the headline figures, one column per engine")
	fs.StringVar(&j.JSONOut, "json-out", "", "also write the JSON reports to this file")
	fs.StringVar(&j.PredOut, "pred-out", "", "write predictions JSONL here (a directory, one file per set, view and engine, when several sets or engines run or when it names a directory or ends in /)")
	fs.StringVar(&j.PredIn, "pred", "", "score this predictions JSONL instead of running an engine (one set)")
	fs.StringVar(&j.Score.MapName, "map", "", "NER type map: conll | onto | none | A=B,C=D (default: as score.py)")
	fs.Float64Var(&minScore, "topic-min-score", -1, "ignore predicted topics scored below this (-1 = keep all)")
	fs.IntVar(&j.Limit, "limit", 0, "use only the first N articles of each set")
	fs.IntVar(&j.Workers, "workers", 1, "processor goroutines (1 gives words/s per core)")
	fs.IntVar(&j.MaxBytes, "max-bytes", config.Default().MaxBytes, "decode limit per record, as the worker's NEWSENRICH_MAX_BYTES")
	fs.StringVar(&j.FloorsFile, "floors", "", "JSON file of floors {set: {figure: min}}; applied to the default engine")
	fs.StringVar(&j.Agree, "agree", "", "score.py --json report for the same predictions: exit 1 unless every figure is equal (one set, one engine)")
	fs.BoolVar(&j.Views, "views", true, "also score short views of topic sets (SET@headline: headline only; SET@lead: headline and first sentence; SET@headline-tc, SET@lead-tc: the same with the headline in Title Case)")
	fs.Var(&sets, "set", "set name (conll2003-dev) or path prefix (.../conll2003-dev); repeatable")
	fs.Var(&mins, "min", "floor [set:]figure=min, e.g. ner.PER+ORG+LOC.f1=0.70; repeatable; exit 1 when below")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	j.Sets, j.Mins, j.Engines = sets, mins, strings.Split(engines, ",")
	if minScore >= 0 {
		j.Score.Topics.MinScore = &minScore
	}
	err := j.Run(ctx, stdout, stderr)
	if errors.Is(err, eval.ErrNoSet) {
		fs.Usage()
	}
	return err
}
