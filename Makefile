# `make run`: the portal with its demo association on a private PostgreSQL cluster.
# `make test`: the whole test suite against a throwaway cluster.
SHELL := /bin/bash
DEV_PG := .data/pg
DEMO_SLUG := les-petits-malins
MARELLE := .build/debug/marelle
export MARELLE_BASE_DOMAIN ?= localhost
export MARELLE_HTTP_HOST ?= 127.0.0.1
export MARELLE_HTTP_PORT ?= 8080
export MARELLE_DEVELOPMENT ?= true
export MARELLE_MAIL_MODE ?= capture

.PHONY: run test stop deps build format lint package package-check crash-test bench bench-tenants cpu-per-request check-api walk soak

deps:
	@Deploy/dev/install-deps.sh

build: deps
	swift build

run: build
	@conninfo=$$(Deploy/dev/pg-cluster.sh start $(DEV_PG) marelle) && \
	export MARELLE_DATABASE_URL="$$conninfo" && \
	{ [ -s .data/second-factor.key ] || openssl rand -base64 32 >.data/second-factor.key; } && \
	export MARELLE_SECOND_FACTOR_KEY="$${MARELLE_SECOND_FACTOR_KEY:-$$(cat .data/second-factor.key)}" && \
	{ [ -s .data/payments.key ] || openssl rand -base64 32 >.data/payments.key; } && \
	export MARELLE_PAYMENTS_KEY="$${MARELLE_PAYMENTS_KEY:-$$(cat .data/payments.key)}" && \
	$(MARELLE) migrate && \
	{ $(MARELLE) tenant list | grep -q "^$(DEMO_SLUG) " || \
	  $(MARELLE) tenant create $(DEMO_SLUG) --name "Les Petits Malins"; } && \
	$(MARELLE) demo --tenant $(DEMO_SLUG) && \
	echo "Marelle: http://$(DEMO_SLUG).localhost:$(MARELLE_HTTP_PORT)/" && \
	exec $(MARELLE) serve

test: deps
	Deploy/dev/test.sh

# swift-format from the toolchain, with the committed .swift-format: `format` rewrites the
# tree, `lint` (run by CI) fails on any difference.
format:
	swift format format --in-place --recursive --parallel Sources Tests Package.swift

lint:
	swift format lint --strict --recursive --parallel Sources Tests Package.swift

# Submissions under load while the server is killed and PostgreSQL loses power.
crash-test: deps
	Deploy/dev/crash-test.sh

# The API held to its OpenAPI document by schemathesis, against a running server.
check-api:
	@Deploy/dev/install-deps.sh curl python3-venv
	Deploy/dev/api-contract.sh

# A real browser walks the parents' manual (screenshots in artifacts/walk).
walk:
	@Deploy/dev/install-deps.sh curl python3-venv chromium chromium-driver
	Deploy/dev/browser-walk.sh

# Half an hour of mixed traffic with 10 MB uploads and downloads, and the server's memory
# over time (Benchmarks/results/soak-<date>.md; SOAK_MINUTES, SOAK_BUILD=debug for a quick look).
soak:
	@Deploy/dev/install-deps.sh curl wrk
	Deploy/dev/soak.sh

# The opening-morning rush, its pgbench ceiling, pages and logins under load: a report in
# Benchmarks/results/ (release build; a few minutes).
bench:
	@Deploy/dev/install-deps.sh wrk
	Deploy/dev/bench.sh

# One association, then a thousand: migrate, start, memory, a home page (ratios).
bench-tenants:
	@Deploy/dev/install-deps.sh wrk
	Deploy/dev/bench-tenants.sh

# Where one request's CPU goes (server, PostgreSQL, statements): PAGE=calendar|planning|api|login.
cpu-per-request:
	@Deploy/dev/install-deps.sh wrk
	Deploy/dev/cpu-per-request.sh

# The release tarball for a server without the toolchain (Deploy/README.md installs it).
package:
	Deploy/package.sh

# CI: the tarball unpacked in a scratch folder, checked with ldd, migrated and served.
package-check:
	@Deploy/dev/install-deps.sh curl
	Deploy/dev/package-check.sh

stop:
	@Deploy/dev/pg-cluster.sh stop $(DEV_PG)
