# The whole set-up on a fresh machine with Python 3.11 and make:
#   make site       install, check the records, build the demo portal into site/
#   make test       install, run the static gates (lint) and the whole test suite
#   make lint       install, run ruff (lint and format) and mypy (pyproject.toml says each exception)
#   make test-fast  install, run the unit and rendering tests only: no MkDocs build, no browser (a minute at most)
#   make serve      live preview at http://127.0.0.1:8000, rebuilt on every change
#   make bench      time builds of synthetic territories, write docs/benchmarks.md
#   make lighthouse Lighthouse (mobile) on one page of each kind of the demo, fr and ar, into docs/benchmarks.md
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BROWSER := $(VENV)/.browser
JAVA := $(VENV)/.java
EDITOR_TOOLS := tools/editor/node_modules/.package-lock.json

.PHONY: site test test-fast lint serve check catalogs clean bench lighthouse

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/python -m generator check
	$(BIN)/python -m generator build --site-dir site

# The browser tests drive Debian's Chromium: installed here when missing, if we are root, with
# the Noto fonts so that Arabic, Pashto and Tigrinya (Ethiopic) pages render their letters.
$(BROWSER): | $(STAMP)
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then \
	  touch $@; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-core >/dev/null && touch $@; \
	else \
	  echo "note: chromium and chromium-driver are not installed (apt-get install chromium chromium-driver): the browser tests will be skipped"; \
	fi

# The HTML gate runs the Nu HTML checker, a Java program: Java is installed here when missing, if we are root.
$(JAVA): | $(STAMP)
	@if command -v java >/dev/null; then \
	  touch $@; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null && touch $@; \
	else \
	  echo "note: Java is not installed (apt-get install default-jre-headless): the HTML validity gate will be skipped"; \
	fi

# The web editor's browser test runs Decap's local back end (decap-server, pinned in
# tools/editor/package-lock.json): installed here when Node.js and npm are there.
$(EDITOR_TOOLS): tools/editor/package.json tools/editor/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --prefix tools/editor --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else \
	  echo "note: Node.js and npm are not installed: the web editor's browser test will be skipped"; \
	fi

# The tests share the cores: pytest-xdist, with the tests that share a built site on one
# worker (tests/conftest.py). `make test PYTEST_ARGS="-n 0"` runs them in one process.
XDIST := -n auto --dist loadgroup

test: lint $(STAMP) $(BROWSER) $(JAVA) $(EDITOR_TOOLS)
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/mypy

# The test tiers: the tests marked `build` run MkDocs, those marked `browser` drive Chromium.
test-fast: $(STAMP)
	$(BIN)/python -m pytest $(XDIST) -m "not build and not browser" $(PYTEST_ARGS)

serve: $(STAMP)
	$(BIN)/python -m generator serve

check: $(STAMP)
	$(BIN)/python -m generator check

# Builds synthetic territories of 1,000, 5,000 and 10,000 services, three times each,
# and a bare mkdocs-material baseline; writes docs/benchmarks.md. Long: about an hour.
bench: $(STAMP) $(BROWSER)
	$(BIN)/python benchmarks/bench.py

# Lighthouse 12 (pinned in tools/lighthouse/package-lock.json; 13 needs a newer Node.js)
# with Debian's Chromium, three runs of each page kind in fr and ar: about half an hour.
# Not part of `make test`: too slow, and a score is a measure, not a check.
LIGHTHOUSE := tools/lighthouse/node_modules/.package-lock.json
$(LIGHTHOUSE): tools/lighthouse/package.json tools/lighthouse/package-lock.json
	npm ci --prefix tools/lighthouse --ignore-scripts --no-audit --no-fund --loglevel=error

lighthouse: $(STAMP) $(BROWSER) $(LIGHTHOUSE)
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python benchmarks/lighthouse.py

# Re-extract the interface strings after changing a template or a label,
# then translate the new entries of each generator/locales/<lang>.po.
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -c TRANSLATORS: --no-location --sort-output \
	  --project "care-portal" -o generator/locales/portal.pot .
	for po in generator/locales/*.po; do \
	  $(BIN)/pybabel update --no-fuzzy-matching -w 100 -i generator/locales/portal.pot -o $$po -l $$(basename $$po .po | tr - _); \
	done

clean:
	rm -rf site build .pytest_cache
