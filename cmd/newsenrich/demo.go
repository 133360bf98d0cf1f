package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"strings"
	"time"

	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/demo"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor/engine"
)

// demoCommand starts an in-process broker, publishes the sample articles
// and two poison records, runs the real worker against it and prints what
// comes out of the enriched and dead-letter topics (package demo).
func demoCommand(ctx context.Context, args []string, out, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := demo.Options{
		Processor: runProcessorConfig(config.Default().MaxBytes),
		Build:     metrics.Build{Version: runVersion(), Model: runModel},
	}
	fs.BoolVar(&o.KeepRunning, "keep-running", false, "keep the broker and the worker running after the summary (until Ctrl-C)")
	fs.StringVar(&o.HTTPAddr, "http-addr", "127.0.0.1:0", "metrics/health address (port 0 = any free port)")
	fs.IntVar(&o.Limit, "limit", 0, "publish only the first N sample articles (0 = all 44)")
	fs.BoolVar(&o.Full, "full", false, "print every entity and quote in full, not the first few, clipped")
	fs.DurationVar(&o.Timeout, "timeout", 5*time.Minute, "give up if the worker has not handled every record by then")
	fs.StringVar(&o.LogLevel, "log-level", "warn", "worker log level (debug|info|warn|error)")
	fs.StringVar(&o.Engine, "engine", envOr("NEWSENRICH_ENGINE", engine.Default), "NLP engine: "+strings.Join(engine.Names, ", ")+" ($NEWSENRICH_ENGINE)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	return demo.Run(ctx, o, out, stderr)
}
