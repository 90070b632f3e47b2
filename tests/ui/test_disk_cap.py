"""Sizes on disk in the app: the runs list's Size column (measured off the GUI thread, sorted by bytes),
its footer with the folder's total and cap, the notice when a run starts above the cap (once), and the
prune dialog: the oldest finished runs that bring the folder under the cap, never a selected one, and
deleted only after the user confirms."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from tiny_experiment import tiny

from workbench.core.rundir.disk_usage import directory_size, format_size
from workbench.core.session import RunsSession
from workbench.core.training.engine import Run
from workbench.ui.dialogs import Dialogs
from workbench.ui.disk_cap import SETTINGS_CAP_MB
from workbench.ui.panels.run_sizes import RunSizes
from workbench.ui.panels.runs import RunsList
from workbench.ui.panels.runs_model import SIZE
from workbench.ui.worker import running_tasks

SMALL = {"data.n_samples": 120, "model.hidden": [4], "train.batch_size": 32, "train.epochs": 1}
LOAD_TIMEOUT_MS = 20_000


def finished_run(directory: Path, name: str) -> Run:
    run = Run(tiny(name, **SMALL), run_dir=directory / name).fit()
    run.release_training_state()
    return run


@pytest.fixture
def runs_list(qtbot, tmp_path):
    session = RunsSession()
    runs = [finished_run(tmp_path, name) for name in ("small", "large", "middle")]
    with (runs[1].directory / "summary.json").open("a", encoding="utf-8") as padding:
        padding.write(" " * 200_000)  # the largest on disk, whatever its place in the list
    for run in runs:
        session.add(run)
    widget = RunsList(session, Dialogs(None))
    qtbot.addWidget(widget)
    widget.sizes = RunSizes(session, widget.model, root=tmp_path, parent=widget)
    return widget, runs


def test_the_size_column_shows_each_run_measured_off_the_gui_thread_and_sorts_by_bytes(qtbot, runs_list):
    widget, runs = runs_list
    with qtbot.waitSignal(widget.sizes.total_changed, timeout=LOAD_TIMEOUT_MS) as measured:
        pass
    assert measured.args[0] == sum(directory_size(run.directory) for run in runs)
    for run in runs:
        assert widget.row_texts(run)[SIZE] == format_size(directory_size(run.directory))
    # "205.3 kB" sorts above "12.0 kB" as bytes, whatever the text's order
    widget.view.sortByColumn(SIZE, Qt.SortOrder.DescendingOrder)
    shown = widget.shown_runs()
    assert shown[0].name == "large"
    assert [widget.model.size_of(run) for run in shown] == sorted((widget.model.size_of(run) for run in runs),
                                                                   reverse=True)


def write_old_runs(root: Path) -> list[Path]:
    """Four finished runs in the runs folder, oldest first, a second apart (their start times differ)."""
    directories = []
    for index in range(4):
        directories.append(finished_run(root, f"run {index}").directory)
        time.sleep(1.01)
    return directories


def test_above_the_cap_the_app_says_so_once_and_prunes_only_what_the_user_confirms(qtbot, monkeypatch):
    from workbench.ui.app import build_window

    root = Path(os.environ["WORKBENCH_RUNS_DIR"])
    directories = write_old_runs(root)
    one_run = directory_size(directories[0])
    # a cap two runs wide under four (and a bit): the two oldest must go
    QSettings().setValue(SETTINGS_CAP_MB, (2 * one_run + one_run // 2) / 1_000_000)
    window = build_window(None)
    qtbot.addWidget(window)
    window.show()
    disk = window.disk
    qtbot.waitUntil(lambda: len(window.session) == 4 and disk.sizes.total is not None
                    and all(window.runs.model.size_of(run) for run in window.session.runs), timeout=LOAD_TIMEOUT_MS)
    assert format_size(disk.sizes.total) in window.runs.footer.text()

    disk.check()  # as when a run starts
    qtbot.waitUntil(lambda: disk.notice is not None and disk.notice.isVisible(), timeout=LOAD_TIMEOUT_MS)
    assert "above its cap" in disk.notice.text() and format_size(disk.sizes.total) in disk.notice.text()
    first_notice = disk.notice
    disk.check()  # a second start while still above: no second notice
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=LOAD_TIMEOUT_MS)
    qtbot.wait(50)  # its answer delivered
    assert disk.notice is first_notice
    first_notice.close()

    by_directory = {run.directory: run for run in window.session.runs}
    oldest = by_directory[directories[0]]
    window.session.select([oldest])  # a selected run is never offered: the next two oldest are
    disk.prune()
    dialog = disk.dialog
    assert [run.directory for run, _size in dialog.candidates] == directories[1:3]

    monkeypatch.setattr(window.dialogs, "confirm", lambda *args: False)
    dialog.accept()
    assert all(directory.exists() for directory in directories) and len(window.session) == 4

    questions = []
    monkeypatch.setattr(window.dialogs, "confirm", lambda *args: questions.append(args) or True)
    disk.prune()
    disk.dialog.list.topLevelItem(1).setCheckState(0, Qt.CheckState.Unchecked)  # keep run 2
    disk.dialog.accept()
    assert len(questions) == 1 and "run 1" in questions[0][1] and "run 2" not in questions[0][1]
    assert [directory.exists() for directory in directories] == [True, False, True, True]
    assert len(window.session) == 3
    window.close()


def test_a_run_that_ends_gets_its_size_and_the_total_grows(qtbot, window, run_to_end, tiny):
    disk = window.disk
    qtbot.waitUntil(lambda: disk.sizes.total is not None, timeout=LOAD_TIMEOUT_MS)
    before = disk.sizes.total
    run = run_to_end(tiny("sized", **SMALL))
    qtbot.waitUntil(lambda: window.runs.model.size_of(run) is not None, timeout=LOAD_TIMEOUT_MS)
    qtbot.waitUntil(lambda: disk.sizes.total == before + directory_size(run.directory), timeout=LOAD_TIMEOUT_MS)
    assert window.runs.row_texts(run)[SIZE] == format_size(directory_size(run.directory))
    assert format_size(disk.sizes.total) in window.runs.footer.text()
