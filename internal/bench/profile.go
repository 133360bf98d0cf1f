package bench

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"runtime/trace"
	"syscall"
)

// profileOnSignal starts a CPU profile and an execution trace of this
// process when SIGUSR1 arrives (the parent sends it as the paced run
// starts, so the backlog drain stays out of them) and writes them to
// prefix.cpu.pprof and prefix.trace. The returned stop ends both.
func profileOnSignal(prefix string, stderr io.Writer) (stop func()) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1)
	done := make(chan struct{})
	var files []*os.File
	started := make(chan struct{})
	go func() {
		defer close(started)
		select {
		case <-sig:
		case <-done:
			return
		}
		cpu, err := os.Create(prefix + ".cpu.pprof")
		if err == nil {
			files = append(files, cpu)
			err = pprof.StartCPUProfile(cpu)
		}
		tr, err2 := os.Create(prefix + ".trace")
		if err2 == nil {
			files = append(files, tr)
			err2 = trace.Start(tr)
		}
		if err != nil || err2 != nil {
			fmt.Fprintf(stderr, "bench: paced profile: %v %v\n", err, err2)
		}
	}()
	return func() {
		signal.Stop(sig)
		close(done)
		<-started
		pprof.StopCPUProfile()
		trace.Stop()
		for _, f := range files {
			_ = f.Close()
		}
	}
}
