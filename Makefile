# Two entry points, both self-contained on a fresh machine (see README):
#   make serve   build the site strictly and serve it on http://127.0.0.1:8000
#   make test    install everything (Python venv, Chromium, axe-core) and run the whole test suite
VENV := .venv
CHROMIUM ?= /usr/bin/chromium
BIN := $(VENV)/bin
export DISABLE_MKDOCS_2_WARNING := true
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test lint system-deps benchmark lighthouse check-external publish require-site-url pdf

$(BIN)/.installed: requirements.txt constraints.txt
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	touch $@

build: $(BIN)/.installed
	$(BIN)/mkdocs build --strict

serve: build
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

system-deps:
	bash scripts/setup-system.sh

lint: $(BIN)/.installed
	$(BIN)/ruff check hooks scripts tests

test: $(BIN)/.installed system-deps lint
	$(BIN)/pytest

benchmark: $(BIN)/.installed
	$(BIN)/python scripts/benchmark.py

# Not part of CI (slow, and its figures depend on the machine's load): Lighthouse on every page type, mobile and
# desktop, median of 3 runs, over a local gzip server (scripts/lighthouse.py). Lighthouse is pinned in its own
# scripts/lighthouse/package.json, so `npm ci` for the tests stays small; Debian's chromium, no browser download.
scripts/lighthouse/node_modules/.installed: scripts/lighthouse/package.json scripts/lighthouse/package-lock.json
	cd scripts/lighthouse && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

lighthouse: $(BIN)/.installed system-deps scripts/lighthouse/node_modules/.installed
	CHROME_PATH=$(CHROMIUM) $(BIN)/python scripts/lighthouse.py $(LIGHTHOUSE_ARGS)

# Needs the internet, so not part of CI: every external URL in the bibliography, online, with a 7-day
# cache of good results (.lycheecache) and retries for flaky hosts.
check-external: $(BIN)/.installed
	$(BIN)/lychee --cache --max-cache-age 7d --max-retries 3 --retry-wait-time 5 --timeout 30 \
		--no-progress references/*.bib

# For a static host: the living site plus every edition (git tags YYYY.MM or YYYY.MM.N) into site/, the editions
# under site/editions/<tag>/. SITE_URL is the public address the site will be served from (README, "Publishing").
publish: require-site-url $(BIN)/.installed
	SITE_URL="$(SITE_URL)" $(BIN)/python scripts/build_editions.py --site-dir site

require-site-url:
	@test -n "$(SITE_URL)" || { echo "make publish needs SITE_URL, e.g. make publish SITE_URL=https://example.org/"; exit 1; }

# Optional, not part of CI: the whole reference (the combined page print/) as one PDF, printed by Debian's
# Chromium from the built site into site/semax-evidence.pdf.
pdf: build
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
		--print-to-pdf=site/semax-evidence.pdf "file://$(CURDIR)/site/print/index.html"
