# Input decoding and the published contracts (processor/decode, event, schema, examples/consumer).
# Fuzzing of FuzzDecode / FuzzHTMLToText is part of `make fuzz` (mk/fuzz.mk).

.PHONY: test-contracts bench-decode golden-decode

test-contracts: ## decode, event, schema and example-consumer tests
	go test ./processor/decode/... ./event/... ./schema/... ./examples/...

bench-decode: ## decoder microbenchmarks
	nice -n 10 go test ./processor/decode -run '^$$' -bench . -benchmem -count 5

# Rewrite processor/decode/testdata/golden/*.golden after an intended change; review the diff.
golden-decode: ## rewrite the decoder golden files after an intended change
	go test ./processor/decode -run TestGolden -update
