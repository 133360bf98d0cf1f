package eval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/decode"
	"github.com/newsenrich/newsenrich/processor/engine"
)

// ErrNoSet is returned by Job.Run when the job names no set to score.
var ErrNoSet = errors.New("no set: give --set, --all or --articles/--gold")

// Engine names eval accepts besides the registry's own; eval has always
// called prose's entity recogniser alone "prose", with no quote or topic
// stage, so its quote and topic figures are zero by construction.
var engineAliases = map[string]string{
	engine.Prose: engine.ProseEntities,
}

// Engines are the engine names eval knows: ours, the prose baselines, and
// the registry's stage-less engine.
var Engines = []string{engine.Default, engine.Prose, engine.ProseNaive, engine.None}

// BuildEngine builds the processor eval scores under an engine name: an
// alias above, or a name of the engine registry.
func BuildEngine(name string, cfg processor.Config) (*processor.Processor, error) {
	n := name
	if a, ok := engineAliases[name]; ok {
		n = a
	}
	if !engine.Known(n) && !slices.Contains(engine.Baselines, n) {
		return nil, fmt.Errorf("unknown engine %q (want %s)", name, strings.Join(Engines, ", "))
	}
	return engine.Build(n, cfg)
}

// DataDirs are where the shared data is looked for: $NEWSENRICH_DATA_DIR,
// then ../shared/data (CI clones the repo beside shared/).
func DataDirs(getenv func(string) string) []string {
	var out []string
	if d := getenv("NEWSENRICH_DATA_DIR"); d != "" {
		out = append(out, d)
	}
	return append(out, filepath.Join("..", "shared", "data"))
}

