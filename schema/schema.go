// Package schema publishes newsenrich's contracts as JSON Schema (2020-12)
// files, embedded so Go code and tests use exactly the files in the
// repository: the input article (articles.raw), the enriched event
// (articles.enriched) and the dead-letter headers (articles.dlq). The Go
// types of the same contracts are in package event; the tests here keep
// the two from drifting apart. Versioning and compatibility: README.md.
package schema

import (
	"embed"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// FS holds the schema files.
//
//go:embed *.schema.json
var FS embed.FS

// File names in FS.
const (
	Article    = "article.schema.json"
	Enriched   = "enriched.schema.json"
	DeadLetter = "deadletter.schema.json"
)

// BaseURI prefixes every schema's $id: $id = BaseURI + file name.
const BaseURI = "https://github.com/newsenrich/newsenrich/schema/"

// Compile compiles one of the embedded schemas (Article, Enriched or
// DeadLetter) with format assertions on, so "date-time" is checked.
func Compile(name string) (*jsonschema.Schema, error) {
	f, err := FS.Open(name)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("schema: parse %s: %w", name, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(BaseURI+name, doc); err != nil {
		return nil, fmt.Errorf("schema: add %s: %w", name, err)
	}
	s, err := c.Compile(BaseURI + name)
	if err != nil {
		return nil, fmt.Errorf("schema: compile %s: %w", name, err)
	}
	return s, nil
}
