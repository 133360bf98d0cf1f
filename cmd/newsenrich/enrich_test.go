package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// The command wires its flags into the pipeline and writes to the writers
// it is given.
func TestEnrichRunFlags(t *testing.T) {
	in := `{"id":"fr","body":"Le conseil municipal s'est réuni lundi soir pour voter le budget de l'année prochaine, a annoncé la mairie."}` + "\n" +
		`{"id":"en","body":"The council met on Monday and agreed the budget.","published_at":"Thu, 07 Feb 2019 10:00:00 GMT"}` + "\n"
	var out, errOut bytes.Buffer
	err := enrichRun(context.Background(), []string{"--engine", "none", "--other-languages", "drop", "--languages", "en"},
		strings.NewReader(in), &out, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], `"id":"en"`) || !strings.Contains(lines[0], `"published_at":"2019-02-07T10:00:00Z"`) {
		t.Fatalf("output %s", out.String())
	}
	if err := enrichRun(context.Background(), []string{"--engine", "spacy"}, strings.NewReader(in), &out, &errOut); err == nil {
		t.Error("unknown engine accepted")
	}
	if err := enrichRun(context.Background(), []string{"--other-languages", "skip"}, strings.NewReader(in), &out, &errOut); err == nil {
		t.Error("unknown policy accepted")
	}
}
