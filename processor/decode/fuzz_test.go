package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsenrich/newsenrich/event"
)

// Seeds beyond testdata/fuzz: every golden input plus a few hand-made
// edge cases, so a plain `go test` run exercises the invariants too.
var fuzzSeeds = []string{
	`{"id":"x","body":"T"}`,
	`{"id":1,"body_html":"<p>a</p><p>b</p>","extra":[{"x":null}]}`,
	`{"uri":"u","bodies":[{"role":"main","contenttype":"text/html","value":"<p>x</p>"}],"headlines":[{"value":"h"}]}`,
	`{"id":"x","body":"a\ud800\u0000\r\nb","language":"EN_gb","published_at":"2026-01-01T00:00:00Z"}`,
	`<newsItem guid="g"><contentSet><inlineXML><p>a</p></inlineXML></contentSet></newsItem>`,
	`<newsMessage><itemSet><newsItem guid="g"><contentSet><inlineData>x</inlineData></contentSet></newsItem></itemSet></newsMessage>`,
	`<item><guid>g</guid><pubDate>Thu, 07 Feb 2019 10:00:00 GMT</pubDate><description>&lt;p&gt;x&lt;/p&gt;</description></item>`,
	`<entry xmlns="http://www.w3.org/2005/Atom"><id>e</id><author><name>Jo</name></author><content type="xhtml"><div><p>x</p></div></content></entry>`,
	`{"id":"x","body":"T","published_at":1549533600000,"source":{"name":"S"},"authors":[{"name":"Jo"}],"language":"eng"}`,
	`[[[[[[[[[[`, `{"a":{"a":{"a":{"a":1}}}}`, "\xef\xbb\xbf{}", `{"id":"x","body":"<p>html in body</p>"}`,
}

var knownReasons = map[string]bool{
	event.ReasonInvalidJSON: true, event.ReasonInvalidUTF8: true, event.ReasonMissingField: true,
	event.ReasonInvalidField: true, event.ReasonTooLarge: true, event.ReasonUnsupportedLanguage: true,
	event.ReasonUnsupportedFormat: true,
}

func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	for _, in := range goldenInputs(f) {
		if b, err := os.ReadFile(in); err == nil {
			f.Add(b)
		}
	}
	lim := Limits{MaxBytes: 1 << 16}
	f.Fuzz(func(t *testing.T, raw []byte) {
		orig := bytes.Clone(raw)
		a, err := Decode(raw, lim)
		if !bytes.Equal(raw, orig) {
			t.Fatal("Decode modified its input")
		}
		if err != nil {
			checkError(t, raw, a, err)
			return
		}
		checkArticle(t, a)
		checkAgainstEncodingJSON(t, raw, a)
	})
}

func checkError(t *testing.T, raw []byte, a event.Article, err error) {
	var de *Error
	if !errors.As(err, &de) {
		t.Fatalf("error %T is not *decode.Error: %v", err, err)
	}
	if !knownReasons[de.Reason] {
		t.Fatalf("unknown reason %q", de.Reason)
	}
	if de.Detail == "" || len(de.Detail) > MaxDetailBytes || !utf8.ValidString(de.Detail) {
		t.Fatalf("detail not header-safe: %q", de.Detail)
	}
	if !reflect.DeepEqual(a, event.Article{}) {
		t.Fatalf("error with a non-zero article: %+v", a)
	}
	// The JSON scanner must agree with encoding/json about syntax.
	if len(raw) <= 1<<16 && utf8.Valid(raw) {
		b := bytes.TrimLeft(bytes.TrimPrefix(raw, bom), " \t\r\n")
		if len(b) > 0 && b[0] == '{' && de.Reason == event.ReasonInvalidJSON &&
			json.Valid(b) && jsonDepth(b) <= MaxDepth {
			t.Fatalf("valid JSON (depth %d) rejected as invalid_json: %s", jsonDepth(b), de.Detail)
		}
		if len(b) > 0 && b[0] != '<' && !json.Valid(b) && de.Reason != event.ReasonInvalidJSON {
			t.Fatalf("invalid JSON classified as %s: %s", de.Reason, de.Detail)
		}
	}
}

