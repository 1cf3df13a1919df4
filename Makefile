# Unlatch: every tool the project needs is installed by these targets, never by hand.
# `make run` starts the service on its embedded defaults; `make test` runs the tests.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# The generator is pinned: bumping it is a reviewed change (`make regen` then commit generated/).
OPENAPI_GENERATOR_VERSION := 7.26.0
OPENAPI_SPEC_VALIDATOR_VERSION := 0.9.0
TOOLS := .tools
VENV := $(TOOLS)/venv
PY := $(VENV)/bin/python
GENERATOR := $(VENV)/bin/openapi-generator-cli
GENERATED := generated
CARGO ?= cargo

.PHONY: help run build test lint fmt check-regen regen validate-spec tools clean

help:
	@echo "make run          start Unlatch on its embedded defaults (127.0.0.1:4242, ./data/unlatch.db)"
	@echo "make test         validate the spec and run every test"
	@echo "make regen        regenerate generated/ from openapi.yaml"
	@echo "make check-regen  regenerate and fail if generated/ differs from what is committed"
	@echo "make lint         rustfmt check and clippy -D warnings on the hand-written crate"

# --- tools -------------------------------------------------------------------------------------
$(VENV)/.installed-$(OPENAPI_GENERATOR_VERSION):
	@command -v java >/dev/null || { echo "openapi-generator needs Java (17+) on PATH" >&2; exit 1; }
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check \
		openapi-generator-cli==$(OPENAPI_GENERATOR_VERSION) \
		openapi-spec-validator==$(OPENAPI_SPEC_VALIDATOR_VERSION)
	touch $@

tools: $(VENV)/.installed-$(OPENAPI_GENERATOR_VERSION)

# --- the contract ------------------------------------------------------------------------------
validate-spec: tools
	$(VENV)/bin/openapi-spec-validator --schema 3.1.0 openapi.yaml

# generated/ is wiped and written anew so that nothing stale or hand-edited survives.
regen: validate-spec
	rm -rf $(GENERATED)
	$(GENERATOR) generate --input-spec openapi.yaml --generator-name rust-server \
		--output $(GENERATED) \
		--additional-properties packageName=unlatch_api,hideGenerationTimestamp=true \
		> $(TOOLS)/regen.log 2>&1 || { cat $(TOOLS)/regen.log >&2; exit 1; }
	@echo "generated/ regenerated from openapi.yaml"

check-regen: regen
	@if [ -n "$$(git status --porcelain -- $(GENERATED))" ]; then \
		echo "generated/ differs from openapi.yaml: run 'make regen' and commit the result" >&2; \
		git status --porcelain -- $(GENERATED) >&2; \
		git --no-pager diff --stat -- $(GENERATED) >&2; \
		exit 1; \
	fi
	@echo "generated/ matches openapi.yaml"

# --- build, run, test --------------------------------------------------------------------------
build:
	$(CARGO) build --release --bin unlatch

run: build
	./target/release/unlatch serve

test: validate-spec
	$(CARGO) test --workspace --exclude unlatch_api --no-fail-fast
	# the generated crate's client feature is the Rust SDK: it must keep building
	$(CARGO) build -p unlatch_api --no-default-features --features client,server

lint:
	$(CARGO) fmt --check -p unlatch
	$(CARGO) clippy -p unlatch --all-targets -- -D warnings

fmt:
	$(CARGO) fmt -p unlatch

clean:
	rm -rf target $(TOOLS)
