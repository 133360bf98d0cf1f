package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/redrive"
)

// redriveCommand puts dead letters back on the input topic (package
// redrive).
func redriveCommand(ctx context.Context, args []string, out, stderr io.Writer) error {
	fs := flag.NewFlagSet("redrive", flag.ContinueOnError)
	fs.SetOutput(stderr)
	reason := fs.String("reason", "", "dead-letter reason class to re-drive (e.g. invalid_field), or \"any\"; required")
	since := fs.String("since", "", "only dead letters from this RFC 3339 time on (default: all)")
	dryRun := fs.Bool("dry-run", false, "report what would be re-driven, write nothing")
	maxRedrives := fs.Int("max-redrives", redrive.DefaultMaxRedrives, "skip (and report) records already re-driven this many times")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: newsenrich redrive --reason R [--since T] [--dry-run] [--max-redrives N] [worker flags]\n\nRe-publishes the original bytes of matching dead letters to the input topic; the worker flags/env choose brokers and topics.")
		fs.PrintDefaults()
	}
	cfg, err := config.Load(fs, args, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	rc := redrive.Config{Brokers: cfg.Brokers, DLQTopic: cfg.DLQTopic, InputTopic: cfg.InputTopic, ClientID: cfg.ClientID,
		Reason: strings.TrimSpace(*reason), DryRun: *dryRun, MaxRedrives: *maxRedrives}
	if *since != "" {
		if rc.Since, err = time.Parse(time.RFC3339, *since); err != nil {
			return fmt.Errorf("--since %q is not an RFC 3339 time", *since)
		}
	}
	if rc.TLS, err = cfg.TLSConfig(); err != nil {
		return err
	}
	if rc.SASL, err = cfg.SASL(); err != nil {
		return err
	}
	fmt.Fprintf(out, "re-driving dead letters (reason %s) from %s to %s\n", rc.Reason, rc.DLQTopic, rc.InputTopic)
	sum, err := redrive.Run(ctx, rc, out)
	fmt.Fprintln(out, sum)
	return err
}
