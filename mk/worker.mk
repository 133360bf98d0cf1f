# The Kafka worker: consumer, producer, metrics, worker pipeline, run/demo/enrich commands.
#
#   make demo          the README's first command (embedded broker, sample articles, real worker)
#   make test-worker   the worker's packages with the race detector (kfake unless
#                      NEWSENRICH_TEST_BROKERS is set), plus the embedded sample data
#   make build         bin/newsenrich

WORKER_PKGS = ./config/... ./consumer/... ./producer/... ./metrics/... ./worker/... \
	./embeddedkafka/... ./kafkatest/... ./cmd/newsenrich/... ./testdata/articles

.PHONY: demo test-worker build

demo:
	go run ./cmd/newsenrich demo

test-worker:
	go vet $(WORKER_PKGS)
	go test -race -count=1 $(WORKER_PKGS)

build:
	CGO_ENABLED=0 go build -trimpath -o bin/newsenrich ./cmd/newsenrich
