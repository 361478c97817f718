// Package testsuite holds black-box tests of the built plugin executable, talking to
// it the way Grafana does: the go-plugin handshake, then gRPC through the SDK's
// generated pluginv2 clients.
package testsuite
