package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/newsenrich/newsenrich/internal/bench"
	"github.com/newsenrich/newsenrich/internal/eval"
	"github.com/newsenrich/newsenrich/processor/engine"
)

func benchCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: newsenrich bench [flags]

Measures articles/s, words/s, MB/s, per-article latency p50/p95/p99 and peak
RSS of (a) the processor alone with each --workers goroutine count, (b) the
full worker over the embedded broker (and a real one with --broker), drained
from a backlog and then paced at half of that peak for --paced, and (c) prose
as baselines: its model rebuilt per article (naive) and reused. Each mode
runs in its own child process so its peak RSS is its own.

`)
		fs.PrintDefaults()
	}
	o := bench.Options{Args: args}
	fs.StringVar(&o.Corpus, "corpus", "", "comma list of article files/dirs (default: the repo's sample articles plus the dev-set articles under --data)")
	fs.StringVar(&o.DataDir, "data", eval.FirstDir(eval.DataDirs(os.Getenv)), "shared data directory whose */dev/*.articles.jsonl join the default corpus")
	fs.StringVar(&o.Size, "size", "50MB", "bytes of input per processor/worker run (the corpus is repeated to reach it)")
	fs.StringVar(&o.Workers, "workers", "1,2", "processor goroutine counts to measure")
	fs.StringVar(&o.Brokers, "broker", "kfake", "brokers for the worker runs: kfake (embedded) and/or host:port[;host:port] for a real cluster, comma separated; none to skip")
	fs.StringVar(&o.Modes, "modes", "processor,worker,prose-reused,prose-naive", "modes to run")
	fs.IntVar(&o.Sample, "baseline-sample", 200, "articles for the prose-reused baseline (prose-naive uses a tenth, at least 5)")
	fs.IntVar(&o.NaiveSample, "naive-sample", 0, "articles for the prose-naive baseline (0 = baseline-sample/10)")
	fs.IntVar(&o.Concurrency, "worker-concurrency", 0, "the worker's NEWSENRICH_CONCURRENCY (0 = the worker's CPU count)")
	fs.StringVar(&o.PinWorker, "pin-worker", "", "CPU list (e.g. 0) the processor and worker runs are pinned to; the broker and the load generator get the other CPUs")
	fs.StringVar(&o.PacedTrace, "paced-trace", "", "path prefix: write a CPU profile (PREFIX.cpu.pprof) and an execution trace (PREFIX.trace) of the worker during the paced run")
	fs.IntVar(&o.Partitions, "partitions", 4, "partitions of the bench input topic")
	fs.DurationVar(&o.Paced, "paced", 10*time.Second, "how long the paced (half of peak) producer runs")
	fs.Float64Var(&o.PacedRate, "paced-rate", 0, "articles/s of the paced run (0 = half of the drained rate)")
	fs.StringVar(&o.Progress, "progress", "auto", "progress bars on stderr: auto (when a terminal), on, off")
	fs.BoolVar(&o.JSON, "json", false, "print the results as JSON instead of a table")
	fs.StringVar(&o.JSONOut, "json-out", "", "also write the results as JSON to this file")
	fs.StringVar(&o.Engine, "engine", engine.Default, "engine for the processor and worker modes: "+strings.Join(engine.Names, ", ")+" (none: decode and tokenize only, the pipeline's own cost)")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile (pprof) of the one-goroutine processor run here")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	return bench.Run(ctx, o, bench.EngineProcessor, stdout, stderr)
}
