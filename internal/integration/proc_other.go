//go:build !linux

package integration

import "os/exec"

// dieWithParent has no portable equivalent outside Linux; t.Cleanup still kills workers.
func dieWithParent(*exec.Cmd) {}
