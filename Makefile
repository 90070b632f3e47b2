# The two commands of the README: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench fuzz-long soak install clean

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# Exactly these torch builds (DESIGN.md): pip takes them from the machine's disk.
	$(PY) -m pip install --quiet torch==2.14.1 torchvision==0.29.1
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/workbench gui

lint: $(STAMP)
	$(VENV)/bin/ruff check workbench tests
	$(VENV)/bin/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_engine.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_gui.py

fuzz-long: $(STAMP)
	WORKBENCH_FUZZ_EXAMPLES=10000 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/core/test_config_fuzz.py

soak: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/soak_gui.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
