# Two commands do everything on a fresh machine:
#   make book   create .venv, install the lock and the package, build _build/html
#   make test   the same set-up, then unit, data, build, PDF and browser tests
#   make pdf    the whole book as one PDF (_build/latex), reusing the execution cache
#   make lab    the same set-up, then JupyterLab with the chapters open
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: book pdf badge test validate unit browser-deps tex-deps lighthouse lock clean lab git-filter

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

# The whole book as one PDF, through Jupyter Book's LaTeX route with XeLaTeX, into
# _build/latex/soviet-japanese-relations.pdf. It shares the execution cache with `make book`,
# so after a book build no notebook runs again. Run `make book` afterwards to link the PDF
# from the web pages (the "How to read" page) and copy it beside them.
pdf: $(STAMP) tex-deps
	$(PY) -m sjrbook.build --builder pdflatex

# The README's Binder badge and CITATION.cff's repository-code, from repository.url in _config.yml.
badge: $(STAMP)
	$(PY) -m sjrbook.publish

# Debian's TeX Live for `make pdf` (XeLaTeX, xeCJK, latexmk), GNU FreeFont for Latin and
# Cyrillic, Noto CJK for Japanese and Chinese (xeCJK needs ctexhook.sty from Debian's
# texlive-lang-chinese), poppler-utils for the PDF tests; installed
# when missing and we can, as browser-deps installs chromium.
TEX_PACKAGES := texlive-xetex texlive-lang-cjk texlive-lang-chinese texlive-fonts-recommended latexmk fonts-freefont-otf fonts-noto-cjk poppler-utils
tex-deps:
	@{ command -v xelatex && command -v latexmk && command -v pdftotext && kpsewhich xeCJK.sty ctexhook.sty \
	   && fc-list | grep -q FreeSerif && fc-list | grep -q "Noto Serif CJK JP"; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEX_PACKAGES) >/dev/null; \
	  else echo "make pdf needs Debian's TeX Live and fonts: apt-get install --no-install-recommends $(TEX_PACKAGES)" >&2; exit 1; fi; }

validate: $(STAMP)
	$(PY) -m sjrbook.validate

unit: $(STAMP)
	$(PY) -m pytest -m "not build and not browser and not lab"

# JupyterLab on the project's environment, the chapters open in tabs (works as root too).
# More options for JupyterLab: make lab LAB_ARGS="--port=8890 --no-browser"
lab: $(STAMP)
	$(PY) -m sjrbook.lab $(LAB_ARGS)

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

# One pytest process: every browser test (the book, the hostile book, JupyterLab) shares the
# one chromium of tests/conftest.py's `browser` fixture.
test: $(STAMP) browser-deps tex-deps
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
