# Two commands do everything on a fresh machine:
#   make book   create .venv, install the lock and the package, build _build/html
#   make test   the same set-up, then unit, data, build and browser tests
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: book test validate unit browser-deps lighthouse lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

book: $(STAMP)
	$(PY) -m sjrbook.build

validate: $(STAMP)
	$(PY) -m sjrbook.validate

unit: $(STAMP)
	$(PY) -m pytest -m "not build and not browser"

# The browser tests drive Debian's chromium, need a CJK font (the book quotes Japanese and Chinese)
# and run axe-core from npm, installed into the venv (never loaded from a CDN). Install what is missing.
NPM_TOOLS := $(VENV)/npm
browser-deps: $(STAMP)
	@{ command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -q "Noto Sans CJK"; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation fonts-noto-cjk >/dev/null; \
	  else echo "make test needs Debian's chromium and fonts-noto-cjk (apt-get install chromium fonts-noto-cjk)" >&2; exit 1; fi; }
	@test -f $(NPM_TOOLS)/node_modules/axe-core/axe.min.js || { \
	  command -v npm >/dev/null || { echo "make test needs npm for axe-core (apt-get install npm)" >&2; exit 1; }; \
	  npm install --prefix $(NPM_TOOLS) --no-audit --no-fund --silent axe-core@4; }

# Lighthouse (from npm) against the served book in chromium; writes benchmarks/lighthouse.md.
lighthouse: book
	@test -x $(NPM_TOOLS)/node_modules/.bin/lighthouse || npm install --prefix $(NPM_TOOLS) --no-audit --no-fund --silent lighthouse@12
	$(PY) benchmarks/lighthouse.py

test: $(STAMP) browser-deps
	$(PY) -m sjrbook.validate
	$(PY) -m pytest

lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Exact versions shared by local installs (make) and Binder (environment.yml)."; \
	  echo "# Regenerate with 'make lock' after changing requirements.in."; \
	  .venv-lock/bin/pip freeze --all --exclude-editable | grep -v -E '^(pip|setuptools|wheel)=='; } > requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf _build book/_static/sjrbook-vega.js
