package decode

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/newsenrich/newsenrich/event"
)

// metadataForm is one row of testdata/forms/forms.json.
type metadataForm struct {
	Name    string          `json:"name"`
	Field   string          `json:"field"`
	Value   json.RawMessage `json:"value"`
	Want    json.RawMessage `json:"want"`
	Warning bool            `json:"warning"`
}

func readForms(t *testing.T) []metadataForm {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "forms", "forms.json"))
	if err != nil {
		t.Fatal(err)
	}
	var forms []metadataForm
	if err := json.Unmarshal(b, &forms); err != nil {
		t.Fatal(err)
	}
	return forms
}

// formValue is the normalised value of the row's field in a.
func formValue(a event.Article, field string) any {
	switch field {
	case FieldPublishedAt:
		return a.PublishedAt
	case FieldSource:
		return a.Source
	case FieldLanguage:
		return a.Language
	case FieldAuthors:
		out := []any{}
		for _, s := range a.Authors {
			out = append(out, s)
		}
		return out
	}
	return nil
}

func TestMetadataForms(t *testing.T) {
	for _, f := range readForms(t) {
		t.Run(f.Name, func(t *testing.T) {
			raw := `{"id":"x","body":"Text.","` + f.Field + `":` + string(f.Value) + `}`
			a, err := Decode([]byte(raw), Limits{})
			if err != nil {
				t.Fatalf("metadata cost the article: %v", err)
			}
			var want any
			if err := json.Unmarshal(f.Want, &want); err != nil {
				t.Fatal(err)
			}
			if w, ok := want.([]any); ok && len(w) == 0 {
				want = []any{}
			}
			if got := formValue(a, f.Field); !reflect.DeepEqual(got, want) {
				t.Errorf("%s = %#v, want %#v", f.Field, got, want)
			}
			if got := len(a.Warnings) > 0; got != f.Warning {
				t.Errorf("warnings %+v, want a warning: %v", a.Warnings, f.Warning)
			}
			for _, w := range a.Warnings {
				if w.Field != f.Field {
					t.Errorf("warning for field %q, want %q", w.Field, f.Field)
				}
			}
		})
	}
}

func TestFeedDates(t *testing.T) {
	rss := `<item><guid>g</guid><pubDate>Thu, 07 Feb 2019 10:00:00 GMT</pubDate><description>x</description></item>`
	atom := `<entry xmlns="http://www.w3.org/2005/Atom"><id>e</id><updated>2019-02-07T11:00:00+01:00</updated><summary>x</summary></entry>`
	ninjs := `{"uri":"u","versioncreated":"2019-02-07","body_text":"x","language":"ger"}`
	newsml := `<newsItem guid="g"><itemMeta><firstCreated>2019-02-07T10:00:00</firstCreated></itemMeta><contentSet><inlineData>x</inlineData></contentSet></newsItem>`
	for in, want := range map[string]string{rss: "2019-02-07T10:00:00Z", atom: "2019-02-07T10:00:00Z", ninjs: "2019-02-07T00:00:00Z", newsml: "2019-02-07T10:00:00Z"} {
		a, err := Decode([]byte(in), Limits{})
		if err != nil || a.PublishedAt != want {
			t.Errorf("%s: published_at %q, %v; want %q", in, a.PublishedAt, err, want)
		}
	}
}
