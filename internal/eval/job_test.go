package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/engine"
)

// tinyJob scores the hand-made fixture's predictions file.
func tinyJob() Job {
	return Job{Articles: filepath.Join("testdata", "tiny.articles.jsonl"), PredIn: filepath.Join("testdata", "tiny.pred.jsonl"),
		Engines: []string{engine.Default}, Workers: 1, Views: true}
}

// A job on the fixture: floors that pass and fail, agreement with a
// score.py report, each output form.
func TestJobFloorsAgreementAndOutputs(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Job)
		wantErr string
		stdout  string // in stdout
		stderr  string // in stderr
	}{
		{"floor met", func(j *Job) { j.Mins = []string{"ner.PER+ORG+LOC.f1=0.6"} }, "", "", "all 1 floor(s) met"},
		{"floor missed", func(j *Job) { j.Mins = []string{"quotes.quote.f1=0.9"} }, "below their floor", "", "FLOOR:"},
		{"unknown figure", func(j *Job) { j.Mins = []string{"ner.nonsense=0.1"} }, "below their floor", "", "FLOOR:"},
		{"bad floor", func(j *Job) { j.Mins = []string{"nonsense"} }, "nonsense", "", ""},
		{"agrees with score.py", func(j *Job) { j.Agree = filepath.Join("testdata", "tiny.score_py.json") }, "", "", "every figure agrees with score.py"},
		{"text output", func(j *Job) {}, "", "tiny", ""},
		{"json output", func(j *Job) { j.JSON = true }, "", `"engine": "pred-file"`, ""},
		{"markdown output", func(j *Job) { j.Markdown = true }, "", "|", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := tinyJob()
			tc.edit(&j)
			var stdout, stderr bytes.Buffer
			err := j.Run(context.Background(), &stdout, &stderr)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
			if !strings.Contains(stdout.String(), tc.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.stdout, stdout.String())
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr.String())
			}
		})
	}
}

// Running engines over a set: one report per engine and view, the
// predictions file and the JSON file written, the baseline not guarded by
// the floors.
func TestJobRunsEngines(t *testing.T) {
	dir := t.TempDir()
	j := Job{Articles: filepath.Join("testdata", "modern-tiny.articles.jsonl"), Engines: []string{"none", " prose-naive"},
		Workers: 1, PredOut: filepath.Join(dir, "preds"), JSONOut: filepath.Join(dir, "reports.json"),
		Mins: []string{"ner.PER+ORG+LOC.f1=0.99"}}
	var stdout, stderr bytes.Buffer
	if err := j.Run(context.Background(), &stdout, &stderr); err != nil {
		t.Fatalf("floors guard only the default engine, yet: %v\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(j.JSONOut)
	if err != nil {
		t.Fatal(err)
	}
	var reports []Report
	if err := json.Unmarshal(b, &reports); err != nil {
		t.Fatal(err)
	}
	if len(reports) != 2 || reports[0].Engine != "none" || reports[1].Engine != "prose-naive" || reports[0].Throughput == nil {
		t.Fatalf("reports %+v", reports)
	}
	for _, en := range []string{"none", "prose-naive"} {
		if _, err := os.Stat(filepath.Join(j.PredOut, "modern-tiny."+en+".pred.jsonl")); err != nil {
			t.Error(err)
		}
	}
	if !strings.Contains(stderr.String(), "eval: none on modern-tiny") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

// A --pred-out directory gets one set's views too; a file only the set.
func TestJobPredOutDirectoryHoldsTheViews(t *testing.T) {
	dir := t.TempDir()
	j := Job{Articles: filepath.Join("testdata", "tiny.articles.jsonl"), Engines: []string{"none"}, Workers: 1,
		Views: true, PredOut: dir + string(filepath.Separator)}
	var stdout, stderr bytes.Buffer
	if err := j.Run(context.Background(), &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	for _, name := range []string{"tiny", "tiny@headline", "tiny@lead"} {
		if _, err := os.Stat(filepath.Join(dir, name+".none.pred.jsonl")); err != nil {
			t.Error(err)
		}
	}
	file := filepath.Join(dir, "one.pred.jsonl")
	j.PredOut = file
	if err := j.Run(context.Background(), &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if fi, err := os.Stat(file); err != nil || fi.IsDir() {
		t.Fatalf("a --pred-out file: %v", err)
	}
}

func TestJobRejectsBadInput(t *testing.T) {
	tests := []struct {
		name string
		job  Job
		want string
	}{
		{"no set", Job{}, ErrNoSet.Error()},
		{"unknown set", Job{Sets: []string{"no-such-set-anywhere"}}, "no-such-set-anywhere"},
		{"no dev sets", Job{All: true, DataDir: t.TempDir()}, ""},
		{"all without data", Job{All: true}, "no data directory"},
		{"unknown engine", Job{Articles: filepath.Join("testdata", "tiny.articles.jsonl"), Engines: []string{"nope"}}, `unknown engine "nope"`},
		{"pred on two sets", Job{Articles: filepath.Join("testdata", "tiny.articles.jsonl"), Sets: []string{filepath.Join("testdata", "tiny")},
			PredIn: filepath.Join("testdata", "tiny.pred.jsonl")}, "--pred scores one set"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.job.Run(context.Background(), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	if err := (Job{}).Run(context.Background(), io.Discard, io.Discard); !errors.Is(err, ErrNoSet) {
		t.Errorf("no set: %v, want ErrNoSet", err)
	}
}

// eval's "prose" is prose's entity recogniser alone; other names go to the
// registry.
func TestBuildEngine(t *testing.T) {
	raw := []byte(`{"id":"a","body":"Mark Rutte met Donald Trump in Florida. \"We talked about NATO,\" Rutte said on Friday."}`)
	p, err := BuildEngine("prose", processor.Config{Model: "prose"})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := p.Process(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Entities) == 0 || len(ev.Quotes) != 0 || ev.Enrichment.Model != "prose" {
		t.Errorf("prose: %d entities, %d quotes, model %q", len(ev.Entities), len(ev.Quotes), ev.Enrichment.Model)
	}
	for _, name := range []string{"", "spacy"} {
		if _, err := BuildEngine(name, processor.Config{}); err == nil || !strings.Contains(err.Error(), "default, prose, prose-naive") {
			t.Errorf("engine %q: %v", name, err)
		}
	}
}

func TestDataDirs(t *testing.T) {
	env := map[string]string{"NEWSENRICH_DATA_DIR": "data-dir"}
	got := DataDirs(func(k string) string { return env[k] })
	if len(got) != 2 || got[0] != "data-dir" || got[1] != filepath.Join("..", "shared", "data") {
		t.Errorf("DataDirs = %v", got)
	}
	dir := t.TempDir()
	if d := FirstDir([]string{filepath.Join(dir, "absent"), dir}); d != dir {
		t.Errorf("FirstDir = %q, want %q", d, dir)
	}
	if d := FirstDir([]string{filepath.Join(dir, "absent")}); d != "" {
		t.Errorf("FirstDir = %q, want none", d)
	}
}
