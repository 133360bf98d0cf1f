package integration

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel kill the worker when the test binary dies without running its
// cleanups (go test -timeout panics, SIGKILL), instead of leaving it running against a vanished
// broker.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
