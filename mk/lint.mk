# Static checks: gofmt, go vet and golangci-lint (a modest set of linters, .golangci.yml).
# golangci-lint is built once from the Go module proxy into the git-ignored .cache/bin/.

GOLANGCI_LINT_VERSION ?= v2.15.0
GOLANGCI_LINT_DIR     := $(CURDIR)/.cache/bin/golangci-lint-$(GOLANGCI_LINT_VERSION)
GOLANGCI_LINT         ?= $(GOLANGCI_LINT_DIR)/golangci-lint

.PHONY: fmt-check vet lint golangci-lint

fmt-check: ## fail if gofmt would change a tracked Go file
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi

vet: ## go vet ./...
	go vet ./...

lint: $(GOLANGCI_LINT) ## golangci-lint with the linters in .golangci.yml (installs it on first use)
	$(GOLANGCI_LINT) run --allow-parallel-runners ./...

golangci-lint: $(GOLANGCI_LINT)

$(GOLANGCI_LINT):
	mkdir -p $(GOLANGCI_LINT_DIR)
	GOBIN=$(GOLANGCI_LINT_DIR) nice -n 10 go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
