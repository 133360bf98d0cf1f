package bench

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Result is one mode's figures. Latencies are milliseconds; RSS is MiB.
type Result struct {
	Mode     string  `json:"mode"`
	Workers  int     `json:"workers"`
	Articles int     `json:"articles"`
	Words    int64   `json:"words"`
	Bytes    int64   `json:"bytes"`
	Seconds  float64 `json:"seconds"`
	Errors   int     `json:"errors"`

	ArticlesPerSec float64 `json:"articles_per_s"`
	WordsPerSec    float64 `json:"words_per_s"`
	MBPerSec       float64 `json:"mb_per_s"`

	// Latency percentiles (ms). For the processor modes this is one
	// Process call; for the paced worker run it is input record timestamp
	// to the output record arriving at a consumer.
	P50 float64 `json:"p50_ms"`
	P95 float64 `json:"p95_ms"`
	P99 float64 `json:"p99_ms"`

	PeakRSSMiB float64 `json:"peak_rss_mib"`
	// StageMicros is the mean time per article in each processor stage
	// (µs), from the processor's Observer: where the time goes.
	StageMicros map[string]float64 `json:"stage_us_per_article,omitempty"`
	// TargetRate is the paced producer's rate (articles/s), for paced runs.
	TargetRate float64 `json:"target_rate,omitempty"`
	// WorkerStages is, for paced runs, where the time went inside the
	// worker: input timestamp to lane, lane queue, processing, publish
	// wait, write and acknowledgement.
	WorkerStages []StagePercentiles `json:"worker_stages_ms,omitempty"`
	// WorkerCPU is, for paced runs, what the worker's CPUs did meanwhile.
	WorkerCPU *CPUShare `json:"worker_cpu,omitempty"`
	// WrittenP99 is, for paced runs, the p99 to the output record's
	// timestamp (the table's latencies run to the output being consumed).
	WrittenP99 float64 `json:"written_p99_ms,omitempty"`
	Note       string  `json:"note,omitempty"`
}

// finish fills the rates from the counts and the wall time.
func (r *Result) finish(d time.Duration) {
	r.Seconds = d.Seconds()
	if r.Seconds > 0 {
		r.ArticlesPerSec = float64(r.Articles) / r.Seconds
		r.WordsPerSec = float64(r.Words) / r.Seconds
		r.MBPerSec = float64(r.Bytes) / 1e6 / r.Seconds
	}
}

// setLatencies sorts lat (durations) and stores p50/p95/p99 in ms.
func (r *Result) setLatencies(lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	r.P50 = ms(Percentile(lat, 50))
	r.P95 = ms(Percentile(lat, 95))
	r.P99 = ms(Percentile(lat, 99))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Percentile returns the nearest-rank p-th percentile of sorted values.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	k := int(math.Ceil(float64(len(sorted))*p/100)) - 1
	return sorted[min(max(k, 0), len(sorted)-1)]
}

// PeakRSS returns VmHWM (peak resident set) of a process in MiB; pid 0
// means this process. 0 when /proc is not available.
func PeakRSS(pid int) float64 {
	path := "/proc/self/status"
	if pid > 0 {
		path = fmt.Sprintf("/proc/%d/status", pid)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			if err != nil {
				return 0
			}
			return kb / 1024
		}
	}
	return 0
}
