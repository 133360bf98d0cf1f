package main

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
)

func captureStdout(t *testing.T, f func() error) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	runErr := f()
	os.Stdout = old
	w.Close()
	out, _ := io.ReadAll(r)
	if runErr != nil {
		t.Fatal(runErr)
	}
	return string(out)
}

// Every licence whose terms travel with the embedded data must be named.
func TestLicensesNamesEveryEmbeddedLicence(t *testing.T) {
	out := captureStdout(t, func() error { return licensesCommand(context.Background(), nil) })
	for _, want := range []string{"CC BY-SA 4.0", "ODbL", "GeoNames", "CC BY-SA 3.0", "BSD 3-Clause", "Countries States Cities", "IPTC", "CC BY 2.5", "Wikinews", "public domain"} {
		if !strings.Contains(out, want) {
			t.Errorf("licenses output does not mention %q", want)
		}
	}
}

func TestVersionNamesModel(t *testing.T) {
	out := captureStdout(t, func() error { return versionCommand(context.Background(), nil) })
	if !strings.Contains(out, runModel) {
		t.Errorf("version output %q lacks the model name", out)
	}
}
