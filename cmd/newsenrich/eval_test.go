package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// The eval command on the scorer's hand-made fixture: scoring a predictions
// file, floors that pass and fail, agreement with a score.py report.
func TestEvalCommandFloorsAndAgreement(t *testing.T) {
	fix := filepath.Join("..", "..", "internal", "eval", "testdata")
	base := []string{"--articles", filepath.Join(fix, "tiny.articles.jsonl"), "--pred", filepath.Join(fix, "tiny.pred.jsonl")}
	tests := []struct {
		name    string
		extra   []string
		wantErr string
	}{
		{"floor met", []string{"--min", "ner.PER+ORG+LOC.f1=0.6"}, ""},
		{"floor missed", []string{"--min", "quotes.quote.f1=0.9"}, "below their floor"},
		{"unknown figure", []string{"--min", "ner.nonsense=0.1"}, "below their floor"},
		{"agrees with score.py", []string{"--agree", filepath.Join(fix, "tiny.score_py.json")}, ""},
		{"json output", []string{"--json"}, ""},
		{"markdown output", []string{"--markdown"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := evalCommand(context.Background(), append(append([]string{}, base...), tc.extra...), io.Discard, io.Discard)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestEvalCommandRejectsBadInput(t *testing.T) {
	for _, args := range [][]string{
		{},                                // no set
		{"--set", "no-such-set-anywhere"}, // unknown set
		{"--all", "--data", t.TempDir()},  // no dev sets there
		{"--articles", "x", "--engine", "nope"},
	} {
		if err := evalCommand(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("eval %v: no error", args)
		}
	}
}
