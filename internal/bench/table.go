package bench

import (
	"fmt"
	"io"
	"strings"
)

// Baseline mode names: the rows ratios are taken against.
const (
	ModeProseNaive  = "prose-naive"
	ModeProseReused = "prose-reused"
)

func find(rows []Result, mode string) *Result {
	for i := range rows {
		if rows[i].Mode == mode && rows[i].WordsPerSec > 0 {
			return &rows[i]
		}
	}
	return nil
}

// WriteTable prints every mode side by side, with words/s ratios against
// each prose baseline present.
func WriteTable(w io.Writer, rows []Result) {
	naive, reused := find(rows, ModeProseNaive), find(rows, ModeProseReused)
	fmt.Fprintf(w, "%-24s %3s %7s %10s %11s %7s %8s %8s %8s %8s %10s %10s\n",
		"mode", "w", "articles", "articles/s", "words/s", "MB/s", "p50 ms", "p95 ms", "p99 ms", "RSS MiB", "x naive", "x reused")
	fmt.Fprintln(w, strings.Repeat("-", 126))
	for _, r := range rows {
		lat := func(v float64) string {
			if r.P50 == 0 && r.P99 == 0 {
				return "-"
			}
			return fmt.Sprintf("%.3f", v)
		}
		ratio := func(b *Result) string {
			if b == nil || r.WordsPerSec == 0 {
				return "-"
			}
			return fmt.Sprintf("%.1fx", r.WordsPerSec/b.WordsPerSec)
		}
		rss := "-"
		if r.PeakRSSMiB > 0 {
			rss = fmt.Sprintf("%.0f", r.PeakRSSMiB)
		}
		fmt.Fprintf(w, "%-24s %3d %7d %10.1f %11.0f %7.2f %8s %8s %8s %8s %10s %10s\n",
			r.Mode, r.Workers, r.Articles, r.ArticlesPerSec, r.WordsPerSec, r.MBPerSec,
			lat(r.P50), lat(r.P95), lat(r.P99), rss, ratio(naive), ratio(reused))
	}
	stages := []string{"decode", "tokenize", "entities", "quotes", "topics"}
	for _, r := range rows {
		if len(r.StageMicros) == 0 {
			continue
		}
		var parts []string
		total := 0.0
		for _, st := range stages {
			total += r.StageMicros[st]
		}
		for _, st := range stages {
			if v, ok := r.StageMicros[st]; ok && total > 0 {
				parts = append(parts, fmt.Sprintf("%s %.1f µs (%.0f%%)", st, v, 100*v/total))
			}
		}
		fmt.Fprintf(w, "  %s x%d per article: %s\n", r.Mode, r.Workers, strings.Join(parts, ", "))
	}
	for _, r := range rows {
		if len(r.WorkerStages) == 0 {
			continue
		}
		var parts []string
		for _, st := range r.WorkerStages {
			parts = append(parts, fmt.Sprintf("%s %.1f/%.1f/%.1f", st.Stage, st.P50, st.P95, st.P99))
		}
		fmt.Fprintf(w, "  %s in the worker, p50/p95/p99 ms: %s\n", r.Mode, strings.Join(parts, ", "))
		if r.WorkerCPU != nil {
			fmt.Fprintf(w, "  %s %s\n", r.Mode, r.WorkerCPU)
		}
	}
	for _, r := range rows {
		if r.Note != "" || r.Errors > 0 {
			fmt.Fprintf(w, "  %s: %s", r.Mode, r.Note)
			if r.Errors > 0 {
				fmt.Fprintf(w, " (%d errors)", r.Errors)
			}
			fmt.Fprintln(w)
		}
	}
}

// Target is one of the speed issue's targets, checked against the rows.
type Target struct {
	Name     string
	Measured string
	Met      bool
	Known    bool // false when the rows needed are missing
}

// Targets evaluates the speed targets: processor words/s per core and its
// ratio to prose with the model reused; worker over the embedded broker at
// >= 80% of the processor with the same goroutines; p99 under 10 ms at half
// load; peak RSS under 300 MB.
func Targets(rows []Result, workerMode, pacedMode string, workerConcurrency int) []Target {
	var out []Target
	var proc1, procN *Result
	for i := range rows {
		r := &rows[i]
		if r.Mode == "processor" && r.Workers == 1 {
			proc1 = r
		}
		if r.Mode == "processor" && r.Workers == workerConcurrency {
			procN = r
		}
	}
	t := Target{Name: "processor words/s on one core >= 250,000"}
	if proc1 != nil {
		t.Known, t.Met = true, proc1.WordsPerSec >= 250000
		t.Measured = fmt.Sprintf("%.0f", proc1.WordsPerSec)
	}
	out = append(out, t)
	t = Target{Name: "processor vs prose (model reused), words/s >= 30x"}
	if reused := find(rows, ModeProseReused); proc1 != nil && reused != nil {
		x := proc1.WordsPerSec / reused.WordsPerSec
		t.Known, t.Met, t.Measured = true, x >= 30, fmt.Sprintf("%.1fx", x)
	}
	out = append(out, t)
	t = Target{Name: fmt.Sprintf("worker over %s >= 80%% of processor (%d goroutines)", strings.TrimPrefix(workerMode, "worker "), workerConcurrency)}
	if wk := find(rows, workerMode); wk != nil && procN != nil {
		x := wk.WordsPerSec / procN.WordsPerSec
		t.Known, t.Met, t.Measured = true, x >= 0.8, fmt.Sprintf("%.0f%%", 100*x)
	}
	out = append(out, t)
	t = Target{Name: "p99 end-to-end latency at half of peak < 10 ms"}
	for i := range rows {
		if rows[i].Mode == pacedMode && rows[i].Articles > 0 {
			t.Known, t.Met, t.Measured = true, rows[i].P99 < 10, fmt.Sprintf("%.2f ms", rows[i].P99)
		}
	}
	out = append(out, t)
	t = Target{Name: "worker peak RSS < 300 MB"}
	if wk := find(rows, workerMode); wk != nil && wk.PeakRSSMiB > 0 {
		mb := wk.PeakRSSMiB * (1 << 20) / 1e6
		t.Known, t.Met, t.Measured = true, mb < 300, fmt.Sprintf("%.0f MB", mb)
	}
	return append(out, t)
}

// WriteTargets prints the target checks.
func WriteTargets(w io.Writer, ts []Target) {
	fmt.Fprintln(w, "targets:")
	for _, t := range ts {
		status := "not measured"
		if t.Known {
			status = "MISSED"
			if t.Met {
				status = "met"
			}
		}
		fmt.Fprintf(w, "  %-58s %-12s %s\n", t.Name, t.Measured, status)
	}
}
