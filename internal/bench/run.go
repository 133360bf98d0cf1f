package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/newsenrich/newsenrich/internal/eval"
	"github.com/newsenrich/newsenrich/internal/samples"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/engine"
)

// Options are the bench command's settings.
type Options struct {
	Corpus      string        // comma list of article files/dirs; empty: samples plus DataDir's dev sets
	DataDir     string        // shared data directory whose */dev/*.articles.jsonl join the default corpus
	Size        string        // input bytes per processor/worker run
	Workers     string        // processor goroutine counts, comma list
	Brokers     string        // kfake and/or host:port[;host:port], comma list; none to skip
	Modes       string        // modes to run, comma list
	Sample      int           // articles for the prose-reused baseline
	NaiveSample int           // articles for the prose-naive baseline (0: Sample/10, at least 5)
	Concurrency int           // the worker's concurrency (0: its CPU count)
	Partitions  int           // partitions of the input topic
	Paced       time.Duration // how long the paced producer runs
	PacedRate   float64       // articles/s of the paced run (0: half of the drained rate)
	Progress    string        // auto, on, off
	JSON        bool          // print results as JSON instead of a table
	JSONOut     string        // also write the results as JSON to this file
	CPUProfile  string        // CPU profile of the one-goroutine processor run
	PinWorker   string        // CPU list the children run on; the parent takes the other CPUs
	PacedTrace  string        // path prefix for a CPU profile and an execution trace of the worker's paced run
	Engine      string        // engine of the processor and worker modes
	Args        []string      // the command line, echoed above the table
}

// NewProcessor builds the processor of a mode: the prose baselines, or the
// named engine for the processor and worker modes.
type NewProcessor func(mode, engine string, cfg processor.Config) (*processor.Processor, error)

// EngineProcessor is the NewProcessor the command uses: the prose baseline
// modes get the registry's prose baselines, every other mode the named
// engine of the registry.
func EngineProcessor(mode, name string, cfg processor.Config) (*processor.Processor, error) {
	switch mode {
	case ModeProseNaive:
		name = engine.ProseNaive
	case ModeProseReused:
		name = engine.ProseEntities
	}
	return engine.Build(name, cfg)
}

// Run measures every mode in Options and prints the table (or JSON) to
// stdout; progress and notes go to stderr. Inside a child process it runs
// that child's one mode instead.
func Run(ctx context.Context, o Options, newProc NewProcessor, stdout, stderr io.Writer) error {
	if spec := os.Getenv(childEnv); spec != "" {
		var job childJob
		if err := json.Unmarshal([]byte(spec), &job); err != nil {
			return fmt.Errorf("%s: %w", childEnv, err)
		}
		return runChild(ctx, job, newProc, stdout, stderr)
	}
	return runParent(ctx, o, stdout, stderr)
}

