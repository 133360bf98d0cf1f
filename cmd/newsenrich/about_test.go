package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

// runToBuffer runs a command and returns what it wrote to stdout.
func runToBuffer(t *testing.T, run func(ctx context.Context, args []string, stdout, stderr io.Writer) error) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// Every licence whose terms travel with the embedded data must be named.
func TestLicensesNamesEveryEmbeddedLicence(t *testing.T) {
	out := runToBuffer(t, licensesCommand)
	for _, want := range []string{"CC BY-SA 4.0", "ODbL", "GeoNames", "CC BY-SA 3.0", "BSD 3-Clause", "Countries States Cities", "IPTC", "CC BY 2.5", "Wikinews", "public domain"} {
		if !strings.Contains(out, want) {
			t.Errorf("licenses output does not mention %q", want)
		}
	}
}

func TestVersionNamesModel(t *testing.T) {
	out := runToBuffer(t, versionCommand)
	if !strings.Contains(out, runModel) {
		t.Errorf("version output %q lacks the model name", out)
	}
}
