package check

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// parseDockerfile parses a Dockerfile the way BuildKit does and returns its
// stages with every parser and lint warning (the warnings `docker build`
// prints).
func parseDockerfile(data []byte) ([]instructions.Stage, []string, error) {
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, nil, err
	}
	var warnings []string
	for _, w := range res.Warnings {
		warnings = append(warnings, w.Short)
	}
	lint := linter.New(&linter.Config{Warn: func(rule, desc, url, msg string, loc []parser.Range) {
		warnings = append(warnings, rule+": "+msg)
	}})
	stages, _, err := instructions.Parse(res.AST, lint)
	return stages, warnings, err
}

// dockerfile parses deploy/Dockerfile, failing on any warning.
func dockerfile(t *testing.T) []instructions.Stage {
	t.Helper()
	stages, warnings, err := parseDockerfile(readFile(t, deployFile(t, "Dockerfile")))
	if err != nil {
		t.Fatalf("parse Dockerfile: %v", err)
	}
	for _, w := range warnings {
		t.Errorf("Dockerfile warning: %s", w)
	}
	return stages
}

// TestDockerfileParserWarns proves warnings reach the check.
func TestDockerfileParserWarns(t *testing.T) {
	for name, df := range map[string]string{
		"FROM ... as casing": "FROM golang:1.26 as build\nRUN true\nFROM scratch\nCOPY --from=build /x /x\n",
		"empty continuation": "FROM scratch\nCOPY a \\\n\n  /b\n",
	} {
		_, warnings, err := parseDockerfile([]byte(df))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(warnings) == 0 {
			t.Errorf("%s: no warning for\n%s", name, df)
		}
	}
}

