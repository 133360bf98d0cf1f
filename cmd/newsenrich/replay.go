package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/pipeline"
	"github.com/newsenrich/newsenrich/internal/replay"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor/engine"
)

// replayCommand re-enriches a range of the input topic into the output
// topic (package replay). Progress and the summary go to stderr.
func replayCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var rc replay.Config
	fs.Var(&rc.From, "from", "start: RFC 3339 time (first record at or after it) or offset (on every partition); required")
	fs.Var(&rc.To, "to", "end, exclusive: RFC 3339 time or offset (default: the end of each partition at start)")
	fs.BoolVar(&rc.Quiet, "quiet", false, "no progress bar")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: newsenrich replay --from <RFC3339|offset> [--to <RFC3339|offset>] [worker flags]\n\nReads the input topic outside the consumer group; the worker flags/env choose brokers, topics and limits.")
		fs.PrintDefaults()
	}
	cfg, err := config.Load(fs, args, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if !rc.From.IsSet() {
		return errors.New("--from is required (an RFC 3339 time or an offset)")
	}
	log := cfg.Logger(stderr)
	if rc.TLS, err = cfg.TLSConfig(); err != nil {
		return err
	}
	if rc.SASL, err = cfg.SASL(); err != nil {
		return err
	}
	rc.Brokers, rc.ClientID, rc.MaxMessageBytes, rc.Concurrency = cfg.Brokers, cfg.ClientID, cfg.MaxMessageBytes, cfg.Concurrency
	rc.InputTopic, rc.OutputTopic, rc.DLQTopic = cfg.InputTopic, cfg.OutputTopic, cfg.DLQTopic
	m := metrics.New(metrics.Topics{Input: cfg.InputTopic, Output: cfg.OutputTopic, DLQ: cfg.DLQTopic}, metrics.Build{Version: runVersion(), Model: runModel})
	newPipeline := func() (*pipeline.Pipeline, error) {
		proc, err := engine.Build(cfg.Engine, runProcessorConfig(cfg.MaxBytes))
		if err != nil {
			return nil, fmt.Errorf("building the processor: %w", err)
		}
		return pipeline.New(proc, pipeline.Config{MaxBytes: cfg.MaxBytes, Languages: cfg.Languages,
			OtherLanguages: pipeline.Policy(cfg.OtherLanguages)}, m)
	}
	_, err = replay.Run(ctx, rc, newPipeline, log, m, stderr)
	return err
}
