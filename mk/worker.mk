# The Kafka worker: consumer, producer, metrics, worker pipeline, run/demo/enrich commands.
#
#   make demo          the README's first command (embedded broker, sample articles, real worker)
#   make test-worker   the worker's packages with the race detector (kfake unless
#                      NEWSENRICH_TEST_BROKERS is set), plus the embedded sample data
#   make build         bin/newsenrich

WORKER_PKGS = ./internal/config/... ./consumer/... ./producer/... ./metrics/... ./internal/worker/... \
	./internal/embeddedkafka/... ./internal/kafkatest/... ./cmd/newsenrich/... ./internal/samples

.PHONY: demo demo-check test-worker build

demo: ## the README's first command (embedded broker, sample articles, real worker)
	go run ./cmd/newsenrich demo

# The demo as CI runs it: bounded, output kept, its summary line shown.
demo-check: ## run the demo to its end and show its summary line
	@out=$$(mktemp); timeout 300 go run ./cmd/newsenrich demo > $$out 2>&1 || { tail -40 $$out; rm -f $$out; exit 1; }; \
	sed -n '$$p' $$out; rm -f $$out

test-worker: ## worker packages with the race detector
	go vet $(WORKER_PKGS)
	go test -race -count=1 $(WORKER_PKGS)

build: ## bin/newsenrich
	CGO_ENABLED=0 go build -trimpath -o bin/newsenrich ./cmd/newsenrich
