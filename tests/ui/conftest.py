"""GUI test set-up: private QSettings, no leaked threads or workers, and a ready main window.

Every test gets its own settings file (never the user's), and fails if it leaves a background thread
working, a background task unreaped or any other Python thread running.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from tiny_experiment import TINY_TABLES
from tiny_experiment import tiny as tiny_experiment

from workbench.core.experiment.config import ExperimentConfig
from workbench.ui import language
from workbench.ui.app import build_window, set_identity
from workbench.ui.worker import running_tasks, wait_for_background

BACKGROUND_DRAIN_S = 10.0
WORKER_SETTLE_S = 5.0
START_TIMEOUT_MS = 20_000  # first paint, torch warm-up, preview: generous for a busy 2-core machine
RUN_TIMEOUT_MS = 60_000


@pytest.fixture
def tiny_tables() -> str:
    """[data], [model] and [train] of a 2-epoch moons experiment that trains in about a second."""
    return TINY_TABLES


@pytest.fixture
def tiny():
    """That experiment named "tiny moons"; keyword overrides spell `table.key` as `table__key`."""
    return tiny_experiment


@pytest.fixture(autouse=True, scope="session")
def english(qapp):
    """The app's English: its catalogue holds the plural forms ("1 finding", "2 findings")."""
    language.use_language("en")


@pytest.fixture(autouse=True)
def private_settings(qapp, tmp_path):
    set_identity(qapp)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield tmp_path / "settings"


def _drain_background(qapp) -> None:
    assert wait_for_background(BACKGROUND_DRAIN_S), "a background thread is still working after the test"
    # A finished task is reaped through a queued signal: deliver those, within a bound.
    deadline = time.monotonic() + WORKER_SETTLE_S
    while running_tasks() and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.01)
    assert not running_tasks(), "a background task was left unreaped"


@pytest.fixture(autouse=True)
def no_leaked_threads(qapp):
    """The test leaves no thread it started running (one that ended meanwhile, started before it, is fine:
    closing the previous test's windows can start a last look-up)."""
    _drain_background(qapp)
    before = set(threading.enumerate())
    yield
    _drain_background(qapp)
    started = [thread.name for thread in set(threading.enumerate()) - before]
    assert not started, started


@pytest.fixture
def window(qtbot):
    """The main window as `workbench gui` opens it, shown, with torch loaded and the preview drawn."""
    main_window = build_window(None)
    qtbot.addWidget(main_window)
    with qtbot.waitSignal(main_window.controller.ready, timeout=START_TIMEOUT_MS):
        main_window.show()
    qtbot.waitUntil(lambda: main_window.experiment.preview.kind != "", timeout=START_TIMEOUT_MS)
    yield main_window
    main_window.close()


@pytest.fixture
def run_to_end(qtbot, window):
    """Load a config (if given), press Run, wait for the run to end; returns the Run."""

    def run(config: ExperimentConfig | None = None):
        if config is not None:
            window.set_experiment(config)
        with qtbot.waitSignal(window.controller.run_ended, timeout=RUN_TIMEOUT_MS) as ended:
            window.run_action.trigger()
        return ended.args[0]

    return run


def read_summary(run_dir: Path) -> dict:
    return json.loads((Path(run_dir) / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture
def summary_of():
    return read_summary
