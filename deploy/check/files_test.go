package check

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	yamlv3 "go.yaml.in/yaml/v3"
)

// repoRoot is the worker's repository, two levels above this module.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !bytes.Contains(gomod, []byte("module github.com/newsenrich/newsenrich\n")) {
		t.Fatalf("%s is not the newsenrich repository (go.mod: %v)", root, err)
	}
	return root
}

// deployFile returns the path of a file under deploy/.
func deployFile(t testing.TB, parts ...string) string {
	t.Helper()
	return filepath.Join(append([]string{repoRoot(t), "deploy"}, parts...)...)
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// yamlDocs splits a multi-document YAML file into its documents, decoded
// generically. Duplicate keys are an error (yaml.v3 rejects them).
func yamlDocs(t testing.TB, path string) []map[string]any {
	t.Helper()
	dec := yamlv3.NewDecoder(bytes.NewReader(readFile(t, path)))
	var docs []map[string]any
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if doc != nil {
			docs = append(docs, doc)
		}
	}
	return docs
}

// TestEveryYAMLAndJSONFileParses walks deploy/ so that a new file is covered
// without anyone remembering to add it here.
func TestEveryYAMLAndJSONFileParses(t *testing.T) {
	dir := deployFile(t)
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".bin" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(dir, path)
		switch strings.ToLower(filepath.Ext(path)) {
		case ".yaml", ".yml":
			n++
			if docs := yamlDocs(t, path); len(docs) == 0 {
				t.Errorf("%s: no YAML document", rel)
			}
		case ".json":
			n++
			var v any
			dec := json.NewDecoder(bytes.NewReader(readFile(t, path)))
			if err := dec.Decode(&v); err != nil {
				t.Errorf("%s: %v", rel, err)
			} else if dec.More() {
				t.Errorf("%s: trailing data after the JSON value", rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Errorf("found only %d YAML/JSON files under deploy/; is the walk broken?", n)
	}
}
