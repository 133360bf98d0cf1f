package decode

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsenrich/newsenrich/event"
)

func benchInput(b *testing.B, name string) []byte {
	b.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "golden", name))
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

// BenchmarkDecode measures the hot path per input shape. Run with
// `go test ./processor/decode -run '^$' -bench . -benchmem`.
func BenchmarkDecode(b *testing.B) {
	lim := Limits{MaxBytes: 1 << 20}
	for _, name := range []string{"seed.json", "article_full.json", "article_html.json", "ninjs1.json", "ninjs2.json", "newsml.xml"} {
		raw := benchInput(b, name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(raw, lim); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncodingJSONBaseline is the cost of a plain json.Unmarshal of
// the seed article into event.Article (no validation, no passthrough), for
// comparison with BenchmarkDecode/seed.json.
func BenchmarkEncodingJSONBaseline(b *testing.B) {
	raw := benchInput(b, "seed.json")
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		var a event.Article
		if err := json.Unmarshal(raw, &a); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHTMLToText(b *testing.B) {
	raw := benchInput(b, "article_html.json")
	var a struct {
		BodyHTML string `json:"body_html"`
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(a.BodyHTML)))
	b.ReportAllocs()
	for b.Loop() {
		HTMLToText(a.BodyHTML)
	}
}
