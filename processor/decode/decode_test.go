package decode

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsenrich/newsenrich/event"
)

func TestDecodeAccepts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		lim  Limits
		want event.Article
	}{
		{
			name: "minimal article",
			in:   `{"id":"a1","body":"Text."}`,
			want: event.Article{ID: "a1", Body: "Text."},
		},
		{
			name: "numeric id is kept as its literal text",
			in:   `{"id":-12.5e3,"body":"Text."}`,
			want: event.Article{ID: "-12.5e3", Body: "Text."},
		},
		{
			name: "escaped key and value",
			in:   `{"\u0069d":"a\u00e9\ud83d\ude00","body":"line1\nline2\ttab \"q\" \\ \/"}`,
			want: event.Article{ID: "aé😀", Body: "line1\nline2\ttab \"q\" \\ /"},
		},
		{
			name: "unpaired surrogate becomes U+FFFD as in encoding/json",
			in:   `{"id":"x","body":"a\ud800b\udc00c"}`,
			want: event.Article{ID: "x", Body: "a\ufffdb\ufffdc"},
		},
		{
			name: "byte order mark and surrounding space",
			in:   "\xef\xbb\xbf \n {\"id\":\"x\",\"body\":\"T\"} \n",
			want: event.Article{ID: "x", Body: "T"},
		},
		{
			name: "nulls are absent",
			in:   `{"id":"x","title":null,"body":"T","language":null,"authors":null,"published_at":null}`,
			want: event.Article{ID: "x", Body: "T"},
		},
		{
			name: "body wins over body_html, both kept",
			in:   `{"id":"x","body":"Plain.","body_html":"<p>Rich.</p>"}`,
			want: event.Article{ID: "x", Body: "Plain.", BodyHTML: "<p>Rich.</p>"},
		},
		{
			name: "blank body defers to body_html",
			in:   `{"id":"x","body":" \n","body_html":"<p>Rich.</p>"}`,
			want: event.Article{ID: "x", Body: "Rich.", BodyHTML: "<p>Rich.</p>"},
		},
		{
			name: "body_html only: body is its text",
			in:   `{"id":"x","body_html":"<p>One &amp; two.</p><p>Three.</p>"}`,
			want: event.Article{ID: "x", Body: "One & two.\n\nThree.", BodyHTML: "<p>One &amp; two.</p><p>Three.</p>"},
		},
		{
			name: "CRLF, lone CR and controls in body",
			in:   `{"id":"x","body":"a\r\nb\rc\u0000d\u0085e\u007ff\tg"}`,
			want: event.Article{ID: "x", Body: "a\nb\ncdef\tg"},
		},
		{
			name: "authors as one string, trimmed title",
			in:   `{"id":"x","body":"T","authors":" Jo  Smith ","title":"  A\n title "}`,
			want: event.Article{ID: "x", Title: "A title", Body: "T", Authors: []string{"Jo Smith"}},
		},
		{
			name: "published_at with fraction and offset",
			in:   `{"id":"x","body":"T","published_at":"2026-11-23T06:15:00.123-05:00"}`,
			want: event.Article{ID: "x", Body: "T", PublishedAt: "2026-11-23T11:15:00.123Z", PublishedAtRaw: "2026-11-23T06:15:00.123-05:00"},
		},
		{
			name: "duplicate key: last wins",
			in:   `{"id":"first","id":"second","body":"T"}`,
			want: event.Article{ID: "second", Body: "T"},
		},
		{
			name: "id present: ninjs fields are passthrough",
			in:   `{"id":"x","uri":"urn:y","body":"T","headline":"H"}`,
			want: event.Article{ID: "x", Body: "T", Passthrough: json.RawMessage(`{"uri":"urn:y","headline":"H"}`)},
		},
		{
			name: "language region kept",
			in:   `{"id":"x","body":"T","language":"en-US"}`,
			want: event.Article{ID: "x", Body: "T", Language: "en-US"},
		},
		{
			name: "missing language left for the caller to detect",
			in:   `{"id":"x","body":"T"}`,
			want: event.Article{ID: "x", Body: "T"},
		},
		{
			name: "ninjs 1.x",
			in:   `{"uri":"urn:n1","headline":"H","body_text":"B","language":"en","versioncreated":"2026-01-02T03:04:05Z","byline":"Jo"}`,
			want: event.Article{ID: "urn:n1", Title: "H", Body: "B", Language: "en", PublishedAt: "2026-01-02T03:04:05Z", Authors: []string{"Jo"}},
		},
		{
			name: "ninjs 1.x html only",
			in:   `{"uri":"urn:n1","body_html":"<p>B</p>"}`,
			want: event.Article{ID: "urn:n1", Body: "B", BodyHTML: "<p>B</p>"},
		},
		{
			name: "ninjs 2.x prefers the plain main body",
			in: `{"uri":"urn:n2","headlines":[{"role":"main","value":"H"}],` +
				`"bodies":[{"role":"richtext","contenttype":"text/html","value":"<p>R</p>"},{"role":"main","contenttype":"text/plain","value":"P"}],"by":"Jo"}`,
			want: event.Article{ID: "urn:n2", Title: "H", Body: "P", Authors: []string{"Jo"}},
		},
		{
			name: "ninjs 3.x camelCase",
			in:   `{"uri":"urn:n3","versionCreated":"2026-01-02T03:04:05Z","bodies":[{"role":"main","contentType":"text/plain","value":"P"}]}`,
			want: event.Article{ID: "urn:n3", Body: "P", PublishedAt: "2026-01-02T03:04:05Z"},
		},
		{
			name: "NewsML-G2 inlineData",
			in: `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g1" xml:lang="de"><itemMeta><versionCreated>2026-01-02T03:04:05Z</versionCreated></itemMeta>` +
				`<contentSet><inlineData contenttype="text/plain">Hallo &amp; tschüss</inlineData></contentSet></newsItem>`,
			want: event.Article{ID: "g1", Body: "Hallo & tschüss", Language: "de", PublishedAt: "2026-01-02T03:04:05Z"},
		},
		{
			name: "NewsML-G2 first inlineXML rendition wins",
			in:   `<newsItem guid="g4"><contentSet><inlineXML/><inlineXML><p>first</p></inlineXML><inlineXML><div><p>second</p></div></inlineXML></contentSet></newsItem>`,
			want: event.Article{ID: "g4", Body: "first", BodyHTML: "<p>first</p>"},
		},
		{
			name: "NewsML-G2 HTML in inlineData CDATA",
			in:   `<newsItem guid="g3"><contentSet><inlineData contenttype="text/html"><![CDATA[<p>A &amp; B</p><p>C</p>]]></inlineData></contentSet></newsItem>`,
			want: event.Article{ID: "g3", Body: "A & B\n\nC", BodyHTML: "<p>A &amp; B</p><p>C</p>"},
		},
		{
			name: "NewsML-G2 prefixed XHTML",
			in:   `<newsItem guid="g2"><contentSet><inlineXML><h:html xmlns:h="http://www.w3.org/1999/xhtml"><h:body><h:p>A</h:p><h:p>B<h:br/>C</h:p></h:body></h:html></inlineXML></contentSet></newsItem>`,
			want: event.Article{ID: "g2", Body: "A\n\nB\nC", BodyHTML: `<h:html xmlns:h="http://www.w3.org/1999/xhtml"><h:body><h:p>A</h:p><h:p>B<h:br/>C</h:p></h:body></h:html>`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.in), tt.lim)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(tt.want)
				t.Errorf("got  %s\nwant %s", g, w)
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	deep := func(n int, opener, closer string) string {
		return `{"id":"x","body":"T","deep":` + strings.Repeat(opener, n) + strings.Repeat(closer, n) + `}`
	}
	tests := []struct {
		name, in string
		lim      Limits
		reason   string
		detail   string // substring
	}{
		{"too large", `{"id":"x","body":"0123456789"}`, Limits{MaxBytes: 10}, event.ReasonTooLarge, "limit is 10"},
		{"invalid utf8", "{\"id\":\"x\",\"body\":\"\xff\"}", Limits{}, event.ReasonInvalidUTF8, "bad byte at 18"},
		{"empty", ``, Limits{}, event.ReasonInvalidJSON, "empty"},
		{"only space", " \n\t", Limits{}, event.ReasonInvalidJSON, "empty"},
		{"not json", `hello`, Limits{}, event.ReasonInvalidJSON, "invalid character 'h'"},
		{"top-level array", `[{"id":"x","body":"T"}]`, Limits{}, event.ReasonInvalidJSON, "an array, want an object"},
		{"top-level string", `"x"`, Limits{}, event.ReasonInvalidJSON, "a string, want an object"},
		{"top-level number", `42`, Limits{}, event.ReasonInvalidJSON, "a number, want an object"},
		{"truncated", `{"id":"x","body":"T"`, Limits{}, event.ReasonInvalidJSON, "end of input"},
		{"trailing comma", `{"id":"x","body":"T",}`, Limits{}, event.ReasonInvalidJSON, "expected a string key"},
		{"trailing data", `{"id":"x","body":"T"} {}`, Limits{}, event.ReasonInvalidJSON, "after the top-level object"},
		{"single quotes", `{'id':'x'}`, Limits{}, event.ReasonInvalidJSON, "string key"},
		{"missing colon", `{"id" "x"}`, Limits{}, event.ReasonInvalidJSON, "expected ':'"},
		{"raw newline in string", "{\"id\":\"x\",\"body\":\"a\nb\"}", Limits{}, event.ReasonInvalidJSON, "control character"},
		{"bad escape", `{"id":"x","body":"a\qb"}`, Limits{}, event.ReasonInvalidJSON, "invalid escape"},
		{"bad unicode escape", `{"id":"x","body":"a\u12G4"}`, Limits{}, event.ReasonInvalidJSON, `\u escape`},
		{"leading zero", `{"id":"x","body":"T","n":01}`, Limits{}, event.ReasonInvalidJSON, "expected ',' or '}'"},
		{"NaN", `{"id":"x","body":"T","n":NaN}`, Limits{}, event.ReasonInvalidJSON, "invalid character 'N'"},
		{"bad literal", `{"id":"x","body":"T","b":tru}`, Limits{}, event.ReasonInvalidJSON, "invalid literal"},
		{"unclosed nested", `{"id":"x","body":"T","a":[1,{"b":2]}`, Limits{}, event.ReasonInvalidJSON, "closing bracket"},
		{"deep arrays", deep(100000, "[", "]"), Limits{}, event.ReasonInvalidJSON, "deeper than 100"},
		{"deep objects", deep(5000, `{"a":`, "}"), Limits{}, event.ReasonInvalidJSON, "deeper than 100"},
		{"deep top-level array", strings.Repeat("[", 200000), Limits{}, event.ReasonInvalidJSON, "deeper than 100"},
		{"no id", `{"body":"T"}`, Limits{}, event.ReasonMissingField, "id is required"},
		{"blank id", `{"id":"  ","body":"T"}`, Limits{}, event.ReasonMissingField, "id is required"},
		{"null id", `{"id":null,"body":"T"}`, Limits{}, event.ReasonMissingField, "id is required"},
		{"no body", `{"id":"x","title":"T"}`, Limits{}, event.ReasonMissingField, "body is required"},
		{"blank body", `{"id":"x","body":" \n\t "}`, Limits{}, event.ReasonMissingField, "no text"},
		{"html body without text", `{"id":"x","body_html":"<script>x()</script><p> </p>"}`, Limits{}, event.ReasonMissingField, "body_html contains no text"},
		{"ninjs without uri", `{"headline":"H","body_text":"B"}`, Limits{}, event.ReasonMissingField, "uri is required"},
		{"ninjs without body", `{"uri":"u","headline":"H"}`, Limits{}, event.ReasonMissingField, "ninjs item has no body"},
		{"id is a boolean", `{"id":true,"body":"T"}`, Limits{}, event.ReasonInvalidField, "id must be a string or a number, got a boolean"},
		{"id is an object", `{"id":{"v":1},"body":"T"}`, Limits{}, event.ReasonInvalidField, "got an object"},
		{"body is an array", `{"id":"x","body":["T"]}`, Limits{}, event.ReasonInvalidField, "body must be a string, got an array"},
		{"long id", `{"id":"` + strings.Repeat("x", 2000) + `","body":"T"}`, Limits{}, event.ReasonInvalidField, "limit is 1024"},
		{"control in id", `{"id":"a\u0000b","body":"T"}`, Limits{}, event.ReasonInvalidField, "control characters"},
		{"newline in id", `{"id":"a\nb","body":"T"}`, Limits{}, event.ReasonInvalidField, "control characters"},
		{"ninjs bodies wrong shape", `{"uri":"u","bodies":[1,2]}`, Limits{}, event.ReasonInvalidField, "bodies must be an array"},
		{"whole rss feed", `<rss><channel/></rss>`, Limits{}, event.ReasonUnsupportedFormat, "send one <item> (RSS) or <entry> (Atom) per record"},
		{"whole atom feed", `<feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed>`, Limits{}, event.ReasonUnsupportedFormat, "whole feed (root <feed>)"},
		{"xml not newsml", `<doc><p>x</p></doc>`, Limits{}, event.ReasonUnsupportedFormat, "<doc> is not a NewsML-G2 newsItem"},
		{"rss item without id", `<item><description>x</description></item>`, Limits{}, event.ReasonMissingField, "no guid or link"},
		{"atom entry without body", `<entry><id>e</id><title>t</title></entry>`, Limits{}, event.ReasonMissingField, "content or summary"},
		{"html document", `<!DOCTYPE html><html><body><p>x</p></body></html>`, Limits{}, event.ReasonUnsupportedFormat, "not a NewsML-G2"},
		{"malformed xml", `<newsItem guid="g"><contentSet></newsItem>`, Limits{}, event.ReasonUnsupportedFormat, "malformed XML"},
		{"truncated xml", `<newsItem guid="g"><contentSet><inlineXML><p>x`, Limits{}, event.ReasonUnsupportedFormat, "malformed XML"},
		{"undeclared entity", `<newsItem guid="g"><contentSet><inlineData>&bogus;</inlineData></contentSet></newsItem>`, Limits{}, event.ReasonUnsupportedFormat, "malformed XML"},
		{"latin-1 xml", `<?xml version="1.0" encoding="ISO-8859-1"?><newsItem guid="g"/>`, Limits{}, event.ReasonUnsupportedFormat, "send UTF-8"},
		{"two news items", `<newsMessage><itemSet><newsItem guid="a"/><newsItem guid="b"/></itemSet></newsMessage>`, Limits{}, event.ReasonUnsupportedFormat, "more than one newsItem"},
		{"message without item", `<newsMessage><itemSet/></newsMessage>`, Limits{}, event.ReasonUnsupportedFormat, "no NewsML-G2 newsItem"},
		{"deep xml", `<newsItem guid="g">` + strings.Repeat("<a>", 500) + strings.Repeat("</a>", 500) + `</newsItem>`, Limits{}, event.ReasonUnsupportedFormat, "deeper than 100"},
		{"deep xhtml body", `<newsItem guid="g"><contentSet><inlineXML>` + strings.Repeat("<div>", 500) + strings.Repeat("</div>", 500) + `</inlineXML></contentSet></newsItem>`, Limits{}, event.ReasonUnsupportedFormat, "deeper than 100"},
		{"newsml without guid", `<newsItem><contentSet><inlineData>x</inlineData></contentSet></newsItem>`, Limits{}, event.ReasonMissingField, "guid is required"},
		{"newsml without body", `<newsItem guid="g"><contentSet><remoteContent href="http://x"/></contentSet></newsItem>`, Limits{}, event.ReasonMissingField, "no inlineXML or inlineData"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Decode([]byte(tt.in), tt.lim)
			if err == nil {
				t.Fatalf("Decode succeeded, want %s: %+v", tt.reason, a)
			}
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("error %T is not *decode.Error", err)
			}
			if de.Reason != tt.reason || !strings.Contains(de.Detail, tt.detail) {
				t.Errorf("got %s: %q\nwant %s containing %q", de.Reason, de.Detail, tt.reason, tt.detail)
			}
			if len(de.Detail) > MaxDetailBytes || !utf8.ValidString(de.Detail) {
				t.Errorf("detail not header-safe (%d bytes): %q", len(de.Detail), de.Detail)
			}
			if !reflect.DeepEqual(a, event.Article{}) {
				t.Errorf("failed Decode returned a non-zero article: %+v", a)
			}
		})
	}
}

