package tsv

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.tsv")
	if err := os.WriteFile(path, []byte("name\tid\tpop\nParis \tQ90\t2100000\nNowhere\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	if err := Read(path, func(r map[string]string) { rows = append(rows, r) }); err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{{"name": "Paris", "id": "Q90", "pop": "2100000"}, {"name": "Nowhere"}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got %v, want %v", rows, want)
	}
	if err := Read(filepath.Join(t.TempDir(), "missing.tsv"), func(map[string]string) {}); err == nil {
		t.Error("a missing file gave no error")
	}
}