func checkArticle(t *testing.T, a event.Article) {
	if a.ID == "" || a.ID != strings.TrimSpace(a.ID) || len(a.ID) > MaxIDBytes {
		t.Fatalf("bad id %q", a.ID)
	}
	if strings.TrimSpace(a.Body) == "" {
		t.Fatal("empty body on success")
	}
	if a.Language != "" && !validLangTag(a.Language) {
		t.Fatalf("language %q is not a BCP 47 tag", a.Language)
	}
	if a.PublishedAt != "" {
		if _, err := time.Parse(time.RFC3339, a.PublishedAt); err != nil || !strings.HasSuffix(a.PublishedAt, "Z") {
			t.Fatalf("published_at %q is not RFC 3339 UTC", a.PublishedAt)
		}
	}
	for _, w := range a.Warnings {
		if w.Field == "" || w.Why == "" || len(w.Value) > MaxWarningValueBytes || !utf8.ValidString(w.Value) {
			t.Fatalf("bad warning %+v", w)
		}
	}
	for _, s := range append([]string{a.ID, a.Title, a.Body, a.BodyHTML, a.Language, a.Source, a.URL, a.PublishedAt}, a.Authors...) {
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 in %q", s)
		}
	}
	for _, r := range a.Body {
		if r == '\r' || isDropped(r) {
			t.Fatalf("control %U left in body %q", r, a.Body)
		}
	}
	if a.Passthrough != nil && (!json.Valid(a.Passthrough) || a.Passthrough[0] != '{') {
		t.Fatalf("passthrough is not a JSON object: %s", a.Passthrough)
	}
	if _, err := json.Marshal(a); err != nil {
		t.Fatalf("article does not marshal: %v", err)
	}
}

// checkAgainstEncodingJSON compares a field the decoder only trims with
// what encoding/json makes of the same record.
func checkAgainstEncodingJSON(t *testing.T, raw []byte, a event.Article) {
	var m map[string]any
	if json.Unmarshal(bytes.TrimPrefix(raw, bom), &m) != nil {
		return
	}
	if _, isArticle := m["id"]; !isArticle {
		return
	}
	if u, ok := m["url"].(string); ok && strings.TrimSpace(u) != a.URL {
		t.Fatalf("url %q, encoding/json says %q", a.URL, u)
	}
	if id, ok := m["id"].(string); ok && strings.TrimSpace(id) != a.ID {
		t.Fatalf("id %q, encoding/json says %q", a.ID, id)
	}
}

// jsonDepth is the maximum nesting of brackets outside strings.
func jsonDepth(b []byte) int {
	depth, deepest, inStr := 0, 0, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '{' || c == '[':
			depth++
			if depth > deepest {
				deepest = depth
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}

func FuzzHTMLToText(f *testing.F) {
	for _, s := range []string{
		"<p>a</p><p>b</p>", "a<br><br>b", "<pre>  x\n\n\n y</pre>", "<script>x</script>y", "&amp;&#0;&#xD800;&bogus;",
		"<table><tr><td>a<td>b</table>", "<svg><svg></svg>", "<h:p>x</h:p>", "\x00\r\n\xff", "<![CDATA[x]]>",
		"<li>a<li>b", "<title>t</title>x", "<textarea>a<b>c</textarea>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := HTMLToText(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 output %q", out)
		}
		for _, r := range out {
			if r == '\r' || r == '\t' || isDropped(r) {
				t.Fatalf("control %U in output %q", r, out)
			}
		}
		if strings.Contains(out, "\n\n\n") {
			t.Fatalf("more than one blank line in %q", out)
		}
		if strings.HasPrefix(out, "\n") || strings.HasSuffix(out, "\n") || strings.HasPrefix(out, " ") {
			t.Fatalf("leading/trailing break in %q", out)
		}
	})
}
