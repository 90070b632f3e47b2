"""Sweeps in the app: the Sweep window renders a finished sweep directory (parallel coordinates, the heatmap
of a two-setting grid, each configuration's curve over its seeds, the table and what matters), the dialog
counts the trials with the core's expansion before anything starts, a trial opens as a run of the session,
a damaged folder is one sentence, and a sweep started from the window arrives live and keeps its finished
trials when stopped. The trials train in this process (tiny_experiment.InProcess), two epochs each."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from tiny_experiment import InProcess, tiny_sweep_plan

from workbench.core.sweeps.reader import load_sweep
from workbench.core.sweeps.runner import Sweep
from workbench.ui.sweep.dialog import LOG_RANGE, SweepDialog
from workbench.ui.sweep.table import TRIAL_ROLE
from workbench.ui.sweep.view import SweepView

SWEEP = '[sweep]\ngrid = { "train.lr" = [0.02, 0.5], "train.optimizer" = ["sgd", "adam"] }\nseeds = 2\n'
LOAD_TIMEOUT_MS = 10_000
SWEEP_TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def finished_sweep(tmp_path_factory) -> Path:
    """A 2 x 2 grid with 2 seeds: 8 tiny trials, run to the end."""
    directory = tmp_path_factory.mktemp("sweep")
    Sweep(tiny_sweep_plan(SWEEP), directory).run(InProcess())
    return directory


def table_rows(view: SweepView) -> list:
    model = view.table.model()
    return [model.index(row, 0).data(TRIAL_ROLE) for row in range(model.rowCount())]


def test_the_sweep_view_renders_a_finished_sweep_directory(qtbot, finished_sweep):
    loaded = load_sweep(finished_sweep)
    view = SweepView()
    qtbot.addWidget(view)
    view.show_sweep(loaded.plan, loaded.results, finished_sweep, live=False)
    qtbot.waitUntil(lambda: len(view.curves_plot.drawn) == 4, timeout=LOAD_TIMEOUT_MS)  # read on a pool thread
    assert view.parallel.line_count == 8
    assert {frozenset(cell) for cell in view.heatmap.cells} == {
        frozenset((lr, optimizer)) for lr in ("0.02", "0.5") for optimizer in ("sgd", "adam")}
    assert all(text.split("\n")[0].endswith("%") for text in view.heatmap.cells.values())
    accuracies = [result.val_acc for result in table_rows(view)]
    assert len(accuracies) == 8 and accuracies == sorted(accuracies, reverse=True)  # best first
    text = view.what_matters.text()
    assert "What matters" in text and "Of the settings alone" in text
    assert "8 of 8 trials done" in view.progress.text() and not view.stop_button.isVisibleTo(view)


def test_the_dialog_counts_the_trials_before_starting(qtbot, tiny):
    dialog = SweepDialog(tiny())
    qtbot.addWidget(dialog)
    start = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.rows[0].values.setText("0.01, 0.1, 1")
    dialog.add_row("model.activation").values.setText("relu, tanh")
    dialog.seeds.setValue(3)
    assert len(dialog.plan.trials) == 18 and "18 trials" in dialog.count.text() and start.isEnabled()
    dialog.rows[0].values.setText("0.01, -1")
    assert dialog.plan is None and "sweep.grid.train.lr[1]: -1 is not allowed" in dialog.count.text()
    assert not start.isEnabled()
    dialog.rows[0].mode.setCurrentIndex(dialog.rows[0].mode.findData(LOG_RANGE))
    dialog.rows[0].low.setText("1e-4")
    dialog.rows[0].high.setText("1e-1")
    assert "sweep.random" in dialog.count.text()  # a range needs random draws
    dialog.draws.setValue(4)
    assert len(dialog.plan.trials) == 2 * 4 * 3 and dialog.plan.ranged_keys == ["train.lr"]


def test_a_dialog_opened_on_a_sweep_preset_starts_from_its_table(qtbot, tiny):
    plan = tiny_sweep_plan(SWEEP)
    dialog = SweepDialog(plan.base)
    qtbot.addWidget(dialog)
    assert [row.key for row in dialog.rows] == ["train.lr", "train.optimizer"]
    assert len(dialog.plan.trials) == len(plan.trials) == 8


def test_opening_a_trial_adds_it_as_a_run_of_the_session(qtbot, window, finished_sweep):
    window.sweeps.open_sweep(finished_sweep)
    qtbot.waitUntil(lambda: bool(window.sweeps.views) and window.sweeps.views[0].plan is not None,
                    timeout=LOAD_TIMEOUT_MS)
    view = window.sweeps.views[0]
    best = table_rows(view)[0]
    view.table.selectRow(0)
    before = len(window.session)
    view.open_selected()
    qtbot.waitUntil(lambda: len(window.session) == before + 1, timeout=LOAD_TIMEOUT_MS)
    run = window.session.shown
    assert run.directory == finished_sweep / best.run_dir and window.session.selected == [run]
    assert run.findings == best.findings and run.history is not None and len(run.history.epochs) == 2
    view.open_selected()  # opened again: the same run, selected, never a second copy
    assert len(window.session) == before + 1 and window.session.shown is run


def test_a_damaged_sweep_folder_is_one_sentence(qtbot, window, tmp_path, monkeypatch):
    errors = []
    monkeypatch.setattr(window.dialogs, "error", lambda title, text: errors.append((title, text)))
    (tmp_path / "sweep.json").write_text("{not json")
    window.sweeps.open_sweep(tmp_path)
    qtbot.waitUntil(lambda: bool(errors), timeout=LOAD_TIMEOUT_MS)
    assert errors[0][0] == "Cannot open the sweep" and "sweep.json cannot be read" in errors[0][1]
    assert not window.sweeps.views


def test_a_sweep_started_in_the_app_arrives_live_and_stopping_keeps_the_finished_trials(qtbot, window, tmp_path,
                                                                                       monkeypatch):
    monkeypatch.setenv("WORKBENCH_RUNS_DIR", str(tmp_path))
    backend = InProcess()
    view = window.sweeps.start(tiny_sweep_plan(SWEEP), backend=backend)
    assert view.live and view.stop_button.isVisibleTo(view) and "0 of 8 trials done" in view.progress.text()
    qtbot.waitUntil(lambda: any(result.status == "completed" for result in view.results), timeout=SWEEP_TIMEOUT_MS)
    with qtbot.waitSignal(window.sweeps.job.ended, timeout=SWEEP_TIMEOUT_MS):
        view.stop_button.click()
    finished = [result for result in view.results if result.status == "completed"]
    assert 1 <= len(finished) < 8 and len(backend.given) == len(finished)
    assert "stopped; the finished trials are kept" in view.progress.text() and not view.live
    on_disk = load_sweep(view.directory).results  # the sweep's tables say the same
    assert [result.status for result in on_disk] == [result.status for result in view.results]


def test_run_sweep_opens_the_dialog_on_the_loaded_sweep_preset(qtbot, window):
    window.load_experiment_source("sweep-lr-optimizer")
    window.sweeps.sweep_action.trigger()
    dialog = window.sweeps.dialog
    assert dialog.isVisible() and [row.key for row in dialog.rows] == ["train.optimizer", "train.lr"]
    assert len(dialog.plan.trials) == 24 and "12 configurations × 2 seeds" in dialog.count.text()
    dialog.reject()
    assert not window.sweeps.running and not window.sweeps.views
