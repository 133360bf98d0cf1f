# Short bounded fuzzing: every `func FuzzXxx` in a _test.go file, FUZZTIME each (default 50000 executions).
# New targets are picked up automatically. Crashers the fuzzer finds are written by `go test` to
# the package's testdata/fuzz/FuzzXxx/ and replayed by plain `go test` from then on: commit them.

# An execution count, not a duration: with a duration, go1.26's fuzz coordinator can fail a target
# with a bare "context deadline exceeded" and no crasher at the end of the run (go.dev/issue/75804,
# fixed in go1.27). A count never arms that deadline. FUZZTIME=10s still works when wanted.
FUZZTIME ?= 50000x
FUZZMINIMIZETIME ?= 2000x

.PHONY: fuzz fuzz-list

fuzz-list: ## list every Fuzz target
	@grep -rHo --include='*_test.go' --exclude-dir=testdata --exclude-dir=.cache --exclude-dir=.git \
		'^func Fuzz[A-Za-z0-9_]*' . | sed 's|^\./||; s|/[^/]*_test.go:func | |' | sort -u

fuzz: ## every Fuzz target for FUZZTIME executions
	@targets=$$($(MAKE) -s fuzz-list); \
	if [ -z "$$targets" ]; then echo "fuzz: no Fuzz targets found"; exit 0; fi; \
	n=0; failed=""; set -- $$targets; \
	while [ $$# -ge 2 ]; do \
		dir=$$1; name=$$2; shift 2; n=$$((n+1)); \
		echo "== fuzz $$name in ./$$dir for $(FUZZTIME)"; \
		nice -n 10 go test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZETIME) ./$$dir || failed="$$failed $$dir.$$name"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: FAILED:$$failed (crashers in <pkg>/testdata/fuzz/)"; exit 1; fi; \
	echo "fuzz: $$n targets, no failures"
