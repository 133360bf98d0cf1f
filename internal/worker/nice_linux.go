package worker

import (
	"runtime"
	"syscall"
)

// lowerLanePriority puts the calling goroutine on an OS thread of its own and
// adds nice to that thread's niceness (a worker started under `nice` keeps
// its lanes below its other threads, and never gains priority). Processing an article keeps a core
// busy for milliseconds; the goroutines that read fetch responses, receive
// write acknowledgements and fire timers run on other threads, and at a
// higher priority the kernel runs them as soon as they wake instead of after
// the lane's time slice. On one core this cut the p95 of a write's
// acknowledgement from 2.9 to 1.7 ms at half of peak (docs/bench.md).
//
// The thread is never unlocked: when the lane's goroutine returns, the
// runtime ends the thread, so the lowered priority never passes to another
// goroutine.
func lowerLanePriority(nice int) error {
	runtime.LockOSThread()
	cur, err := threadNice()
	if err != nil {
		return err
	}
	// On Linux the "process" of setpriority is a thread id.
	return syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), min(cur+nice, 19))
}

// threadNice is the calling thread's niceness (tests).
func threadNice() (int, error) {
	// The raw system call returns 20 - nice, so that it is never negative.
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	return 20 - p, err
}
