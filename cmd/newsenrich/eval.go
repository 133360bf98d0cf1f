package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/eval"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/baseline"
	"github.com/newsenrich/newsenrich/processor/decode"
	"github.com/newsenrich/newsenrich/processor/engine"
)

// evalList collects a repeatable string flag.
type evalList []string

func (m *evalList) String() string     { return strings.Join(*m, ",") }
func (m *evalList) Set(s string) error { *m = append(*m, s); return nil }

// evalEngines are the processors eval can score.
var evalEngines = map[string]func(cfg processor.Config) (*processor.Processor, error){
	"default": engine.New,
	// prose's entity recogniser with its model built once; prose has no
	// quote or topic stage, so those figures are zero by construction.
	"prose": func(cfg processor.Config) (*processor.Processor, error) {
		return processor.New(cfg, baseline.Reused(), nil, nil), nil
	},
	"prose-naive": func(cfg processor.Config) (*processor.Processor, error) {
		return processor.New(cfg, baseline.Naive(), nil, nil), nil
	},
}

// evalDataDirs are where the shared data is looked for: $NEWSENRICH_DATA_DIR,
// then ../shared/data (CI clones the repo beside shared/).
func evalDataDirs() []string {
	var out []string
	if d := os.Getenv("NEWSENRICH_DATA_DIR"); d != "" {
		out = append(out, d)
	}
	return append(out, filepath.Join("..", "shared", "data"))
}

