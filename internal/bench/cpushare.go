package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// CPUShare says what the worker's CPUs did from the start of the paced run
// to the worker's stop, just after it. A latency
// tail can come from the worker or from the machine taking its CPU away
// (other processes, interrupts, the hypervisor); the stage split alone
// cannot tell them apart, these figures can.
type CPUShare struct {
	CPUs    []int   `json:"cpus"`
	Seconds float64 `json:"seconds"`
	// WorkerMs is the worker's threads' time on a CPU (from
	// /proc/self/task/*/schedstat). Their time waiting for one is not
	// given: with one CPU it is mostly the runtime's threads waiting for
	// each other, not for anything outside.
	WorkerMs float64 `json:"worker_ms"`
	// OtherMs is the user and system time of everything else on the
	// worker's CPUs, IRQMs their interrupt and softirq time, StealMs the
	// time the hypervisor ran something else (from /proc/stat, 10 ms ticks).
	OtherMs float64 `json:"other_ms"`
	IRQMs   float64 `json:"irq_ms"`
	StealMs float64 `json:"steal_ms"`
}

// String is the table's line for it.
func (s *CPUShare) String() string {
	return fmt.Sprintf("CPU %s over %.1f s: worker %.0f ms, other processes %.0f ms, interrupts %.0f ms, steal %.0f ms",
		cpuList(s.CPUs), s.Seconds, s.WorkerMs, s.OtherMs, s.IRQMs, s.StealMs)
}

func cpuList(cpus []int) string {
	parts := make([]string, len(cpus))
	for i, c := range cpus {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, ",")
}

// cpuSnapshot is one reading of the counters CPUShare is the difference of.
type cpuSnapshot struct {
	at               time.Time
	busy, irq, steal uint64 // ticks summed over the CPUs
	runNs            uint64 // this process's threads
}

// ticksPerSecond is USER_HZ, which Linux fixes at 100 for /proc/stat.
const ticksPerSecond = 100

// readCPUSnapshot reads /proc/stat for cpus and this process's threads'
// schedstat; ok is false where /proc has neither (not Linux).
func readCPUSnapshot(cpus []int) (cpuSnapshot, bool) {
	s := cpuSnapshot{at: time.Now()}
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return s, false
	}
	want := map[string]bool{}
	for _, c := range cpus {
		want["cpu"+strconv.Itoa(c)] = true
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 9 || !want[f[0]] {
			continue
		}
		var v [8]uint64 // user nice system idle iowait irq softirq steal
		for i := range v {
			v[i], _ = strconv.ParseUint(f[i+1], 10, 64)
		}
		s.busy += v[0] + v[1] + v[2]
		s.irq += v[5] + v[6]
		s.steal += v[7]
	}
	tasks, err := filepath.Glob("/proc/self/task/*/schedstat")
	if err != nil || len(tasks) == 0 {
		return s, false
	}
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue // the thread exited
		}
		f := strings.Fields(string(b))
		if len(f) < 2 {
			continue
		}
		run, _ := strconv.ParseUint(f[0], 10, 64)
		s.runNs += run
	}
	return s, true
}

// cpuShareBetween is what happened on cpus from a to b.
func cpuShareBetween(cpus []int, a, b cpuSnapshot) *CPUShare {
	tick := 1000.0 / ticksPerSecond
	sub := func(x, y uint64) float64 {
		if x < y {
			return 0
		}
		return float64(x - y)
	}
	s := &CPUShare{
		CPUs:     cpus,
		Seconds:  b.at.Sub(a.at).Seconds(),
		WorkerMs: sub(b.runNs, a.runNs) / 1e6,
		IRQMs:    sub(b.irq, a.irq) * tick,
		StealMs:  sub(b.steal, a.steal) * tick,
	}
	s.OtherMs = max(sub(b.busy, a.busy)*tick-s.WorkerMs, 0)
	return s
}
