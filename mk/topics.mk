# Topic stage (processor/topics): tests, benchmark, and the BBC dev evaluation.
# The evaluation reads ../shared (evaluation-only data, never copied into the repo);
# `go test` does not. TOPICS_FLOOR guards top-1 accuracy (measured 0.914 on bbc-dev).

SHARED       ?= ../shared
TOPICS_FLOOR ?= 0.90
TOPICDUMP    ?= $(or $(TMPDIR),/tmp)/newsenrich-topicdump

.PHONY: topics-test topics-bench topics-fuzz topics-eval

topics-test:
	go test ./processor/topics/...

topics-bench:
	nice -n 10 go test -run '^$$' -bench . -benchmem ./processor/topics/

topics-fuzz:
	nice -n 10 go test -run '^$$' -fuzz '^FuzzTopics$$' -fuzztime $(or $(FUZZTIME),30s) ./processor/topics/

# Top-level scoring rolls deeper codes up to their top-level topic (the gold labels are
# top-level); the second run scores the raw output, deeper codes counting as extra labels.
topics-eval:
	go build -o $(TOPICDUMP) ./processor/topics/internal/topicdump
	$(TOPICDUMP) -topic-map $(TOPICDUMP).map.json
	python3 $(SHARED)/tools/score.py --set $(SHARED)/data/topics/dev/bbc-dev \
		--cmd '$(TOPICDUMP)' --topic-map $(TOPICDUMP).map.json --json $(TOPICDUMP).eval.json
	python3 $(SHARED)/tools/score.py --set $(SHARED)/data/topics/dev/bbc-dev --cmd '$(TOPICDUMP)' | grep -- '-- Topics'
	python3 -c 'import json,sys; t=json.load(open("$(TOPICDUMP).eval.json"))["topics"]["top1_accuracy"]; \
		print("topics top-1 %.3f (floor $(TOPICS_FLOOR))" % t); sys.exit(t < $(TOPICS_FLOOR))'
