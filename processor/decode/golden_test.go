package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/internal/golden"
)

var goldenLimits = Limits{MaxBytes: 1 << 20}

func goldenInputs(t testing.TB) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.json", "*.xml"} {
		m, err := filepath.Glob(filepath.Join("testdata", "golden", pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no golden inputs found")
	}
	return files
}

// goldenOutput renders what Decode returned for a golden file.
func goldenOutput(t *testing.T, raw []byte) []byte {
	t.Helper()
	a, err := Decode(raw, goldenLimits)
	var v any = a
	if err != nil {
		var de *Error
		if !errors.As(err, &de) {
			t.Fatalf("error is %T, want *decode.Error", err)
		}
		v = map[string]any{"error": map[string]string{"reason": de.Reason, "detail": de.Detail}}
	}
	out, mErr := json.MarshalIndent(v, "", "  ")
	if mErr != nil {
		t.Fatal(mErr)
	}
	return append(out, '\n')
}

func TestGolden(t *testing.T) {
	for _, in := range goldenInputs(t) {
		name := filepath.Base(in)
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got := goldenOutput(t, raw)
			wantErr := strings.HasPrefix(name, "err_")
			if isErr := bytes.HasPrefix(got, []byte("{\n  \"error\"")); isErr != wantErr {
				t.Errorf("error = %v, want %v:\n%s", isErr, wantErr, got)
			}
			golden.Check(t, strings.TrimSuffix(in, filepath.Ext(in))+".golden", got)
		})
	}
}
