// Command healthcheck probes the worker's /healthz endpoint and exits 0 when
// it answers 200, 1 otherwise. It exists because the worker's container image
// is distroless: there is no shell, curl or wget for a Docker HEALTHCHECK to
// call, so the image carries this static probe next to the worker.
//
// The address comes from NEWSENRICH_HTTP_ADDR (the worker's own setting), so
// the probe follows the worker when an operator moves its port.
package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	path := "/healthz"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	if err := probe(os.Getenv("NEWSENRICH_HTTP_ADDR"), path, 3*time.Second); err != nil {
		fmt.Fprintln(os.Stderr, "healthcheck:", err)
		os.Exit(1)
	}
}

// probe GETs path on the worker listening at addr (a Go listen address such
// as ":8080" or "0.0.0.0:8080"; empty means the worker's default ":8080").
func probe(addr, path string, timeout time.Duration) error {
	url, err := target(addr, path)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %s", url, resp.Status)
	}
	return nil
}

// target turns a listen address into a URL on loopback: a worker listening on
// all interfaces is reachable there, and the probe must not leave the container.
func target(addr, path string) (string, error) {
	if addr == "" {
		addr = ":8080"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("NEWSENRICH_HTTP_ADDR %q: %w", addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + path, nil
}
