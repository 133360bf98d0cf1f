package engine

import (
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor"
)

func TestBuildEveryEngine(t *testing.T) {
	art := event.Article{ID: "a", Language: "en",
		Body: `Mark Rutte met Donald Trump in Florida. "We talked about NATO," Rutte said on Friday.`}
	for _, name := range Names {
		t.Run(name, func(t *testing.T) {
			if !Known(name) {
				t.Fatalf("%s not known", name)
			}
			p, err := Build(name, processor.Config{Model: "m"})
			if err != nil {
				t.Fatal(err)
			}
			ev, err := p.Enrich(art, nil)
			if err != nil {
				t.Fatal(err)
			}
			switch name {
			case None:
				if len(ev.Entities)+len(ev.Quotes)+len(ev.Topics) != 0 {
					t.Errorf("none engine enriched: %+v", ev)
				}
			case Prose:
				if ev.Enrichment.Model != "m+"+ProseModel || len(ev.Entities) == 0 || len(ev.Quotes) == 0 {
					t.Errorf("prose: model %q, %d entities, %d quotes", ev.Enrichment.Model, len(ev.Entities), len(ev.Quotes))
				}
			default:
				if ev.Enrichment.Model != "m" || len(ev.Entities) == 0 {
					t.Errorf("default: model %q, %d entities", ev.Enrichment.Model, len(ev.Entities))
				}
			}
		})
	}
	if _, err := Build("spacy", processor.Config{}); err == nil || !strings.Contains(err.Error(), "known: default, prose, none") {
		t.Errorf("unknown engine: %v", err)
	}
}

// The baselines carry prose's entities and nothing else, under the model
// name they were given, and are no engine for the worker.
func TestBuildBaselines(t *testing.T) {
	art := event.Article{ID: "a", Language: "en",
		Body: `Mark Rutte met Donald Trump in Florida. "We talked about NATO," Rutte said on Friday.`}
	for _, name := range Baselines {
		t.Run(name, func(t *testing.T) {
			if Known(name) {
				t.Errorf("baseline %s is known as a worker engine", name)
			}
			p, err := Build(name, processor.Config{Model: "m"})
			if err != nil {
				t.Fatal(err)
			}
			ev, err := p.Enrich(art, nil)
			if err != nil {
				t.Fatal(err)
			}
			if ev.Enrichment.Model != "m" || len(ev.Entities) == 0 || len(ev.Quotes)+len(ev.Topics) != 0 {
				t.Errorf("model %q, %d entities, %d quotes, %d topics", ev.Enrichment.Model, len(ev.Entities), len(ev.Quotes), len(ev.Topics))
			}
		})
	}
}
