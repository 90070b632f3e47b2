"""The runs list as a user works it: start times, sorting by any column, the filter box, F2 to rename (kept
at the next launch) and Del to delete (only a Workbench run's directory, never one still training)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from tiny_experiment import tiny

from workbench.core.diagnosis.finding import Finding
from workbench.core.rundir.reader import load_run
from workbench.core.session import RunsSession
from workbench.core.status import RunStatus
from workbench.core.training.engine import Run
from workbench.ui.app import build_window
from workbench.ui.dialogs import Dialogs
from workbench.ui.panels.runs import RunsList
from workbench.ui.panels.runs_model import BEST, NAME, STARTED, STATUS

SMALL = {"data.n_samples": 120, "model.hidden": [4], "train.batch_size": 32}
LOAD_TIMEOUT_MS = 20_000


def finished_run(directory, name: str, started_at: float, **overrides) -> Run:
    run = Run(tiny(name, **SMALL, **overrides), run_dir=directory / name).fit()
    run.release_training_state()
    run.started_at = started_at
    return run


@pytest.fixture
def runs(tmp_path):
    """Three finished runs, oldest first: "beta" learns best, "alpha" is stopped after one epoch."""
    beta = finished_run(tmp_path, "beta", 1_700_000_000.0, **{"train.epochs": 3, "train.lr": 0.05})
    alpha = finished_run(tmp_path, "alpha", 1_700_003_600.0, **{"train.epochs": 1})
    alpha.status = RunStatus.STOPPED
    gamma = finished_run(tmp_path, "Gamma", 1_700_007_200.0, **{"train.epochs": 1, "train.lr": 1e-5})
    return [beta, alpha, gamma]


@pytest.fixture
def runs_list(qtbot, runs):
    session = RunsSession()
    for run in runs:
        session.add(run)
    widget = RunsList(session, Dialogs(None))
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.show()
    return widget


def names(runs_list: RunsList) -> list[str]:
    return [run.name for run in runs_list.shown_runs()]


def click_header(runs_list: RunsList, column: int) -> None:
    header = runs_list.view.header()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QtBot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_rows_show_when_each_run_started_newest_first(runs_list, runs):
    assert names(runs_list) == ["Gamma", "alpha", "beta"]  # the session's order until a header is clicked
    started = runs_list.row_texts(runs[0])[STARTED]
    assert len(started) == len("2023-11-14 22:13") and started[4] == "-" and started[13] == ":"


def test_every_column_sorts_by_its_own_values(runs_list, runs):
    click_header(runs_list, NAME)
    assert names(runs_list) == ["alpha", "beta", "Gamma"]  # names in any case
    click_header(runs_list, NAME)
    assert names(runs_list) == ["Gamma", "beta", "alpha"]
    click_header(runs_list, STARTED)
    assert names(runs_list) == ["beta", "alpha", "Gamma"]  # by time, oldest first
    click_header(runs_list, BEST)
    accuracies = [float(runs_list.row_texts(run)[BEST].rstrip("%")) for run in runs_list.shown_runs()]
    assert accuracies == sorted(accuracies)  # as numbers, not as text
    click_header(runs_list, STATUS)
    assert [runs_list.row_texts(run)[STATUS] for run in runs_list.shown_runs()] == [
        "completed", "completed", "stopped"]


def test_the_accuracy_column_says_which_epoch_it_was_read_at(runs_list, runs):
    model = runs_list.model
    header = model.headerData(BEST, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "lowest validation loss" in header and "Not always the highest accuracy" in header
    beta = runs[0]
    cell = model.data(model.index(model.row_of(beta), BEST), Qt.ItemDataRole.ToolTipRole)
    assert cell == f"Epoch {beta.best['epoch']}: the lowest validation loss"


def test_the_filter_box_matches_name_status_and_diagnosis_and_keeps_the_selection(runs_list, runs):
    session = runs_list.session
    session.select(runs[:2])
    runs_list.filter.setText("STOPPED")
    assert names(runs_list) == ["alpha"]
    runs_list.filter.setText("a")  # every name holds an a
    assert names(runs_list) == ["Gamma", "alpha", "beta"]
    runs_list.filter.setText("gam")
    assert names(runs_list) == ["Gamma"]
    assert [run.name for run in session.selected] == ["alpha", "beta"]  # hidden rows stay selected
    runs[2].findings = [Finding("lr_too_low", "warning", "Learning is slow", "", "", fix={"train.lr": 0.01})]
    session.update(runs[2])
    runs_list.filter.setText("lr_too_LOW")
    assert names(runs_list) == ["Gamma"]
    runs_list.filter.clear()
    assert len(names(runs_list)) == 3
    selected = sorted(index.row() for index in runs_list.view.selectionModel().selectedRows())
    assert [runs_list.shown_runs()[row].name for row in selected] == ["alpha", "beta"]


def test_f2_renames_the_selected_run_and_the_name_is_kept_in_its_directory(runs_list, runs, qtbot):
    beta = runs[0]
    runs_list.session.select([beta])
    runs_list.view.setFocus()
    qtbot.keyClick(runs_list.view, Qt.Key.Key_F2)
    editor = runs_list.view.focusWidget()
    assert runs_list.view.state() == runs_list.view.State.EditingState and editor.text() == "beta"
    editor.selectAll()
    qtbot.keyClicks(editor, "beta, lr 0.05")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runs_list.view.state() != runs_list.view.State.EditingState)  # committed queued
    assert beta.name == "beta, lr 0.05" and runs_list.row_texts(beta)[NAME] == "beta, lr 0.05"
    assert load_run(beta.directory, with_history=False).name == "beta, lr 0.05"  # as a relaunch reads it


def test_a_run_still_training_cannot_be_renamed_or_deleted(runs_list, runs, monkeypatch):
    gamma = runs[2]
    gamma.status = RunStatus.RUNNING
    runs_list.session.update(gamma)
    runs_list.session.select([gamma])
    assert not runs_list.rename_action.isEnabled() and runs_list.delete_action.isEnabled()
    asked, told = [], []
    monkeypatch.setattr(runs_list.dialogs, "confirm", lambda *args: asked.append(args) or True)
    monkeypatch.setattr(runs_list.dialogs, "error", lambda title, text: told.append(text))
    runs_list.delete_action.trigger()
    assert asked == [] and told == ["• Gamma is still training; stop it first."]
    assert gamma.directory.exists() and gamma in runs_list.session


def test_del_deletes_the_selected_runs_after_a_question(runs_list, runs, qtbot, monkeypatch):
    beta, alpha, gamma = runs
    (gamma.directory / "notes.txt").write_text("the user's own", encoding="utf-8")
    runs_list.session.select([beta, alpha, gamma])
    questions, told = [], []
    monkeypatch.setattr(runs_list.dialogs, "error", lambda title, text: told.append(text))
    monkeypatch.setattr(runs_list.dialogs, "confirm", lambda *args: questions.append(args) or False)
    runs_list.view.setFocus()
    qtbot.keyClick(runs_list.view, Qt.Key.Key_Delete)
    (title, text, action), = questions
    assert title == "Delete 3 runs?" and str(beta.directory) in text and action == "Delete"
    assert beta.directory.exists() and len(runs_list.session) == 3  # answered Cancel: nothing happens

    monkeypatch.setattr(runs_list.dialogs, "confirm", lambda *args: True)
    qtbot.keyClick(runs_list.view, Qt.Key.Key_Delete)
    assert not beta.directory.exists() and not alpha.directory.exists()
    assert (gamma.directory / "notes.txt").exists() and (gamma.directory / "summary.json").exists()
    assert [run.name for run in runs_list.session.runs] == ["Gamma"] and names(runs_list) == ["Gamma"]
    (message,) = told
    assert "holds files that Workbench did not write (notes.txt)" in message


def test_del_in_the_filter_box_edits_the_text_not_the_runs(runs_list, runs, qtbot, monkeypatch):
    runs_list.session.select(runs)
    monkeypatch.setattr(runs_list.dialogs, "confirm", lambda *args: pytest.fail("asked to delete runs"))
    runs_list.filter.setText("beta")
    runs_list.filter.setFocus()
    runs_list.filter.setCursorPosition(0)
    qtbot.keyClick(runs_list.filter, Qt.Key.Key_Delete)
    assert runs_list.filter.text() == "eta" and len(runs_list.session) == 3


def test_a_rename_in_the_window_survives_a_relaunch(window, qtbot, run_to_end):
    other = run_to_end(tiny("other"))
    run = run_to_end(tiny("to be renamed"))
    window.session.select([run, other])
    assert window.runs.rename(run, "renamed")
    assert window.plots.curves.key.labels()[:2] == ["other", "renamed"]  # the overlay's key follows
    window.close()
    relaunched = build_window(None)
    qtbot.addWidget(relaunched)
    relaunched.show()
    qtbot.waitUntil(lambda: len(relaunched.session) == 2, timeout=LOAD_TIMEOUT_MS)
    listed = {entry.directory: entry.name for entry in relaunched.session.runs}
    assert listed == {run.directory: "renamed", other.directory: "other"}
    relaunched.close()
