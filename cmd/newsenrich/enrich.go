package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/pipeline"
	"github.com/newsenrich/newsenrich/processor/engine"
)

// enrichCommand reads articles from stdin — JSON objects (one per line or
// pretty-printed), JSON arrays, RSS items, Atom entries, NewsML-G2 items —
// and writes one enriched event per article, one per line, to stdout, with
// the same pipeline as the worker (pipeline.Stream). The exit code is
// non-zero only when every record failed.
func enrichCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return enrichRun(ctx, args, os.Stdin, stdout, stderr)
}

func enrichRun(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("enrich", flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := config.Default()
	maxBytes := fs.Int("max-bytes", def.MaxBytes, "largest article accepted; also bounds the memory used to read one ($NEWSENRICH_MAX_BYTES)")
	langs := fs.String("languages", "en", "comma-separated languages the engine enriches, empty = any ($NEWSENRICH_LANGUAGES)")
	other := fs.String("other-languages", def.OtherLanguages, "articles in other languages: pass, dead-letter (error line) or drop ($NEWSENRICH_OTHER_LANGUAGES)")
	eng := fs.String("engine", def.Engine, "NLP engine: "+strings.Join(engine.Names, ", ")+" ($NEWSENRICH_ENGINE)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: newsenrich enrich [flags] < articles.jsonl > events.jsonl")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	// Reuse the worker's parsing and validation for the shared settings.
	cfg := def
	if err := cfg.ApplyEnv(os.Getenv, map[string]bool{}); err != nil {
		return fmt.Errorf("invalid configuration: %w", err)
	}
	set := config.Explicit(fs)
	if set["max-bytes"] || os.Getenv("NEWSENRICH_MAX_BYTES") == "" {
		cfg.MaxBytes = *maxBytes
	}
	if set["languages"] || os.Getenv("NEWSENRICH_LANGUAGES") == "" {
		cfg.Languages = nil
		for _, l := range strings.Split(*langs, ",") {
			if l = strings.TrimSpace(l); l != "" {
				cfg.Languages = append(cfg.Languages, l)
			}
		}
	}
	if set["other-languages"] || os.Getenv("NEWSENRICH_OTHER_LANGUAGES") == "" {
		cfg.OtherLanguages = *other
	}
	if set["engine"] || os.Getenv("NEWSENRICH_ENGINE") == "" {
		cfg.Engine = *eng
	}
	if cfg.MaxBytes < 1 {
		return fmt.Errorf("--max-bytes must be positive, got %d", cfg.MaxBytes)
	}
	policy, err := pipeline.ParsePolicy(cfg.OtherLanguages)
	if err != nil {
		return fmt.Errorf("--other-languages: %w", err)
	}
	proc, err := engine.Build(cfg.Engine, runProcessorConfig(cfg.MaxBytes))
	if err != nil {
		return fmt.Errorf("building the processor: %w", err)
	}
	pl, err := pipeline.New(proc, pipeline.Config{MaxBytes: cfg.MaxBytes, Languages: cfg.Languages, OtherLanguages: policy}, nil)
	if err != nil {
		return err
	}
	ok, failed, err := pl.Stream(ctx, stdin, stdout)
	if err != nil {
		return err
	}
	if ok == 0 && failed > 0 {
		return fmt.Errorf("all %d records failed", failed)
	}
	if ok == 0 {
		fmt.Fprintln(stderr, "newsenrich enrich: no articles on stdin")
	}
	return nil
}
