# Operations artefacts under deploy/ and the checks that keep them honest
# (see docs/deploy.md). The checks live in their own Go modules
# (deploy/check, deploy/healthcheck) so Kubernetes, Prometheus and BuildKit
# stay out of the worker's go.mod.
#
# promtool is built once from the Go module proxy into the git-ignored
# deploy/.bin/ (cold: a few minutes and ~3.5 GB of module and build cache).

PROMTOOL_VERSION ?= v0.316.0
DEPLOY_BIN       := $(CURDIR)/deploy/.bin
PROMTOOL         ?= $(DEPLOY_BIN)/promtool-$(PROMTOOL_VERSION)

.PHONY: check-deploy check-deploy-rules check-deploy-go promtool

check-deploy: check-deploy-rules check-deploy-go ## promtool, manifests, dashboard and alerts against a live worker

check-deploy-rules: $(PROMTOOL)
	$(PROMTOOL) check config deploy/prometheus/prometheus.yml
	$(PROMTOOL) check rules deploy/prometheus/alerts.yaml
	cd deploy/prometheus && $(PROMTOOL) test rules alerts_test.yaml

check-deploy-go: $(PROMTOOL)
	@unformatted="$$(gofmt -l deploy/check deploy/healthcheck)"; \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	cd deploy/healthcheck && go vet ./... && go test -count=1 ./...
	cd deploy/check && go vet ./... && PROMTOOL=$(PROMTOOL) go test -count=1 -timeout 15m ./...

promtool: $(PROMTOOL) ## build promtool into deploy/.bin

$(PROMTOOL):
	mkdir -p $(DEPLOY_BIN)/install
	GOBIN=$(DEPLOY_BIN)/install nice -n 10 go install github.com/prometheus/prometheus/cmd/promtool@$(PROMTOOL_VERSION)
	mv $(DEPLOY_BIN)/install/promtool $@
	rmdir $(DEPLOY_BIN)/install
