//go:build !linux

package worker

import "errors"

// lowerLanePriority does nothing outside Linux (see nice_linux.go).
func lowerLanePriority(int) error { return nil }

func threadNice() (int, error) { return 0, errors.New("thread priorities are only read on Linux") }