func TestDetailIsCapped(t *testing.T) {
	long := strings.Repeat("é", 500)
	err := fail(event.ReasonInvalidField, "value %s", long)
	if len(err.Detail) > MaxDetailBytes || !utf8.ValidString(err.Detail) || !strings.HasSuffix(err.Detail, "…") {
		t.Errorf("detail %d bytes, valid=%v: %q", len(err.Detail), utf8.ValidString(err.Detail), err.Detail)
	}
	_, derr := Decode([]byte(`{"id":"`+strings.Repeat("é", 2000)+`","body":"T"}`), Limits{})
	var de *Error
	if !errors.As(derr, &de) || len(de.Detail) > MaxDetailBytes {
		t.Errorf("got %v", derr)
	}
	a, _ := Decode([]byte(`{"id":"x","body":"T","language":"`+strings.Repeat("ab-", 200)+`"}`), Limits{})
	if len(a.Warnings) != 1 || len(a.Warnings[0].Value) > MaxWarningValueBytes || !utf8.ValidString(a.Warnings[0].Value) {
		t.Errorf("warnings %+v", a.Warnings)
	}
}

// The scanner must accept exactly what encoding/json accepts (below the
// depth cap) and unquote strings identically.
func TestScannerAgreesWithEncodingJSON(t *testing.T) {
	docs := []string{
		`{}`, `{"a":1}`, `{"a":-0.5e+10}`, `{"a":1E5}`, `{"a":-}`, `{"a":1.}`, `{"a":.5}`, `{"a":1e}`,
		`{"a":[]}`, `{"a":[1,]}`, `{"a":[,1]}`, `{"a":{}}`, `{"a":{"b":}}`, `{"a":{"b":1,}}`,
		`{"a":"\u00e9\uD834\uDD1E\ud800"}`, `{"a":"\x"}`, `{"a":"\u123"}`, `{"a" : true , "b" : false , "c" : null}`,
		`{"a":truefalse}`, `{"a":nul}`, `{"a":"x"}}`, `{"a":["x"]]}`, "{\"a\":\"\t\"}", `{"a":[1 2]}`, `{"a":{"b" 1}}`,
		`{"a":-01}`, `{"a":00}`, `{"a":0.0e-0}`, `{"":""}`, `{"a":"\/\b\f\n\r\t\"\\"}`,
	}
	for _, d := range docs {
		want := json.Valid([]byte(d))
		_, err := decodeJSON([]byte(d), 0)
		got := err == nil || err.Reason != event.ReasonInvalidJSON
		if got != want {
			t.Errorf("%s: scanner valid=%v, encoding/json valid=%v (%v)", d, got, want, err)
		}
		if !want {
			continue
		}
		var m map[string]any
		if json.Unmarshal([]byte(d), &m) != nil {
			continue
		}
		if s, ok := m["a"].(string); ok {
			v := []byte(d[strings.Index(d, ":")+1 : len(d)-1])
			if got := unquote(v, hasBackslash(v)); got != s {
				t.Errorf("%s: unquote = %q, encoding/json = %q", d, got, s)
			}
		}
	}
}

