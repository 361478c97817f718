//go:build !linux

package promtest

import "os/exec"

// dieWithParent has no portable equivalent outside Linux; Main stops the server.
func dieWithParent(*exec.Cmd) {}
