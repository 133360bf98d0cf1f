# Quote stage (processor/quotes): tests, benchmark, fuzzing and the PolNeAR dev evaluation.
# The evaluation reads ../shared (evaluation-only data, never copied into the repo); `go test`
# does not. The floors guard against regressions (measured: F1 0.965, speaker accuracy 0.930).

SHARED              ?= ../shared
QUOTES_F1_FLOOR     ?= 0.95
QUOTES_SPEAKER_FLOOR ?= 0.91
QUOTEDUMP           ?= $(or $(TMPDIR),/tmp)/newsenrich-quotedump

.PHONY: quotes-test quotes-bench quotes-fuzz quotes-eval

quotes-test:
	go test ./processor/quotes/...

quotes-bench:
	nice -n 10 go test -run '^$$' -bench . -benchmem ./processor/quotes/

quotes-fuzz:
	nice -n 10 go test -run '^$$' -fuzz '^FuzzQuotes$$' -fuzztime $(or $(FUZZTIME),30s) ./processor/quotes/

# The stage alone (no entities: its worst case), scored by the reference scorer.
quotes-eval:
	go build -o $(QUOTEDUMP) ./processor/quotes/internal/quotedump
	python3 $(SHARED)/tools/score.py --set $(SHARED)/data/quotes/dev/polnear-dev \
		--cmd '$(QUOTEDUMP)' --json $(QUOTEDUMP).eval.json | grep -A1 -- '-- Quotes'
	python3 -c 'import json,sys; q=json.load(open("$(QUOTEDUMP).eval.json"))["quotes"]; \
		f, s = q["quote"]["f1"], q["speaker_accuracy_matched"]; \
		print("quotes F1 %.3f (floor $(QUOTES_F1_FLOOR)), speaker accuracy %.3f (floor $(QUOTES_SPEAKER_FLOOR))" % (f, s)); \
		sys.exit(f < $(QUOTES_F1_FLOOR) or s < $(QUOTES_SPEAKER_FLOOR))'