func TestPassthroughRoundTrips(t *testing.T) {
	in := `{"id":"x","body":"T","z":{"k":[1,2,{"n":null}]},"a":"\u00e9","num":1.5e3,"flag":false}`
	a, err := Decode([]byte(in), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var got, want map[string]any
	if err := json.Unmarshal(a.Passthrough, &got); err != nil {
		t.Fatalf("passthrough %s: %v", a.Passthrough, err)
	}
	_ = json.Unmarshal([]byte(in), &want)
	delete(want, "id")
	delete(want, "body")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("passthrough = %v, want %v", got, want)
	}
	// And it survives the enriched event's encoding.
	out, err := json.Marshal(event.Enriched{ID: a.ID, Passthrough: a.Passthrough})
	if err != nil || !strings.Contains(string(out), `"passthrough":{"z":{"k":[1,2,{"n":null}]},"a":"\u00e9","num":1.5e3,"flag":false}`) {
		t.Errorf("marshalled %s, %v", out, err)
	}
}

func TestLimitsValidate(t *testing.T) {
	if err := (Limits{MaxBytes: 1 << 20}).Validate(); err != nil {
		t.Errorf("valid limits: %v", err)
	}
	if err := (Limits{MaxBytes: -1}).Validate(); err == nil || !strings.Contains(err.Error(), "max bytes") {
		t.Errorf("negative max bytes: %v", err)
	}
}

