# Entity stage (processor/entities): training, tests, benchmark, fuzzing and the CoNLL-2003 dev
# evaluation (docs/entities.md). Training reads the shippable corpora and name lists in
# ../shared/data; the evaluation reads ../shared (evaluation-only data, never copied into the
# repo); `go test` reads neither. The floors guard against regressions (measured on
# conll2003-dev: PER+ORG+LOC mention F1 0.877, ORG F1 0.790).

SHARED               ?= ../shared
ENTITIES_DATA        ?= $(SHARED)/data
ENTITIES_SEED        ?= 1
ENTITIES_F1_FLOOR    ?= 0.87
ENTITIES_ORG_FLOOR   ?= 0.78
NERDUMP              ?= $(or $(TMPDIR),/tmp)/newsenrich-nerdump

.PHONY: train entities-test entities-bench entities-fuzz entities-eval

# Rebuilds processor/entities/model/ (weights + compiled gazetteers); deterministic for a seed.
# About 70 s of one core and 1.2 GB of memory.
train:
	nice -n 10 go run ./cmd/newsenrich train --data $(ENTITIES_DATA)/ner/train \
		--gazetteers $(ENTITIES_DATA)/gazetteers --out processor/entities/model --seed $(ENTITIES_SEED)

entities-test:
	go test ./processor/entities/...

entities-bench:
	nice -n 10 go test -run '^$$' -bench . -benchmem ./processor/entities/

entities-fuzz:
	nice -n 10 go test -run '^$$' -fuzz '^FuzzEntities$$' -fuzztime $(or $(FUZZTIME),30s) ./processor/entities/

# The stage alone (tokenizer + entities), scored by the reference scorer.
entities-eval:
	go build -o $(NERDUMP) ./processor/entities/internal/nerdump
	python3 $(SHARED)/tools/score.py --set $(ENTITIES_DATA)/ner/dev/conll2003-dev \
		--cmd '$(NERDUMP)' --json $(NERDUMP).eval.json
	python3 -c 'import json,sys; n=json.load(open("$(NERDUMP).eval.json"))["ner"]; \
		f, o = n["PER+ORG+LOC"]["f1"], n["per_type"]["ORG"]["f1"]; \
		print("entities PER+ORG+LOC F1 %.3f (floor $(ENTITIES_F1_FLOOR)), ORG F1 %.3f (floor $(ENTITIES_ORG_FLOOR))" % (f, o)); \
		sys.exit(f < $(ENTITIES_F1_FLOOR) or o < $(ENTITIES_ORG_FLOOR))'
