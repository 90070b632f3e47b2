# The two commands of the README: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench fuzz-long soak install clean system-libs smoke-gui install-desktop translations

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# Exactly these torch builds (DESIGN.md): pip takes them from the machine's disk.
	$(PY) -m pip install --quiet torch==2.14.1 torchvision==0.29.1
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# PySide6's wheels bundle Qt but not the X11 libraries of its xcb plugin: installed with apt-get when
# root, else named in one sentence, before Qt would abort (workbench/ui/platform_check.py)
system-libs: $(STAMP)
	$(PY) -m workbench.ui.platform_check --install

run: system-libs
	$(VENV)/bin/workbench gui

# The real X11 platform under a virtual X server (CI): a missing system library fails here, where every
# offscreen test passes. Needs xvfb-run (Debian: apt-get install xvfb).
smoke-gui: system-libs
	QT_QPA_PLATFORM=xcb xvfb-run --auto-servernum --server-args="-screen 0 1600x1000x24" \
		$(VENV)/bin/workbench gui --quit-after-paint

install-desktop: $(STAMP)
	$(VENV)/bin/workbench install-desktop

lint: $(STAMP)
	$(VENV)/bin/ruff check workbench tests
	$(VENV)/bin/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

# The GUI benchmarks time the app as a user's second launch runs it: with Python's bytecode caches written.
# Without them (PYTHONDONTWRITEBYTECODE, as on CI machines) every module the app imports lazily is compiled
# on the GUI thread at its first use (the worst experiment load of two 5-minute soaks in a row: 156 ms
# without them, 82 ms with them).
BYTECODE = $(PY) -m compileall -q workbench

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_engine.py
	$(BYTECODE)
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_gui.py

# The diagnosis fault benchmark: injected faults judged against their root cause, tune and held-out
# splits side by side (tests/bench/diagnosis_bench.py; a fault's harm measured at three seeds where one
# leaves it in doubt), by the rules alone and as the app verifies them,
# then whether the first finding's fix helps and beats lr/10 on a slice of them, beside a placebo that
# fixes nothing (fix_bench.py), whether the fix offered on each healthy run with a warning helps it at three
# seeds (alarm_bench.py), then every healthy preset and cure at ten seeds (silence_bench.py). Both cores,
# <= 60 minutes; results cached.
.PHONY: bench-diagnosis
bench-diagnosis: $(STAMP)
	$(PY) tests/bench/diagnosis_bench.py --harm-seeds 3
	$(PY) tests/bench/diagnosis_bench.py --harm-seeds 3 --verify --json tests/bench/.cache/judged-verified.json
	$(PY) tests/bench/fix_bench.py --placebo
	$(PY) tests/bench/alarm_bench.py tests/bench/.cache/judged-verified.json
	$(PY) tests/bench/silence_bench.py

# The hypothesis fuzzers with many more examples than CI's: experiment files and damaged run directories.
fuzz-long: $(STAMP)
	WORKBENCH_FUZZ_EXAMPLES=10000 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/core/test_config_fuzz.py
	WORKBENCH_FUZZ_EXAMPLES=3000 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/core/test_damaged_runs_fuzz.py

soak: $(STAMP)
	$(BYTECODE)
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/soak_gui.py

# The gettext catalogues of the core and the CLI (README, Languages): extract every _() / ngettext()
# template into locale/workbench.pot (tests/core/test_i18n.py extracts with the same keywords and fails
# when the committed file is behind), merge it into each language's .po, compile the .mo files the
# package carries (locale/compile_catalogues.py: pybabel compile mishandles untranslated plurals).
# A new language: pybabel init -i locale/workbench.pot -d locale -D workbench -l LANG
# Then Qt's catalogues of the app's widgets: every tr() / translate() text of workbench/ui into
# locale/workbench_ui_<language>.ts (translations kept, vanished texts dropped; tests/ui/test_translations.py
# runs the same lupdate and fails when a committed .ts is behind), and the .qm files the app loads.
# English's holds the plural forms only ("%n finding(s)" -> "1 finding." / "2 findings, ..."). A new
# language: add LANG to UI_LANGUAGES below, make translations, translate the .ts in pyside6-linguist.
UI_LANGUAGES := zh_CN
LUPDATE := $(VENV)/bin/pyside6-lupdate -locations none -no-obsolete -extensions py workbench/ui
translations: $(STAMP)
	$(VENV)/bin/pybabel extract --no-default-keywords -k _ -k ngettext:1,2 -k N_ -F locale/babel.cfg \
		--add-comments=TRANSLATORS: --add-location=file --sort-by-file --project=Workbench \
		--copyright-holder="the Workbench authors" -o locale/workbench.pot .
	$(VENV)/bin/pybabel update -i locale/workbench.pot -d locale -D workbench --ignore-obsolete
	$(PY) locale/compile_catalogues.py
	$(LUPDATE) -pluralonly -ts locale/workbench_ui_en.ts
	$(LUPDATE) -ts $(foreach language,$(UI_LANGUAGES),locale/workbench_ui_$(language).ts)
	$(VENV)/bin/pyside6-lrelease -silent locale/workbench_ui_en.ts $(foreach language,$(UI_LANGUAGES),locale/workbench_ui_$(language).ts)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
