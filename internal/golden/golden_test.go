package golden

import (
	"path/filepath"
	"testing"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name, want, got, diff string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"changed line", "a\nb\nc\n", "a\nB\nc\n", "  a\n- b\n+ B\n  c\n  \n"},
		{"added line", "a\nc", "a\nb\nc", "  a\n+ b\n  c\n"},
		{"removed line", "a\nb\nc", "a\nc", "  a\n- b\n  c\n"},
		{"far apart changes", "1\n2\n3\n4\n5\n6\n7\n8", "x\n2\n3\n4\n5\n6\n7\ny",
			"- 1\n+ x\n  2\n  3\n...\n  6\n  7\n- 8\n+ y\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := Diff(tt.want, tt.got); d != tt.diff {
				t.Errorf("Diff:\n%s\nwant:\n%s", d, tt.diff)
			}
		})
	}
}

func TestCheckMatchesFile(t *testing.T) {
	if Updating() {
		t.Skip("nothing to rewrite here")
	}
	Check(t, filepath.Join("testdata", "hello.golden"), []byte("hello\n"))
	CheckJSON(t, filepath.Join("testdata", "value.golden.json"), map[string]int{"a": 1})
}

// recorder captures Errorf so a failing comparison can be asserted.
type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	r.msg = format
}

func TestCheckReportsDifference(t *testing.T) {
	if Updating() {
		t.Skip("would overwrite the fixture")
	}
	r := &recorder{TB: t}
	Check(r, filepath.Join("testdata", "hello.golden"), []byte("goodbye\n"))
	if !r.failed {
		t.Fatal("a different output passed the comparison")
	}
}
