package pipeline

import (
	"reflect"
	"strings"
	"testing"
)

func split(t *testing.T, in string, maxBytes int) []string {
	t.Helper()
	var got []string
	err := Split(strings.NewReader(in), maxBytes, func(raw []byte, size int) error {
		if raw == nil {
			got = append(got, "TOO LARGE")
			return nil
		}
		got = append(got, string(raw))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"jsonl", "{\"a\":1}\n{\"b\":2}\n", []string{`{"a":1}`, `{"b":2}`}},
		{"no trailing newline", `{"a":1}`, []string{`{"a":1}`}},
		{"blank lines", "\n\n{\"a\":1}\n\n", []string{`{"a":1}`}},
		{"pretty object", "{\n  \"a\": 1,\n  \"b\": [1,\n 2]\n}\n", []string{"{\n  \"a\": 1,\n  \"b\": [1,\n 2]\n}"}},
		{"braces in strings", `{"a":"}{[\"]"}` + "\n", []string{`{"a":"}{[\"]"}`}},
		{"array", `[{"a":1},{"b":2}]`, []string{`{"a":1}`, `{"b":2}`}},
		{"pretty array", "[\n  {\n    \"a\": 1\n  },\n  {\n    \"b\": 2\n  }\n]\n", []string{"{\n    \"a\": 1\n  }", "{\n    \"b\": 2\n  }"}},
		{"array of scalars", `["x", 1, null]`, []string{`"x"`, `1`, `null`}},
		{"garbage line", "nope\n{\"a\":1}\n", []string{"nope", `{"a":1}`}},
		{"broken then valid", "{\"a\": \n{\"b\":2}\n", []string{`{"a":`, `{"b":2}`}},
		{"broken at end", "{\"a\":1}\n{\"b\": ", []string{`{"a":1}`, `{"b":`}},
		{"two objects on a line", `{"a":1}{"b":2}`, []string{`{"a":1}`, `{"b":2}`}},
		{"xml over lines", "<?xml version=\"1.0\"?>\n<item>\n  <title>T</title>\n  <description><![CDATA[<p>a > b</p>]]></description>\n</item>\n{\"a\":1}\n",
			[]string{"<?xml version=\"1.0\"?>\n<item>\n  <title>T</title>\n  <description><![CDATA[<p>a > b</p>]]></description>\n</item>", `{"a":1}`}},
		{"xml with comment and attributes", "<entry a=\"x>y\"><!-- <b> --><br/><x/></entry>\n<item/>\n",
			[]string{"<entry a=\"x>y\"><!-- <b> --><br/><x/></entry>", "<item/>"}},
		{"two xml documents", "<item>\n<guid>a</guid>\n</item>\n<item>\n<guid>b</guid>\n</item>\n",
			[]string{"<item>\n<guid>a</guid>\n</item>", "<item>\n<guid>b</guid>\n</item>"}},
		{"unclosed xml", "<item>\n<guid>a</guid>\n", []string{"<item>\n<guid>a</guid>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := split(t, tc.in, 1<<20); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSplitBoundsMemory(t *testing.T) {
	long := `{"id":"long","body":"` + strings.Repeat("word ", 400_000) + `"}` // 2 MB on one line
	got := split(t, long+"\n{\"a\":1}\n", 1<<20)
	if !reflect.DeepEqual(got, []string{"TOO LARGE", `{"a":1}`}) {
		t.Fatalf("got %.100q", got)
	}
	got = split(t, long+"\n", 0)
	if len(got) != 1 || len(got[0]) != len(long) {
		t.Fatalf("unlimited: got %d records", len(got))
	}
	var size int
	_ = Split(strings.NewReader("[\n"+long+"\n]"), 1000, func(raw []byte, n int) error { size = n; return nil })
	if size != len(long) {
		t.Fatalf("size %d, want %d", size, len(long))
	}
}

func BenchmarkSplitPrettyArray(b *testing.B) {
	var in strings.Builder
	in.WriteString("[\n")
	for i := range 20000 {
		if i > 0 {
			in.WriteString(",\n")
		}
		in.WriteString("  {\n    \"id\": \"a\",\n    \"body\": \"" + strings.Repeat("Some words of an article. ", 100) + "\"\n  }")
	}
	in.WriteString("\n]\n")
	s := in.String()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		n := 0
		_ = Split(strings.NewReader(s), 1<<20, func([]byte, int) error { n++; return nil })
		if n != 20000 {
			b.Fatal(n)
		}
	}
}

// FuzzSplit: any input splits without error or panic, every record is a
// piece of the input, and no record is over the limit.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"{\"a\":1}\n[{\"b\":2},\n{\"c\":3}]\n", "<item><![CDATA[<]]></item>\n<x a='>'/>", "{\"a\": \n{\"b\"", "[\"x\", 1, ]", "<!-- x -->", "<?xml?><a><b/></a>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		const maxBytes = 64
		total := 0
		err := Split(strings.NewReader(in), maxBytes, func(raw []byte, size int) error {
			total += size
			if raw == nil {
				if size <= maxBytes {
					t.Fatalf("record of %d bytes reported too large", size)
				}
				return nil
			}
			if len(raw) == 0 || len(raw) > maxBytes || !strings.Contains(in, string(raw)) {
				t.Fatalf("record %q is not a piece of the input", raw)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if total > len(in) {
			t.Fatalf("records hold %d bytes, input has %d", total, len(in))
		}
	})
}
