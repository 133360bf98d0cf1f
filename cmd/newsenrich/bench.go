package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/newsenrich/newsenrich/internal/bench"
	"github.com/newsenrich/newsenrich/internal/eval"
	"github.com/newsenrich/newsenrich/internal/samples"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/baseline"
	"github.com/newsenrich/newsenrich/processor/engine"
)

// benchOpts are the flags shared by the parent run and its children.
type benchOpts struct {
	corpus      string
	dataDir     string
	size        string
	workers     string
	brokers     string
	modes       string
	sample      int
	naiveSample int
	concurrency int
	partitions  int
	paced       time.Duration
	pacedRate   float64
	progress    string
	asJSON      bool
	jsonOut     string
	cpuProfile  string
	engine      string
	// child mode
	child       string
	childN      int
	childBroker string
	childPrefix string
}

func (o *benchOpts) register(fs *flag.FlagSet) {
	fs.StringVar(&o.corpus, "corpus", "", "comma list of article files/dirs (default: the repo's sample articles plus the dev-set articles under --data)")
	fs.StringVar(&o.dataDir, "data", evalFirstDir(evalDataDirs()), "shared data directory whose */dev/*.articles.jsonl join the default corpus")
	fs.StringVar(&o.size, "size", "50MB", "bytes of input per processor/worker run (the corpus is repeated to reach it)")
	fs.StringVar(&o.workers, "workers", "1,2", "processor goroutine counts to measure")
	fs.StringVar(&o.brokers, "broker", "kfake", "brokers for the worker runs: kfake (embedded) and/or host:port[;host:port] for a real cluster, comma separated; none to skip")
	fs.StringVar(&o.modes, "modes", "processor,worker,prose-reused,prose-naive", "modes to run")
	fs.IntVar(&o.sample, "baseline-sample", 200, "articles for the prose-reused baseline (prose-naive uses a tenth, at least 5)")
	fs.IntVar(&o.naiveSample, "naive-sample", 0, "articles for the prose-naive baseline (0 = baseline-sample/10)")
	fs.IntVar(&o.concurrency, "worker-concurrency", runtime.NumCPU(), "the worker's NEWSENRICH_CONCURRENCY")
	fs.IntVar(&o.partitions, "partitions", 4, "partitions of the bench input topic")
	fs.DurationVar(&o.paced, "paced", 10*time.Second, "how long the paced (half of peak) producer runs")
	fs.Float64Var(&o.pacedRate, "paced-rate", 0, "articles/s of the paced run (0 = half of the drained rate)")
	fs.StringVar(&o.progress, "progress", "auto", "progress bars on stderr: auto (when a terminal), on, off")
	fs.BoolVar(&o.asJSON, "json", false, "print the results as JSON instead of a table")
	fs.StringVar(&o.jsonOut, "json-out", "", "also write the results as JSON to this file")
	fs.StringVar(&o.engine, "engine", "default", "engine for the processor and worker modes: default, or none (decode and tokenize only: the pipeline's own cost)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile (pprof) of the one-goroutine processor run here")
	fs.StringVar(&o.child, "mode", "", "internal: run one mode in this process and print its result as JSON")
	fs.IntVar(&o.childN, "n", 0, "internal: articles for --mode")
	fs.StringVar(&o.childBroker, "child-brokers", "", "internal: brokers for --mode worker")
	fs.StringVar(&o.childPrefix, "child-prefix", "", "internal: topic prefix for --mode worker")
}

func benchCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
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
	var o benchOpts
	o.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if o.child != "" {
		return benchChild(ctx, &o)
	}
	return benchParent(ctx, &o, args)
}

