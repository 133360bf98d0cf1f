package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

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
	cfg.ApplyRuntime(os.Getenv)

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
	return w.Serve(ctx, os.Exit)
}
