# Two commands do all the set-up on a fresh machine (Python 3.11+ with venv):
#   make run    set up, then start the assistant (terminal chat without Slack tokens)
#   make test   set up, then run the tests
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test check eval bench clean

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

run: $(VENV)/.installed
	$(PY) -m bot

test: $(VENV)/.installed
	$(PY) -m pytest -q

check: $(VENV)/.installed
	$(PY) -m bot check

eval: $(VENV)/.installed
	$(PY) -m bot eval

bench: $(VENV)/.installed
	$(PY) -m bot bench

clean:
	rm -rf $(VENV) .pytest_cache
