package samples

import (
	"encoding/json"
	"testing"
)

func TestEmbeddedRecordsAreArticles(t *testing.T) {
	all := All()
	if len(all) != 44 {
		t.Fatalf("got %d records, want 44 (seed + 24 news + 19 interviews)", len(all))
	}
	seen := map[string]bool{}
	for i, rec := range all {
		var a struct{ ID, Body string }
		if err := json.Unmarshal(rec, &a); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if a.ID == "" || a.Body == "" || seen[a.ID] {
			t.Fatalf("record %d: id %q empty, duplicate, or no body", i, a.ID)
		}
		seen[a.ID] = true
	}
}
