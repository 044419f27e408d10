# dnsep: run `make help` for the targets.

GO          ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# Packages written by hand: everything but the generated package gen.
HANDWRITTEN  = $(shell $(GO) list ./... | grep -v '/gen$$')

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: generate
generate: ## Regenerate gen/ from openapi/dns-endpoint.yaml.
	$(GO) generate ./...

.PHONY: check-generated
check-generated: generate ## Regenerate and fail if gen/ differs from what is committed.
	@stray=$$(ls gen | grep -v -x -e doc.go -e '.*\.gen\.go'); \
	if [ -n "$$stray" ]; then \
		echo "check-generated: gen/ holds files that are neither generated nor doc.go: $$stray" >&2; exit 1; \
	fi
	@changes=$$(git status --porcelain --untracked-files=all -- gen); \
	if [ -n "$$changes" ]; then \
		echo "check-generated: gen/ is stale or edited by hand; run 'make generate' and commit the result:" >&2; \
		echo "$$changes" >&2; git --no-pager diff --stat -- gen >&2; exit 1; \
	fi

.PHONY: vet
vet: ## Run go vet.
	$(GO) vet ./...

.PHONY: test
test: vet ## Run vet, the whole test suite under the race detector, and check-generated.
	$(GO) test -race -count=1 ./...
	@$(MAKE) --no-print-directory check-generated

.PHONY: lint
lint: ## Check formatting and run staticcheck (pinned) on the hand-written packages.
	@unformatted=$$(gofmt -l $$(find . -name '*.go' -not -path './gen/*' -not -path './.git/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted" >&2; exit 1; fi
	$(GO) run $(STATICCHECK) $(HANDWRITTEN)

.PHONY: demo
demo: ## Run the main job on the embedded fake: create, wait, unbind, refuse, delete.
	$(GO) run ./cmd/dnsep demo

.PHONY: build
build: ## Build the dnsep command into bin/.
	$(GO) build -o bin/dnsep ./cmd/dnsep

.PHONY: bench
bench: ## Run the benchmarks with memory statistics.
	$(GO) test -run '^$$' -bench . -benchmem ./...
