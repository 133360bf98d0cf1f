# Targets live in mk/*.mk, one file per area.
.PHONY: test
test:
	go test ./...

include $(wildcard mk/*.mk)
