# Unlatch: every tool the project needs is installed by these targets, never by hand.
# `make run` starts the service on its embedded defaults; `make test` runs the tests.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# The generator is pinned: bumping it is a reviewed change (`make regen` then commit generated/).
OPENAPI_GENERATOR_VERSION := 7.26.0
OPENAPI_SPEC_VALIDATOR_VERSION := 0.9.0
SCHEMATHESIS_VERSION := 4.32.5
TOOLS := .tools
VENV := $(TOOLS)/venv
PY := $(VENV)/bin/python
GENERATOR := $(VENV)/bin/openapi-generator-cli
GENERATED := generated
CARGO ?= cargo

.PHONY: help run build test lint fmt check-regen regen validate-spec tools clean sdk sdk-test contract \
	browser-deps browser-test nginx sidecar-test bench bench-scale bench-reset-timing bench-instructions \
	smtp-server unleash-client unleash-e2e systemd-check dist swagger-ui blocklist container-tools image image-test

help:
	@echo "make run          start Unlatch on its embedded defaults (127.0.0.1:4242, ./data/unlatch.db)"
	@echo "make test         validate the spec and run every test"
	@echo "make smtp-server  the SMTP test server's venv (aiosmtpd), which make test needs"
	@echo "make regen        regenerate generated/ from openapi.yaml"
	@echo "make blocklist    write assets/common-passwords/ anew from the passwords crate (PASSWORDS_VERSION=)"
	@echo "make check-regen  regenerate and fail if generated/ differs from what is committed"
	@echo "make lint         rustfmt check and clippy -D warnings on the hand-written crate"
	@echo "make contract     schemathesis against a live server, from openapi.yaml"
	@echo "make sdk          generate the Python and TypeScript clients into sdk/"
	@echo "make sdk-test     drive a live server through the generated Python and TypeScript clients,"
	@echo "                  and through a Python client generated from Unleash's own OpenAPI document"
	@echo "make browser-test the pages end to end in headless Chromium (screenshots in target/screenshots/)"
	@echo "make dist         the release archive target/dist/unlatch-<version>-x86_64-linux.tar.gz"
	@echo "make image        the container image unlatch:<version> (podman/buildah, no base image pulled)"
	@echo "make image-test   the image under podman: SQLite on a volume, a new container, PostgreSQL"
	@echo "make systemd-check rate deploy/systemd/unlatch.service's sandbox offline (exposure 2.0 at most)"
	@echo "make sidecar-test Unlatch beside a real Unleash 8.2.0 on its database, behind the shipped nginx"
	@echo "                  configuration (deploy/nginx/): tests/sidecar.rs, then Unleash's UI in Chromium"
	@echo "make unleash-e2e  Unleash's own end-to-end tests of this API (36), against Unleash itself and"
	@echo "                  with the requests of openapi.yaml's operations sent to a real Unlatch beside it"

# --- tools -------------------------------------------------------------------------------------
$(VENV)/.installed-$(OPENAPI_GENERATOR_VERSION):
	@command -v java >/dev/null || { echo "openapi-generator needs Java (17+) on PATH" >&2; exit 1; }
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check \
		openapi-generator-cli==$(OPENAPI_GENERATOR_VERSION) \
		openapi-spec-validator==$(OPENAPI_SPEC_VALIDATOR_VERSION)
	touch $@

tools: $(VENV)/.installed-$(OPENAPI_GENERATOR_VERSION)

$(VENV)/.schemathesis-$(SCHEMATHESIS_VERSION): $(VENV)/.installed-$(OPENAPI_GENERATOR_VERSION)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check schemathesis==$(SCHEMATHESIS_VERSION)
	touch $@

# --- the contract ------------------------------------------------------------------------------
validate-spec: tools
	$(VENV)/bin/openapi-spec-validator --schema 3.1.0 openapi.yaml

# generated/ is wiped and written anew so that nothing stale or hand-edited survives. Besides the
# generator's own files it writes generated/dispatch.rs from the project's template in
# codegen/rust-server/ (the operations' calls and their variants' statuses, used by src/http/dispatch.rs).
regen: validate-spec
	rm -rf $(GENERATED)
	$(GENERATOR) generate --input-spec openapi.yaml --generator-name rust-server \
		--output $(GENERATED) \
		--template-dir codegen/rust-server --config codegen/rust-server/config.yaml \
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

