# The README's two commands: `make demo` and `make test`. Each creates the virtualenv it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo demo-month test test-sqlite test-postgres lint bench serve lock

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/jobmatrix demo

demo-month: $(STAMP)
	$(BIN)/jobmatrix demo --simulated-month

serve: $(STAMP)
	$(BIN)/jobmatrix serve

# SQLite always; PostgreSQL too when JOBMATRIX_TEST_DATABASE_URL is set (CI sets it).
test: $(STAMP)
	env -u JOBMATRIX_TEST_DATABASE_URL $(BIN)/pytest
	@if [ -n "$$JOBMATRIX_TEST_DATABASE_URL" ]; then \
		echo "== the same suite on $$JOBMATRIX_TEST_DATABASE_URL =="; \
		$(BIN)/pytest; \
	else \
		echo "(PostgreSQL run skipped: set JOBMATRIX_TEST_DATABASE_URL to run the suite on it too)"; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/webhook.py
	$(BIN)/python bench/understand.py
	$(BIN)/python bench/fanout.py

# requirements.lock: what the Dockerfile installs. A clean venv gets the package's runtime
# dependencies at their newest allowed versions; pip freeze pins them (dev tools excluded).
LOCK_VENV := .lock-venv
lock:
	rm -rf $(LOCK_VENV) && $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet .
	{ echo "# Pinned runtime dependencies for the Docker image; regenerate with: make lock"; \
	  $(LOCK_VENV)/bin/pip freeze --exclude jobmatrix; } > requirements.lock
	rm -rf $(LOCK_VENV)
