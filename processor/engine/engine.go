// Package engine assembles processors by name — the one registry every
// command builds its processor from. Each engine's stages are built once
// and shared by every worker goroutine.
//
//	default  our entity, quote and topic stages
//	prose    prose/v2's entity recogniser (its model built once), with our
//	         quote and topic stages, so the two can be compared on the same
//	         wire
//	none     no stages: decode and emit events with empty enrichment (tests,
//	         pipeline benchmarks)
//
// Two baselines are built by the same Build for eval and bench, but are not
// engines a worker may run (Known does not list them):
//
//	prose-entities  prose/v2's entity recogniser alone, its model built once
//	prose-naive     the same with its model rebuilt for every article, as a
//	                naive integration would
package engine

import (
	"fmt"
	"strings"
	"sync"

	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/baseline"
	entitystage "github.com/newsenrich/newsenrich/processor/entities"
	"github.com/newsenrich/newsenrich/processor/kb"
	quotestage "github.com/newsenrich/newsenrich/processor/quotes"
	topicstage "github.com/newsenrich/newsenrich/processor/topics"
)

// Engine names.
const (
	Default = "default"
	Prose   = "prose"
	None    = "none"
)

// Names lists the engines Build knows, default first.
var Names = []string{Default, Prose, None}

// Baseline names: prose's entity recogniser with no quote or topic stage,
// its model reused or rebuilt per article.
const (
	ProseEntities = "prose-entities"
	ProseNaive    = "prose-naive"
)

// Baselines lists the baseline engines Build knows besides Names.
var Baselines = []string{ProseEntities, ProseNaive}

// Known reports whether name is an engine Build knows.
func Known(name string) bool {
	for _, n := range Names {
		if n == name {
			return true
		}
	}
	return false
}

// ProseModel is appended to the model name of events made by the prose
// engine, so consumers can tell them apart.
const ProseModel = "prose-v2"

// Build builds the named engine ("" = Default). It loads the stages'
// models, so call it once per process and share the result.
func Build(name string, cfg processor.Config) (*processor.Processor, error) {
	switch name {
	case "", Default:
		return New(cfg)
	case Prose:
		cfg.Model = strings.TrimSuffix(cfg.Model+"+"+ProseModel, "+")
		tagger, err := topicstage.New(topicstage.Config{})
		if err != nil {
			return nil, fmt.Errorf("topics stage: %w", err)
		}
		return processor.New(cfg, baseline.Reused(), quotestage.New(quotestage.Config{}), tagger), nil
	case None:
		return processor.New(cfg, nil, nil, nil), nil
	case ProseEntities:
		return processor.New(cfg, baseline.Reused(), nil, nil), nil
	case ProseNaive:
		return processor.New(cfg, baseline.Naive(), nil, nil), nil
	}
	return nil, fmt.Errorf("unknown engine %q (known: %s)", name, strings.Join(Names, ", "))
}

// New builds the default processor. It loads the stages' models, so call it
// once per process and share the result.
func New(cfg processor.Config) (*processor.Processor, error) {
	// Stage owners wire their stage here. The entity and topic stages load
	// independent data, so they load at once.
	var (
		recognizer       *entitystage.Recognizer
		tagger           *topicstage.Tagger
		entErr, topicErr error
		wg               sync.WaitGroup
	)
	wg.Go(func() { recognizer, entErr = entitystage.New(entitystage.Config{}) })
	wg.Go(func() { tagger, topicErr = newTopics() })
	wg.Wait()
	if entErr != nil {
		return nil, fmt.Errorf("entities stage: %w", entErr)
	}
	if topicErr != nil {
		return nil, fmt.Errorf("topics stage: %w", topicErr)
	}
	return processor.New(cfg, recognizer, quotestage.New(quotestage.Config{}), tagger), nil
}

// newTopics is the topic stage with the embedded gazetteer and the
// knowledge base as its entity evidence.
func newTopics() (*topicstage.Tagger, error) {
	ents, err := TopicEntities()
	if err != nil {
		return nil, err
	}
	return topicstage.New(topicstage.Config{Entities: ents})
}

// TopicEntities is the entity evidence of the default engine's topic stage:
// the embedded gazetteer, then the knowledge base. Tools that run the stage
// as the engine does use it too.
func TopicEntities() (topicstage.EntityTopics, error) {
	gaz, err := topicstage.EmbeddedGazetteer()
	if err != nil {
		return nil, err
	}
	known, err := topicstage.NewKBTopics(kb.DataFiles())
	if err != nil {
		return nil, err
	}
	return topicstage.Chain{gaz, known}, nil
}