// benchCorpus loads the corpus named by the flags.
func benchCorpus(o *benchOpts) (*bench.Corpus, error) {
	c := &bench.Corpus{}
	if o.corpus != "" {
		for _, p := range strings.Split(o.corpus, ",") {
			if err := c.AddPath(strings.TrimSpace(p)); err != nil {
				return nil, err
			}
		}
	} else {
		c.AddRaw("repo internal/samples", samples.All())
		if o.dataDir != "" {
			if sets, err := eval.DevSets(o.dataDir); err == nil {
				for _, s := range sets {
					if err := c.AddPath(s + ".articles.jsonl"); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	if len(c.Records) == 0 {
		return nil, errors.New("empty corpus")
	}
	return c, nil
}

func benchProgressOn(mode string) bool {
	switch mode {
	case "on":
		return true
	case "off":
		return false
	}
	st, err := os.Stderr.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func benchBar(on bool, n int, desc string) *progressbar.ProgressBar {
	if !on {
		return nil
	}
	return progressbar.NewOptions(n, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("articles"),
		progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish(), progressbar.OptionSetWidth(30))
}

// benchProgress adapts a possibly-nil bar to bench.Progress.
func benchProgress(b *progressbar.ProgressBar) bench.Progress {
	if b == nil {
		return nil
	}
	return b
}

func benchProc(mode, eng string, cfg processor.Config) (*processor.Processor, error) {
	switch mode {
	case bench.ModeProseNaive:
		return processor.New(cfg, baseline.Naive(), nil, nil), nil
	case bench.ModeProseReused:
		return processor.New(cfg, baseline.Reused(), nil, nil), nil
	}
	switch eng {
	case "default":
		return engine.New(cfg)
	case "none":
		return processor.New(cfg, nil, nil, nil), nil
	}
	return nil, fmt.Errorf("unknown --engine %q (want default or none)", eng)
}

// benchChild runs one mode and prints its Result as JSON on stdout.
func benchChild(ctx context.Context, o *benchOpts) error {
	c, err := benchCorpus(o)
	if err != nil {
		return err
	}
	prog := benchProgressOn(o.progress)
	if o.child == "worker" {
		t := bench.NewTopics(o.childPrefix)
		cfg := bench.WorkerConfig(strings.Split(o.childBroker, ";"), t, o.concurrency)
		p, err := benchProc("worker", o.engine, bench.ProcessorConfig(cfg, o.engine))
		if err != nil {
			return err
		}
		log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		return bench.RunWorker(ctx, cfg, p, log)
	}
	workers := 1
	if o.workers != "" {
		if workers, err = strconv.Atoi(o.workers); err != nil {
			return fmt.Errorf("--workers in a child is one number: %w", err)
		}
	}
	corpus := c
	n := o.childN
	if o.child != "processor" {
		corpus = c.Sample(n)
		n = len(corpus.Records)
	}
	cfg := bench.ProcessorConfig(bench.WorkerConfig(nil, bench.Topics{}, 0), o.child)
	p, err := benchProc(o.child, o.engine, cfg)
	if err != nil {
		return err
	}
	bar := benchBar(prog, n, fmt.Sprintf("%s x%d", o.child, workers))
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	r := bench.RunProcessor(ctx, o.child, p, corpus, n, workers, benchProgress(bar))
	if o.cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if bar != nil {
		_ = bar.Finish()
	}
	r.PeakRSSMiB = bench.PeakRSS(0)
	if o.child != "processor" {
		r.Note = fmt.Sprintf("sample of %d articles spread over the corpus", n)
	}
	return json.NewEncoder(os.Stdout).Encode(r)
}

// benchChildArgs are the flags every child gets: the same corpus.
func benchChildArgs(o *benchOpts) []string {
	return []string{"bench", "--corpus=" + o.corpus, "--data=" + o.dataDir, "--engine=" + o.engine, "--progress=" + map[bool]string{true: "on", false: "off"}[benchProgressOn(o.progress)]}
}

func benchRunChild(ctx context.Context, o *benchOpts, extra ...string) (bench.Result, error) {
	var r bench.Result
	exe, err := os.Executable()
	if err != nil {
		return r, err
	}
	cmd := exec.CommandContext(ctx, exe, append(benchChildArgs(o), extra...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	if err := cmd.Run(); err != nil {
		return r, fmt.Errorf("bench child %v: %w", extra, err)
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return r, fmt.Errorf("bench child %v printed %q: %w", extra, out.String(), err)
	}
	return r, nil
}

func benchParent(ctx context.Context, o *benchOpts, args []string) error {
	c, err := benchCorpus(o)
	if err != nil {
		return err
	}
	size, err := bench.ParseSize(o.size)
	if err != nil {
		return err
	}
	n := c.Count(size)
	modes := map[string]bool{}
	for _, m := range strings.Split(o.modes, ",") {
		modes[strings.TrimSpace(m)] = true
	}
	fmt.Fprintf(os.Stderr, "bench: corpus %d articles, %.2f MB, %d words (%s; %d skipped); runs of %d articles (%.1f MB)\n",
		len(c.Records), float64(c.Bytes())/1e6, c.Words(), strings.Join(c.Sources, ", "), c.Skipped, n, float64(size)/1e6)

	// A mode that fails is reported and the others still run; the command
	// then exits non-zero.
	var rows []bench.Result
	var failed []string
	fail := func(mode string, err error) {
		fmt.Fprintf(os.Stderr, "bench: %s failed: %v\n", mode, err)
		failed = append(failed, mode)
	}
	if modes["processor"] {
		for _, w := range strings.Split(o.workers, ",") {
			extra := []string{"--mode=processor", "--workers=" + strings.TrimSpace(w), "--n=" + strconv.Itoa(n)}
			if o.cpuProfile != "" && strings.TrimSpace(w) == "1" {
				extra = append(extra, "--cpuprofile="+o.cpuProfile)
			}
			r, err := benchRunChild(ctx, o, extra...)
			if err != nil {
				fail("processor x"+w, err)
				continue
			}
			rows = append(rows, r)
		}
	}
	if modes["worker"] && o.brokers != "none" {
		for _, b := range strings.Split(o.brokers, ",") {
			b = strings.TrimSpace(b)
			drain, paced, err := benchWorker(ctx, o, c, n, b)
			if err != nil {
				fail("worker over "+b, err)
			}
			for _, r := range []bench.Result{drain, paced} {
				if r.Articles > 0 {
					rows = append(rows, r)
				}
			}
		}
	}
	naive := o.naiveSample
	if naive <= 0 {
		naive = max(o.sample/10, 5)
	}
	for _, m := range []struct {
		mode string
		n    int
	}{{bench.ModeProseReused, o.sample}, {bench.ModeProseNaive, naive}} {
		if !modes[m.mode] {
			continue
		}
		r, err := benchRunChild(ctx, o, "--mode="+m.mode, "--workers=1", "--n="+strconv.Itoa(m.n))
		if err != nil {
			fail(m.mode, err)
			continue
		}
		rows = append(rows, r)
	}
	var failErr error
	if len(failed) > 0 {
		failErr = fmt.Errorf("modes failed: %s", strings.Join(failed, ", "))
	}

	if o.jsonOut != "" {
		if err := evalWriteFile(o.jsonOut, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(rows)
		}); err != nil {
			return err
		}
	}
	if o.asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return errors.Join(enc.Encode(rows), failErr)
	}
	fmt.Printf("newsenrich bench %s\n", strings.Join(args, " "))
	if o.engine != "default" {
		fmt.Printf("engine: %s (processor and worker modes)\n", o.engine)
	}
	fmt.Printf("machine: %d CPUs (%s), %s; corpus %d articles / %.2f MB / %d words, repeated to %d articles per run\n\n",
		runtime.NumCPU(), benchCPUModel(), runtime.Version(), len(c.Records), float64(c.Bytes())/1e6, c.Words(), n)
	bench.WriteTable(os.Stdout, rows)
	fmt.Println()
	bench.WriteTargets(os.Stdout, bench.Targets(rows, "worker kfake", "worker kfake @50%", o.concurrency))
	return failErr
}

// benchWorker measures the worker over one broker: a backlog of n records
// drained as fast as it goes, then a producer paced at half that rate.
func benchWorker(ctx context.Context, o *benchOpts, c *bench.Corpus, n int, broker string) (drain, paced bench.Result, err error) {
	name := "kfake"
	var addrs []string
	if broker == "kfake" {
		a, stop, err := bench.Embedded()
		if err != nil {
			return drain, paced, err
		}
		defer stop()
		addrs = a
	} else {
		name = "broker"
		addrs = strings.Split(broker, ";")
	}
	t := bench.NewTopics(fmt.Sprintf("bench-%d-%d", os.Getpid(), time.Now().UnixNano()))
	load, err := bench.NewLoad(ctx, addrs, t, int32(o.partitions), n)
	if err != nil {
		return drain, paced, err
	}
	defer load.Close()
	if broker != "kfake" {
		defer func() {
			dctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			_ = load.DeleteTopics(dctx)
			cancel()
		}()
	}
	prog := benchProgressOn(o.progress)
	bar := benchBar(prog, n, "producing backlog ("+name+")")
	if err := load.Backlog(ctx, c, n, benchProgress(bar)); err != nil {
		return drain, paced, err
	}
	if bar != nil {
		_ = bar.Finish()
	}

	cctx, stopCollect := context.WithCancel(ctx)
	defer stopCollect()
	bar = benchBar(prog, n, fmt.Sprintf("worker over %s", name))
	go load.Collect(cctx, n, benchProgress(bar))

	exe, err := os.Executable()
	if err != nil {
		return drain, paced, err
	}
	cmd := exec.Command(exe, append(benchChildArgs(o), "--mode=worker", "--child-brokers="+strings.Join(addrs, ";"),
		"--child-prefix="+strings.TrimSuffix(t.Input, ".raw"), "--worker-concurrency="+strconv.Itoa(o.concurrency))...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return drain, paced, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stopChild := func() (float64, error) {
		rss := bench.PeakRSS(cmd.Process.Pid)
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			return rss, err
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			return rss, errors.New("worker did not stop within 30s of SIGTERM")
		}
	}
	waitOrDie := func(total int, stall time.Duration) error {
		wctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() {
			select {
			case err := <-exited:
				exited <- err // keep it for stopChild
				cancel()
			case <-wctx.Done():
			}
		}()
		err := load.WaitFor(wctx, total, stall)
		if err != nil && ctx.Err() == nil && wctx.Err() != nil {
			return errors.New("worker exited early")
		}
		return err
	}

	if err := waitOrDie(n, 120*time.Second); err != nil {
		_, _ = stopChild()
		return drain, paced, err
	}
	if bar != nil {
		_ = bar.Finish()
	}
	drain = load.DrainResult("worker "+name, c, n, o.concurrency)

	rate := drain.ArticlesPerSec / 2
	if o.pacedRate > 0 {
		rate = o.pacedRate
	}
	m := max(int(rate*o.paced.Seconds()), 1)
	load.Grow(n + m)
	fmt.Fprintf(os.Stderr, "bench: worker over %s drained %d articles at %.0f/s; pacing %d articles at %.0f/s\n", name, n, drain.ArticlesPerSec, m, rate)
	t0 := time.Now()
	if err := load.Paced(ctx, c, n, m, rate); err != nil {
		_, _ = stopChild()
		return drain, paced, err
	}
	if err := waitOrDie(n+m, 60*time.Second); err != nil {
		_, _ = stopChild()
		return drain, paced, err
	}
	label := "worker " + name + " @50%"
	if o.pacedRate > 0 {
		label = fmt.Sprintf("worker %s @%.0f/s", name, rate)
	}
	paced = load.PacedResult(label, c, n, m, o.concurrency, rate, time.Since(t0))
	rss, err := stopChild()
	drain.PeakRSSMiB, paced.PeakRSSMiB = rss, rss
	if d := load.Duplicates(); d > 0 {
		paced.Note += fmt.Sprintf("; %d duplicate outputs", d)
	}
	if err != nil {
		return drain, paced, fmt.Errorf("worker exit: %w", err)
	}
	return drain, paced, nil
}

func benchCPUModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
