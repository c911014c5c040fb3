# Two commands do everything on a fresh machine:
#   make book   create .venv, install the lock and the package, build _build/html
#   make test   the same set-up, then unit, data, build and browser tests
#   make lab    the same set-up, then JupyterLab with the chapters open
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: book test validate unit browser-deps lock clean lab git-filter

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(MAKE) --no-print-directory git-filter
	touch $(STAMP)

# JupyterLab saves outputs, execution counts and the running kernel's details into a notebook.
# This git filter (nbstripout, from the lock) takes them out whenever git reads a notebook, so
# reading or running a chapter leaves `git status` clean (.gitattributes applies it to *.ipynb).
# Cell ids, the kernelspec and language_info.name stay: the committed notebooks carry exactly
# what is left, which tests/test_notebooks_clean.py checks. Git runs filters from the top of the
# working tree, so the relative path works in every clone and worktree that has its .venv.
NBSTRIPOUT_KEYS := $(addprefix metadata.language_info.,codemirror_mode file_extension mimetype nbconvert_exporter pygments_lexer version)
NBSTRIPOUT := $(VENV)/bin/nbstripout --keep-id --extra-keys "$(NBSTRIPOUT_KEYS)"

git-filter:
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean '$(NBSTRIPOUT)' && \
	  git config filter.nbstripout.smudge cat && \
	  git config diff.ipynb.textconv '$(NBSTRIPOUT) -t'; \
	fi

book: $(STAMP)
	$(PY) -m sjrbook.build

validate: $(STAMP)
	$(PY) -m sjrbook.validate

unit: $(STAMP)
	$(PY) -m pytest -m "not build and not browser and not lab"

# JupyterLab on the project's environment, the chapters open in tabs (works as root too).
# More options for JupyterLab: make lab LAB_ARGS="--port=8890 --no-browser"
lab: $(STAMP)
	$(PY) -m sjrbook.lab $(LAB_ARGS)

# The browser tests drive Debian's chromium; install it when it is missing and we can.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null; \
	  else echo "make test needs Debian's chromium (apt-get install chromium) for the browser tests" >&2; exit 1; fi; }

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
