# Entity stage (processor/entities): training, tests, benchmark, fuzzing and the CoNLL-2003 dev
# score (docs/entities.md). Training reads the shippable corpora and name lists in ../shared/data;
# the dev sets are evaluation-only and never copied into the repo; `go test` reads neither.
# Floors: internal/eval/floors.json, the only place floors live.

ENTITIES_SEED ?= 1

.PHONY: train entities-test entities-bench entities-fuzz entities-eval

# Rebuilds processor/entities/model/ (weights + compiled gazetteers); deterministic for a seed.
train: ## retrain the entity model (processor/entities/model) from ../shared/data
	nice -n 10 go run ./cmd/newsenrich train --data $(SHARED)/data/ner/train \
		--gazetteers $(SHARED)/data/gazetteers --out processor/entities/model --seed $(ENTITIES_SEED)

entities-test: ## entity stage tests
	go test ./processor/entities/...

entities-bench: ## entity stage benchmark
	nice -n 10 go test -run '^$$' -bench . -benchmem ./processor/entities/

entities-fuzz: ## fuzz the entity stage
	nice -n 10 go test -run '^$$' -fuzz '^FuzzEntities$$' -fuzztime $(or $(FUZZTIME),30s) ./processor/entities/

entities-eval: eval-bin ## CoNLL-2003 dev score, failing below its floors
	$(EVAL_BIN) eval --set $(EVAL_DATA)/ner/dev/conll2003-dev --floors $(EVAL_FLOORS)
