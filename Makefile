# dnsep: run `make help` for the targets.

GO          ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# Packages written by hand: everything but the generated package gen.
HANDWRITTEN  = $(shell $(GO) list ./... | grep -v '/gen$$')

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN {FS = ":.*## "} /^[a-z0-9-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: generate
generate: ## Regenerate gen/ from openapi/dns-endpoint.yaml.
	$(GO) generate ./...

.PHONY: check-generated
check-generated: ## Regenerate and fail if gen/ differs from what is committed.
	@git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { \
		echo "check-generated: not a git checkout: it compares gen/ with the committed files, so it needs one" >&2; exit 1; }
	$(GO) generate ./...
	@stray=$$(ls gen | grep -v -x -e doc.go -e '.*\.gen\.go'); \
	if [ -n "$$stray" ]; then \
		echo "check-generated: gen/ holds files that are neither generated nor doc.go: $$stray" >&2; exit 1; \
	fi
	@changes=$$(git status --porcelain --untracked-files=all -- gen); \
	if [ -n "$$changes" ]; then \
		echo "check-generated: gen/ is stale or edited by hand; run 'make generate' and commit the result:" >&2; \
		echo "$$changes" >&2; git --no-pager diff --stat -- gen >&2; exit 1; \
	fi

# The breaking-change gate. oasdiff is pinned (tool directive) in the module
# tools/oasdiff, so that users of the main module never download it; specgate
# there runs it with `go run`. BASE is a git ref; empty means HEAD~1 (the
# previous commit on main), or nothing to compare if HEAD has no parent.
BASE     ?=
SPECGATE  = cd tools/oasdiff && $(GO) run ./specgate -repo '$(CURDIR)' $(if $(BASE),-base '$(BASE)')

.PHONY: spec-diff
spec-diff: ## Print oasdiff's changelog and breaking changes of the document since BASE (default HEAD~1).
	@$(SPECGATE) diff

.PHONY: spec-gate
spec-gate: ## Fail on a breaking change of the document since BASE (default HEAD~1) that CHANGELOG.md does not declare.
	@$(SPECGATE) gate

.PHONY: vet
vet: ## Run go vet on the module and on the bench/, tools/oasdiff/ and e2e/ modules.
	$(GO) vet ./...
	cd bench && $(GO) vet ./...
	cd tools/oasdiff && $(GO) vet ./...
	cd e2e && $(GO) vet ./...

.PHONY: check-tidy
check-tidy: ## Fail if go.mod or go.sum of any module is not what 'go mod tidy' would write.
	$(GO) mod tidy -diff
	cd bench && $(GO) mod tidy -diff
	cd tools/oasdiff && $(GO) mod tidy -diff
	cd e2e && $(GO) mod tidy -diff

.PHONY: test
test: vet ## Run vet, the whole test suite under the race detector (the gate's too), and check-generated.
	$(GO) test -race -count=1 ./...
	cd tools/oasdiff && $(GO) test -race -count=1 ./...
	@$(MAKE) --no-print-directory check-generated

# `make compat`: the tests of the bench/ module, TestSDKCompat among them:
# the official huaweicloud-sdk-go-v3 DNS client, signing with AK/SK, runs
# the nine endpoint and the seven resolver-rule operations against a
# freshly built `dnsep serve` and must decode every answer and error. The
# SDK stays out of the main module's graph.
.PHONY: compat
compat: ## Run the official SDK through all sixteen operations against dnsep serve (bench/ module, a few seconds).
	cd bench && $(GO) test -race -count=1 ./...

# `make e2e`: the browser tests of the dashboard, in the module e2e/ so that
# the main module's users never download chromedp. They build dnsep, run
# `dnsep serve` and drive headless Chromium ($DNSEP_CHROMIUM, else chromium,
# chromium-browser or google-chrome): skipped without one, failed without
# one when DNSEP_E2E_REQUIRE=1 (as .ci/run sets it). A failing test saves a
# screenshot under bin/e2e/_artifacts/.
E2E_OUT := $(CURDIR)/bin/e2e

.PHONY: e2e
e2e: ## Run the browser tests of the dashboard against dnsep serve in headless Chromium (e2e/ module).
	@mkdir -p $(E2E_OUT)
	cd e2e && $(GO) test -count=1 -artifacts -outputdir $(E2E_OUT) ./...

.PHONY: screenshot
screenshot: ## Regenerate docs/dashboard.png: the dashboard in the demo's state, in headless Chromium.
	cd e2e && DNSEP_SCREENSHOT=$(CURDIR)/docs/dashboard.png $(GO) test -count=1 -run '^TestScreenshot$$' -v ./...

.PHONY: lint
lint: ## Check formatting and run staticcheck (pinned) on the hand-written packages.
	@unformatted=$$(gofmt -l $$(find . -name '*.go' -not -path './gen/*' -not -path './.git/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted" >&2; exit 1; fi
	$(GO) run $(STATICCHECK) $(HANDWRITTEN)

.PHONY: demo
demo: ## Run the main job on the embedded fake: endpoint create, wait, unbind, refuse, delete; then a rule forwarding corp.example., its VPC, the refused endpoint delete, the clean-up.
	$(GO) run ./cmd/dnsep demo

.PHONY: build
build: ## Build the dnsep command into bin/.
	$(GO) build -o bin/dnsep ./cmd/dnsep

# `make bench`: the root module's benchmarks, then BenchmarkUnbind of the
# separate bench/ module (plain net/http, the generated client, the wrapper
# with a token and with AK/SK, the official SDK) in BENCH_ROUNDS rounds of
# -count 1, so that the variants interleave and drift cancels. benchstat
# summarises both; bench/cmd/targets checks the targets on paired rounds.
# Results land in bin/bench/. See BENCHMARKS.md.
BENCHSTAT    := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
BENCH_ROUNDS ?= 15
BENCH_TIME   ?= 300ms
BENCH_OUT    := $(CURDIR)/bin/bench

.PHONY: bench
bench: ## Run the benchmarks: the root module's, then the five clients of bench/ in 15 interleaved rounds (about 2 minutes).
	@mkdir -p $(BENCH_OUT)
	@echo "load average: $$(cat /proc/loadavg 2>/dev/null)"
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCH_TIME) -count 6 ./... > $(BENCH_OUT)/root.txt; \
		s=$$?; cat $(BENCH_OUT)/root.txt; exit $$s
	@rm -f $(BENCH_OUT)/unbind.txt
	@for i in $$(seq $(BENCH_ROUNDS)); do \
		echo "bench/: round $$i of $(BENCH_ROUNDS), load average $$(cat /proc/loadavg 2>/dev/null)"; \
		(cd bench && $(GO) test -run '^$$' -bench '^BenchmarkUnbind$$' -benchmem -benchtime $(BENCH_TIME) -count 1 .) \
			>> $(BENCH_OUT)/unbind.txt || { tail -n 20 $(BENCH_OUT)/unbind.txt; exit 1; }; \
	done
	cd $(BENCH_OUT) && $(GO) run $(BENCHSTAT) root.txt
	cd $(BENCH_OUT) && $(GO) run $(BENCHSTAT) -col /client unbind.txt
	cd bench && $(GO) run ./cmd/targets $(BENCH_OUT)/unbind.txt

# The long load run of `make load`; the short one runs in `make test`.
LOAD_CLIENTS  ?= 32
LOAD_DURATION ?= 10s
LOAD_RUN       = $(GO) test ./fake -run '^TestLoad$$' -count=1 -v -args -load.clients=$(LOAD_CLIENTS) -load.duration=$(LOAD_DURATION)

.PHONY: load
load: ## Load the fake over loopback (32 clients, 10 s), responses checked then not (requests always): latency, req/s, errors.
	$(LOAD_RUN)
	$(LOAD_RUN) -load.validate=false

.PHONY: footprint
footprint: ## Print the stripped sizes of a wrapper-only and a stdlib-only program, and the modules of the first.
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
	$(GO) build -trimpath -ldflags='-s -w' -o "$$dir/wrapperonly" ./wrapper/testdata/footprint/wrapperonly && \
	$(GO) build -trimpath -ldflags='-s -w' -o "$$dir/stdlibonly" ./wrapper/testdata/footprint/stdlibonly && \
	w=$$(wc -c < "$$dir/wrapperonly") && s=$$(wc -c < "$$dir/stdlibonly") && \
	printf 'wrapper-only           %9d bytes\nstandard library only  %9d bytes\ndifference             %9d bytes\n\n' "$$w" "$$s" "$$((w - s))" && \
	echo 'modules of the wrapper-only program (go version -m):' && $(GO) version -m "$$dir/wrapperonly"

# How long `make fuzz-smoke` runs each fuzz target.
FUZZTIME ?= 5s

.PHONY: fuzz-smoke
fuzz-smoke: ## Run each fuzz target for FUZZTIME (default 5s), one after the other.
	$(GO) test -run '^$$' -fuzz '^FuzzErrorMapping$$' -fuzztime $(FUZZTIME) ./wrapper
	$(GO) test -run '^$$' -fuzz '^FuzzIDGuard$$' -fuzztime $(FUZZTIME) ./wrapper
	$(GO) test -run '^$$' -fuzz '^FuzzSignVerify$$' -fuzztime $(FUZZTIME) ./aksk
	$(GO) test -run '^$$' -fuzz '^FuzzVerify$$' -fuzztime $(FUZZTIME) ./aksk
	$(GO) test -run '^$$' -fuzz '^FuzzFakeRequests$$' -fuzztime $(FUZZTIME) ./fake
