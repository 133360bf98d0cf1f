package worker_test

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/worker"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor"
)

func serveWorker(t *testing.T, cfg config.Config) *worker.Worker {
	t.Helper()
	m := metrics.New(metrics.Topics{Input: cfg.InputTopic, Output: cfg.OutputTopic, DLQ: cfg.DLQTopic}, metrics.Build{Version: "test", Model: "none"})
	w, err := worker.New(cfg, logger(t), m, processor.New(processor.Config{Version: "test"}, nil, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// Serve runs the worker and the HTTP server until the context ends, then
// returns nil without calling exit.
func TestServeStopsCleanly(t *testing.T) {
	e := newEnv(t, 1)
	cfg := e.config("serve")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.HTTPAddr = ln.Addr().String()
	ln.Close()
	w := serveWorker(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- w.Serve(ctx, func(code int) { t.Errorf("exit(%d) called", code) }) }()
	waitFor(t, "/healthz", 10*time.Second, func() bool {
		resp, err := http.Get("http://" + cfg.HTTPAddr + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve returned %v after a clean shutdown", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not stop")
	}
}

// A metrics address that cannot be listened on fails Serve at once.
func TestServeFailsWhenTheAddressIsTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := newEnv(t, 1).config("serve-taken")
	cfg.HTTPAddr = ln.Addr().String()
	w := serveWorker(t, cfg)
	if err := w.Serve(context.Background(), func(int) { t.Error("exit called") }); err == nil {
		t.Fatal("Serve succeeded on a taken address")
	}
}
