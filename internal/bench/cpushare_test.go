package bench

import (
	"runtime"
	"testing"
	"time"
)

func TestCPUShareBetween(t *testing.T) {
	at := time.Unix(100, 0)
	a := cpuSnapshot{at: at, busy: 1000, irq: 10, steal: 5, runNs: 2e9}
	b := cpuSnapshot{at: at.Add(20 * time.Second), busy: 2500, irq: 40, steal: 7, runNs: 16e9}
	s := cpuShareBetween([]int{0}, a, b)
	// 1,500 busy ticks are 15 s, of which the worker ran 14 s
	want := CPUShare{CPUs: []int{0}, Seconds: 20, WorkerMs: 14000, OtherMs: 1000, IRQMs: 300, StealMs: 20}
	if s.Seconds != want.Seconds || s.WorkerMs != want.WorkerMs || s.OtherMs != want.OtherMs || s.IRQMs != want.IRQMs || s.StealMs != want.StealMs {
		t.Fatalf("share = %+v, want %+v", *s, want)
	}
	if got := s.String(); got != "CPU 0 over 20.0 s: worker 14000 ms, other processes 1000 ms, interrupts 300 ms, steal 20 ms" {
		t.Errorf("String() = %q", got)
	}
	// tick rounding can make the worker's precise time exceed its CPUs' busy ticks
	b.busy = 2300
	if s := cpuShareBetween([]int{0}, a, b); s.OtherMs != 0 {
		t.Errorf("other = %v ms, want 0", s.OtherMs)
	}
}

func TestReadCPUSnapshot(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc is Linux's")
	}
	a, ok := readCPUSnapshot(affinity())
	if !ok {
		t.Fatal("no snapshot")
	}
	for end := time.Now().Add(50 * time.Millisecond); time.Now().Before(end); {
	}
	b, ok := readCPUSnapshot(affinity())
	if !ok || b.runNs <= a.runNs || b.busy < a.busy {
		t.Fatalf("snapshots %+v then %+v: the spin did not show", a, b)
	}
}
