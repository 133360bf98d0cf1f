//go:build !linux

package tagger

// newWeights returns n zero weights from the Go heap.
func newWeights(n int) *weights { return &weights{q: make([]int16, n)} }
