# Two commands for a newcomer: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
CHROMIUM ?= /usr/bin/chromium
# CI always tests PostgreSQL too; locally, set TEST_POSTGRES_URL to include it. The two runs go
# side by side, so each has a Redis database of its own (the tests empty theirs).
ifdef CI
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
TEST_REDIS_URL_POSTGRES ?= redis://127.0.0.1:6379/14
endif
export TEST_POSTGRES_URL
export TEST_REDIS_URL
export TEST_REDIS_URL_POSTGRES

.PHONY: run test install lint typecheck test-sqlite test-postgres messages fonts chromium bench clean

$(BIN)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) --version >/dev/null 2>&1 || { echo "mentor247 needs $(PYTHON) (Python 3.11) on PATH."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

install: $(BIN)/.installed messages fonts

# Compiled catalogues are built, never committed.
messages: $(BIN)/.installed
	@command -v msgfmt >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq gettext >/dev/null; \
	  else echo "Translations need GNU gettext: run 'sudo apt-get install gettext'."; exit 1; fi; }
	@mkdir -p mentor247/locale && cd mentor247 && $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py compilemessages -v 0

# Receipts and statements (PDF) are set in DejaVu Sans (settings.PDF_FONT).
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq fonts-dejavu-core >/dev/null; \
	  else echo "PDF receipts need the DejaVu fonts: run 'sudo apt-get install fonts-dejavu-core'."; exit 1; fi; }

chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Chromium at $(CHROMIUM): run 'sudo apt-get install chromium'."; exit 1; fi; }

run: install
	$(MANAGE) migrate --verbosity 0
	$(MANAGE) seed_demo
	$(BIN)/python -m mentor247.serve

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(BIN)/.installed
	$(BIN)/mypy mentor247 bench

# Each run lists its slowest tests.
PYTEST := $(BIN)/pytest -q --durations=12

test-sqlite: install chromium
	DATABASE_URL= $(PYTEST)

# Its own scratch folder (VAR_DIR) and Redis database, as it runs beside the SQLite run.
test-postgres: install chromium
	@if [ -z "$$TEST_POSTGRES_URL" ]; then \
	  echo "PostgreSQL run skipped: set TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)."; \
	else \
	  $(BIN)/python -m mentor247.lib.waitdb "$$TEST_POSTGRES_URL" && \
	  VAR_DIR="$(CURDIR)/var/test-postgres" TEST_REDIS_URL="$${TEST_REDIS_URL_POSTGRES:-$$TEST_REDIS_URL}" \
	  DATABASE_URL="$$TEST_POSTGRES_URL" $(PYTEST); \
	fi

# The two databases' runs side by side (a core each); each run's output is printed whole when
# it ends (-O).
test: lint typecheck install chromium
	@$(MAKE) --no-print-directory -j2 -O test-sqlite test-postgres

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var
