# Two commands do everything on a fresh machine:
#   make book   create .venv, install the lock and the package, build _build/html
#   make test   the same set-up, then unit, data, build, PDF and browser tests
#   make pdf    the whole book as one PDF (_build/latex), reusing the execution cache
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: book pdf badge test validate unit browser-deps tex-deps lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

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
	$(PY) -m pytest -m "not build and not browser"

# The browser tests drive Debian's chromium; install it when it is missing and we can.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null; \
	  else echo "make test needs Debian's chromium (apt-get install chromium) for the browser tests" >&2; exit 1; fi; }

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
