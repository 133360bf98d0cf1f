package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/newsenrich/newsenrich/internal/worker"
)

// Stages of a record's latency in the worker, in order; see stageOf.
var Stages = []string{"fetch", "lane queue", "processing", "publish wait", "write and ack", "total"}

// stageOf splits a record's Timing into Stages. fetch runs from the input
// record's timestamp (whole milliseconds, so it reads up to 1 ms long) to
// the hand-off to a lane.
func stageOf(t worker.Timing) []time.Duration {
	return []time.Duration{t.Fetched.Sub(t.Input), t.Started.Sub(t.Fetched), t.Processed.Sub(t.Started),
		t.Sent.Sub(t.Processed), t.Acked.Sub(t.Sent), t.Acked.Sub(t.Input)}
}

// StagePercentiles is one stage's p50, p95 and p99 in milliseconds.
type StagePercentiles struct {
	Stage         string
	P50, P95, P99 float64
}

// pacedRecorder is the worker child's side of the paced run: on SIGUSR1,
// which the parent sends as the paced producer starts (so the backlog
// drain stays out), it starts keeping every record's Timing and, with a
// trace prefix, a CPU profile and an execution trace. It reads its CPUs'
// counters then and again when it stops, just after the paced run.
type pacedRecorder struct {
	on      atomic.Bool
	mu      sync.Mutex
	timings []worker.Timing

	cpus    []int
	cpuFrom cpuSnapshot
	cpuOK   bool

	prefix  string
	sig     chan os.Signal
	done    chan struct{}
	started chan struct{}
	files   []*os.File
}

func startPacedRecorder(tracePrefix string, stderr io.Writer) *pacedRecorder {
	r := &pacedRecorder{prefix: tracePrefix, sig: make(chan os.Signal, 1), done: make(chan struct{}), started: make(chan struct{})}
	signal.Notify(r.sig, syscall.SIGUSR1)
	go func() {
		defer close(r.started)
		select {
		case <-r.sig:
		case <-r.done:
			return
		}
		r.on.Store(true)
		r.cpus = affinity()
		r.cpuFrom, r.cpuOK = readCPUSnapshot(r.cpus)
		if tracePrefix == "" {
			return
		}
		cpu, err := os.Create(tracePrefix + ".cpu.pprof")
		if err == nil {
			r.files = append(r.files, cpu)
			err = pprof.StartCPUProfile(cpu)
		}
		tr, err2 := os.Create(tracePrefix + ".trace")
		if err2 == nil {
			r.files = append(r.files, tr)
			err2 = trace.Start(tr)
		}
		if err != nil || err2 != nil {
			fmt.Fprintf(stderr, "bench: paced profile: %v %v\n", err, err2)
		}
	}()
	return r
}

// pacedReport is what the worker child hands the parent after a paced run.
type pacedReport struct {
	Stages []StagePercentiles `json:"stages"`
	CPU    *CPUShare          `json:"cpu,omitempty"`
}

// record is the worker's WithTimings hook.
func (r *pacedRecorder) record(t worker.Timing) {
	if !r.on.Load() {
		return
	}
	r.mu.Lock()
	r.timings = append(r.timings, t)
	r.mu.Unlock()
}

// stop ends the profile and trace, writes every recorded Timing to
// PREFIX.timings.csv when tracing, and the stage percentiles as JSON to
// path (none when path is empty).
func (r *pacedRecorder) stop(path string) error {
	signal.Stop(r.sig)
	close(r.done)
	<-r.started
	pprof.StopCPUProfile()
	trace.Stop()
	for _, f := range r.files {
		_ = f.Close()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.prefix != "" && len(r.timings) > 0 {
		if err := writeTimingsCSV(r.prefix+".timings.csv", r.timings); err != nil {
			return err
		}
	}
	if path == "" {
		return nil
	}
	rep := pacedReport{Stages: stagePercentiles(r.timings)}
	if to, ok := readCPUSnapshot(r.cpus); ok && r.cpuOK {
		rep.CPU = cpuShareBetween(r.cpus, r.cpuFrom, to)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func stagePercentiles(ts []worker.Timing) []StagePercentiles {
	if len(ts) == 0 {
		return nil
	}
	by := make([][]time.Duration, len(Stages))
	for _, t := range ts {
		for i, d := range stageOf(t) {
			by[i] = append(by[i], d)
		}
	}
	out := make([]StagePercentiles, len(Stages))
	for i, ds := range by {
		slices.Sort(ds)
		ms := func(p float64) float64 { return float64(Percentile(ds, p)) / 1e6 }
		out[i] = StagePercentiles{Stage: Stages[i], P50: ms(50), P95: ms(95), P99: ms(99)}
	}
	return out
}

// writeTimingsCSV writes one line per record: the input timestamp (Unix
// µs) and then each stage's duration in µs, in the order of Stages.
func writeTimingsCSV(path string, ts []worker.Timing) error {
	var b strings.Builder
	b.WriteString("input_unix_us")
	for _, st := range Stages {
		b.WriteString("," + strings.ReplaceAll(st, " ", "_") + "_us")
	}
	b.WriteByte('\n')
	for _, t := range ts {
		b.WriteString(strconv.FormatInt(t.Input.UnixMicro(), 10))
		for _, d := range stageOf(t) {
			b.WriteString("," + strconv.FormatInt(d.Microseconds(), 10))
		}
		b.WriteByte('\n')
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