// loadCorpus loads the corpus named by the options.
func loadCorpus(o Options) (*Corpus, error) {
	c := &Corpus{}
	if o.Corpus != "" {
		for _, p := range strings.Split(o.Corpus, ",") {
			if err := c.AddPath(strings.TrimSpace(p)); err != nil {
				return nil, err
			}
		}
	} else {
		c.AddRaw("repo internal/samples", samples.All())
		if o.DataDir != "" {
			if sets, err := eval.DevSets(o.DataDir); err == nil {
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
	c.Interleave()
	return c, nil
}

func progressOn(mode string, stderr io.Writer) bool {
	switch mode {
	case "on":
		return true
	case "off":
		return false
	}
	f, ok := stderr.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// newBar returns a progress bar, or nil (a valid Progress) when off.
func newBar(on bool, stderr io.Writer, n int, desc string) *progressbar.ProgressBar {
	if !on {
		return nil
	}
	return progressbar.NewOptions(n, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("articles"),
		progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish(), progressbar.OptionSetWidth(30))
}

func asProgress(b *progressbar.ProgressBar) Progress {
	if b == nil {
		return nil
	}
	return b
}

func finishBar(b *progressbar.ProgressBar) {
	if b != nil {
		_ = b.Finish()
	}
}

func runParent(ctx context.Context, o Options, stdout, stderr io.Writer) error {
	c, err := loadCorpus(o)
	if err != nil {
		return err
	}
	size, err := ParseSize(o.Size)
	if err != nil {
		return err
	}
	n := c.Count(size)
	quietParentGC(os.Getenv)
	layout, err := pinParent(&o)
	if err != nil {
		return err
	}
	modes := map[string]bool{}
	for _, m := range strings.Split(o.Modes, ",") {
		modes[strings.TrimSpace(m)] = true
	}
	// Children report progress only when the parent would.
	child := o
	child.Progress = map[bool]string{true: "on", false: "off"}[progressOn(o.Progress, stderr)]
	fmt.Fprintf(stderr, "bench: corpus %d articles, %.2f MB, %d words (%s; %d skipped); runs of %d articles (%.1f MB)\n",
		len(c.Records), float64(c.Bytes())/1e6, c.Words(), strings.Join(c.Sources, ", "), c.Skipped, n, float64(size)/1e6)

	// A mode that fails is reported and the others still run; the command
	// then exits non-zero.
	var rows []Result
	var failed []string
	fail := func(mode string, err error) {
		fmt.Fprintf(stderr, "bench: %s failed: %v\n", mode, err)
		failed = append(failed, mode)
	}
	if modes["processor"] {
		for _, w := range strings.Split(o.Workers, ",") {
			job := childJob{Mode: "processor", N: n, Options: child}
			if _, err := fmt.Sscan(strings.TrimSpace(w), &job.Workers); err != nil {
				return fmt.Errorf("--workers: %q is not a number", w)
			}
			if job.Workers == 1 {
				job.CPUProfile = o.CPUProfile
			}
			r, err := runChildProcess(ctx, job, stderr)
			if err != nil {
				fail("processor x"+w, err)
				continue
			}
			rows = append(rows, r)
		}
	}
	if modes["worker"] && o.Brokers != "none" {
		for _, b := range strings.Split(o.Brokers, ",") {
			b = strings.TrimSpace(b)
			drain, paced, err := benchWorker(ctx, child, c, n, b, stderr)
			if err != nil {
				fail("worker over "+b, err)
			}
			for _, r := range []Result{drain, paced} {
				if r.Articles > 0 {
					rows = append(rows, r)
				}
			}
		}
	}
	naive := o.NaiveSample
	if naive <= 0 {
		naive = max(o.Sample/10, 5)
	}
	for _, m := range []struct {
		mode string
		n    int
	}{{ModeProseReused, o.Sample}, {ModeProseNaive, naive}} {
		if !modes[m.mode] {
			continue
		}
		r, err := runChildProcess(ctx, childJob{Mode: m.mode, Workers: 1, N: m.n, Options: child}, stderr)
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

	if o.JSONOut != "" {
		if err := writeJSONFile(o.JSONOut, rows); err != nil {
			return err
		}
	}
	if o.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return errors.Join(enc.Encode(rows), failErr)
	}
	fmt.Fprintf(stdout, "newsenrich bench %s\n", strings.Join(o.Args, " "))
	if o.Engine != "default" {
		fmt.Fprintf(stdout, "engine: %s (processor and worker modes)\n", o.Engine)
	}
	fmt.Fprintf(stdout, "machine: %d CPUs (%s), %s; corpus %d articles / %.2f MB / %d words, repeated to %d articles per run\n",
		runtime.NumCPU(), cpuModel(), runtime.Version(), len(c.Records), float64(c.Bytes())/1e6, c.Words(), n)
	fmt.Fprintf(stdout, "layout: %s; worker concurrency %d\n\n", layout, o.Concurrency)
	WriteTable(stdout, rows)
	fmt.Fprintln(stdout)
	WriteTargets(stdout, Targets(rows, "worker kfake", "worker kfake @50%", o.Concurrency))
	return failErr
}

// quietParentGC makes the bench's own process collect less often, unless
// GOGC or GOMEMLIMIT is set. That process is the instrument: the load
// generator, the collector and the embedded broker, which keeps every
// record of the run (several hundred MB by the paced run). With the
// default GOGC it marked that heap every two seconds or so, 2–15 ms of CPU
// on the broker's core each time, during which the worker's fetches and
// writes can wait: latency of the stand-in broker, not of the worker.
// The worker's own process is not touched.
func quietParentGC(getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(3 << 30) // collects sooner rather than growing past this
}

func writeJSONFile(path string, rows []Result) error {
	b, err := json.MarshalIndent(rows, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// benchWorker measures the worker over one broker: a backlog of n records
// drained as fast as it goes, then a producer paced at half that rate.
func benchWorker(ctx context.Context, o Options, c *Corpus, n int, broker string, stderr io.Writer) (drain, paced Result, err error) {
	name := "kfake"
	var addrs []string
	if broker == "kfake" {
		a, stop, err := Embedded()
		if err != nil {
			return drain, paced, err
		}
		defer stop()
		addrs = a
	} else {
		name = "broker"
		addrs = strings.Split(broker, ";")
	}
	t := NewTopics(fmt.Sprintf("bench-%d-%d", os.Getpid(), time.Now().UnixNano()))
	load, err := NewLoad(ctx, addrs, t, int32(o.Partitions), n)
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
	prog := o.Progress == "on"
	bar := newBar(prog, stderr, n, "producing backlog ("+name+")")
	if err := load.Backlog(ctx, c, n, asProgress(bar)); err != nil {
		return drain, paced, err
	}
	finishBar(bar)

	cctx, stopCollect := context.WithCancel(ctx)
	defer stopCollect()
	bar = newBar(prog, stderr, n, "worker over "+name)
	go load.Collect(cctx, n, asProgress(bar))

	stagesOut := filepath.Join(os.TempDir(), t.Group+".stages.json")
	defer os.Remove(stagesOut)
	cmd, err := childCommand(context.Background(), childJob{Mode: "worker", Brokers: strings.Join(addrs, ";"),
		TopicPrefix: strings.TrimSuffix(t.Input, ".raw"), StagesOut: stagesOut, Options: o})
	if err != nil {
		return drain, paced, err
	}
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Start(); err != nil {
		return drain, paced, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stopChild := func() (float64, error) {
		rss := PeakRSS(cmd.Process.Pid)
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
	finishBar(bar)
	drain = load.DrainResult("worker "+name, c, n, o.Concurrency)

	rate := drain.ArticlesPerSec / 2
	if o.PacedRate > 0 {
		rate = o.PacedRate
	}
	m := max(int(rate*o.Paced.Seconds()), 1)
	load.Grow(n + m)
	fmt.Fprintf(stderr, "bench: worker over %s drained %d articles at %.0f/s; pacing %d articles at %.0f/s\n", name, n, drain.ArticlesPerSec, m, rate)
	_ = cmd.Process.Signal(syscall.SIGUSR1) // the child starts its timings, profile and trace

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
	if o.PacedRate > 0 {
		label = fmt.Sprintf("worker %s @%.0f/s", name, rate)
	}
	paced = load.PacedResult(label, c, n, m, o.Concurrency, rate, time.Since(t0))
	rss, err := stopChild()
	drain.PeakRSSMiB, paced.PeakRSSMiB = rss, rss
	if b, rerr := os.ReadFile(stagesOut); rerr == nil {
		var rep pacedReport
		if json.Unmarshal(b, &rep) == nil {
			paced.WorkerStages, paced.WorkerCPU = rep.Stages, rep.CPU
		}
	}
	if d := load.Duplicates(); d > 0 {
		paced.Note += fmt.Sprintf("; %d duplicate outputs", d)
	}
	if err != nil {
		return drain, paced, fmt.Errorf("worker exit: %w", err)
	}
	return drain, paced, nil
}

func cpuModel() string {
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
