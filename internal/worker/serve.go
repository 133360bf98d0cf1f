package worker

import (
	"context"
	"time"

	"github.com/oklog/run"

	"github.com/newsenrich/newsenrich/metrics"
)

// exitGrace is how long after the shutdown deadline Serve waits for the
// Kafka clients to close before it gives up on them.
const exitGrace = 15 * time.Second

// Serve is `newsenrich run`: the worker and, when HTTPAddr is set, the
// /metrics /healthz /readyz server, until ctx ends or either fails; then
// both shut down. The worker's own error decides the result; nil means a
// clean shutdown. A Kafka client that hangs on close must not keep a
// terminating pod alive forever: when the shutdown has not finished
// ShutdownTimeout plus 15s after ctx ended, Serve calls exit (os.Exit in
// the command) with 1.
func (w *Worker) Serve(ctx context.Context, exit func(code int)) error {
	cfg, log := w.cfg, w.log
	var g run.Group
	var workerErr error
	wctx, stopWorker := context.WithCancel(context.Background())
	g.Add(func() error {
		workerErr = w.Run(wctx)
		return workerErr
	}, func(error) { stopWorker() })

	if cfg.HTTPAddr != "" {
		srv := metrics.NewServer(cfg.HTTPAddr, w.m, log)
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
		select {
		case <-finished:
			return
		case <-ctx.Done():
		}
		select {
		case <-finished:
		case <-time.After(cfg.ShutdownTimeout + exitGrace):
			log.Error("shutdown did not finish in time; exiting", "deadline", cfg.ShutdownTimeout)
			exit(1)
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
