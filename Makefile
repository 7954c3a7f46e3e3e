# Every target first sets up, idempotently, whatever it needs (scripts/setup.sh).
# The two commands a new machine needs: `make demo` and `make test`.

SHELL := /bin/bash
export PATH := $(CURDIR)/scripts/node-tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export WRANGLER_SEND_METRICS := false

.PHONY: setup build build-dev test demo bench soak sandbox fuzz fmt lint clean

setup:
	@scripts/setup.sh --browser

## build: the npm package in pkg/ (release wasm, wasm-opt -Oz); prints the .wasm size raw and gzipped
build:
	@scripts/setup.sh
	@scripts/build.sh

build-dev:
	@scripts/setup.sh
	@scripts/build.sh --dev

## test: lint, native tests, wasm tests in Node and headless Chromium, the sandbox, consumer projects
test:
	@scripts/setup.sh --browser
	@scripts/test.sh

## demo: the product's main job, in workerd
demo:
	@scripts/setup.sh
	@scripts/build.sh
	@node scripts/demo.mjs

## bench: performance and size against the peers (bench/RESULTS.md)
bench:
	@scripts/setup.sh
	@cd bench && npm ci --no-audit --no-fund --loglevel=error
	@scripts/build.sh
	@node bench/run.mjs

## soak: sendBulk of 100,000 messages under 10% mixed faults against the sandbox: outcomes, duplicates, heap (SOAK_MESSAGES=N to change)
soak:
	@scripts/setup.sh
	@scripts/build.sh
	@node --expose-gc scripts/soak.mjs

## sandbox: the local Sendexa API on http://127.0.0.1:4010, token `sandbox-token`
sandbox:
	@node tests/sandbox/server.mjs --port 4010 --token sandbox-token

fmt:
	cargo fmt

lint:
	cargo fmt --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p sendexa-whatsapp -p sendexa-phone --lib --tests --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p sendexa-whatsapp --lib --tests --target wasm32-unknown-unknown --no-default-features -- -D warnings

clean:
	rm -rf target pkg tests/consumers/.work tests/matrix/.work

## fuzz: every cargo-fuzz target for 10 million executions (FUZZ_RUNS=N to change)
fuzz:
	@scripts/setup.sh
	@scripts/fuzz.sh $(or $(FUZZ_RUNS),10000000)
