# The two set-up commands of the README:
#   make demo   venv + everything installed, then JupyterLab with the extension and the demo course
#   make test   what the tests need (Python, npm, Debian's chromium and postgresql), then every check
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
ALLOW_ROOT := $(shell [ "$$(id -u)" -eq 0 ] && echo --allow-root)
# npm scripts call the venv's `jupyter-builder`; tests start `jupyter lab` from it too.
export PATH := $(CURDIR)/$(BIN):$(PATH)

COURSE := courses/data-science-foundations
DEMO_UNIT := 01_python_basics
DEMO_NOTEBOOK := $(COURSE)/release/$(DEMO_UNIT)/$(DEMO_UNIT).ipynb
PYTEST_ARGS ?=
# pytest-xdist workers; each takes whole test files (servers and browsers per module stay shared).
PYTEST_WORKERS ?= 2
# Every pip install takes the versions measured to work together.
PIP := $(BIN)/pip install --quiet -c constraints.txt

HUB_CONFIG := deploy/jupyterhub/jupyterhub_config.py
HUB_PROXY := deploy/jupyterhub/node_modules/.bin/configurable-http-proxy
ADAPTIVE_HUB_STATE ?= $(CURDIR)/.hub-state
ADAPTIVE_HUB_PASSWORD ?= adaptive-demo

.PHONY: demo hub test venv install install-hub install-test system-deps lint check-labextension \
	test-python benchmarks translations clean

# The server runs in the course folder, as nbgrader's formgrader expects, and opens the released unit.
demo: install $(DEMO_NOTEBOOK)
	cd $(COURSE) && $(CURDIR)/$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir=. \
		--AdaptiveApp.course_paths=$(CURDIR)/courses \
		--LabApp.default_url=/lab/tree/release/$(DEMO_UNIT)/$(DEMO_UNIT).ipynb

# The class on JupyterHub, on this machine: the service `adaptive`, teacher1 and student1..3 (password
# $(ADAPTIVE_HUB_PASSWORD)), the store in ADAPTIVE_DB_URL (PostgreSQL) or an SQLite file.
hub: install-hub $(DEMO_NOTEBOOK)
	@echo "JupyterHub on http://127.0.0.1:$${ADAPTIVE_HUB_PORT:-8000}: log in as teacher1 or student1..3," \
		"password $(ADAPTIVE_HUB_PASSWORD); the teacher dashboard is /services/adaptive/dashboard"
	mkdir -p $(ADAPTIVE_HUB_STATE)
	cd $(ADAPTIVE_HUB_STATE) && PATH=$(CURDIR)/$(dir $(HUB_PROXY)):$$PATH ADAPTIVE_HUB_DEMO=1 \
		ADAPTIVE_HUB_PASSWORD=$(ADAPTIVE_HUB_PASSWORD) ADAPTIVE_HUB_STATE=$(ADAPTIVE_HUB_STATE) \
		$(CURDIR)/$(BIN)/jupyterhub -f $(CURDIR)/$(HUB_CONFIG)

test: install-test system-deps lint check-labextension test-python

# pyBKT 1.4.3: its wheel is pure Python and breaks under numpy 2; its sdist builds the C++ core when
# numpy, setuptools and wheel are present and build isolation is off. Its Python part needs
# scikit-learn < 1.8. So: those first, then pyBKT from source, then this package.
$(VENV)/.pybkt:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(PIP) numpy setuptools wheel "scikit-learn>=1.4,<1.8"
	$(PIP) --no-binary pyBKT --no-build-isolation pyBKT==1.4.3
	touch $@

venv: $(VENV)/.pybkt

$(VENV)/.installed: $(VENV)/.pybkt pyproject.toml constraints.txt labextension/package.json
	$(PIP) -e ".[dev,es]"
	$(BIN)/jupyter-builder develop --overwrite .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) -e ".[test]"
	$(BIN)/jupyter-builder develop --overwrite .
	touch $@

$(VENV)/.installed-hub: $(VENV)/.installed pyproject.toml
	$(PIP) -e ".[dev,hub,postgres,lti]"
	touch $@

# JupyterHub's proxy, from npm, next to the Hub configuration.
$(HUB_PROXY): deploy/jupyterhub/package.json
	cd deploy/jupyterhub && npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed

install-hub: $(VENV)/.installed-hub $(HUB_PROXY)

install-test: $(VENV)/.installed-test $(HUB_PROXY)

system-deps:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }
	@command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update && $(SUDO) apt-get install -y postgresql; }

$(DEMO_NOTEBOOK): $(VENV)/.installed $(COURSE)/source/$(DEMO_UNIT)/$(DEMO_UNIT).ipynb
	cd $(COURSE) && ../../$(BIN)/nbgrader generate_assignment $(DEMO_UNIT) --force --log-level=WARN

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy jupyter_adaptive

check-labextension:
	cd labextension && npm ci --no-audit --no-fund --loglevel=error
	cd labextension && npm run build && npm run lint:check && npm run typecheck && npm test

test-python:
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

benchmarks: install-test
	$(BIN)/python benchmarks/api_load.py
	$(BIN)/python benchmarks/mastery.py
	$(BIN)/python benchmarks/dashboard.py
	$(BIN)/python benchmarks/bandwidth.py

# The server's sentences: extract what the code marks (`_`, `ngettext`, `Message`) and merge it into
# each catalogue (jupyter_adaptive/locale/<language>/LC_MESSAGES/jupyter_adaptive_server.po); then
# translate the new or changed entries: tests/test_translation.py names any left untranslated.
translations:
	$(BIN)/pybabel extract -k _ -k ngettext:1,2 -k Message --no-location --sort-output \
		--omit-header --project=jupyter-adaptive -o $(VENV)/jupyter_adaptive_server.pot jupyter_adaptive
	$(BIN)/pybabel update -i $(VENV)/jupyter_adaptive_server.pot -d jupyter_adaptive/locale \
		-D jupyter_adaptive_server --width=100 --ignore-obsolete --ignore-pot-creation-date

clean:
	rm -rf $(VENV) labextension/node_modules labextension/lib jupyter_adaptive/labextension \
		deploy/jupyterhub/node_modules .hub-state
