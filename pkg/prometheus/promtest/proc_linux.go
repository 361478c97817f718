package promtest

import (
	"os/exec"
	"syscall"
)

// dieWithParent kills Prometheus when the test binary dies without running Main's
// cleanup (a panic, go test's -timeout), so no server outlives its tests.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
