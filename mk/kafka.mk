# Real Apache Kafka (KRaft, single node, loopback) from Maven Central jars, and the fault tests.
# See docs/kafka.md. Needs Java 17+ and Maven; `make test` needs neither (kfake).
#
#   make kafka-up / kafka-down / kafka-status
#   make test-kafka   broker up (fresh data) -> Kafka-using packages against it -> fault tests ->
#                     one FAULT line per fault -> broker down, also on failure or Ctrl-C.

KAFKA_PORT ?= 9092
KAFKA_BROKERS = 127.0.0.1:$(KAFKA_PORT)
KAFKA_TEST_TIMEOUT ?= 9m
# Packages whose tests talk to Kafka and honour NEWSENRICH_TEST_BROKERS (kfake when unset).
KAFKA_SUITE_PKGS ?= $(foreach d,internal/worker consumer producer cmd/newsenrich internal/embeddedkafka internal/kafkatest,$(if $(wildcard $(d)/*.go),./$(d)/...))

.PHONY: kafka-up kafka-down kafka-status test-kafka

kafka-up: ## start the real Kafka from Maven jars (KAFKA_PORT)
	KAFKA_PORT=$(KAFKA_PORT) scripts/kafka.sh up

kafka-down: ## stop it
	KAFKA_PORT=$(KAFKA_PORT) scripts/kafka.sh down

kafka-status: ## is it answering?
	KAFKA_PORT=$(KAFKA_PORT) scripts/kafka.sh status

test-kafka: ## broker up, Kafka suite and fault tests, FAULT summary, broker down
	@summary=$$(mktemp); rc=0; \
	trap 'KAFKA_PORT=$(KAFKA_PORT) scripts/kafka.sh down; rm -f "$$summary"' EXIT; \
	trap 'exit 130' INT TERM; \
	KAFKA_FRESH=1 KAFKA_PORT=$(KAFKA_PORT) scripts/kafka.sh up || exit 1; \
	export NEWSENRICH_TEST_BROKERS=$(KAFKA_BROKERS) KAFKA_PORT=$(KAFKA_PORT) \
		NEWSENRICH_TEST_KAFKA_CTL=$(CURDIR)/scripts/kafka.sh NEWSENRICH_FAULT_SUMMARY="$$summary"; \
	if [ -n "$(strip $(KAFKA_SUITE_PKGS))" ]; then \
		echo "== Kafka suite against $(KAFKA_BROKERS): $(KAFKA_SUITE_PKGS)"; \
		go test -count=1 -timeout $(KAFKA_TEST_TIMEOUT) $(KAFKA_SUITE_PKGS) || rc=1; \
	fi; \
	echo "== broker smoke test and fault tests against $(KAFKA_BROKERS)"; \
	go test -count=1 -v -timeout $(KAFKA_TEST_TIMEOUT) ./internal/integration/... || rc=1; \
	echo "== fault summary"; \
	cat "$$summary"; \
	exit $$rc

# make soak: the worker at a steady load (SOAK_RATE articles/s, default about half of the measured
# peak) over a real broker for SOAK_DURATION (default 20m), sampling RSS, goroutines, GC pauses
# and lag; fails on growth or a record without output. Not part of CI.
SOAK_DURATION ?= 20m
SOAK_RATE ?= 800
SOAK_SAMPLE ?= 10s

.PHONY: soak
soak:
	@trap 'KAFKA_PORT=$(KAFKA_PORT) scripts/kafka.sh down' EXIT; trap 'exit 130' INT TERM; \
	KAFKA_FRESH=1 KAFKA_PORT=$(KAFKA_PORT) scripts/kafka.sh up || exit 1; \
	NEWSENRICH_TEST_BROKERS=$(KAFKA_BROKERS) NEWSENRICH_SOAK_DURATION=$(SOAK_DURATION) \
	NEWSENRICH_SOAK_RATE=$(SOAK_RATE) NEWSENRICH_SOAK_SAMPLE=$(SOAK_SAMPLE) \
		go test -count=1 -v -run '^TestSoak$$' -timeout 0 ./internal/integration/
