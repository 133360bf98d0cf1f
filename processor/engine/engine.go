// Package engine assembles the default processor: the real entity, quote and
// topic stages, each built once and shared by every worker goroutine.
package engine

import (
	"github.com/newsenrich/newsenrich/processor"
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
	return processor.New(cfg, entities, quotes, topics), nil
}
