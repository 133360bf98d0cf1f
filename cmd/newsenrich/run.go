package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"time"

	"github.com/oklog/run"

	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/worker"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/decode"
	"github.com/newsenrich/newsenrich/processor/engine"
)

// runModel names the processor in events and build_info.
const runModel = "newsenrich-default"

// runVersion is the module version stamped by the Go toolchain, or "dev".
func runVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// runProcessorConfig is the processor configuration every command derives
// from the worker configuration, so run, demo and enrich enrich alike.
func runProcessorConfig(maxBytes int) processor.Config {
	return processor.Config{
		Decode:  decode.Limits{MaxBytes: maxBytes},
		Version: runVersion(),
		Model:   runModel,
	}
}

// envOr is the environment variable key, or def when it is unset (for
// commands whose flags are not the worker's configuration).
func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// runCommand is the worker: consume, enrich, publish, until SIGTERM/SIGINT.
// It returns nil only after a clean shutdown (exit code 0).
func runCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: newsenrich run [flags]\n\nEvery flag can also be set with the environment variable shown; flags win.")
		fs.PrintDefaults()
	}
	cfg, err := config.Load(fs, args, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	log := cfg.Logger(stderr)

	t0 := time.Now()
	proc, err := engine.Build(cfg.Engine, runProcessorConfig(cfg.MaxBytes))
	if err != nil {
		return fmt.Errorf("building the processor: %w", err)
	}
	log.Info("processor ready", "took", time.Since(t0).Round(time.Millisecond))

	m := metrics.New(metrics.Topics{Input: cfg.InputTopic, Output: cfg.OutputTopic, DLQ: cfg.DLQTopic},
		metrics.Build{Version: runVersion(), Model: runModel})
	w, err := worker.New(cfg, log, m, proc)
	if err != nil {
		return err
	}
	return runWorker(ctx, cfg, log, m, w)
}

// runWorker runs the worker and the HTTP server until ctx ends or either
// fails, then shuts both down. The worker's own error decides the result.
func runWorker(ctx context.Context, cfg config.Config, log *slog.Logger, m *metrics.Metrics, w *worker.Worker) error {
	var g run.Group
	var workerErr error
	wctx, stopWorker := context.WithCancel(context.Background())
	g.Add(func() error {
		workerErr = w.Run(wctx)
		return workerErr
	}, func(error) { stopWorker() })

	if cfg.HTTPAddr != "" {
		srv := metrics.NewServer(cfg.HTTPAddr, m, log)
		srv.AddCheck("worker", w.Ready)
		if err := srv.Listen(); err != nil {
			stopWorker()
			return err
		}
		log.Info("serving /metrics /healthz /readyz", "addr", srv.Addr())
		sctx, stopServer := context.WithCancel(context.Background())
		g.Add(func() error { return srv.Serve(sctx) }, func(error) { stopServer() })
	}

	// The signal actor: returning starts the shutdown of the others.
	sigCtx, stopSig := context.WithCancel(ctx)
	g.Add(func() error {
		<-sigCtx.Done()
		if ctx.Err() != nil {
			log.Info("shutdown requested", "deadline", cfg.ShutdownTimeout)
		}
		return nil
	}, func(error) { stopSig() })

	log.Info("worker starting", "brokers", cfg.Brokers, "input", cfg.InputTopic, "output", cfg.OutputTopic,
		"dlq", cfg.DLQTopic, "group", cfg.Group, "concurrency", cfg.Concurrency, "max_inflight", cfg.MaxInflight)
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		// Last resort: a Kafka client that hangs on close must not keep a
		// terminating pod alive forever.
		select {
		case <-finished:
			return
		case <-ctx.Done():
		}
		select {
		case <-finished:
		case <-time.After(cfg.ShutdownTimeout + 15*time.Second):
			log.Error("shutdown did not finish in time; exiting", "deadline", cfg.ShutdownTimeout)
			os.Exit(1)
		}
	}()
	groupErr := g.Run()
	if workerErr != nil {
		return workerErr
	}
	if ctx.Err() == nil && groupErr != nil {
		return groupErr // the HTTP server failed
	}
	return nil
}
