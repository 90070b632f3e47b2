"""Compare, export and clone in the app: real runs through the worker, selected in the runs list."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt

LOAD_TIMEOUT_MS = 20_000
STOP_TIMEOUT_MS = 30_000
LONG = {"train__epochs": 400, "train__batch_size": 4}  # still training when we act on it


def cell(table, row, column) -> str:
    return table.item(row, column).text()


def compared_names(window) -> list[str]:
    view = window.compare_tab.view
    if view is None:
        return []
    table = view.metrics_table
    return [cell(table, row, 0) for row in range(table.rowCount())]


@pytest.fixture
def two_runs(tiny, run_to_end):
    """Two finished tiny runs that differ in the learning rate only, oldest first."""
    return [run_to_end(tiny(meta__name="slow", train__lr=0.02)),
            run_to_end(tiny(meta__name="fast", train__lr=0.05))]


def menu_texts(window, title: str) -> list[str]:
    (menu,) = [action.menu() for action in window.menuBar().actions() if action.text() == title]
    return [action.text() for action in menu.actions() if not action.isSeparator()]


def test_the_menus_offer_compare_export_and_clone(window):
    assert menu_texts(window, "&File") == [
        "&Open…", "Open s&weep…", "&Save…", "Export &comparison…", "Export run as PyTorch sc&ript…",
        "Export run to &TensorBoard…", "Export O&NNX…", "Sa&ve run to folder…", "&Quit"]
    assert menu_texts(window, "&Run")[4:6] == ["&Compare selected runs", "C&lone run and change one setting"]
    actions = window.selection_actions
    assert not any(action.isEnabled() for action in (actions.compare, actions.export_comparison,
                                                     actions.export_script, actions.export_tensorboard,
                                                     actions.clone))  # nothing selected yet
    assert [window.views.tabText(index) for index in range(window.views.count())] == ["Training", "Compare"]


def test_two_selected_runs_are_compared_exported_and_cloned(window, qtbot, two_runs, tmp_path, monkeypatch):
    slow, fast = two_runs
    actions = window.selection_actions
    window.session.select([fast])
    assert window.views.currentWidget() is window.plots
    assert not actions.compare.isEnabled() and actions.export_comparison.isEnabled()

    window.session.select([fast, slow])
    qtbot.waitUntil(lambda: compared_names(window) == ["slow", "fast"], timeout=LOAD_TIMEOUT_MS)
    view = window.compare_tab.view
    assert window.views.currentWidget() is window.compare_tab and window.compare_tab.isVisible()
    assert actions.compare.isEnabled()
    assert view.heading.text() == "Comparing 2 runs"
    assert view.curves.curve_count() == 4  # validation and training of each run
    assert [plot.curve_count for plot in view.gradient_plots] == [3, 3]  # two hidden layers + output
    assert view.layer_key.labels() == ["layer 1", "layer 2", "output"]
    header = view.metrics_table.horizontalHeader()
    assert view.metrics_table.horizontalHeaderItem(header.logicalIndex(1)).text() == "Val acc"  # no scrolling
    diff = view.diff_table
    assert [[cell(diff, row, column) for column in range(3)] for row in range(diff.rowCount())] == [
        ["train.lr", "0.02", "0.05"]]

    # File > Export comparison…: the chosen file, in the format of the chosen filter
    chosen = []
    monkeypatch.setattr(window.dialogs, "export_file", lambda parent, caption, start, filters: (
        chosen.append(caption) or (str(tmp_path / "lr"), "HTML report (*.html)")))
    actions.export_comparison.trigger()
    report = (tmp_path / "lr.html").read_text(encoding="utf-8")
    assert chosen == ["Export comparison"] and "slow" in report and "fast" in report
    assert window.status.currentMessage() == f"Wrote {tmp_path / 'lr.html'}"

    # the Compare view's own Export button goes through the same dialog
    monkeypatch.setattr(window.dialogs, "export_file",
                        lambda parent, caption, start, filters: (str(tmp_path / "lr.csv"), ""))
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    with open(tmp_path / "lr.csv", newline="") as stream:
        rows = [(row["run"], row["epoch"], row["train.lr"]) for row in csv.DictReader(stream)]
    assert rows == [("slow", "1", "0.02"), ("slow", "2", "0.02"),
                    ("fast", "1", "0.05"), ("fast", "2", "0.05")]

    # Export run as PyTorch script…: the newest selected run
    monkeypatch.setattr(window.dialogs, "export_file",
                        lambda parent, caption, start, filters: (str(tmp_path / "fast"), filters))
    actions.export_script.trigger()
    script = (tmp_path / "fast.py").read_text()
    assert script.startswith('# Standalone PyTorch script of the Workbench run "fast".')

    # Export run to TensorBoard…: event files in a subfolder named after the run directory
    monkeypatch.setattr(window.dialogs, "export_folder", lambda parent, caption, start: str(tmp_path / "tb"))
    actions.export_tensorboard.trigger()
    assert list((tmp_path / "tb" / fast.directory.name).glob("events.out.tfevents.*"))

    # Clone run and change one setting: from the view's selected row, same seeds, a twin's name
    view.metrics_table.selectRow(0)
    qtbot.mouseClick(view.clone_button, Qt.MouseButton.LeftButton)
    twin = window.experiment.config
    assert twin.name == "slow (twin)" and window.windowTitle() == "slow (twin) — Workbench"
    assert twin.model_dump(exclude={"meta"}) == slow.config.model_dump(exclude={"meta"})  # seeds included
    assert twin.train.lr == 0.02
    assert window.source_path is None  # Save asks where: the original's file is not overwritten

    # ... and the Run menu's action clones the newest selected run
    actions.clone.trigger()
    assert window.experiment.config.name == "fast (twin)"
    assert window.experiment.config.train.lr == 0.05


def test_a_run_still_training_joins_the_comparison_when_it_ends(window, qtbot, tiny, run_to_end):
    finished = run_to_end(tiny(meta__name="finished"))
    window.set_experiment(tiny(meta__name="training", **LONG))
    with qtbot.waitSignal(window.controller.epoch_ended, timeout=STOP_TIMEOUT_MS):
        window.run_action.trigger()
    live = window.controller.active_run
    window.session.select([live, finished])
    actions = window.selection_actions
    assert window.views.currentWidget() is window.plots  # a run that trains is watched live
    assert not actions.compare.isEnabled()
    assert not actions.export_script.isEnabled()  # the newest selected run is still training
    assert actions.export_comparison.isEnabled()  # the finished one alone can be exported
    assert window.compare_tab.note.text() == "Still training, compared once it ends: training"

    with qtbot.waitSignal(window.controller.run_ended, timeout=STOP_TIMEOUT_MS):
        window.stop_action.trigger()
    assert actions.compare.isEnabled() and actions.export_script.isEnabled()
    assert window.views.currentWidget() is window.plots  # the view is not taken from the user
    actions.compare.trigger()
    assert window.views.currentWidget() is window.compare_tab
    qtbot.waitUntil(lambda: compared_names(window) == ["finished", "training"], timeout=LOAD_TIMEOUT_MS)
    assert window.compare_tab.note.isHidden()
    metrics = window.compare_tab.view.metrics_table
    status = [metrics.horizontalHeaderItem(column).text() for column in range(metrics.columnCount())].index("Status")
    assert [cell(metrics, row, status) for row in range(2)] == ["completed", "stopped"]
