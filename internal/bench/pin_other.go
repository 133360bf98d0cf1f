//go:build !linux

package bench

import "errors"

func pinProcess([]int) error { return errors.New("--pin-worker needs Linux (sched_setaffinity)") }

func affinity() []int { return nil }
