// Package golden compares test output with files under testdata/. Run the
// tests with -update to rewrite the files from the current output, then
// review the change with git diff.
package golden

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/ from the current output")

// Updating reports whether the test run rewrites golden files.
func Updating() bool { return *update }

// Check compares got with the file at path; with -update it writes got there
// instead. A difference fails t with a line diff.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (check the change, then run the test with -update):\n%s", path, Diff(string(want), string(got)))
	}
}

// CheckJSON marshals v indented, with a final newline, and calls Check.
func CheckJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	Check(t, path, append(b, '\n'))
}

// maxCells bounds the diff table; past it Diff shows the first differing
// line with its neighbours instead of a minimal diff.
const maxCells = 4 << 20

// Diff returns a line diff of want and got: "-" lines only in want, "+"
// lines only in got, two lines of context around each change.
func Diff(want, got string) string {
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	if len(a)*len(b) > maxCells {
		return firstDifference(a, b)
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		text string
	}
	var ops []line
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops = append(ops, line{' ', a[i]})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, line{'-', a[i]})
			i++
		default:
			ops = append(ops, line{'+', b[j]})
			j++
		}
	}
	const context = 2
	var out strings.Builder
	last := -1
	for k, op := range ops {
		near := false
		for d := max(0, k-context); d <= min(len(ops)-1, k+context); d++ {
			if ops[d].op != ' ' {
				near = true
				break
			}
		}
		if !near {
			continue
		}
		if last >= 0 && k > last+1 {
			out.WriteString("...\n")
		}
		fmt.Fprintf(&out, "%c %s\n", op.op, op.text)
		last = k
	}
	return out.String()
}

func firstDifference(a, b []string) string {
	k := 0
	for k < len(a) && k < len(b) && a[k] == b[k] {
		k++
	}
	var out strings.Builder
	fmt.Fprintf(&out, "first difference at line %d:\n", k+1)
	for i := max(0, k-2); i < min(len(a), k+3); i++ {
		fmt.Fprintf(&out, "- %s\n", a[i])
	}
	for i := max(0, k-2); i < min(len(b), k+3); i++ {
		fmt.Fprintf(&out, "+ %s\n", b[i])
	}
	return out.String()
}
