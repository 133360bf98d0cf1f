//go:build !linux

package tagger

// newWeights returns n zero weights.
func newWeights(n int) []int16 { return make([]int16, n) }
