# Care Register: `make run` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install migrate lint fuzz audit lock clean bench

$(STAMP): pyproject.toml requirements/constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: set PYTHON=/path/to/python3.11")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

# Serves the site with the background task worker and the scheduled commands beside it
# (run_periodic: the consultation clock, renewal reminders, lapsing... every minute, as cron
# runs them in production); Ctrl-C stops all three. Every link the service writes (emails, the
# passport's QR code, credential and status-list addresses) starts with SITE_URL, so it
# follows PORT unless SITE_URL is set.
run: export SITE_URL := $(or $(SITE_URL),http://127.0.0.1:$(PORT))
run: migrate
	$(PY) manage.py seed_demo
	@echo "Care Register on http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	@$(PY) manage.py db_worker --interval 1 & worker=$$!; \
	$(PY) manage.py run_periodic --every 60 & periodic=$$!; \
	trap 'kill $$worker $$periodic 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite. Browser tests run when a Chromium is found and are reported as skipped,
# with the reason, when none is.
test: install
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

# Schemathesis against the API on a fresh, seeded database (see .ci/fuzz-api).
fuzz: install
	.ci/fuzz-api

# The whole stack under load on PostgreSQL: seed, serve with gunicorn, load with wrk, report
# (bench/full_stack.py; about 15 minutes at full size), then the jobs service beside the
# register (bench/jobs.py: search, vacancy page, applying, alerts), then careers' rows (a quiz
# page against the floor, the campaign funnel over a million count rows, the poster PDF).
# BENCH_SCALE=small for a quick run.
bench: install
	BENCH_SCALE=$(BENCH_SCALE) $(PY) bench/full_stack.py
	BENCH_SCALE=$(BENCH_SCALE) $(PY) bench/jobs.py
	$(PY) bench/careers_quiz.py
	$(PY) bench/careers_campaign.py
	$(PY) bench/careers_poster.py

# Known vulnerabilities in requirements/constraints.txt (pip-audit; see .ci/audit). Fails on
# a finding, and with exit code 2 when the vulnerability service cannot be reached.
audit:
	.ci/audit

# Re-pin every dependency to the newest versions the ranges in pyproject.toml allow.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e ".[test]"
	.lock-venv/bin/pip freeze --exclude-editable | sed '/^-e /d' > requirements/constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) var/static
