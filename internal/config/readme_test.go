package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/internal/golden"
)

const (
	readmeBegin = "<!-- generated from internal/config: go test ./internal/config -update -->\n"
	readmeEnd   = "<!-- end of generated configuration -->\n"
)

// TestREADMEConfigurationTable keeps the README's configuration table equal
// to WriteMarkdown's; -update rewrites it there.
func TestREADMEConfigurationTable(t *testing.T) {
	path := filepath.Join("..", "..", "README.md")
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(readme, []byte(readmeBegin))
	j := bytes.Index(readme, []byte(readmeEnd))
	if i < 0 || j < i {
		t.Fatalf("README.md has no block between %q and %q", strings.TrimSpace(readmeBegin), strings.TrimSpace(readmeEnd))
	}
	var table bytes.Buffer
	if err := WriteMarkdown(&table); err != nil {
		t.Fatal(err)
	}
	have := readme[i+len(readmeBegin) : j]
	if golden.Updating() {
		out := append(append(append([]byte{}, readme[:i+len(readmeBegin)]...), table.Bytes()...), readme[j:]...)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(have, table.Bytes()) {
		t.Errorf("README.md's configuration table is out of date (go test ./internal/config -update):\n%s", golden.Diff(string(have), table.String()))
	}
}

// Every setting has a documented default column (possibly empty) and meaning.
func TestSettingsDocumented(t *testing.T) {
	var c Config
	for _, s := range c.settings() {
		if s.doc == "" || !strings.HasPrefix(s.env, "NEWSENRICH_") {
			t.Errorf("setting %s: env %q, doc %q", s.name, s.env, s.doc)
		}
	}
}
