# Quote stage (processor/quotes): tests, benchmark, fuzzing and the PolNeAR dev score
# (docs/quotes.md). The dev set is evaluation-only; `go test` does not read it.
# Floors: internal/eval/floors.json, the only place floors live.

.PHONY: quotes-test quotes-bench quotes-fuzz quotes-eval

quotes-test: ## quote stage tests
	go test ./processor/quotes/...

quotes-bench: ## quote stage benchmark
	nice -n 10 go test -run '^$$' -bench . -benchmem ./processor/quotes/

quotes-fuzz: ## fuzz the quote stage
	nice -n 10 go test -run '^$$' -fuzz '^FuzzQuotes$$' -fuzztime $(or $(FUZZTIME),30s) ./processor/quotes/

quotes-eval: eval-bin ## PolNeAR dev score, failing below its floors
	$(EVAL_BIN) eval --set $(EVAL_DATA)/quotes/dev/polnear-dev --floors $(EVAL_FLOORS)
