# 红帆 — the two commands: `make run` (platform with demo data) and `make test` (whole suite).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.9.5
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
RUN_ARGS ?=
TEST_WORKERS ?= 2

.PHONY: install run test browser lint lock clean check-deploy bench load backup restore

install: $(STAMP)

# Creates .venv and installs exactly what uv.lock pins; nothing happens when both are unchanged.
$(STAMP): pyproject.toml uv.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	@UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv sync --frozen --inexact --quiet
	@touch $(STAMP)

lock:
	UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv lock

# scripts/run.py: migrate, the demo, then web, worker and beat as its children; Ctrl-C stops them all
# and then the embedded PostgreSQL. RUN_ARGS="--no-demo --noreload" for the options.
run: install
	$(PY) scripts/run.py --host $(HOST) --port $(PORT) $(RUN_ARGS)

# Debian's Chromium for the end-to-end tests (Playwright cannot download its own browser here), and
# the Noto CJK fonts, without which Chinese renders as boxes in the screenshots the tests save.
browser:
	@{ test -x /usr/bin/chromium && test -d /usr/share/fonts/opentype/noto; } || { \
	  echo "installing Debian's chromium and fonts-noto-cjk for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

test: install browser
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=15 $(PYTEST_ARGS)

# The layer contract in pyproject.toml: a package never imports one above it (also run by `make test`).
lint: install
	$(VENV)/bin/lint-imports --no-cache

# Benchmarks print ratios measured in one run; figures go in benchmarks/README.md.
bench: install
	$(PY) benchmarks/import_bench.py $(BENCH_ARGS)

# gunicorn on a synthetic county under 32 concurrent users for 30 s (benchmarks/load.py, which says
# how); locust comes from the `bench` dependency group, installed here only. LOAD_ARGS="--users 64 …".
load: install
	@UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv sync --frozen --inexact --quiet --group bench
	$(PY) benchmarks/load.py $(LOAD_ARGS)

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.django.production DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  HONGFAN_ID_KEY=$$(head -c 48 /dev/urandom | base64) \
	  DJANGO_ALLOWED_HOSTS=hongfan.example $(PY) manage.py check --deploy --fail-level WARNING

# The database and the uploads in one .tar (var/backups/ unless FILE=…); restore replaces both.
backup: install
	$(PY) manage.py backup $(if $(FILE),--output "$(FILE)")

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/hongfan-….tar"; exit 2; }
	$(PY) manage.py restore "$(FILE)"

clean:
	rm -rf $(VENV) var