func evalFirstDir(dirs []string) string {
	for _, d := range dirs {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	return ""
}

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
		articles = fs.String("articles", "", "articles JSONL file")
		gold     = fs.String("gold", "", "gold JSONL file (default: the articles path with .gold.jsonl)")
		sets     evalList
		all      = fs.Bool("all", false, "every dev set under the data directory (DATA/*/dev/*.articles.jsonl) and in --sets")
		setsDir  = fs.String("sets", eval.RepoSetsDir, "folder of the repository's own sets (the modern Wikinews dev set), included by --all")
		dataDir  = fs.String("data", evalFirstDir(evalDataDirs()), "shared data directory holding */dev/ sets")
		engines  = fs.String("engine", "default", "comma list of engines: default, prose (model reused), prose-naive")
		asJSON   = fs.Bool("json", false, "print the reports as JSON instead of tables")
		asMD     = fs.Bool("markdown", false, "print one Markdown table of the headline figures, one column per engine")
		jsonOut  = fs.String("json-out", "", "also write the JSON reports to this file")
		predOut  = fs.String("pred-out", "", "write predictions JSONL here (a directory when several sets or engines run)")
		predIn   = fs.String("pred", "", "score this predictions JSONL instead of running an engine (one set)")
		mapName  = fs.String("map", "", "NER type map: conll | onto | none | A=B,C=D (default: as score.py)")
		minScore = fs.Float64("topic-min-score", -1, "ignore predicted topics scored below this (-1 = keep all)")
		limit    = fs.Int("limit", 0, "use only the first N articles of each set")
		workers  = fs.Int("workers", 1, "processor goroutines (1 gives words/s per core)")
		maxBytes = fs.Int("max-bytes", config.Default().MaxBytes, "decode limit per record, as the worker's NEWSENRICH_MAX_BYTES")
		floorsF  = fs.String("floors", "", "JSON file of floors {set: {figure: min}}; applied to the default engine")
		agree    = fs.String("agree", "", "score.py --json report for the same predictions: exit 1 unless every figure is equal (one set, one engine)")
		views    = fs.Bool("views", true, "also score short views of topic sets (SET@headline: headline only; SET@lead: headline and first sentence)")
		mins     evalList
	)
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

	// Which sets.
	type setPaths struct{ name, articles, gold string }
	var todo []setPaths
	dirs := []string{}
	if *dataDir != "" {
		dirs = append(dirs, *dataDir)
	}
	// a bare name may also be one of the repository's own sets
	// ("modern-dev-a"), looked up as a path prefix in --sets
	resolve := func(name string) (string, string, error) {
		a, g, err := eval.ResolveSet(name, dirs)
		if err != nil {
			if a2, g2, err2 := eval.ResolveSet(filepath.Join(*setsDir, name), nil); err2 == nil {
				return a2, g2, nil
			}
		}
		return a, g, err
	}
	if *all {
		if *dataDir == "" {
			return errors.New("--all: no data directory found; pass --data or set NEWSENRICH_DATA_DIR")
		}
		prefixes, err := eval.DevSets(*dataDir)
		if err != nil {
			return err
		}
		if own, err := eval.RepoSets(*setsDir); err == nil {
			prefixes = append(prefixes, own...)
		} else {
			fmt.Fprintf(stderr, "eval: --all: %v (run from the repository root, or pass --sets)\n", err)
		}
		for _, p := range prefixes {
			todo = append(todo, setPaths{eval.SetName(p), p + ".articles.jsonl", p + ".gold.jsonl"})
		}
	}
	for _, s := range sets {
		for _, name := range strings.Split(s, ",") {
			a, g, err := resolve(strings.TrimSpace(name))
			if err != nil {
				return err
			}
			todo = append(todo, setPaths{eval.SetName(a), a, g})
		}
	}
	if *articles != "" {
		g := *gold
		if g == "" {
			g = strings.TrimSuffix(*articles, ".articles.jsonl") + ".gold.jsonl"
		}
		todo = append(todo, setPaths{eval.SetName(*articles), *articles, g})
	}
	if len(todo) == 0 {
		fs.Usage()
		return errors.New("no set: give --set, --all or --articles/--gold")
	}

	// Floors.
	var floors []eval.Floor
	if *floorsF != "" {
		fl, err := eval.LoadFloors(*floorsF)
		if err != nil {
			return err
		}
		floors = append(floors, fl...)
	}
	for _, m := range mins {
		f, err := eval.ParseFloor(m)
		if err != nil {
			return err
		}
		floors = append(floors, f)
	}

	opt := eval.Options{MapName: *mapName}
	if *minScore >= 0 {
		opt.Topics.MinScore = minScore
	}
	engNames := strings.Split(*engines, ",")
	if *predIn != "" && (len(todo) != 1) {
		return errors.New("--pred scores one set: give exactly one --set or --articles")
	}
	multi := len(todo)*len(engNames) > 1
	// The worker's decode limits, so eval sees what production sees.
	cfg := processor.Config{
		Decode:  decode.Limits{MaxBytes: *maxBytes},
		Version: "eval",
	}

	var reports []*eval.Report
	procs := map[string]*processor.Processor{}
	for _, sp := range todo {
		set, err := eval.LoadSet(sp.name, sp.articles, sp.gold)
		if err != nil {
			return err
		}
		set.Limit(*limit)
		if *predIn != "" {
			d := eval.Diag{}
			preds, err := eval.ReadPredictions(*predIn, set, d)
			if err != nil {
				return err
			}
			o := opt
			o.Diag = d
			r, err := eval.Score(set, preds, o)
			if err != nil {
				return err
			}
			r.Engine = "pred-file"
			reports = append(reports, r)
			continue
		}
		runSets := []*eval.Set{set}
		if *views {
			runSets = append(runSets, eval.TopicViews(set)...)
		}
		for vi, set := range runSets {
			for _, en := range engNames {
				en = strings.TrimSpace(en)
				mk, ok := evalEngines[en]
				if !ok {
					return fmt.Errorf("unknown engine %q (want default, prose or prose-naive)", en)
				}
				p := procs[en]
				if p == nil {
					c := cfg
					c.Model = en
					if p, err = mk(c); err != nil {
						return fmt.Errorf("engine %s: %w", en, err)
					}
					procs[en] = p
				}
				fmt.Fprintf(stderr, "eval: %s on %s (%d articles)...\n", en, set.Name, len(set.Articles))
				preds, th, err := eval.Run(ctx, p, set, *workers)
				if err != nil {
					return err
				}
				r, err := eval.Score(set, preds, opt)
				if err != nil {
					return err
				}
				r.Engine, r.Throughput = en, &th
				reports = append(reports, r)
				// a short view's predictions go only into a directory of
				// predictions; a single --pred-out file holds the set itself
				if *predOut != "" && (multi || vi == 0) {
					path := *predOut
					if multi {
						if err := os.MkdirAll(path, 0o755); err != nil {
							return err
						}
						path = filepath.Join(path, set.Name+"."+en+".pred.jsonl")
					}
					if err := evalWriteFile(path, func(w io.Writer) error { return eval.WritePredictions(w, set, preds) }); err != nil {
						return err
					}
				}
			}
		}
	}

	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(reports); err != nil {
			return err
		}
	} else if *asMD {
		eval.WriteMarkdown(stdout, reports)
	} else {
		for _, r := range reports {
			r.WriteText(stdout)
			fmt.Fprintln(stdout)
		}
		if len(reports) > 1 {
			eval.WriteSummary(stdout, reports)
		}
	}
	if *jsonOut != "" {
		if err := evalWriteFile(*jsonOut, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(reports)
		}); err != nil {
			return err
		}
	}

	if *agree != "" {
		if len(reports) != 1 {
			return errors.New("--agree compares one report: give one set and one engine (or --pred)")
		}
		b, err := os.ReadFile(*agree)
		if err != nil {
			return err
		}
		diff, err := reports[0].CompareScorePy(b)
		if err != nil {
			return err
		}
		for _, d := range diff {
			fmt.Fprintln(stderr, "DIFFERS:", d)
		}
		if len(diff) > 0 {
			return fmt.Errorf("%s: %d figure(s) differ from score.py", reports[0].Set, len(diff))
		}
		fmt.Fprintf(stderr, "eval: %s: every figure agrees with score.py (%s)\n", reports[0].Set, *agree)
	}

	// Floors guard the engine we ship, not the baselines.
	var guarded []*eval.Report
	for _, r := range reports {
		if r.Engine == "default" || r.Engine == "pred-file" {
			guarded = append(guarded, r)
		}
	}
	if bad := eval.CheckFloors(guarded, floors); len(bad) > 0 {
		for _, b := range bad {
			fmt.Fprintln(stderr, "FLOOR:", b)
		}
		return fmt.Errorf("%d figure(s) below their floor", len(bad))
	}
	if len(floors) > 0 {
		fmt.Fprintf(stderr, "eval: all %d floor(s) met\n", len(floors))
	}
	return nil
}

func evalWriteFile(path string, f func(io.Writer) error) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := f(out); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
