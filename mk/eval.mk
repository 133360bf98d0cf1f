# Measuring instruments (docs/eval.md, docs/bench.md).
#
#   make eval          default engine on every dev set, failing below internal/eval/floors.json (CI runs this)
#   make eval-compare  default engine and the prose baseline side by side (the README table)
#   make eval-agree    `newsenrich eval` and shared/tools/score.py score the same predictions identically
#   make bench         the full benchmark (minutes; do not run while the machine is busy)
#   make bench-quick   a short benchmark run (seconds), to check the instrument itself
#   make bench-micro   go test -bench per stage on the repo's sample articles
#   make bench-latency the paced latency at half of peak, worker pinned to one CPU, over kfake and a
#                      real Kafka on the other CPU (needs 2 CPUs, Java and Maven; minutes)
#
# The shared dev sets live only in the shared data directory, never in the repo: EVAL_DATA is
# $(SHARED)/data (CI clones the repo beside shared/; set SHARED or EVAL_DATA elsewhere).

EVAL_DATA   ?= $(SHARED)/data
EVAL_SHARED ?= $(SHARED)
EVAL_FLOORS := internal/eval/floors.json
EVAL_BIN    ?= $(CURDIR)/bin/newsenrich-eval
EVAL_SETS   := $(patsubst %.articles.jsonl,%,$(wildcard $(EVAL_DATA)/*/dev/*.articles.jsonl))
EVAL_AGREE_ENGINES ?= default prose

.PHONY: eval eval-compare eval-agree bench bench-quick bench-micro bench-latency eval-bin

eval-bin:
	go build -o $(EVAL_BIN) ./cmd/newsenrich

eval: eval-bin ## quality on every dev set, failing below internal/eval/floors.json
	@test -d "$(EVAL_DATA)" || { echo "eval: no shared data directory $(EVAL_DATA) (set SHARED or EVAL_DATA)"; exit 1; }
	$(EVAL_BIN) eval --all --data $(EVAL_DATA) --floors $(EVAL_FLOORS)

eval-compare: eval-bin ## default engine and the prose baseline side by side
	$(EVAL_BIN) eval --all --data $(EVAL_DATA) --engine default,prose

eval-agree: eval-bin ## newsenrich eval and shared/tools/score.py agree on the same predictions
	@test -n "$(EVAL_SETS)" || { echo "eval-agree: no dev sets under $(EVAL_DATA)"; exit 1; }
	@tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	for e in $(EVAL_AGREE_ENGINES); do for s in $(EVAL_SETS); do n=$$(basename $$s).$$e; \
	  $(EVAL_BIN) eval --set $$s --engine $$e --pred-out $$tmp/$$n.pred.jsonl >/dev/null 2>&1 || exit 1; \
	  python3 $(EVAL_SHARED)/tools/score.py --set $$s --pred $$tmp/$$n.pred.jsonl --json $$tmp/$$n.py.json >/dev/null || exit 1; \
	  $(EVAL_BIN) eval --set $$s --pred $$tmp/$$n.pred.jsonl --agree $$tmp/$$n.py.json >/dev/null || exit 1; \
	done; done

bench: eval-bin ## the full speed table (minutes; run on a quiet machine)
	nice -n 10 $(EVAL_BIN) bench --data $(EVAL_DATA) --size 50MB --workers 1,2 --broker kfake

bench-quick: eval-bin ## a short bench run, to check the instrument
	nice -n 10 $(EVAL_BIN) bench --data $(EVAL_DATA) --size 2MB --paced 2s --baseline-sample 10 --naive-sample 2

bench-micro: ## go test -bench per stage
	nice -n 10 go test -run '^$$' -bench . -benchtime 2s ./processor/engine

# The broker for bench-latency runs like a production broker, not like the test broker: C2 (the
# test broker stops at C1 to start fast), a fixed 1 GiB heap and ZGC, whose pauses are under a
# millisecond (G1's young pauses on one CPU last 13-16 ms every few seconds at this load). Runs
# of the full size warm its JIT up first: after one short run the next runs' p99 still fell
# from run to run (12.4, 9.1, 8.6, 8.0 ms), the JIT compiling on the broker's one CPU. kfake is
# measured first, before the broker starts: an idle JVM on the other CPU still disturbs the run.
# The first kfake run after a build or a broker's shutdown was slower too (p99 13.4 then 8.8 and
# 8.5 ms; 40 ms once), so one run settles the machine. Warm-up runs print their figures.
BENCH_WORKER_CPU ?= 0
BENCH_BROKER_CPUS ?= 1
BENCH_KAFKA_PORT ?= 39792
BENCH_LATENCY_SIZE ?= 20MB
BENCH_LATENCY_PACED ?= 20s
BENCH_LATENCY_WARMUP ?= 2
BENCH_LATENCY = $(EVAL_BIN) bench --data $(EVAL_DATA) --workers 1 --modes worker --pin-worker $(BENCH_WORKER_CPU) \
	--size $(BENCH_LATENCY_SIZE) --paced $(BENCH_LATENCY_PACED)

bench-latency: eval-bin ## paced latency, worker pinned to one CPU, over kfake and a real Kafka (minutes)
	@tmp=$$(mktemp); trap 'rm -f $$tmp; KAFKA_PORT=$(BENCH_KAFKA_PORT) scripts/kafka.sh down' EXIT; \
	warm() { for i in $$(seq $$1); do echo "== warm-up run $$i over $$2 (its p99 is not the result)"; \
		$(BENCH_LATENCY) --progress off --broker $$2 >$$tmp 2>&1 \
			|| { cat $$tmp; exit 1; }; grep -E '@50% +[0-9]' $$tmp; done; }; \
	warm 1 kfake; \
	$(BENCH_LATENCY) --broker kfake || exit 1; \
	KAFKA_FRESH=1 KAFKA_PORT=$(BENCH_KAFKA_PORT) KAFKA_JVM_OPTS=" " KAFKA_HEAP_OPTS="-Xms1g -Xmx1g" \
		KAFKA_GC_OPTS="-XX:+UseZGC" taskset -c $(BENCH_BROKER_CPUS) scripts/kafka.sh up || exit 1; \
	warm $(BENCH_LATENCY_WARMUP) 127.0.0.1:$(BENCH_KAFKA_PORT); \
	$(BENCH_LATENCY) --broker 127.0.0.1:$(BENCH_KAFKA_PORT)
