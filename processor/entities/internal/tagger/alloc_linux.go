package tagger

import (
	"syscall"
	"unsafe"
)

// hugePage is the transparent huge page size on x86-64 and most arm64
// kernels; a region aligned to it can be backed by huge pages.
const hugePage = 2 << 20

// newWeights returns n zero weights whose memory the kernel is asked to
// back with huge pages. Decoding reads rows at random from tables of tens
// of megabytes: with 4 KiB pages nearly every read also misses the TLB.
// The weights stay on the Go heap (so the runtime's memory limit counts
// them as before), aligned to a huge page inside a slightly larger
// allocation whose slack is never touched.
func newWeights(n int) []int16 {
	const per = hugePage / 2 // int16s per huge page
	buf := make([]int16, n+per)
	off := 0
	if r := uintptr(unsafe.Pointer(&buf[0])) % hugePage; r != 0 {
		off = int(hugePage-r) / 2
	}
	q := buf[off : off+n : off+n]
	if whole := n / per * hugePage; whole > 0 {
		// Advice only: without transparent huge pages the table works
		// as before.
		_ = syscall.Madvise(unsafe.Slice((*byte)(unsafe.Pointer(&q[0])), whole), syscall.MADV_HUGEPAGE)
	}
	return q
}
