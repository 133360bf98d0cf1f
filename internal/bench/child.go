package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime/pprof"
	"strings"

	"github.com/newsenrich/newsenrich/internal/worker"
)

// childEnv carries a child's job: a bench run re-executes its own binary
// with the same command line and this variable set, so each mode's peak RSS
// is its own and the child's settings never show as flags.
const childEnv = "NEWSENRICH_BENCH_CHILD"

type childJob struct {
	Mode        string  `json:"mode"`
	Workers     int     `json:"workers"`
	N           int     `json:"n"`
	Brokers     string  `json:"brokers,omitempty"`
	TopicPrefix string  `json:"topic_prefix,omitempty"`
	CPUProfile  string  `json:"cpu_profile,omitempty"`
	StagesOut   string  `json:"stages_out,omitempty"` // worker: where the paced run's stage percentiles go
	Options     Options `json:"options"`
}

// runChild runs one mode and prints its Result as JSON on stdout.
func runChild(ctx context.Context, job childJob, newProc NewProcessor, stdout, stderr io.Writer) error {
	o := job.Options
	if o.PinWorker != "" {
		cpus, err := ParseCPUList(o.PinWorker)
		if err != nil {
			return err
		}
		if err := pinProcess(cpus); err != nil {
			return err
		}
	}
	c, err := loadCorpus(o)
	if err != nil {
		return err
	}
	if job.Mode == "worker" {
		t := NewTopics(job.TopicPrefix)
		cfg := WorkerConfig(strings.Split(job.Brokers, ";"), t, o.Concurrency)
		cfg.ApplyRuntime(os.Getenv) // before the processor loads, as `newsenrich run` does
		p, err := newProc("worker", o.Engine, ProcessorConfig(cfg, o.Engine))
		if err != nil {
			return err
		}
		log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		rec := startPacedRecorder(o.PacedTrace, stderr)
		err = RunWorker(ctx, cfg, p, log, worker.WithTimings(rec.record))
		return errors.Join(err, rec.stop(job.StagesOut))
	}
	corpus, n := c, job.N
	if job.Mode != "processor" {
		corpus = c.Sample(n)
		n = len(corpus.Records)
	}
	p, err := newProc(job.Mode, o.Engine, ProcessorConfig(WorkerConfig(nil, Topics{}, 0), job.Mode))
	if err != nil {
		return err
	}
	bar := newBar(progressOn(o.Progress, stderr), stderr, n, fmt.Sprintf("%s x%d", job.Mode, job.Workers))
	if job.CPUProfile != "" {
		f, err := os.Create(job.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	r := RunProcessor(ctx, job.Mode, p, corpus, n, job.Workers, asProgress(bar))
	if job.CPUProfile != "" {
		pprof.StopCPUProfile()
	}
	finishBar(bar)
	r.PeakRSSMiB = PeakRSS(0)
	if job.Mode != "processor" {
		r.Note = fmt.Sprintf("sample of %d articles spread over the corpus", n)
	}
	return json.NewEncoder(stdout).Encode(r)
}

// childCommand re-executes this binary with the parent's command line and
// the job in the environment.
func childCommand(ctx context.Context, job childJob) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	spec, err := json.Marshal(job)
	if err != nil {
		return nil, err
	}
	args := append([]string{"bench"}, job.Options.Args...)
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), childEnv+"="+string(spec))
	return cmd, nil
}

func runChildProcess(ctx context.Context, job childJob, stderr io.Writer) (Result, error) {
	var r Result
	cmd, err := childCommand(ctx, job)
	if err != nil {
		return r, err
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, stderr
	if err := cmd.Run(); err != nil {
		return r, fmt.Errorf("bench child %s: %w", job.Mode, err)
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return r, fmt.Errorf("bench child %s printed %q: %w", job.Mode, out.String(), err)
	}
	return r, nil
}
