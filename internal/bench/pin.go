package bench

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// ParseCPUList reads a Linux CPU list such as "0", "0,2" or "0-3,6".
func ParseCPUList(s string) ([]int, error) {
	var cpus []int
	seen := map[int]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a < 0 {
			return nil, fmt.Errorf("CPU list %q: %q is not a CPU number or range", s, part)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return nil, fmt.Errorf("CPU list %q: %q is not a CPU range", s, part)
			}
		}
		for c := a; c <= b; c++ {
			if !seen[c] {
				seen[c] = true
				cpus = append(cpus, c)
			}
		}
	}
	return cpus, nil
}

// otherCPUs is every CPU of 0..n-1 not in cpus: where the parent (broker,
// load generator, collector) runs when the worker is pinned.
func otherCPUs(n int, cpus []int) []int {
	in := map[int]bool{}
	for _, c := range cpus {
		in[c] = true
	}
	var rest []int
	for c := 0; c < n; c++ {
		if !in[c] {
			rest = append(rest, c)
		}
	}
	return rest
}

// pinParent applies --pin-worker to the parent: it moves itself onto the
// CPUs the children do not use, so the worker has its CPUs to itself, and
// resolves the worker's default concurrency to the worker's CPU count. It
// returns the layout for the table's header.
func pinParent(o *Options) (string, error) {
	if o.PinWorker == "" {
		if o.Concurrency <= 0 {
			o.Concurrency = runtime.NumCPU()
		}
		return fmt.Sprintf("worker, broker and load generator share %d CPUs", runtime.NumCPU()), nil
	}
	cpus, err := ParseCPUList(o.PinWorker)
	if err != nil {
		return "", fmt.Errorf("--pin-worker: %w", err)
	}
	for _, c := range cpus {
		if c >= runtime.NumCPU() {
			return "", fmt.Errorf("--pin-worker: CPU %d does not exist (%d CPUs)", c, runtime.NumCPU())
		}
	}
	rest := otherCPUs(runtime.NumCPU(), cpus)
	if len(rest) == 0 {
		return "", fmt.Errorf("--pin-worker %s leaves no CPU for the broker and the load generator", o.PinWorker)
	}
	if err := pinProcess(rest); err != nil {
		return "", err
	}
	// The broker, the load generator and the collector share the parent's
	// runtime: on one P, a broker response waits for the collector's work
	// and the reverse, which would show as the worker's latency.
	if os.Getenv("GOMAXPROCS") == "" && len(rest) < 2 {
		runtime.GOMAXPROCS(2)
	}
	if o.Concurrency <= 0 {
		o.Concurrency = len(cpus)
	}
	return fmt.Sprintf("worker pinned to CPUs %v; broker and load generator on CPUs %v", cpus, rest), nil
}
