package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// The eval command wires its flags into an eval.Job and writes to the
// writers it is given; the job itself is tested in package eval.
func TestEvalCommandWiresFlags(t *testing.T) {
	fix := filepath.Join("..", "..", "internal", "eval", "testdata")
	args := []string{"--articles", filepath.Join(fix, "tiny.articles.jsonl"), "--pred", filepath.Join(fix, "tiny.pred.jsonl"),
		"--json", "--min", "ner.PER+ORG+LOC.f1=0.6", "--topic-min-score", "0.1"}
	var stdout, stderr bytes.Buffer
	if err := evalCommand(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("eval: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), `"engine": "pred-file"`) || !strings.Contains(stderr.String(), "all 1 floor(s) met") {
		t.Fatalf("stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	}
	err := evalCommand(context.Background(), append(args, "--min", "quotes.quote.f1=0.9"), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "below their floor") {
		t.Fatalf("missed floor: %v", err)
	}
}

func TestEvalCommandRejectsBadInput(t *testing.T) {
	for _, args := range [][]string{
		{},                                // no set
		{"--set", "no-such-set-anywhere"}, // unknown set
		{"--all", "--data", t.TempDir()},  // no dev sets there
		{"--articles", "x", "--engine", "nope"},
		{"stray"},
	} {
		var stderr bytes.Buffer
		if err := evalCommand(context.Background(), args, io.Discard, &stderr); err == nil {
			t.Errorf("eval %v: no error", args)
		}
		if len(args) == 0 && !strings.Contains(stderr.String(), "usage: newsenrich eval") {
			t.Errorf("no set: usage not printed:\n%s", stderr.String())
		}
	}
}