func TestLangTags(t *testing.T) {
	for tag, ok := range map[string]bool{
		"en": true, "EN": true, "en-GB": true, "en_us": true, "zh-Hant-TW": true, "gsw": true, "es-419": true,
		"": false, "e": false, "1en": false, "en-": false, "en--gb": false, "english please": false, "en-abcdefghi": false,
	} {
		if got := validLangTag(tag); got != ok {
			t.Errorf("validLangTag(%q) = %v, want %v", tag, got, ok)
		}
	}
	for in, want := range map[string]string{"en": "en", "en-GB": "en-GB", "EN_gb": "en-gb", "De": "de", "pt_BR": "pt-BR"} {
		if got := normLang(in); got != want {
			t.Errorf("normLang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDecodeDoesNotAliasInput(t *testing.T) {
	raw := []byte(`{"id":"abc","body":"Text body.","extra":"v"}`)
	a, err := Decode(raw, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		raw[i] = 'X'
	}
	if a.ID != "abc" || a.Body != "Text body." || string(a.Passthrough) != `{"extra":"v"}` {
		t.Errorf("article changed with the input buffer: %+v %s", a, a.Passthrough)
	}
}

func TestDepthCapBoundary(t *testing.T) {
	// The top-level object is level 1, so 99 more levels fit.
	nest := func(levels int) []byte {
		return []byte(`{"id":"x","body":"T","d":` + strings.Repeat("[", levels-1) + strings.Repeat("]", levels-1) + `}`)
	}
	if _, err := Decode(nest(MaxDepth), Limits{}); err != nil {
		t.Errorf("depth %d rejected: %v", MaxDepth, err)
	}
	if _, err := Decode(nest(MaxDepth+1), Limits{}); !isReason(err, event.ReasonInvalidJSON) {
		t.Errorf("depth %d: got %v, want invalid_json", MaxDepth+1, err)
	}
}

// isReason reports whether err is a *Error of the given reason class.
func isReason(err error, reason string) bool {
	var de *Error
	return errors.As(err, &de) && de.Reason == reason
}