# The real SMTP server that tests/smtp.rs starts (tests/smtp/server.py on aiosmtpd, with a
# throwaway CA from trustme), in its own pinned venv.
SMTP_VENV := $(TOOLS)/smtp-venv

$(SMTP_VENV)/.installed: tests/smtp/requirements.txt
	python3 -m venv $(SMTP_VENV)
	$(SMTP_VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/smtp/requirements.txt
	touch $@

smtp-server: $(SMTP_VENV)/.installed

# Swagger UI, the browsable API docs at /docs/openapi/, from its npm package (pinned; npm checks
# the package's integrity against the registry), copied into assets/swagger-ui/ by
# scripts/vendor-swagger-ui.py (its images out of the stylesheet, so that the pages'
# Content-Security-Policy holds) and committed: builds need no network, and the binary embeds it.
# Bumping the version is a reviewed change: `make swagger-ui`, then `make browser-test`, commit.
SWAGGER_UI_VERSION := 5.36.0

swagger-ui:
	@command -v npm >/dev/null || { echo "make swagger-ui needs npm on PATH" >&2; exit 1; }
	rm -rf $(TOOLS)/swagger-ui && mkdir -p $(TOOLS)/swagger-ui
	cd $(TOOLS)/swagger-ui && npm pack --silent swagger-ui-dist@$(SWAGGER_UI_VERSION) >/dev/null \
		&& tar -xzf swagger-ui-dist-$(SWAGGER_UI_VERSION).tgz
	python3 scripts/vendor-swagger-ui.py $(TOOLS)/swagger-ui/package assets/swagger-ui $(SWAGGER_UI_VERSION)

# The built-in blocklist's data, assets/common-passwords/ (about 100,000 common passwords, from
# the `passwords` crate), committed so that a build needs no network: build.rs reads only that.
# `make blocklist` writes it anew from the locked release, `make blocklist PASSWORDS_VERSION=x.y.z`
# from that release (Cargo.lock follows); review the diff, run the tests, commit.
blocklist:
	scripts/refresh-blocklist.sh $(PASSWORDS_VERSION)

# --- build, run, test --------------------------------------------------------------------------
build:
	$(CARGO) build --release --bin unlatch

run: build
	./target/release/unlatch serve

# Every test runs twice beside a throwaway PostgreSQL (scripts/with-postgres.sh installs Debian's
# package if it is missing) and a real Unleash 8.2.0 on it (scripts/with-unleash.sh): first the HTTP
# suite on SQLite, then on PostgreSQL. The store suite, the multi-instance test and the outage test
# use PostgreSQL on both passes; tests/sidecar.rs runs Unlatch on Unleash's database on both.
test: validate-spec smtp-server
	scripts/with-postgres.sh scripts/with-unleash.sh bash -c '\
		$(CARGO) test --workspace --exclude unlatch_api --no-fail-fast; sqlite=$$?; \
		UNLATCH_TEST_BACKEND=postgres $(CARGO) test --workspace --exclude unlatch_api --no-fail-fast; \
		postgres=$$?; [ $$sqlite -eq 0 ] && [ $$postgres -eq 0 ]'
	# the generated crate's client feature is the Rust SDK: it must keep building
	$(CARGO) build -p unlatch_api --no-default-features --features client,server

# schemathesis against a live server, from openapi.yaml (settings in scripts/schemathesis.toml):
# no 5xx, no answer that contradicts the spec, no crash.
contract: $(VENV)/.schemathesis-$(SCHEMATHESIS_VERSION)
	$(CARGO) build --bin unlatch
	scripts/contract.sh
	CONTRACT_BACKEND=postgres scripts/with-postgres.sh scripts/contract.sh

lint:
	$(CARGO) fmt --check -p unlatch
	$(CARGO) clippy -p unlatch --all-targets -- -D warnings

fmt:
	$(CARGO) fmt -p unlatch

clean:
	rm -rf target $(TOOLS)

# --- SDKs --------------------------------------------------------------------------------------
# Clients generated from openapi.yaml by the same pinned generator, into the git-ignored sdk/.
# sdk/ is wiped and written anew, like generated/, so nothing stale survives.
SDK := sdk
SDK_VERSION := $(shell sed -n 's/^  version: *//p' openapi.yaml | head -n 1)
SDK_VENV := $(TOOLS)/sdk-venv
SDK_PY := $(SDK_VENV)/bin/python

sdk: validate-spec
	rm -rf $(SDK)
	$(GENERATOR) generate --input-spec openapi.yaml --generator-name python \
		--output $(SDK)/python \
		--additional-properties packageName=unlatch_client,projectName=unlatch-client,packageVersion=$(SDK_VERSION),hideGenerationTimestamp=true \
		> $(TOOLS)/sdk-python.log 2>&1 || { cat $(TOOLS)/sdk-python.log >&2; exit 1; }
	$(GENERATOR) generate --input-spec openapi.yaml --generator-name typescript-fetch \
		--output $(SDK)/typescript \
		--additional-properties npmName=unlatch-client,npmVersion=$(SDK_VERSION),supportsES6=true,hideGenerationTimestamp=true \
		> $(TOOLS)/sdk-typescript.log 2>&1 || { cat $(TOOLS)/sdk-typescript.log >&2; exit 1; }
	@echo "sdk/python and sdk/typescript generated from openapi.yaml"

# The test venv holds pinned pytest and the client's pinned dependencies; the client itself is
# reinstalled from sdk/python on every run (it is regenerated every run).
# The TypeScript client's test toolchain (typescript and @types/node, pinned in
# sdk-tests/typescript/package-lock.json), into the git-ignored sdk-tests/typescript/node_modules.
SDK_TS_TESTS := sdk-tests/typescript

$(SDK_TS_TESTS)/node_modules/.installed: $(SDK_TS_TESTS)/package.json $(SDK_TS_TESTS)/package-lock.json
	@command -v npm >/dev/null || { echo "the TypeScript SDK test needs Node.js 20+ and npm on PATH" >&2; exit 1; }
	cd $(SDK_TS_TESTS) && npm ci --no-audit --no-fund
	touch $@

$(SDK_VENV)/.installed: sdk-tests/requirements.txt
	python3 -m venv $(SDK_VENV)
	$(SDK_VENV)/bin/pip install --quiet --disable-pip-version-check -r sdk-tests/requirements.txt
	touch $@

# Unleash itself, pinned, from npm into .tools/ (keyed by version, so it is installed once): its own
# OpenAPI document is read from it at test time, and its web UI (frontend/build) is what the Unleash
# browser test serves. No install scripts are run (Unleash needs none to start). Unleash 8.2.0 asks
# for Node 22 but starts and serves its document and UI on Node 20, which is all that is used here.
UNLEASH_VERSION := 8.2.0
UNLEASH_DIR := $(TOOLS)/unleash-server-$(UNLEASH_VERSION)
UNLEASH_PKG := $(UNLEASH_DIR)/node_modules/unleash-server
UNLEASH_SPEC := $(TOOLS)/unleash-openapi-$(UNLEASH_VERSION).json

$(UNLEASH_DIR)/.installed:
	@command -v npm >/dev/null || { echo "Unleash's package needs Node.js 20+ and npm on PATH" >&2; exit 1; }
	rm -rf $(UNLEASH_DIR) && mkdir -p $(UNLEASH_DIR)
	echo '{"private": true}' > $(UNLEASH_DIR)/package.json
	cd $(UNLEASH_DIR) && npm install --no-audit --no-fund --omit=dev --ignore-scripts --loglevel=error \
		unleash-server@$(UNLEASH_VERSION)
	touch $@

# Unleash's OpenAPI document, as a running Unleash serves it at /docs/openapi.json (Unleash on a
# throwaway PostgreSQL, see sdk-tests/unleash/fetch-openapi.mjs). Git-ignored: it is Unleash's work.
$(UNLEASH_SPEC): $(UNLEASH_DIR)/.installed sdk-tests/unleash/fetch-openapi.mjs
	scripts/with-postgres.sh node sdk-tests/unleash/fetch-openapi.mjs $(UNLEASH_PKG) $@.tmp
	mv $@.tmp $@

# A Python client generated from Unleash's own document by the same pinned generator, into the
# git-ignored sdk/unleash-python (after `make sdk`, which wipes sdk/).
unleash-client: $(UNLEASH_SPEC) tools
	rm -rf $(SDK)/unleash-python
	$(GENERATOR) generate --input-spec $(UNLEASH_SPEC) --generator-name python \
		--output $(SDK)/unleash-python \
		--additional-properties packageName=unleash_client,projectName=unleash-client,hideGenerationTimestamp=true \
		> $(TOOLS)/sdk-unleash.log 2>&1 || { cat $(TOOLS)/sdk-unleash.log >&2; exit 1; }

# Drives a real `unlatch serve` (started and always stopped by sdk-tests/conftest.py, on a free
# port with a temporary database) through the generated Python client (sdk-tests/test_sdk.py), through
# the client generated from Unleash's own document (sdk-tests/unleash/), and then a second server
# through the generated TypeScript client (sdk-tests/typescript/).
sdk-test: sdk $(SDK_VENV)/.installed $(SDK_TS_TESTS)/node_modules/.installed
	$(CARGO) build --bin unlatch
	$(MAKE) --no-print-directory unleash-client
	$(SDK_VENV)/bin/pip install --disable-pip-version-check --no-deps --no-build-isolation \
		--force-reinstall ./$(SDK)/python ./$(SDK)/unleash-python > $(TOOLS)/sdk-install.log 2>&1 \
		&& $(SDK_VENV)/bin/pip check --disable-pip-version-check >> $(TOOLS)/sdk-install.log 2>&1 \
		|| { cat $(TOOLS)/sdk-install.log >&2; exit 1; }
	UNLATCH_BIN=target/debug/unlatch UNLATCH_SERVER_LOG=$(TOOLS)/sdk-test-server.log \
		PYTHONDONTWRITEBYTECODE=1 \
		$(SDK_PY) -m pytest -p no:cacheprovider -q sdk-tests \
		|| { echo "sdk-test failed; the server's log is $(TOOLS)/sdk-test-server.log" >&2; exit 1; }
	rm -rf target/sdk-test-ts
	$(SDK_TS_TESTS)/node_modules/.bin/tsc -p $(SDK_TS_TESTS)/tsconfig.json
	$(SDK_PY) -c 'import json, sys, yaml; json.dump(yaml.safe_load(open("openapi.yaml")), sys.stdout)' \
		> target/sdk-test-ts/openapi.json
	UNLATCH_BIN=target/debug/unlatch UNLATCH_SERVER_LOG=$(TOOLS)/sdk-test-ts-server.log \
		OPENAPI_JSON=target/sdk-test-ts/openapi.json \
		node --test --test-concurrency=1 target/sdk-test-ts/sdk-tests/typescript/sdk.test.js \
		|| { echo "sdk-test (TypeScript) failed; the server's log is $(TOOLS)/sdk-test-ts-server.log" >&2; exit 1; }

# --- browser tests -----------------------------------------------------------------------------
# The pages end to end in a real headless Chromium: Debian's chromium (and chromium-driver), driven
# by playwright-core from npm (pinned in browser-tests/package-lock.json, no browser download).
# browser-tests/pages.test.mjs starts target/debug/unlatch and a fake mail relay, and always stops
# both; screenshots go to target/screenshots/, the server's log to target/browser-test-server.log.
CHROMIUM := /usr/bin/chromium
BROWSER_TESTS := browser-tests
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(BROWSER_TESTS)/node_modules/.installed: $(BROWSER_TESTS)/package.json $(BROWSER_TESTS)/package-lock.json
	@command -v npm >/dev/null || { echo "the browser tests need Node.js 20+ and npm on PATH" >&2; exit 1; }
	cd $(BROWSER_TESTS) && npm ci --no-audit --no-fund
	touch $@

browser-deps: $(BROWSER_TESTS)/node_modules/.installed
	@if [ -x $(CHROMIUM) ]; then echo "chromium: $(CHROMIUM)"; else \
		$(SUDO) apt-get update && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium chromium-driver; \
	fi

# unleash-ui.test.mjs: Unleash's own web UI (frontend/build of the pinned npm package) served by
# browser-tests/unleash-ui-server.mjs with /api, /auth and /logout sent to Unlatch.
browser-test: browser-deps $(UNLEASH_DIR)/.installed
	$(CARGO) build --bin unlatch
	mkdir -p target/screenshots
	cd $(BROWSER_TESTS) && UNLATCH_BIN=target/debug/unlatch CHROMIUM=$(CHROMIUM) \
		UNLEASH_UI_BUILD=$(CURDIR)/$(UNLEASH_PKG)/frontend/build \
		node --test --test-concurrency=1 pages.test.mjs docs.test.mjs unleash-ui.test.mjs \
		|| { echo "browser-test failed; the server's log is target/browser-test-server.log" >&2; exit 1; }

# --- sidecar ------------------------------------------------------------------------------------
# Unlatch beside a real Unleash 8.2.0 (the npm package above, started with node on a fresh database
# of a throwaway PostgreSQL by scripts/with-unleash.sh), behind nginx with the shipped
# deploy/nginx/unlatch-sidecar.conf. Debian's nginx is installed when missing; the tests run it
# unprivileged on a free port with a prefix of their own: browser-tests/sidecar-proxy.test.mjs
# (which upstream answers each path) and sidecar-ui.test.mjs (Unleash's own UI in Chromium,
# screenshots in target/screenshots/sidecar-*.png). tests/sidecar.rs runs in `make test`.
NGINX := /usr/sbin/nginx

nginx:
	@if [ -x $(NGINX) ]; then echo "nginx: $(NGINX)"; else \
		$(SUDO) apt-get update && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y nginx; \
	fi

sidecar-test: browser-deps nginx $(UNLEASH_DIR)/.installed
	$(CARGO) build --bin unlatch
	mkdir -p target/screenshots
	UNLEASH_SIDECAR_LOG=target/unleash-sidecar-ui.log scripts/with-postgres.sh scripts/with-unleash.sh \
		env UNLATCH_BIN=target/debug/unlatch CHROMIUM=$(CHROMIUM) NGINX=$(NGINX) \
		node --test --test-concurrency=1 $(BROWSER_TESTS)/sidecar-proxy.test.mjs \
		$(BROWSER_TESTS)/sidecar-ui.test.mjs \
		|| { echo "sidecar-test failed; the logs: target/unleash-sidecar-ui.log (Unleash)," \
			"target/sidecar-ui-unlatch.log (Unlatch), target/sidecar-nginx/ (nginx)" >&2; exit 1; }

# --- benchmark ---------------------------------------------------------------------------------
# Load-tests a release build with wrk (Debian's package, installed when missing): starts it on a
# temporary database with the rate limits lifted, seeds users and tokens, runs every scenario and
# always stops it. Results go to target/bench/results.md; see bench/run.sh and BENCHMARKS.md.
bench:
	$(CARGO) build --release --bin unlatch
	@command -v wrk >/dev/null || { $(SUDO) apt-get update && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y wrk; }
	bench/run.sh
	$(MAKE) --no-print-directory bench-reset-timing
	scripts/with-postgres.sh bench/backends.sh
	$(MAKE) bench-scale

# User-space instructions a request of the cheap calls, counted by valgrind's callgrind (Debian's
# package, installed when missing): repeatable to about 1% on this noisy host, where wrk's req/s
# is not; see bench/instructions.py and BENCHMARKS.md (issue 13).
bench-instructions:
	$(CARGO) build --release --bin unlatch
	@command -v valgrind >/dev/null || { $(SUDO) apt-get update && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y valgrind; }
	python3 bench/instructions.py target/release/unlatch

# Known, unknown and throttled addresses on POST /auth/reset/password-email: 1,000 interleaved
# requests of each, timed client-side, compared pairwise with a two-sided Mann-Whitney test (see
# bench/reset_timing.py; the raw times go to target/bench/reset_timing.tsv).
bench-reset-timing:
	$(CARGO) build --release --bin unlatch
	python3 bench/reset_timing.py target/release/unlatch target/bench

# The scale benchmark alone (1,000,000 users and millions of old rows, seeded with bulk SQL; see
# bench/scale.sh): start-up, hot paths, the streamed user list's peak RSS, a purge under load.
bench-scale:
	$(CARGO) build --release --bin unlatch
	@command -v wrk >/dev/null && command -v sqlite3 >/dev/null || { $(SUDO) apt-get update && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y wrk sqlite3; }
	scripts/with-postgres.sh bench/scale.sh

# --- Unleash's own end-to-end tests ------------------------------------------------------------
# The three files of the pinned unleash-server package's compiled end-to-end tests that cover this
# API (dist/test/e2e/api/auth/reset-password-controller, .../simple-password-provider and
# dist/test/e2e/api/admin/user-admin: 36 tests), run by their own runner (vitest and supertest, pinned
# with the package in unleash-e2e/package-lock.json, into .tools/): once unpatched against Unleash
# itself (the control), once with the requests of openapi.yaml's operations sent to a real
# `unlatch serve` beside Unleash on each test's own database (unleash-e2e/README.md). Tests that
# assert a deliberate difference are named, with the reason, in
# unleash-e2e/deliberate-differences.json and counted at every run. Both runs on a throwaway
# PostgreSQL of their own; about 2 minutes once installed.
UNLEASH_E2E := $(TOOLS)/unleash-e2e-$(UNLEASH_VERSION)

$(UNLEASH_E2E)/.installed: unleash-e2e/package.json unleash-e2e/package-lock.json
	@command -v npm >/dev/null || { echo "Unleash's tests need Node.js 20+ and npm on PATH" >&2; exit 1; }
	rm -rf $(UNLEASH_E2E) && mkdir -p $(UNLEASH_E2E)
	cp unleash-e2e/package.json unleash-e2e/package-lock.json $(UNLEASH_E2E)/
	cd $(UNLEASH_E2E) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

unleash-e2e: $(UNLEASH_E2E)/.installed tools
	$(CARGO) build --bin unlatch
	scripts/with-postgres.sh scripts/unleash-e2e.sh

# --- deployment --------------------------------------------------------------------------------
# The systemd unit's sandbox, rated offline by `systemd-analyze security` (Debian's systemd
# package, installed when missing): an exposure above 2.0 fails the target.
SYSTEMD_UNIT := deploy/systemd/unlatch.service

systemd-check:
	@command -v systemd-analyze >/dev/null || { $(SUDO) apt-get update && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y systemd; }
	systemd-analyze security --offline=true --threshold=20 $(SYSTEMD_UNIT)

# The release archive: the release binary, README, the systemd unit and its environment file,
# the nginx configuration and their SHA256SUMS, in target/dist/; the archive is checked as an
# operator receives it (scripts/check-dist.sh) before the target succeeds. The tar is
# reproducible: sorted, owned by root, dated by the last commit.
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
REVISION := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
DIST_NAME := unlatch-$(VERSION)-x86_64-linux
DIST_DIR := target/dist
DIST_FILES := README.md deploy/systemd/unlatch.service deploy/systemd/unlatch.env.example \
	deploy/nginx/unlatch-sidecar.conf

dist: build
	rm -rf $(DIST_DIR)/$(DIST_NAME) $(DIST_DIR)/$(DIST_NAME).tar.gz
	mkdir -p $(DIST_DIR)/$(DIST_NAME)
	install -m 0755 target/release/unlatch $(DIST_DIR)/$(DIST_NAME)/unlatch
	install -m 0644 $(DIST_FILES) $(DIST_DIR)/$(DIST_NAME)/
	cd $(DIST_DIR)/$(DIST_NAME) && sha256sum unlatch $(notdir $(DIST_FILES)) > SHA256SUMS
	tar --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime=@$$(git log -1 --format=%ct 2>/dev/null || echo 0) \
		-C $(DIST_DIR) -cf - $(DIST_NAME) | gzip -9n > $(DIST_DIR)/$(DIST_NAME).tar.gz
	scripts/check-dist.sh $(DIST_DIR)/$(DIST_NAME).tar.gz $(VERSION) $(REVISION)

# The container image, built from nothing by buildah (Debian's podman, buildah and runc, installed
# when missing; see scripts/build-image.sh): the release binary, its shared libraries, CA
# certificates, the non-root user, the /data volume. At most 30 MB; unlatch:<version> and latest.
IMAGE_SOURCE ?= $(or $(shell git config --get remote.origin.url 2>/dev/null),unknown)
IMAGE := localhost/unlatch:$(VERSION)

container-tools:
	@command -v buildah >/dev/null && command -v podman >/dev/null && command -v runc >/dev/null \
		&& command -v strip >/dev/null || { $(SUDO) apt-get update && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y podman buildah runc binutils; }

image: build container-tools
	scripts/build-image.sh target/release/unlatch $(VERSION) $(REVISION) "$(IMAGE_SOURCE)"

# The image as an operator runs it, beside a throwaway PostgreSQL (scripts/image-test.sh).
image-test: image
	scripts/with-postgres.sh scripts/image-test.sh $(IMAGE)
