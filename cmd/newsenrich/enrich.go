package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/engine"
)

// enrichCommand reads articles from stdin — one JSON object, several, JSONL,
// or a JSON array — and writes one enriched event per article, one per line,
// to stdout, with the same processor as the worker. A record that cannot be
// enriched yields {"id"?, "error": {"reason", "detail"}} on its line. The
// exit code is non-zero only when every record failed.
func enrichCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("enrich", flag.ContinueOnError)
	def := config.Default()
	maxBytes := fs.Int("max-bytes", def.MaxBytes, "largest article accepted ($NEWSENRICH_MAX_BYTES)")
	langs := fs.String("languages", "en", "comma-separated accepted languages, empty = any ($NEWSENRICH_LANGUAGES)")
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
	// Reuse the worker's parsing and validation for the two shared settings.
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
		for _, l := range bytes.Split([]byte(*langs), []byte(",")) {
			if l = bytes.TrimSpace(l); len(l) > 0 {
				cfg.Languages = append(cfg.Languages, string(l))
			}
		}
	}
	if cfg.MaxBytes < 1 {
		return fmt.Errorf("--max-bytes must be positive, got %d", cfg.MaxBytes)
	}
	proc, err := engine.New(runProcessorConfig(cfg.MaxBytes, cfg.Languages))
	if err != nil {
		return fmt.Errorf("building the processor: %w", err)
	}
	ok, failed, err := enrichStream(ctx, proc, os.Stdin, os.Stdout)
	if err != nil {
		return err
	}
	if ok == 0 && failed > 0 {
		return fmt.Errorf("all %d records failed", failed)
	}
	if ok == 0 {
		fmt.Fprintln(os.Stderr, "newsenrich enrich: no articles on stdin")
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
func enrichStream(ctx context.Context, proc *processor.Processor, r io.Reader, w io.Writer) (ok, failed int, err error) {
	out := bufio.NewWriter(w)
	defer out.Flush()
	emit := func(raw []byte) error {
		line, good := enrichOne(proc, raw)
		if good {
			ok++
		} else {
			failed++
		}
		out.Write(line)
		out.WriteByte('\n')
		return out.Flush() // one line per record as it is done: pipes see progress
	}
	err = enrichRecords(r, func(raw []byte) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return emit(raw)
	})
	return ok, failed, err
}

func enrichOne(proc *processor.Processor, raw []byte) ([]byte, bool) {
	t0 := time.Now()
	ev, err := proc.Process(raw, nil)
	if err == nil {
		ev.Enrichment.DurationSeconds = time.Since(t0).Seconds()
		ev.Enrichment.ProcessedAt = time.Now().UTC().Format(time.RFC3339Nano)
		b, merr := json.Marshal(ev)
		if merr == nil {
			return b, true
		}
		err = &processor.Error{Reason: event.ReasonEnrichmentFailed, Detail: "encoding event: " + merr.Error()}
	}
	e := enrichError{ID: enrichGuessID(raw), Error: enrichErrorDetail{Reason: event.ReasonEnrichmentFailed, Detail: err.Error()}}
	var pe *processor.Error
	if errors.As(err, &pe) {
		e.Error.Reason, e.Error.Detail = pe.Reason, pe.Detail
	}
	b, _ := json.Marshal(e)
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

// enrichRecords splits the input into records: each line holding a complete
// JSON value is one record (a JSON array yields one record per element); a
// line that opens a value not closed on that line starts a multi-line
// (pretty-printed) record that runs until the text so far is valid JSON. A
// line that is neither is an invalid record of its own. Lines can be any
// length.
func enrichRecords(r io.Reader, f func(raw []byte) error) error {
	br := bufio.NewReaderSize(r, 1<<20)
	var pending []byte
	flushBad := func() error {
		if len(pending) == 0 {
			return nil
		}
		p := bytes.TrimSpace(pending)
		pending = nil
		return f(p)
	}
	record := func(v []byte) error {
		if v[0] == '[' {
			var elems []json.RawMessage
			if json.Unmarshal(v, &elems) == nil {
				for _, e := range elems {
					if err := f(e); err != nil {
						return err
					}
				}
				return nil
			}
		}
		return f(v)
	}
	for {
		line, rerr := br.ReadBytes('\n')
		if rerr != nil && rerr != io.EOF {
			return fmt.Errorf("reading stdin: %w", rerr)
		}
		trimmed := bytes.TrimSpace(line)
		switch {
		case len(pending) > 0:
			// A complete value starting in column 0 means the pending
			// record was broken, not continued.
			if len(line) > 0 && (line[0] == '{' || line[0] == '[') && json.Valid(trimmed) {
				if err := flushBad(); err != nil {
					return err
				}
				if err := record(trimmed); err != nil {
					return err
				}
				break
			}
			pending = append(pending, line...)
			if v := bytes.TrimSpace(pending); json.Valid(v) {
				pending = nil
				if err := record(v); err != nil {
					return err
				}
			}
		case len(trimmed) == 0:
		case json.Valid(trimmed):
			if err := record(trimmed); err != nil {
				return err
			}
		case trimmed[0] == '{' || trimmed[0] == '[':
			pending = append([]byte(nil), line...)
		default:
			if err := f(trimmed); err != nil {
				return err
			}
		}
		if rerr == io.EOF {
			if v := bytes.TrimSpace(pending); len(v) > 0 {
				pending = v
				return flushBad()
			}
			return nil
		}
	}
}