func TestDockerfile(t *testing.T) {
	stages := dockerfile(t)
	if len(stages) < 2 {
		t.Fatalf("want a multi-stage build, got %d stage(s)", len(stages))
	}
	names := map[string]bool{}
	for _, s := range stages {
		names[strings.ToLower(s.Name)] = true
	}
	final := stages[len(stages)-1]
	build := stages[0]

	t.Run("final image is small", func(t *testing.T) {
		base := final.BaseName
		if base != "scratch" && !strings.HasPrefix(base, "gcr.io/distroless/static") {
			t.Errorf("final stage FROM %q: want scratch or gcr.io/distroless/static*", base)
		}
		for _, c := range final.Commands {
			switch c := c.(type) {
			case *instructions.RunCommand:
				t.Errorf("final stage runs %q: it has no shell, build everything in an earlier stage", c)
			case *instructions.EntrypointCommand:
				if c.PrependShell {
					t.Errorf("%s: shell form needs /bin/sh, which the final image lacks; use the JSON form", c)
				}
			case *instructions.CmdCommand:
				if c.PrependShell {
					t.Errorf("%s: shell form needs /bin/sh, which the final image lacks; use the JSON form", c)
				}
			}
		}
	})

	t.Run("static binary of ./cmd/newsenrich", func(t *testing.T) {
		cgoOff, builds := false, false
		for _, c := range build.Commands {
			switch c := c.(type) {
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					if kv.Key == "CGO_ENABLED" && kv.Value == "0" {
						cgoOff = true
					}
				}
			case *instructions.RunCommand:
				line := strings.Join(c.CmdLine, " ")
				if strings.Contains(line, "CGO_ENABLED=0") {
					cgoOff = true
				}
				if strings.Contains(line, "go build") && strings.Contains(line, "./cmd/newsenrich") {
					builds = true
				}
			}
		}
		if !cgoOff {
			t.Error("build stage does not set CGO_ENABLED=0: the binary would need libc, which the final image lacks")
		}
		if !builds {
			t.Error("build stage has no `go build ... ./cmd/newsenrich`")
		}
	})

	t.Run("runs as non-root", func(t *testing.T) {
		var user string
		for _, c := range final.Commands {
			if u, ok := c.(*instructions.UserCommand); ok {
				user = u.User
			}
		}
		uid, _, _ := strings.Cut(user, ":")
		if user == "" || uid == "root" || uid == "0" {
			t.Errorf("final stage USER %q: want an explicit non-root user", user)
		}
	})

	t.Run("healthcheck calls a binary the image has", func(t *testing.T) {
		var hc *instructions.HealthCheckCommand
		copied := map[string]bool{}
		var entrypoint []string
		for _, c := range final.Commands {
			switch c := c.(type) {
			case *instructions.HealthCheckCommand:
				hc = c
			case *instructions.CopyCommand:
				copied[c.DestPath] = true
			case *instructions.EntrypointCommand:
				entrypoint = c.CmdLine
			}
		}
		if hc == nil {
			t.Fatal("final stage has no HEALTHCHECK")
		}
		test := hc.Health.Test
		// Exec form only: a distroless or scratch image has no /bin/sh for CMD-SHELL.
		if len(test) < 2 || test[0] != "CMD" {
			t.Fatalf("HEALTHCHECK %v: want exec form [\"CMD\", \"/path\", ...]", test)
		}
		if !copied[test[1]] {
			t.Errorf("HEALTHCHECK runs %s, which no COPY puts into the final image (copied: %v)", test[1], copied)
		}
		if len(entrypoint) == 0 || !copied[entrypoint[0]] {
			t.Errorf("ENTRYPOINT %v is not a copied binary (copied: %v)", entrypoint, copied)
		}
	})

	t.Run("EXPOSE matches the worker's HTTP address", func(t *testing.T) {
		var addr string
		var ports []string
		for _, c := range final.Commands {
			switch c := c.(type) {
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					if kv.Key == "NEWSENRICH_HTTP_ADDR" {
						addr = kv.Value
					}
				}
			case *instructions.ExposeCommand:
				ports = append(ports, c.Ports...)
			}
		}
		_, port, _ := strings.Cut(addr, ":")
		if port == "" || !slices.Contains(ports, port) && !slices.Contains(ports, port+"/tcp") {
			t.Errorf("NEWSENRICH_HTTP_ADDR %q, EXPOSE %v: want the metrics port exposed", addr, ports)
		}
	})

	t.Run("COPY sources exist", func(t *testing.T) {
		root := repoRoot(t)
		for _, s := range stages {
			for _, c := range s.Commands {
				cp, ok := c.(*instructions.CopyCommand)
				if !ok {
					continue
				}
				if cp.From != "" {
					if !names[strings.ToLower(cp.From)] {
						t.Errorf("COPY --from=%s: no such stage", cp.From)
					}
					continue
				}
				for _, src := range cp.SourcePaths {
					if src == "." {
						continue
					}
					if _, err := os.Stat(filepath.Join(root, src)); err != nil {
						t.Errorf("COPY %s: not in the build context (the repository root): %v", src, err)
					}
				}
			}
		}
	})

	t.Run("stage names are unique", func(t *testing.T) {
		var seen []string
		for _, s := range stages {
			if s.Name == "" {
				continue
			}
			if slices.Contains(seen, s.Name) {
				t.Errorf("stage %q defined twice", s.Name)
			}
			seen = append(seen, s.Name)
		}
	})
}

// TestDockerignoreKeepsSources guards against excluding something the build
// copies: go.mod, go.sum and the command's source must reach the context.
func TestDockerignoreKeepsSources(t *testing.T) {
	lines := strings.Split(string(readFile(t, deployFile(t, "Dockerfile.dockerignore"))), "\n")
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		for _, keep := range []string{"go.mod", "go.sum", "cmd", "cmd/newsenrich", "deploy/healthcheck", "*.go", "**/*.go"} {
			if strings.TrimPrefix(l, "/") == keep {
				t.Errorf("Dockerfile.dockerignore excludes %q, which the build needs", l)
			}
		}
	}
}
