# The Kafka worker: consumer, producer, metrics, worker pipeline, run/demo/enrich commands.
#
#   make demo          the README's first command (embedded broker, sample articles, real worker)
#   make test-worker   the worker's packages with the race detector (kfake unless
#                      NEWSENRICH_TEST_BROKERS is set), plus the embedded sample data
#   make build         bin/newsenrich

WORKER_PKGS = ./internal/config/... ./consumer/... ./producer/... ./metrics/... ./internal/worker/... \
	./internal/embeddedkafka/... ./internal/kafkatest/... ./cmd/newsenrich/... ./internal/samples

.PHONY: demo test-worker build

demo:
	go run ./cmd/newsenrich demo

test-worker:
	go vet $(WORKER_PKGS)
	go test -race -count=1 $(WORKER_PKGS)

build:
	CGO_ENABLED=0 go build -trimpath -o bin/newsenrich ./cmd/newsenrich
