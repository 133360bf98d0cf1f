package tagger

import (
	"runtime"
	"syscall"
	"unsafe"
)

// hugePage is the transparent huge page size on x86-64 and most arm64
// kernels; a region aligned to it can be backed by huge pages.
const hugePage = 2 << 20

// newWeights returns n zero weights in memory the kernel is asked to back
// with huge pages. Decoding reads rows at random from tables of tens of
// megabytes: with 4 KiB pages nearly every read also misses the TLB. The
// memory is unmapped when the returned value is no longer referenced; if
// mapping fails the weights come from the Go heap.
func newWeights(n int) *weights {
	size := (n*2 + hugePage - 1) / hugePage * hugePage
	b, err := syscall.Mmap(-1, 0, size+hugePage, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return &weights{q: make([]int16, n)}
	}
	off := 0
	if r := uintptr(unsafe.Pointer(&b[0])) % hugePage; r != 0 {
		off = int(hugePage - r)
	}
	aligned := b[off : off+size]
	// Advice only: without transparent huge pages the table works as before.
	_ = syscall.Madvise(aligned, syscall.MADV_HUGEPAGE)
	w := &weights{q: unsafe.Slice((*int16)(unsafe.Pointer(&aligned[0])), n)}
	runtime.AddCleanup(w, func(b []byte) { _ = syscall.Munmap(b) }, b)
	return w
}