// FirstDir is the first of dirs that is a directory, or "".
func FirstDir(dirs []string) string {
	for _, d := range dirs {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	return ""
}

// Job is one eval command: which sets, which engines, which outputs, which
// floors.
type Job struct {
	Articles string   // an articles JSONL file
	Gold     string   // its gold file (default: the articles path with .gold.jsonl)
	Sets     []string // set names or path prefixes; each may be a comma list
	All      bool     // every dev set under DataDir and in SetsDir
	SetsDir  string   // the repository's own sets
	DataDir  string   // shared data directory holding */dev/ sets

	Engines  []string // engine names (see BuildEngine)
	PredIn   string   // score this predictions file instead of running an engine (one set)
	Score    Options  // type map and topic options
	Limit    int      // only the first N articles of each set (0: all)
	Workers  int      // processor goroutines
	MaxBytes int      // decode limit per record, as the worker's
	Views    bool     // also score the short views of topic sets

	JSON     bool   // print the reports as JSON
	Markdown bool   // print one Markdown table of the headline figures
	JSONOut  string // also write the JSON reports here
	PredOut  string // write predictions here (a directory when several sets or engines run, or when it is one)

	FloorsFile string   // JSON file of floors
	Mins       []string // [set:]figure=min floors
	Agree      string   // score.py --json report the one report must equal
}

type setPaths struct{ name, articles, gold string }

// resolve finds a named set in DataDir, or else among the repository's own
// sets ("modern-dev-a"), looked up as a path prefix in SetsDir.
func (j Job) resolve(name string) (string, string, error) {
	var dirs []string
	if j.DataDir != "" {
		dirs = append(dirs, j.DataDir)
	}
	a, g, err := ResolveSet(name, dirs)
	if err != nil {
		if a2, g2, err2 := ResolveSet(filepath.Join(j.SetsDir, name), nil); err2 == nil {
			return a2, g2, nil
		}
	}
	return a, g, err
}

// sets lists the sets the job scores, in order: --all, --set, --articles.
func (j Job) sets(stderr io.Writer) ([]setPaths, error) {
	var todo []setPaths
	if j.All {
		if j.DataDir == "" {
			return nil, errors.New("--all: no data directory found; pass --data or set NEWSENRICH_DATA_DIR")
		}
		prefixes, err := DevSets(j.DataDir)
		if err != nil {
			return nil, err
		}
		if own, err := RepoSets(j.SetsDir); err == nil {
			prefixes = append(prefixes, own...)
		} else {
			fmt.Fprintf(stderr, "eval: --all: %v (run from the repository root, or pass --sets)\n", err)
		}
		for _, p := range prefixes {
			todo = append(todo, setPaths{SetName(p), p + ".articles.jsonl", p + ".gold.jsonl"})
		}
	}
	for _, s := range j.Sets {
		for _, name := range strings.Split(s, ",") {
			a, g, err := j.resolve(strings.TrimSpace(name))
			if err != nil {
				return nil, err
			}
			todo = append(todo, setPaths{SetName(a), a, g})
		}
	}
	if j.Articles != "" {
		g := j.Gold
		if g == "" {
			g = strings.TrimSuffix(j.Articles, ".articles.jsonl") + ".gold.jsonl"
		}
		todo = append(todo, setPaths{SetName(j.Articles), j.Articles, g})
	}
	if len(todo) == 0 {
		return nil, ErrNoSet
	}
	return todo, nil
}

func (j Job) floors() ([]Floor, error) {
	var floors []Floor
	if j.FloorsFile != "" {
		fl, err := LoadFloors(j.FloorsFile)
		if err != nil {
			return nil, err
		}
		floors = append(floors, fl...)
	}
	for _, m := range j.Mins {
		f, err := ParseFloor(m)
		if err != nil {
			return nil, err
		}
		floors = append(floors, f)
	}
	return floors, nil
}

// Run scores every set with every engine (or the predictions file), writes
// the reports to stdout (and the files asked for), progress and verdicts to
// stderr, and fails when a figure of the default engine is below its floor
// or differs from the score.py report.
func (j Job) Run(ctx context.Context, stdout, stderr io.Writer) error {
	todo, err := j.sets(stderr)
	if err != nil {
		return err
	}
	floors, err := j.floors()
	if err != nil {
		return err
	}
	if j.PredIn != "" && len(todo) != 1 {
		return errors.New("--pred scores one set: give exactly one --set or --articles")
	}
	reports, err := j.score(ctx, todo, stderr)
	if err != nil {
		return err
	}
	if err := j.write(reports, stdout); err != nil {
		return err
	}
	if j.Agree != "" {
		if err := agree(reports, j.Agree, stderr); err != nil {
			return err
		}
	}
	// Floors guard the engine we ship, not the baselines.
	var guarded []*Report
	for _, r := range reports {
		if r.Engine == engine.Default || r.Engine == "pred-file" {
			guarded = append(guarded, r)
		}
	}
	if bad := CheckFloors(guarded, floors); len(bad) > 0 {
		for _, b := range bad {
			fmt.Fprintln(stderr, "FLOOR:", b)
		}
		return fmt.Errorf("%d figure(s) below their floor or above their ceiling", len(bad))
	}
	if len(floors) > 0 {
		fmt.Fprintf(stderr, "eval: all %d floor(s) met\n", len(floors))
	}
	return nil
}

// score runs the engines (or reads the predictions) over every set and its
// views, building each engine once.
func (j Job) score(ctx context.Context, todo []setPaths, stderr io.Writer) ([]*Report, error) {
	// Predictions go into a directory, one file per set, view and engine,
	// when several sets or engines run or when --pred-out names a directory
	// (so that one set's views can be written too).
	multi := len(todo)*len(j.Engines) > 1 || isDir(j.PredOut)
	// The worker's decode limits, so eval sees what production sees.
	cfg := processor.Config{
		Decode:  decode.Limits{MaxBytes: j.MaxBytes},
		Version: "eval",
	}
	var reports []*Report
	procs := map[string]*processor.Processor{}
	for _, sp := range todo {
		set, err := LoadSet(sp.name, sp.articles, sp.gold)
		if err != nil {
			return nil, err
		}
		set.Limit(j.Limit)
		if j.PredIn != "" {
			d := Diag{}
			preds, err := ReadPredictions(j.PredIn, set, d)
			if err != nil {
				return nil, err
			}
			o := j.Score
			o.Diag = d
			r, err := Score(set, preds, o)
			if err != nil {
				return nil, err
			}
			r.Engine = "pred-file"
			reports = append(reports, r)
			continue
		}
		runSets := []*Set{set}
		if j.Views {
			runSets = append(runSets, TopicViews(set)...)
		}
		for vi, set := range runSets {
			for _, en := range j.Engines {
				en = strings.TrimSpace(en)
				p := procs[en]
				if p == nil {
					c := cfg
					c.Model = en
					if p, err = BuildEngine(en, c); err != nil {
						return nil, fmt.Errorf("engine %s: %w", en, err)
					}
					procs[en] = p
				}
				fmt.Fprintf(stderr, "eval: %s on %s (%d articles)...\n", en, set.Name, len(set.Articles))
				preds, th, err := Run(ctx, p, set, j.Workers)
				if err != nil {
					return nil, err
				}
				r, err := Score(set, preds, j.Score)
				if err != nil {
					return nil, err
				}
				r.Engine, r.Throughput = en, &th
				reports = append(reports, r)
				// a short view's predictions go only into a directory of
				// predictions; a single --pred-out file holds the set itself
				if j.PredOut != "" && (multi || vi == 0) {
					path := j.PredOut
					if multi {
						if err := os.MkdirAll(path, 0o755); err != nil {
							return nil, err
						}
						path = filepath.Join(path, set.Name+"."+en+".pred.jsonl")
					}
					if err := writeFile(path, func(w io.Writer) error { return WritePredictions(w, set, preds) }); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	return reports, nil
}

// write prints the reports in the form asked for and writes the JSON file.
func (j Job) write(reports []*Report, stdout io.Writer) error {
	switch {
	case j.JSON:
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(reports); err != nil {
			return err
		}
	case j.Markdown:
		WriteMarkdown(stdout, reports)
	default:
		for _, r := range reports {
			r.WriteText(stdout)
			fmt.Fprintln(stdout)
		}
		if len(reports) > 1 {
			WriteSummary(stdout, reports)
		}
	}
	if j.JSONOut != "" {
		return writeFile(j.JSONOut, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(reports)
		})
	}
	return nil
}

// agree compares the one report with a score.py --json report.
func agree(reports []*Report, path string, stderr io.Writer) error {
	if len(reports) != 1 {
		return errors.New("--agree compares one report: give one set and one engine (or --pred)")
	}
	b, err := os.ReadFile(path)
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
	fmt.Fprintf(stderr, "eval: %s: every figure agrees with score.py (%s)\n", reports[0].Set, path)
	return nil
}

func writeFile(path string, f func(io.Writer) error) error {
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

// isDir reports a path that is a directory, or is meant as one (a trailing
// separator).
func isDir(path string) bool {
	if path == "" {
		return false
	}
	if os.IsPathSeparator(path[len(path)-1]) {
		return true
	}
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
