package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/pipeline"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor/engine"
)

// enrichCommand reads articles from stdin — JSON objects (one per line or
// pretty-printed), JSON arrays, RSS items, Atom entries, NewsML-G2 items —
// and writes one enriched event per article, one per line, to stdout, with
// the same pipeline as the worker. A record that cannot be enriched yields
// {"id"?, "error": {"reason", "detail"}} on its line; with
// --other-languages=drop a dropped article yields nothing. The exit code is
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
	ok, failed, err := enrichStream(ctx, pl, cfg.MaxBytes, stdin, stdout)
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

// enrichError is the line written for a record that cannot be enriched.
type enrichError struct {
	ID    string            `json:"id,omitempty"`
	Error enrichErrorDetail `json:"error"`
}

type enrichErrorDetail struct {
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

// enrichStream enriches every record of r into w and counts the outcomes.
func enrichStream(ctx context.Context, pl *pipeline.Pipeline, maxBytes int, r io.Reader, w io.Writer) (ok, failed int, err error) {
	out := bufio.NewWriter(w)
	defer out.Flush()
	err = pipeline.Split(r, maxBytes, func(raw []byte, size int) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var line []byte
		good := false
		if raw == nil {
			line, _ = json.Marshal(enrichError{Error: enrichErrorDetail{Reason: event.ReasonTooLarge,
				Detail: fmt.Sprintf("record is %d bytes, limit is %d (--max-bytes)", size, maxBytes)}})
		} else {
			line, good = enrichOne(pl, raw)
		}
		if line == nil {
			return nil // dropped by the language policy
		}
		if good {
			ok++
		} else {
			failed++
		}
		out.Write(line)
		out.WriteByte('\n')
		return out.Flush() // one line per record as it is done: pipes see progress
	})
	return ok, failed, err
}

// enrichOne runs the pipeline on one record: the event's JSON and true, an
// error line and false, or nil when the record was dropped.
func enrichOne(pl *pipeline.Pipeline, raw []byte) ([]byte, bool) {
	r := pl.Process(raw, nil)
	if r.Event != nil {
		b, err := json.Marshal(r.Event)
		if err == nil {
			return b, true
		}
		r.Reason, r.Detail = event.ReasonEnrichmentFailed, "encoding event: "+err.Error()
	}
	if r.Outcome == metrics.OutcomeDropped {
		return nil, false
	}
	b, _ := json.Marshal(enrichError{ID: enrichGuessID(raw), Error: enrichErrorDetail{Reason: r.Reason, Detail: r.Detail}})
	return b, false
}

// enrichGuessID finds the id of a record that failed, if it has one.
func enrichGuessID(raw []byte) string {
	var v struct {
		ID  any    `json:"id"`
		URI string `json:"uri"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	if s, ok := v.ID.(string); ok && s != "" {
		return s
	}
	return v.URI
}
