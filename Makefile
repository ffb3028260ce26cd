# Two commands do all the set-up on a fresh machine (Python 3.11+ with venv):
#   make run    set up, then start the assistant (terminal chat without Slack tokens)
#   make test   set up, then run the tests
# and two more keep the code tidy: make lint (ruff), make typecheck (mypy).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
REQUIREMENTS ?= requirements.txt
VENV_ARGS ?=

.PHONY: run test lint typecheck check eval bench setup clean lock

# The Python version is checked before a .venv exists, and a failed set-up removes the
# half-made .venv, so the next `make` (on the right Python) starts clean.
$(VENV)/.installed: $(REQUIREMENTS)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "make: Python 3.11 or newer is needed; '$(PYTHON)' is $$(command -v $(PYTHON) >/dev/null 2>&1 && $(PYTHON) --version 2>&1 || echo missing)." >&2; \
	  echo "      Install it, or run e.g. 'make PYTHON=python3.12 $(MAKECMDGOALS)'." >&2; exit 1; }
	@rm -rf $(VENV)
	@$(PYTHON) -m venv $(VENV_ARGS) $(VENV) && \
	  $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(REQUIREMENTS) && \
	  touch $@ || { rm -rf $(VENV); echo "make: set-up failed; $(VENV) was removed" >&2; exit 1; }

setup: $(VENV)/.installed

run: $(VENV)/.installed
	@$(PY) -m bot || [ $$? -eq 130 ]  # 130: left with Ctrl-C, as one may

test: $(VENV)/.installed
	$(PY) -m pytest -q

lint: $(VENV)/.installed
	$(PY) -m ruff check bot tests benchmarks tools scripts

typecheck: $(VENV)/.installed
	$(PY) -m mypy

check: $(VENV)/.installed
	$(PY) -m bot check

eval: $(VENV)/.installed
	$(PY) -m bot eval

bench: $(VENV)/.installed
	$(PY) -m bot bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Refresh requirements.txt, the pinned and hashed lock, from pyproject.toml (pip-tools,
# in a venv of its own so the app's stays exactly the lock).
lock:
	$(PYTHON) -m venv .venv-lock && .venv-lock/bin/python -m pip install --quiet pip-tools
	.venv-lock/bin/python -m piptools compile --quiet --generate-hashes --allow-unsafe --extra dev --strip-extras \
	  --no-emit-index-url --no-emit-find-links -o requirements.txt pyproject.toml
	rm -rf .venv-lock
