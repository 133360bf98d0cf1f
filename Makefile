# newsenrich: `make help` lists the targets. They live in mk/*.mk, one file per area; a target is
# listed when its rule line ends in a `## what it does` comment.

.DEFAULT_GOAL := help
SHARED ?= ../shared

.PHONY: help test ci

help: ## list the targets
	@awk 'BEGIN { FS = ":.*## " } /^[a-zA-Z0-9_-]+:.*## / { printf "  %-16s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

test: ## go test ./... (the README's test command: no network, no shared data)
	go test ./...

include $(wildcard mk/*.mk)

# What CI (.ci/run) runs, in order; each step is a target of its own.
ci: ## everything CI runs: fmt, vet, lint, tests (race on the worker packages), demo, eval floors, fuzz, deploy checks, real Kafka
	@$(MAKE) -s ci-step STEP=fmt-check
	@$(MAKE) -s ci-step STEP=vet
	@$(MAKE) -s ci-step STEP=lint
	@$(MAKE) -s ci-step STEP=test
	@$(MAKE) -s ci-step STEP=test-worker
	@$(MAKE) -s ci-step STEP=demo-check
	@$(MAKE) -s ci-step STEP=eval
	@$(MAKE) -s ci-step STEP="fuzz FUZZTIME=100000x"
	@$(MAKE) -s ci-step STEP=check-deploy
	@$(MAKE) -s ci-step STEP=test-kafka

.PHONY: ci-step
ci-step:
	@printf '\n==== make %s (%s)\n' "$(STEP)" "$$(date -u +%H:%M:%S)"
	@$(MAKE) -s $(STEP)
