# Topic stage (processor/topics): tests, benchmark, fuzzing and the BBC dev score
# (docs/topics.md). The dev set is evaluation-only; `go test` does not read it.
# Floors: internal/eval/floors.json, the only place floors live.

.PHONY: topics-test topics-bench topics-fuzz topics-eval

topics-test: ## topic stage tests
	go test ./processor/topics/...

topics-bench: ## topic stage benchmark
	nice -n 10 go test -run '^$$' -bench . -benchmem ./processor/topics/

topics-fuzz: ## fuzz the topic stage
	nice -n 10 go test -run '^$$' -fuzz '^FuzzTopics$$' -fuzztime $(or $(FUZZTIME),30s) ./processor/topics/

topics-eval: eval-bin ## BBC dev score, failing below its floors
	$(EVAL_BIN) eval --set $(EVAL_DATA)/topics/dev/bbc-dev --floors $(EVAL_FLOORS)
