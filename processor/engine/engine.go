// Package engine assembles the default processor: the real entity, quote and
// topic stages, each built once and shared by every worker goroutine.
package engine

import (
	"fmt"

	"github.com/newsenrich/newsenrich/processor"
	entitystage "github.com/newsenrich/newsenrich/processor/entities"
	quotestage "github.com/newsenrich/newsenrich/processor/quotes"
	topicstage "github.com/newsenrich/newsenrich/processor/topics"
)

// New builds the default processor. It loads the stages' models, so call it
// once per process and share the result.
func New(cfg processor.Config) (*processor.Processor, error) {
	var (
		entities processor.EntityStage
		quotes   processor.QuoteStage
		topics   processor.TopicStage
	)
	// Stage owners wire their stage here.
	recognizer, err := entitystage.New(entitystage.Config{})
	if err != nil {
		return nil, fmt.Errorf("entities stage: %w", err)
	}
	entities = recognizer
	quotes = quotestage.New(quotestage.Config{})
	tagger, err := topicstage.New(topicstage.Config{})
	if err != nil {
		return nil, fmt.Errorf("topics stage: %w", err)
	}
	topics = tagger
	return processor.New(cfg, entities, quotes, topics), nil
}
