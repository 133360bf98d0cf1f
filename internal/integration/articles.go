package integration

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/newsenrich/newsenrich/internal/samples"
)

// articles.go holds the valid test articles made from the embedded samples.

// Articles returns n valid articles with unique ids "<prefix>-<i>", cycling through the sample
// articles embedded by package internal/samples.
func Articles(t testing.TB, prefix string, n int) []Record {
	t.Helper()
	tmpl := loadTemplates(t)
	out := make([]Record, n)
	for i := range out {
		id := fmt.Sprintf("%s-%05d", prefix, i)
		a := map[string]any{}
		for k, v := range tmpl[i%len(tmpl)] {
			a[k] = v
		}
		if _, ninjs := a["uri"]; ninjs {
			a["uri"] = id
		} else {
			a["id"] = id
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("marshal article: %v", err)
		}
		out[i] = Record{ID: id, Class: "article", Value: b}
	}
	return out
}

var (
	templatesOnce sync.Once
	templates     []map[string]any
	templatesErr  error
)

// maxTemplateBytes keeps the scenarios about delivery, not enrichment speed: long feature
// articles would make each fault test slow on a 2-core machine without testing anything more.
const maxTemplateBytes = 8 << 10

func loadTemplates(t testing.TB) []map[string]any {
	templatesOnce.Do(func() {
		for _, l := range samples.All() {
			var m map[string]any
			if json.Unmarshal(l, &m) != nil || len(l) > maxTemplateBytes {
				continue
			}
			templates = append(templates, m)
		}
		if len(templates) == 0 {
			templatesErr = fmt.Errorf("no sample article under %d bytes in package internal/samples", maxTemplateBytes)
		}
	})
	if templatesErr != nil {
		t.Fatalf("article templates: %v", templatesErr)
	}
	return templates
}
