# Input decoding and the published contracts (processor/decode, event, schema, examples/consumer).
# Fuzzing of FuzzDecode / FuzzHTMLToText is part of `make fuzz` (mk/fuzz.mk).

.PHONY: test-contracts bench-decode golden-decode

test-contracts:
	go test ./processor/decode/... ./event/... ./schema/... ./examples/...

bench-decode:
	nice -n 10 go test ./processor/decode -run '^$$' -bench . -benchmem -count 5

# Rewrite processor/decode/testdata/golden/*.golden after an intended change; review the diff.
golden-decode:
	go test ./processor/decode -run TestGolden -update
